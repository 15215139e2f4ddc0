// The app's small parts: when to draw, dates as people write them, the UI thread's queue.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "app/core/dates.h"
#include "app/core/frame_pacer.h"
#include "app/core/main_queue.h"

namespace gocua::test {

TEST_CASE("App frame pacer: draws a few frames after input, then sleeps until the next tick") {
  app::FramePacer pacer(/*tick_s=*/30.0);
  double t = 100.0;
  int drawn = 0;
  // Start-up frames, then nothing.
  for (int i = 0; i < 10; ++i) drawn += pacer.ShouldDraw(t += 0.01, false, false);
  CHECK(drawn == app::FramePacer::kFramesAfterInput);
  CHECK(pacer.WaitTimeout(t) > 29.0);  // idle: block for most of a tick
  // Input: exactly kFramesAfterInput more.
  drawn = 0;
  drawn += pacer.ShouldDraw(t += 0.01, /*activity=*/true, false);
  for (int i = 0; i < 10; ++i) drawn += pacer.ShouldDraw(t += 0.01, false, false);
  CHECK(drawn == app::FramePacer::kFramesAfterInput);
  CHECK(pacer.WaitTimeout(t) > 0);
  // An animation keeps frames coming for as long as it asks.
  drawn = 0;
  for (int i = 0; i < 50; ++i) drawn += pacer.ShouldDraw(t += 0.016, false, /*wants_frames=*/true);
  CHECK(drawn == 50);
  CHECK(pacer.WaitTimeout(t) == 0);  // frames still owed after the animation
  // Idle for an hour: tests/app/loop_schedule_test.cpp.
}

TEST_CASE("App dates: dd/mm/yyyy in, YYYY-MM-DD out, real calendar dates only") {
  CHECK(app::ShowDate("2026-11-22") == "22/11/2026");
  CHECK(app::ShowDate("") == "");
  CHECK(*app::ParseDate("22/11/2026") == "2026-11-22");
  CHECK(*app::ParseDate(" 2/3/2026 ") == "2026-03-02");
  CHECK(*app::ParseDate("29-02-2028") == "2028-02-29");  // leap year
  CHECK(*app::ParseDate("") == "");
  CHECK_FALSE(app::ParseDate("29/02/2026"));  // not a leap year
  CHECK_FALSE(app::ParseDate("31/04/2026"));
  CHECK_FALSE(app::ParseDate("22/13/2026"));
  CHECK_FALSE(app::ParseDate("22/11-2026"));  // mixed separators
  CHECK_FALSE(app::ParseDate("22/11/2026x"));
  CHECK_FALSE(app::ParseDate("hôm nay"));
}

TEST_CASE("App dates: AddDays crosses months, years and leap days") {
  CHECK(*app::AddDays("2026-03-15", 7) == "2026-03-22");
  CHECK(*app::AddDays("2026-03-28", 7) == "2026-04-04");
  CHECK(*app::AddDays("2026-12-20", 14) == "2027-01-03");
  CHECK(*app::AddDays("2028-02-15", 14) == "2028-02-29");
  CHECK(*app::AddDays("2026-03-01", -1) == "2026-02-28");
  CHECK_FALSE(app::AddDays("2026-02-30", 1));
  CHECK_FALSE(app::AddDays("", 1));
}

TEST_CASE("App main queue: work posted from other threads runs on Drain, in order, and wakes") {
  std::atomic<int> wakes{0};
  app::MainQueue q([&] { ++wakes; });
  std::vector<int> ran;
  std::thread a([&] {
    for (int i = 0; i < 100; ++i) q.Post([&ran, i] { ran.push_back(i); });
  });
  a.join();
  CHECK(ran.empty());  // nothing runs off the UI thread
  CHECK(wakes == 100);
  CHECK(q.Drain() == 100);
  REQUIRE(ran.size() == 100);
  for (int i = 0; i < 100; ++i) CHECK(ran[i] == i);
  CHECK(q.Drain() == 0);
}

}  // namespace gocua::test
