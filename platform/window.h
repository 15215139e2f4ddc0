#pragma once
// The app's window: GLFW + an OpenGL 3.3 core context + Dear ImGui's GLFW and OpenGL3
// backends (built into Debian's libimgui.a). The ImGui context must exist before Open().
//
// Rendering is event-driven (STYLE.md rule 7): Wait() blocks until input, a posted wake-up or
// the timeout, and says whether anything happened that may change what is drawn.
//
// Threading: everything here is for the UI thread, except Wake(), which any thread may call.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gocua {

struct WindowOptions {
  std::string title = "Gõ Cửa";
  int width = 1280, height = 800;
  bool visible = true;
};

class Window {
 public:
  struct Impl;
  // Null on failure, with `*error` set to a message a person can act on (no display, no
  // OpenGL 3.3), Vietnamese first.
  static std::unique_ptr<Window> Open(const WindowOptions& options, std::string* error);
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  // Blocks up to `timeout_s` (< 0: forever) for events, then processes them. True when input
  // arrived, the window changed, or Wake() was called since the last Wait()/Poll().
  bool Wait(double timeout_s);
  // Processes pending events without blocking; same return as Wait().
  bool Poll();
  bool ShouldClose() const;
  void RequestClose();

  // Starts an ImGui frame (backends' NewFrame; the caller then calls ImGui::NewFrame()).
  // Uploads the font atlas to a texture (again if it was rebuilt since) and then frees the
  // atlas's CPU copy of the pixels: after the first frame, io.Fonts->TexPixels* are null.
  void BeginFrame();
  // Draws ImGui's draw data (after ImGui::Render()) into the back buffer.
  void Render();
  // The back buffer's pixels as RGBA rows from the top: call between Render() and Present().
  std::vector<uint8_t> ReadPixels(int* width, int* height);
  // Shows what Render() drew (swaps buffers).
  void Present();

  // Wakes a Wait() from any thread (glfwPostEmptyEvent).
  static void Wake();

 private:
  explicit Window(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Writes RGBA pixels (rows from the top) to a PNG file. False when it cannot be written.
bool WritePng(const std::string& path, const std::vector<uint8_t>& rgba, int width, int height);

}  // namespace gocua
