#pragma once
// A fault-injecting SQLite VFS for tests, in the manner of SQLite's own I/O-error tests
// (test_vfs.c, the "ioerr" loops): a VFS that wraps the default one and passes every call
// through, except that the Nth xWrite, xSync, xRead or xTruncate — counted over every file
// opened through it (database, WAL, journals) since the fault was armed — fails with the
// error code given (SQLITE_IOERR_WRITE, SQLITE_FULL, ...). Once fired, the fault either stays
// (every later call of that kind fails too: a disk that went away) or is spent (one bad call).
//
// Use it either by opening a database through it (DatabaseOptions::vfs = FaultVfs::kName) or
// as the process's default VFS for a scope (DefaultVfsScope). The typical loop:
//   for (int n = 1;; ++n) {
//     vfs.Arm(FaultKind::kWrite, n, SQLITE_IOERR_WRITE);
//     Status st = Operation();
//     const bool fired = vfs.Fired();
//     vfs.Disarm();
//     if (!fired) { CHECK(st.ok()); break; }   // the operation needed fewer than n writes
//     CHECK(!st.ok()); ... the database still holds exactly the state before ...
//   }
//
// Threading: the counters are atomics, so connections on other threads may use the VFS, but
// the VFS is process-global: one FaultVfs object at a time (the constructor registers it, the
// destructor unregisters it). REQUIRES: every connection opened through it is closed before
// the FaultVfs goes away.
#include <sqlite3.h>

#include <atomic>

namespace gocua::test {

enum class FaultKind { kWrite, kSync, kRead, kTruncate };

class FaultVfs {
 public:
  static constexpr const char* kName = "gocua-fault";

  // Registers the VFS as kName, wrapping the current default VFS; not made the default.
  FaultVfs();
  ~FaultVfs();
  FaultVfs(const FaultVfs&) = delete;
  FaultVfs& operator=(const FaultVfs&) = delete;

  // From now on, the `nth` (1-based) call of `kind` fails with `error` (an SQLite result code,
  // extended or primary); with `persistent`, so does every later call of that kind until
  // Disarm(). Resets the call counts. Calls of other kinds pass.
  void Arm(FaultKind kind, int nth, int error, bool persistent = true);
  // No fault any more; counts keep running.
  void Disarm();
  // Whether the armed fault has failed a call since Arm().
  bool Fired() const { return fired_.load(); }
  // Calls of `kind` since the last Arm() (or since registration).
  int Count(FaultKind kind) const { return counts_[static_cast<int>(kind)].load(); }

  sqlite3_vfs* vfs() { return &vfs_; }

  // Internal to fault_vfs.cpp: whether this call of `kind` is to fail, and with what.
  bool ShouldFail(FaultKind kind, int* error);
  sqlite3_vfs* real() const { return real_; }

 private:
  sqlite3_vfs vfs_{};
  sqlite3_vfs* real_ = nullptr;
  std::atomic<bool> armed_{false};
  std::atomic<bool> fired_{false};
  std::atomic<int> kind_{0};
  std::atomic<int> nth_{0};
  std::atomic<int> error_{SQLITE_IOERR};
  std::atomic<bool> persistent_{true};
  std::atomic<int> counts_[4] = {0, 0, 0, 0};
};

// Makes `vfs` the default VFS while it lives (connections opened without a VFS name use it),
// then puts the previous default back.
class DefaultVfsScope {
 public:
  explicit DefaultVfsScope(FaultVfs& vfs);
  ~DefaultVfsScope();
  DefaultVfsScope(const DefaultVfsScope&) = delete;
  DefaultVfsScope& operator=(const DefaultVfsScope&) = delete;

 private:
  sqlite3_vfs* previous_;
};

}  // namespace gocua::test
