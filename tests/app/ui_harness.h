// Headless UI tests: the real App and screens over a real database file, driven through Dear
// ImGui's own input (mouse position and buttons, keys, typed characters) with no window and
// no renderer — frames are built and thrown away. Widgets are found by the names the screens
// give them (app/ui/ui_probe.h), as they were laid out in the previous frame.
//
// Threading: the test's thread only. One harness at a time (ImGui has one current context).
#pragma once

#include <doctest/doctest.h>
#include <imgui.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>
#include <memory>
#include <string>

#include "app/ui/app.h"
#include "app/ui/fonts.h"
#include "app/core/i18n.h"
#include "app/core/main_queue.h"
#include "app/core/model.h"
#include "app/ui/ui_probe.h"
#include "platform/clock.h"
#include "tests/support/fixture.h"

namespace gocua::test {

inline constexpr int kKeyS = 83;  // 'S', as GLFW numbers it (app/ui/widgets.cpp)

// A data folder with a commune (three villages), a leader and a member, and the app over it.
class UiHarness {
 public:
  // `worker`: the sync thread's options, or nullopt for none (most UI tests do not sync).
  explicit UiHarness(std::optional<app::SyncWorkerOptions> worker = std::nullopt,
                     const std::string& data_dir = "")
      : clock_(kTestNowMs), worker_(std::move(worker)) {
    data_dir_ = data_dir.empty() ? dir_.path().string() : data_dir;
    REQUIRE(app::LoadLanguage(GOCUA_SOURCE_ASSETS, "vi").ok());
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1280, 2400);  // tall: every form fits without scrolling
    io.DeltaTime = 1.0f / 60.0f;
    for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = k;  // ImGuiKey_X is its own index
    std::string warning;
    app::LoadFonts(1.0f, &warning);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // builds the atlas; nothing draws it
    app::ApplyStyle();
    app::probe::Enable(true);
    Open();
  }
  ~UiHarness() {
    Close();
    app::probe::Enable(false);
    ImGui::DestroyContext();
  }
  UiHarness(const UiHarness&) = delete;
  UiHarness& operator=(const UiHarness&) = delete;

  // Closes the app (as quitting would) and opens it again on the same data folder.
  void Restart() {
    Close();
    Open();
  }

  app::AppModel& model() { return *model_; }
  Database& db() { return model_->db(); }
  ManualClock& clock() { return clock_; }
  const std::string& data_dir() const { return data_dir_; }

  // One frame: posted work runs, the App draws, ImGui renders into nothing.
  void Frame() {
    queue_.Drain();
    ImGui::NewFrame();
    app_->Frame();
    ImGui::Render();
  }
  void Frames(int n) {
    for (int i = 0; i < n; ++i) Frame();
  }
  // Draws frames (as the app does when the worker wakes it) until `done()` or `timeout_s`.
  template <class Pred>
  bool FramesUntil(Pred done, double timeout_s = 60) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      Frame();
    }
    Frame();
    return true;
  }

  bool Visible(const std::string& name) { return app::probe::Find(name).has_value(); }
  bool AnyVisible(const std::string& prefix) { return app::probe::AnyWithPrefix(prefix); }

  // Moves the mouse onto `name` (drawn last frame), presses and releases the left button.
  void Click(const std::string& name) {
    auto r = app::probe::Find(name);
    REQUIRE_MESSAGE(r.has_value(), "not on screen: " << name);
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(r->cx(), r->cy());
    Frame();
    io.MouseDown[0] = true;
    Frame();
    io.MouseDown[0] = false;
    Frame();
    Frame();
  }

  // Clicks a text field, selects what it holds and types `text` over it.
  void Type(const std::string& name, const std::string& text) {
    Click(name);
    Key(ImGuiKey_A, /*ctrl=*/true);
    Key(ImGuiKey_Backspace);
    ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
    Frame();
    Frame();
  }

  // Presses and releases a key (an ImGuiKey_ index, or kKeyS), with Ctrl held if asked.
  void Key(int key, bool ctrl = false) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyCtrl = ctrl;
    io.KeysDown[key] = true;
    Frame();
    io.KeysDown[key] = false;
    io.KeyCtrl = false;
    Frame();
  }

  // Picks item `index` of a combo box.
  void Choose(const std::string& combo, int index) {
    Click(combo);
    Click(combo + "." + std::to_string(index));
  }

  // Fills the first-run screen's enrollment form (hub address, one-time code, optionally a
  // laptop name) and presses Enroll; the sync thread does the rest.
  void StartEnroll(const std::string& hub_url, const std::string& code,
                   const std::string& device_name = "") {
    Frames(2);
    Click("first_run.mode_enroll");
    Type("first_run.hub", hub_url);
    Type("first_run.code", code);
    if (!device_name.empty()) Type("first_run.device_name", device_name);
    Click("first_run.enroll");
  }

  // Signs `member_id` in through the sign-in screen with `pin`.
  void SignInAs(const std::string& member_id, const std::string& pin) {
    Frames(2);
    Click("signin.member." + member_id);
    Type("signin.pin", pin);
    Click("signin.go");
  }

 private:
  void Open() {
    auto db = Database::Open(data_dir_ + "/gocua.db", clock_);
    REQUIRE(db.ok());
    Status settings_error;
    app::Settings settings = app::LoadSettings(data_dir_, GOCUA_SOURCE_ASSETS, &settings_error);
    model_ = std::make_unique<app::AppModel>(std::move(*db), clock_, settings, queue_, worker_);
    app_ = std::make_unique<app::App>(*model_);
  }
  void Close() {
    app_.reset();
    model_.reset();
  }

  TempDir dir_;
  std::string data_dir_;
  ManualClock clock_;
  std::optional<app::SyncWorkerOptions> worker_;
  app::MainQueue queue_;
  std::unique_ptr<app::AppModel> model_;
  std::unique_ptr<app::App> app_;
};

}  // namespace gocua::test
