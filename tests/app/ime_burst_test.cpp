// Unikey/EVKey on Windows: each replacement is a synthesised Backspace and the composed letter
// in ONE burst (one poll of the window system). platform/window.cpp passes keys and characters
// through InputBatch; this test replays such bursts through it into Dear ImGui frame by frame,
// as Window::BeginFrame does, and checks the text stored.
#include <doctest/doctest.h>

#include "platform/input_batch.h"
#include "storage/device/households.h"
#include "tests/app/seed.h"

namespace gocua::test {
namespace {

constexpr int kGlfwBackspace = 259;

// Delivers everything queued, a frame at a time, as Window::BeginFrame does.
void Drain(UiHarness& ui, InputBatch& batch) {
  ImGuiIO& io = ImGui::GetIO();
  do {
    for (const InputEvent& e : batch.TakeFrame()) {
      if (e.kind == InputEvent::Kind::kChar) {
        io.AddInputCharacter(e.codepoint);
      } else {
        io.KeysDown[io.KeyMap[ImGuiKey_Backspace]] = e.action != 0;
      }
    }
    ui.Frame();
  } while (batch.Pending());
  ui.Frame();
}

void Burst(UiHarness& ui, InputBatch& batch, std::initializer_list<unsigned> letters,
           bool backspace_first) {
  if (backspace_first) {
    InputEvent down;
    down.key = kGlfwBackspace;
    down.action = 1;
    down.edit_key = true;
    InputEvent up = down;
    up.action = 0;
    batch.Push(down);
    batch.Push(up);
  }
  for (unsigned c : letters) {
    InputEvent e;
    e.kind = InputEvent::Kind::kChar;
    e.codepoint = c;
    batch.Push(e);
  }
  Drain(ui, batch);
}

}  // namespace

TEST_CASE("App UI: Unikey bursts (Backspace and the composed letter in one poll) store Nguyễn") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  ui.Click("nav.households");
  ui.Click("households.add");
  ui.Choose("household_form.village", 0);
  ui.Click("household_form.head");
  ImGuiIO& io = ImGui::GetIO();
  io.KeyMap[ImGuiKey_Backspace] = kGlfwBackspace;  // as the GLFW backend maps it
  InputBatch batch;
  Burst(ui, batch, {'N', 'g', 'u', 'y', 'e'}, false);
  Burst(ui, batch, {0x00EA}, true);  // "ee": ê replaces e
  Burst(ui, batch, {0x1EC5}, true);  // "x": ễ replaces ê
  Burst(ui, batch, {'n', ' ', 'T', 'h', 'u'}, false);
  ui.Click("household_form.save");
  auto found = Households(ui.db()).Search("nguyen thu");
  REQUIRE(found.ok());
  int exact = 0;
  for (const Household& h : *found) exact += h.head_name == "Nguyễn Thu";
  CHECK(exact == 1);
}

}  // namespace gocua::test
