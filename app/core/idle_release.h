#pragma once
// When the app gives back the memory it only needed while busy. SQLite keeps every page a
// query read (up to 32 MiB a connection, for the leader's dashboard) and the C heap keeps what
// is freed; on a 2–4 GB laptop an app that sits open all day should not hold that while nobody
// uses it. So once the loop has drawn nothing for kQuietS after drawing, it releases: the UI
// connection's page cache, then the heap's free pages (run_loop.cpp). The next query reads its
// pages again through the OS's file cache.
//
// Nothing while frames come (scrolling, typing, a sync's progress): a release then would only
// make the next page load read again. One release per quiet spell, on a timer the loop already
// has (Wait's timeout), and no frame drawn for it — idle CPU stays at zero.
//
// Pure logic, no clock of its own: tests/app/idle_release_test.cpp drives it;
// app/core/loop_schedule.h uses it.
namespace gocua::app {

class IdleRelease {
 public:
  static constexpr double kQuietS = 1.0;

  // After every frame drawn.
  void Drew(double now_s);
  // The longest the loop may wait before Due() turns true; < 0: nothing pending, no limit.
  double WaitTimeout(double now_s) const;
  // True once per quiet spell: kQuietS after the last frame, with no frame since.
  bool Due(double now_s);

  long releases() const { return releases_; }

 private:
  bool pending_ = false;  // a frame was drawn since the last release
  double last_frame_s_ = 0;
  long releases_ = 0;
};

}  // namespace gocua::app
