// platform/input_batch.h: how a burst of window-system events is split over frames.
#include "platform/input_batch.h"

#include <doctest/doctest.h>

namespace gocua::test {
namespace {

constexpr int kBackspace = 259;  // GLFW_KEY_BACKSPACE
constexpr int kA = 65;

InputEvent Key(int key, int action, bool edit = false) {
  InputEvent e;
  e.kind = InputEvent::Kind::kKey;
  e.key = key;
  e.action = action;
  e.edit_key = edit;
  return e;
}

InputEvent Char(unsigned c) {
  InputEvent e;
  e.kind = InputEvent::Kind::kChar;
  e.codepoint = c;
  return e;
}

}  // namespace

TEST_CASE("Input batch: an IME's Backspace and composed letter in one burst take two frames") {
  InputBatch b;
  b.Push(Key(kBackspace, 1, true));
  b.Push(Key(kBackspace, 0, true));
  b.Push(Char(0x1EC5));  // ễ
  std::vector<InputEvent> f1 = b.TakeFrame();
  REQUIRE(f1.size() == 1);  // the press alone: ImGui sees Backspace down
  CHECK(f1[0].action == 1);
  CHECK(b.Pending());
  std::vector<InputEvent> f2 = b.TakeFrame();
  REQUIRE(f2.size() == 2);  // the release, then the letter
  CHECK(f2[0].action == 0);
  CHECK(f2[1].codepoint == 0x1EC5);
  CHECK_FALSE(b.Pending());
  CHECK(b.TakeFrame().empty());
}

TEST_CASE("Input batch: plain typing keeps one frame per key and characters stay in order") {
  InputBatch b;
  b.Push(Key(kA, 1));
  b.Push(Char('a'));
  b.Push(Char(0x00EA));  // ê from an IME, no key event
  std::vector<InputEvent> f = b.TakeFrame();
  REQUIRE(f.size() == 3);
  CHECK(f[1].codepoint == 'a');
  CHECK(f[2].codepoint == 0x00EA);
  b.Push(Key(kA, 0));  // released in a later poll: a frame of its own is not needed
  CHECK(b.TakeFrame().size() == 1);
}

}  // namespace gocua::test
