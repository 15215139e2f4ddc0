#pragma once
// Counts the WAL frames each commit of one connection writes (pages dirtied per transaction),
// and which table or index each frame is a page of. Used by gocua-bench's save benchmark.
#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace gocua::bench {

// Replaces SQLite's default WAL hook on `db` while it lives, keeping its checkpoint at 1,000
// frames; the default comes back when it goes. Reads each commit's frame headers from the
// -wal file (the pages' numbers), so it costs a small read per commit.
// REQUIRES: `db` in WAL mode, used by one thread, outliving this object.
class WalFrames {
 public:
  explicit WalFrames(sqlite3* db);
  ~WalFrames();
  WalFrames(const WalFrames&) = delete;
  WalFrames& operator=(const WalFrames&) = delete;

  int64_t frames = 0;  // written since made
  int64_t commits = 0;

  // The frames written since made by the table or index their page belongs to now (dbstat:
  // one walk of the whole file), most first; pages no table holds are "(other)".
  std::vector<std::pair<std::string, int64_t>> ByTable() const;

 private:
  static int Hook(void* self, sqlite3* db, const char* name, int n_frame);
  void ReadFrames(int from, int to);

  sqlite3* db_;
  std::string wal_path_;
  int64_t page_size_ = 4096;
  int last_ = 0;
  std::map<uint32_t, int64_t> pages_;  // page number → frames written of it
};

}  // namespace gocua::bench
