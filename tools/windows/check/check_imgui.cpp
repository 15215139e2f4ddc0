// ImGui 1.86 + GLFW + the GLFW/OpenGL3 backends from the prefix link into one executable. Run
// without a window: a frame on a headless context builds the font atlas (Debian's stb_truetype and
// stb_rect_pack in libstb.a) and renders draw lists; stb_image_write encodes a PNG in memory.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <stb_image_write.h>

#include <cstdio>

static void count_bytes(void* ctx, void*, int size) { *static_cast<int*>(ctx) += size; }

int main() {
  // Referenced so that the linker must resolve them: GLFW and both backends.
  volatile void* linked[] = {reinterpret_cast<void*>(&glfwInit),
                             reinterpret_cast<void*>(&ImGui_ImplGlfw_InitForOpenGL),
                             reinterpret_cast<void*>(&ImGui_ImplOpenGL3_Init)};
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(640, 480);
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  int vertices = 0;
  for (int frame = 0; frame < 2; ++frame) {  // a new window is drawn from its second frame on
    io.DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    ImGui::Begin("Gõ Cửa");
    ImGui::Text("Xin chào");
    ImGui::End();
    ImGui::Render();
    vertices = ImGui::GetDrawData()->TotalVtxCount;
  }
  int png = 0;
  stbi_write_png_to_func(count_bytes, &png, w, h, 4, pixels, w * 4);
  ImGui::DestroyContext();
  const char* glfw = glfwGetVersionString();
  if (!linked[0] || !linked[1] || !linked[2] || w <= 0 || vertices <= 0 || png <= 0) {
    std::printf("FAIL atlas %dx%d, %d vertices, png %d bytes\n", w, h, vertices, png);
    return 1;
  }
  std::printf("ok imgui %s, glfw %s, atlas %dx%d, %d vertices\n", IMGUI_VERSION, glfw, w, h,
              vertices);
  return 0;
}
