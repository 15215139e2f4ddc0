// imgui-floor: Dear ImGui's stock example_glfw_opengl3 (Debian's libimgui-dev 1.86,
// /usr/share/doc/libimgui-dev/examples/example_glfw_opengl3/main.cpp): the demo window and the
// "Hello, world!" window, ImGui's built-in font, no data, a frame every iteration. It exists to
// measure the resident memory any ImGui + GLFW + OpenGL 3 program has under the same Xvfb and
// Mesa renderer as gocua — the floor under the app's memory target (tools/app_bench.sh,
// docs/benchmarks.md "App benchmarks").
//
//   imgui-floor [--gl33] [--seconds N]
// Differences from the stock example, each to compare like with like: the window is 1280x800
// (the app's size; stock: 1280x720); --gl33 asks for the app's 3.3 core context (stock on Linux:
// 3.0 with GLSL 130); no imgui.ini written; SIGTERM/SIGINT end the loop cleanly; --seconds N
// ends it after N s.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

std::atomic<bool> g_quit{false};

void OnSignal(int) { g_quit = true; }

void OnGlfwError(int error, const char* description) {
  std::fprintf(stderr, "Glfw Error %d: %s\n", error, description);
}

}  // namespace

int main(int argc, char** argv) {
  bool gl33 = false;
  double seconds = -1;  // < 0: until closed or signalled
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--gl33") == 0) {
      gl33 = true;
    } else if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: imgui-floor [--gl33] [--seconds N]\n");
      return 2;
    }
  }
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);

  glfwSetErrorCallback(OnGlfwError);
  if (!glfwInit()) return 1;
  const char* glsl_version = "#version 130";
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  if (gl33) {
    glsl_version = "#version 330 core";
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  }
  GLFWwindow* window =
      glfwCreateWindow(1280, 800, "Dear ImGui GLFW+OpenGL3 example", nullptr, nullptr);
  if (window == nullptr) return 1;
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // stock writes imgui.ini into the working directory
  ImGui::StyleColorsDark();
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init(glsl_version);

  bool show_demo_window = true;
  bool show_another_window = false;
  ImVec4 clear_color = ImVec4(0.45f, 0.55f, 0.60f, 1.00f);
  const double start = glfwGetTime();
  long frames = 0;
  while (!glfwWindowShouldClose(window) && !g_quit &&
         (seconds < 0 || glfwGetTime() - start < seconds)) {
    glfwPollEvents();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    if (show_demo_window) ImGui::ShowDemoWindow(&show_demo_window);
    {
      static float f = 0.0f;
      static int counter = 0;
      ImGui::Begin("Hello, world!");
      ImGui::Text("This is some useful text.");
      ImGui::Checkbox("Demo Window", &show_demo_window);
      ImGui::Checkbox("Another Window", &show_another_window);
      ImGui::SliderFloat("float", &f, 0.0f, 1.0f);
      ImGui::ColorEdit3("clear color", reinterpret_cast<float*>(&clear_color));
      if (ImGui::Button("Button")) counter++;
      ImGui::SameLine();
      ImGui::Text("counter = %d", counter);
      ImGui::Text("Application average %.3f ms/frame (%.1f FPS)",
                  1000.0f / ImGui::GetIO().Framerate, ImGui::GetIO().Framerate);
      ImGui::End();
    }
    if (show_another_window) {
      ImGui::Begin("Another Window", &show_another_window);
      ImGui::Text("Hello from another window!");
      if (ImGui::Button("Close Me")) show_another_window = false;
      ImGui::End();
    }
    ImGui::Render();
    int display_w = 0, display_h = 0;
    glfwGetFramebufferSize(window, &display_w, &display_h);
    glViewport(0, 0, display_w, display_h);
    glClearColor(clear_color.x * clear_color.w, clear_color.y * clear_color.w,
                 clear_color.z * clear_color.w, clear_color.w);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    glfwSwapBuffers(window);
    ++frames;
  }
  std::printf("bench frames_drawn %ld\n", frames);

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return 0;
}
