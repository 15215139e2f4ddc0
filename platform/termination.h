#pragma once
// A polite request to quit (SIGTERM/SIGINT on POSIX, Ctrl+C / console close on Windows)
// reaches the app as a call of `on_request` on a thread of its own, so the UI can close the
// window and shut down cleanly (drafts kept, database closed) instead of dying mid-write.
// Implemented in termination_posix.cpp / termination_win32.cpp.
//
// Call once, before starting other threads (POSIX blocks the signals for every thread
// created after). `on_request` must be thread-safe (e.g. set a flag and wake the UI).
#include <functional>

namespace gocua {

void HandleTerminationRequests(std::function<void()> on_request);

}  // namespace gocua
