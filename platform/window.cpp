#include "platform/window.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <stb_image_write.h>

#include <algorithm>
#include <atomic>
#include <cstdio>

#include "platform/input_batch.h"

namespace gocua {
namespace {

// Set by GLFW callbacks (UI thread) and by Wake() (any thread).
std::atomic<bool> g_activity{false};

void OnGlfwError(int code, const char* text) { std::fprintf(stderr, "GLFW %d: %s\n", code, text); }

// Our callbacks are installed before ImGui's backend, which chains to them: each marks activity.
void OnKey(GLFWwindow*, int, int, int, int) { g_activity = true; }
void OnChar(GLFWwindow*, unsigned) { g_activity = true; }
void OnMouseButton(GLFWwindow*, int, int, int) { g_activity = true; }
void OnCursor(GLFWwindow*, double, double) { g_activity = true; }
void OnScroll(GLFWwindow*, double, double) { g_activity = true; }
void OnFocus(GLFWwindow*, int) { g_activity = true; }
void OnEnter(GLFWwindow*, int) { g_activity = true; }
void OnResize(GLFWwindow*, int, int) { g_activity = true; }
void OnRefresh(GLFWwindow*) { g_activity = true; }

// Keys and characters go through InputBatch (platform/input_batch.h: an IME's Backspace and
// composed letter in one burst), replayed into ImGui's backend at the start of each frame.
InputBatch g_input;

bool IsEditKey(int key) {
  switch (key) {
    case GLFW_KEY_BACKSPACE:
    case GLFW_KEY_DELETE:
    case GLFW_KEY_LEFT:
    case GLFW_KEY_RIGHT:
    case GLFW_KEY_UP:
    case GLFW_KEY_DOWN:
    case GLFW_KEY_HOME:
    case GLFW_KEY_END:
    case GLFW_KEY_ENTER:
    case GLFW_KEY_KP_ENTER:
    case GLFW_KEY_TAB:
      return true;
    default:
      return false;
  }
}

void QueueKey(GLFWwindow*, int key, int scancode, int action, int mods) {
  InputEvent e;
  e.kind = InputEvent::Kind::kKey;
  e.key = key;
  e.scancode = scancode;
  e.action = action;
  e.mods = mods;
  e.edit_key = IsEditKey(key);
  g_input.Push(e);
  g_activity = true;
}

void QueueChar(GLFWwindow*, unsigned codepoint) {
  InputEvent e;
  e.kind = InputEvent::Kind::kChar;
  e.codepoint = codepoint;
  g_input.Push(e);
  g_activity = true;
}

}  // namespace

struct Window::Impl {
  GLFWwindow* window = nullptr;
  bool backends = false;
  bool font_texture_made = false;  // the OpenGL3 backend has uploaded the font atlas once
  ~Impl() {
    if (backends) {
      ImGui_ImplOpenGL3_Shutdown();
      ImGui_ImplGlfw_Shutdown();
    }
    if (window) glfwDestroyWindow(window);
    glfwTerminate();
  }
};

Window::Window(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Window::~Window() = default;

std::unique_ptr<Window> Window::Open(const WindowOptions& options, std::string* error) {
  glfwSetErrorCallback(OnGlfwError);
  if (!glfwInit()) {
    *error =
        "Không mở được màn hình (GLFW). Hãy chạy trong phiên đồ hoạ, hoặc dùng tools/run.sh "
        "để chạy dưới Xvfb. / No display: run in a desktop session.";
    return nullptr;
  }
  auto impl = std::make_unique<Impl>();
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_VISIBLE, options.visible ? GLFW_TRUE : GLFW_FALSE);
  impl->window =
      glfwCreateWindow(options.width, options.height, options.title.c_str(), nullptr, nullptr);
  if (!impl->window) {
    *error =
        "Máy này không hỗ trợ OpenGL 3.3. Hãy cập nhật trình điều khiển đồ hoạ. / "
        "OpenGL 3.3 is not available: update the graphics driver.";
    return nullptr;
  }
  glfwMakeContextCurrent(impl->window);
  glfwSwapInterval(1);
  glfwSetKeyCallback(impl->window, OnKey);
  glfwSetCharCallback(impl->window, OnChar);
  glfwSetMouseButtonCallback(impl->window, OnMouseButton);
  glfwSetCursorPosCallback(impl->window, OnCursor);
  glfwSetScrollCallback(impl->window, OnScroll);
  glfwSetWindowFocusCallback(impl->window, OnFocus);
  glfwSetCursorEnterCallback(impl->window, OnEnter);
  glfwSetFramebufferSizeCallback(impl->window, OnResize);
  glfwSetWindowRefreshCallback(impl->window, OnRefresh);
  ImGui_ImplGlfw_InitForOpenGL(impl->window, /*install_callbacks=*/true);
  // Replace the backend's key and char callbacks by the queue; BeginFrame replays it into them.
  glfwSetKeyCallback(impl->window, QueueKey);
  glfwSetCharCallback(impl->window, QueueChar);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  impl->backends = true;
  g_activity = true;  // the first frame
  return std::unique_ptr<Window>(new Window(std::move(impl)));
}

bool Window::Wait(double timeout_s) {
  if (timeout_s < 0) {
    glfwWaitEvents();
  } else {
    glfwWaitEventsTimeout(timeout_s);
  }
  return g_activity.exchange(false);
}

bool Window::Poll() {
  glfwPollEvents();
  return g_activity.exchange(false);
}

bool Window::ShouldClose() const { return glfwWindowShouldClose(impl_->window); }
void Window::RequestClose() { glfwSetWindowShouldClose(impl_->window, GLFW_TRUE); }

void Window::BeginFrame() {
  ImFontAtlas* fonts = ImGui::GetIO().Fonts;
  // Pixels in the atlas after the first upload: it was built again (new fonts or size) since.
  if (impl_->font_texture_made && (fonts->TexPixelsAlpha8 || fonts->TexPixelsRGBA32)) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  for (const InputEvent& e : g_input.TakeFrame()) {
    if (e.kind == InputEvent::Kind::kChar) {
      ImGui_ImplGlfw_CharCallback(impl_->window, e.codepoint);
    } else {
      ImGui_ImplGlfw_KeyCallback(impl_->window, e.key, e.scancode, e.action, e.mods);
    }
  }
  if (g_input.Pending()) Wake();  // the rest of a burst: another frame right away
  ImGui_ImplOpenGL3_NewFrame();   // the first one makes the device objects and the font texture
  ImGui_ImplGlfw_NewFrame();
  impl_->font_texture_made = true;
  // The texture holds the glyphs now; the atlas's CPU copies of them (8-bit and RGBA, ~0.6 MB
  // at 18 px) are not read again. Glyph metrics and the font file stay, so a rebuild works.
  if (fonts->TexPixelsAlpha8 || fonts->TexPixelsRGBA32) fonts->ClearTexData();
}

void Window::Render() {
  int w = 0, h = 0;
  glfwGetFramebufferSize(impl_->window, &w, &h);
  glViewport(0, 0, w, h);
  glClearColor(0.97f, 0.97f, 0.98f, 1.0f);  // = the app's WindowBg (app/ui/app.cpp ApplyStyle)
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void Window::Present() { glfwSwapBuffers(impl_->window); }

std::vector<uint8_t> Window::ReadPixels(int* width, int* height) {
  int w = 0, h = 0;
  glfwGetFramebufferSize(impl_->window, &w, &h);
  std::vector<uint8_t> rows(static_cast<size_t>(w) * h * 4);
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rows.data());
  std::vector<uint8_t> flipped(rows.size());  // OpenGL's rows start at the bottom
  const size_t stride = static_cast<size_t>(w) * 4;
  for (int y = 0; y < h; ++y) {
    std::copy_n(rows.data() + stride * (h - 1 - y), stride, flipped.data() + stride * y);
  }
  *width = w;
  *height = h;
  return flipped;
}

void Window::Wake() {
  g_activity = true;
  glfwPostEmptyEvent();
}

bool WritePng(const std::string& path, const std::vector<uint8_t>& rgba, int width, int height) {
  return stbi_write_png(path.c_str(), width, height, 4, rgba.data(), width * 4) != 0;
}

}  // namespace gocua
