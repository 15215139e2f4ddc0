// The run loop's schedule (app/core/loop_schedule.h), driven as app/ui/run_loop.cpp drives it:
// the window here is only a clock that jumps by the timeout the schedule asked for (nothing
// wakes it early unless a test says so). What the loop would do is what these tests see.
#include "app/core/loop_schedule.h"

#include <doctest/doctest.h>

#include <algorithm>

namespace gocua::test {
namespace {

using app::FramePacer;
using app::IdleRelease;
using app::LoopSchedule;
using app::LoopStep;

// One loop with a window that only waits: counts wake-ups, frames and releases.
struct Loop {
  LoopSchedule schedule;
  double t = 0;
  long wakeups = 0;

  explicit Loop(bool every_iteration = false) : schedule(every_iteration, /*tick_s=*/30.0) {}

  // One iteration; `activity` = input arrived while waiting (the wait ends at once then).
  LoopStep Step(bool activity = false, bool wants_frames = false) {
    const double timeout = schedule.WaitTimeout(t);
    t += activity ? 0.001 : std::max(timeout, 0.001);
    ++wakeups;
    const LoopStep step = schedule.AfterWait(t, activity, wants_frames);
    if (step.draw) schedule.Drew(t += 0.002);  // a frame takes a little time
    return step;
  }
  void RunUntil(double end) {
    while (t < end) Step();
  }
};

}  // namespace

TEST_CASE("Loop schedule: an idle hour blocks for the tick, one frame and one release each") {
  Loop loop;
  loop.RunUntil(3600);
  const long frames = loop.schedule.frames_drawn();
  // The start-up frames, then one per 30 s tick: ~123 frames, and one release after each
  // quiet spell (the start-up burst and every tick).
  CHECK(frames >= 120);
  CHECK(frames <= 125);
  CHECK(loop.schedule.releases() >= frames - FramePacer::kFramesAfterInput);
  CHECK(loop.schedule.releases() <= frames);
  CHECK(loop.wakeups <= 2 * frames + 5);  // one wake-up per release, no busy loop
}

TEST_CASE("Loop schedule: input draws a few frames, then it blocks again") {
  Loop loop;
  loop.RunUntil(100);
  const long before = loop.schedule.frames_drawn();
  CHECK(loop.Step(/*activity=*/true).draw);
  while (loop.schedule.WaitTimeout(loop.t) <= 0) CHECK(loop.Step().draw);
  CHECK(loop.schedule.frames_drawn() - before == FramePacer::kFramesAfterInput);
  // Blocked now: until the release, then until the next tick.
  CHECK(loop.schedule.WaitTimeout(loop.t) == doctest::Approx(IdleRelease::kQuietS));
  const LoopStep release = loop.Step();
  CHECK(release.release_memory);
  CHECK_FALSE(release.draw);  // the release's wake-up draws nothing
  CHECK(loop.schedule.WaitTimeout(loop.t) > 25.0);
}

TEST_CASE("Loop schedule: while the app wants frames it draws every time and never releases") {
  Loop loop;
  loop.RunUntil(100);
  const long releases = loop.schedule.releases();
  for (int i = 0; i < 5 * 60; ++i) {  // a click starts a sync: its progress bar for 5 s
    const LoopStep step = loop.Step(/*activity=*/i == 0, /*wants_frames=*/true);
    CHECK(step.draw);
    CHECK_FALSE(step.release_memory);
    loop.t += 0.014;  // vsync
  }
  CHECK(loop.schedule.releases() == releases);
  // It stops: the frames still owed, then one release kQuietS later.
  while (loop.schedule.WaitTimeout(loop.t) <= 0) CHECK(loop.Step().draw);
  const double last_frame = loop.t;
  const LoopStep release = loop.Step();
  CHECK(release.release_memory);
  CHECK(loop.t - last_frame == doctest::Approx(IdleRelease::kQuietS));
  CHECK(loop.schedule.releases() == releases + 1);
}

TEST_CASE("Loop schedule: the stock loop polls and draws every iteration and never releases") {
  Loop loop(/*every_iteration=*/true);
  for (int i = 0; i < 1000; ++i) {
    CHECK(loop.schedule.WaitTimeout(loop.t) == 0);
    const LoopStep step = loop.Step();
    CHECK(step.draw);
    CHECK_FALSE(step.release_memory);
    loop.t += 2.0;  // even with long gaps
  }
  CHECK(loop.schedule.frames_drawn() == 1000);
  CHECK(loop.schedule.releases() == 0);
}

}  // namespace gocua::test
