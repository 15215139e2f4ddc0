// The idle release (app/core/idle_release.h): once per quiet spell, never while frames come.
// With the frame pacer in the loop's schedule: tests/app/loop_schedule_test.cpp.
#include "app/core/idle_release.h"

#include <doctest/doctest.h>

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

}  // namespace gocua::test
