#include "tools/bench/wal_frames.h"

#include <algorithm>
#include <fstream>

namespace gocua::bench {
namespace {

constexpr int64_t kWalHeader = 32;    // the WAL file's header
constexpr int64_t kFrameHeader = 24;  // each frame's: page number first (big-endian)

}  // namespace

WalFrames::WalFrames(sqlite3* db) : db_(db) {
  if (const char* path = sqlite3_db_filename(db_, "main")) wal_path_ = std::string(path) + "-wal";
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db_, "PRAGMA page_size", -1, &q, nullptr) == SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW)
    page_size_ = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_wal_hook(db_, &WalFrames::Hook, this);
}

WalFrames::~WalFrames() { sqlite3_wal_autocheckpoint(db_, 1000); }

int WalFrames::Hook(void* self, sqlite3* db, const char* name, int n_frame) {
  auto* w = static_cast<WalFrames*>(self);
  // After a checkpoint the log starts again from its first frame.
  const int from = n_frame >= w->last_ ? w->last_ : 0;
  w->frames += n_frame - from;
  w->ReadFrames(from, n_frame);
  ++w->commits;
  w->last_ = n_frame;
  if (n_frame >= 1000 &&
      sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) == SQLITE_OK)
    w->last_ = 0;
  return SQLITE_OK;
}

void WalFrames::ReadFrames(int from, int to) {
  std::ifstream in(wal_path_, std::ios::binary);
  if (!in) return;
  for (int i = from; i < to; ++i) {
    in.seekg(kWalHeader + static_cast<int64_t>(i) * (kFrameHeader + page_size_));
    unsigned char b[4];
    if (!in.read(reinterpret_cast<char*>(b), 4)) return;
    ++pages_[uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 | b[3]];
  }
}

std::vector<std::pair<std::string, int64_t>> WalFrames::ByTable() const {
  std::map<std::string, int64_t> by_name;
  std::map<uint32_t, int64_t> left = pages_;
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT pageno, name FROM dbstat", -1, &q, nullptr) == SQLITE_OK) {
    while (sqlite3_step(q) == SQLITE_ROW) {
      auto it = left.find(static_cast<uint32_t>(sqlite3_column_int64(q, 0)));
      if (it == left.end()) continue;
      by_name[reinterpret_cast<const char*>(sqlite3_column_text(q, 1))] += it->second;
      left.erase(it);
    }
  }
  sqlite3_finalize(q);
  for (const auto& [page, n] : left) by_name["(other)"] += n;
  std::vector<std::pair<std::string, int64_t>> out(by_name.begin(), by_name.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

}  // namespace gocua::bench
