// The idle release (app/core/idle_release.h): once per quiet spell, never while frames come, and
// its wake-ups draw nothing.
#include <doctest/doctest.h>

#include <algorithm>

#include "app/core/frame_pacer.h"
#include "app/core/idle_release.h"

namespace gocua::test {

using app::IdleRelease;

TEST_CASE("Idle release: nothing before the first frame, then once, kQuietS after the last") {
  IdleRelease r;
  double t = 50.0;
  CHECK(r.WaitTimeout(t) < 0);  // nothing drawn, nothing to give back
  CHECK_FALSE(r.Due(t + 100));
  r.Drew(t);
  CHECK(r.WaitTimeout(t) == doctest::Approx(IdleRelease::kQuietS));
  CHECK_FALSE(r.Due(t + IdleRelease::kQuietS / 2));
  CHECK(r.WaitTimeout(t + IdleRelease::kQuietS / 2) == doctest::Approx(IdleRelease::kQuietS / 2));
  CHECK(r.Due(t + IdleRelease::kQuietS));
  CHECK_FALSE(r.Due(t + 10 * IdleRelease::kQuietS));  // once per quiet spell
  CHECK(r.WaitTimeout(t + 10 * IdleRelease::kQuietS) < 0);
  CHECK(r.releases() == 1);
}

TEST_CASE("Idle release: frames every 16 ms for 5 s hold it off, and it comes when they stop") {
  IdleRelease r;
  double t = 0;
  for (int i = 0; i < 5 * 60; ++i) {
    r.Drew(t += 0.016);
    CHECK_FALSE(r.Due(t + 0.008));  // between two frames
  }
  const double last = t;
  CHECK_FALSE(r.Due(last + IdleRelease::kQuietS - 0.01));
  CHECK(r.Due(last + IdleRelease::kQuietS));
  CHECK(r.releases() == 1);
}

TEST_CASE("Idle release: with the frame pacer, an idle hour draws no extra frames") {
  // The loop of app/ui/run_loop.cpp without a window: wait for the smaller timeout, release when
  // due, draw when the pacer says so.
  app::FramePacer pacer(/*tick_s=*/30.0);
  IdleRelease r;
  double t = 0;
  long wakeups = 0;
  for (const double end = 3600; t < end;) {
    double timeout = pacer.WaitTimeout(t);
    const double release_in = r.WaitTimeout(t);
    if (release_in >= 0) timeout = std::min(timeout, release_in);
    t += std::max(timeout, 0.001);
    ++wakeups;
    r.Due(t);
    if (pacer.ShouldDraw(t, /*activity=*/false, /*wants_frames=*/false)) r.Drew(t);
  }
  // The start-up frames, then one per 30 s tick: ~123 frames, and one release after each
  // quiet spell (the start-up burst and every tick).
  CHECK(pacer.frames_drawn() <= 125);
  CHECK(r.releases() >= pacer.frames_drawn() - app::FramePacer::kFramesAfterInput);
  CHECK(r.releases() <= pacer.frames_drawn());
  CHECK(wakeups <= 2 * pacer.frames_drawn() + 5);  // one wake-up per release, no busy loop
}

}  // namespace gocua::test
