#include "storage/device/replica.h"

#include <iterator>

#include "storage/core/merge_batch.h"
#include "storage/core/outbox_runs.h"
#include "storage/core/record_store.h"
#include "storage/core/sqlite_db.h"
#include "storage/device/derived_bulk.h"

namespace gocua {
namespace {

// Frames in the WAL past which a pulled group's commit checkpoints (SQLite's default, which
// every other commit keeps, is 1,000). A group of 8,000 ops writes ~1,000–3,000 frames, most
// of them the same hot pages of the indexes and derived tables as the group before: copied to
// the database once per checkpoint instead of once per group. Measured on a first download of
// 128,815 ops: 1,000 / 4,000 / 10,000 frames gave 1.27 / 1.16 / 1.11 s of CPU (user + sys)
// and a WAL of 8 / 24 / 46 MB at its largest; the next other commit (MarkSynced ends every
// sync) checkpoints what is left.
constexpr int kPullAutocheckpoint = 4000;
constexpr int kDefaultAutocheckpoint = 1000;

// Set for a pulled group's transaction, before it begins, and put back after it ends:
// synchronous NORMAL (no fsync at its commit), the checkpoint threshold above, and statement
// journals in memory. A multi-row statement in a transaction (the derived tables' recomputed
// rows) keeps a statement journal, which SQLite spills to a temp file in /var/tmp past 64 KiB:
// a pulled page made one, wrote it and deleted it (113 unlink()s, 30,000 pwrite()s in a first
// download). temp_store is set with sqlite3_exec, not Exec: it writes no table, and through
// Exec it would switch parked triggers on (storage/core/sqlite_db.h); no TEMP table exists, so the
// switch expires no statement.
class PullSettings {
 public:
  explicit PullSettings(Database::Impl& d) : d_(d) {}
  Status Begin() {
    if (Status st = d_.Exec("PRAGMA synchronous = NORMAL"); !st) return st;
    sqlite3_wal_autocheckpoint(d_.db, kPullAutocheckpoint);
    return Pragma("PRAGMA temp_store = MEMORY");
  }
  Status End() {
    Status st = d_.Exec("PRAGMA synchronous = FULL");
    sqlite3_wal_autocheckpoint(d_.db, kDefaultAutocheckpoint);
    Status ts = Pragma("PRAGMA temp_store = DEFAULT");
    return st ? ts : st;
  }

 private:
  Status Pragma(const char* sql) {
    const int rc = sqlite3_exec(d_.db, sql, nullptr, nullptr, nullptr);
    return rc == SQLITE_OK ? Status::Ok() : d_.Error(sql, rc);
  }
  Database::Impl& d_;
};

}  // namespace

namespace {

// The token lives in the `secret` table (storage/core/database.cpp, EnsureLocalTables), not in
// `meta`: no command prints it and the file is 0600.
Result<std::string> ReadSecret(Database::Impl& d, const std::string& key) {
  Status st;
  auto q = d.Prepare("SELECT value FROM secret WHERE key = ?", &st);
  if (!q) return st;
  q->Bind(1, key);
  const int rc = q->Step();
  if (rc == SQLITE_ROW) return q->Text(0);
  if (rc == SQLITE_DONE) return std::string();
  return d.Error("secret", rc);
}

Status WriteSecret(Database::Impl& d, const std::string& key, const std::string& value) {
  Status st;
  auto q = d.Prepare(value.empty() ? "DELETE FROM secret WHERE key = ?1"
                                   : "INSERT OR REPLACE INTO secret(key, value) VALUES(?1, ?2)",
                     &st);
  if (!q) return st;
  q->Bind(1, key);
  if (!value.empty()) q->Bind(2, value);
  const int rc = q->Step();
  return rc == SQLITE_DONE ? Status::Ok() : d.Error("secret", rc);
}

}  // namespace

Result<SyncState> Replica::State() {
  Database::Impl& d = db_.impl();
  SyncState s;
  // Checked reads: a cursor read as "" would pull everything again, a token read as "" would
  // look like a device never enrolled.
  for (auto [key, out] : {std::pair<const char*, std::string*>{"hub_url", &s.hub_url},
                          {"commune_id", &s.commune_id},
                          {"pull_cursor", &s.cursor},
                          {"hub_ca_file", &s.ca_file}}) {
    auto v = d.ReadMeta(key);
    if (!v) return v.error();
    *out = std::move(*v);
  }
  auto token = ReadSecret(d, "hub_token");
  if (!token) return token.error();
  s.token = std::move(*token);
  auto offset = d.ReadMetaInt("clock_offset_ms");
  if (!offset) return offset.error();
  auto last_sync = d.ReadMetaInt("last_sync_ms");
  if (!last_sync) return last_sync.error();
  s.clock_offset_ms = *offset;
  s.last_sync_ms = *last_sync;
  return s;
}

Status Replica::SaveCaFile(const std::string& path) {
  Database::Impl& d = db_.impl();
  return d.Transact([&] { return d.SetMeta("hub_ca_file", path); });
}

Status Replica::SaveEnrollment(const std::string& hub_url, const std::string& token,
                               const std::string& commune_id) {
  Database::Impl& d = db_.impl();
  return d.Transact([&]() -> Status {
    auto read = d.ReadMeta("commune_id");
    if (!read) return read.error();
    const std::string& mine = *read;
    if (!mine.empty() && mine != commune_id)
      return {ErrorCode::kConflict,
              "Máy này đã thuộc một xã khác; không thể đăng ký vào xã này — this device already "
              "belongs to another commune"};
    for (const auto& [k, v] : {std::pair<const char*, const std::string&>{"hub_url", hub_url},
                               {"commune_id", commune_id}})
      if (Status st = d.SetMeta(k, v); !st) return st;
    return WriteSecret(d, "hub_token", token);
  });
}

CheckedPage CheckPulled(std::vector<RemoteOp> ops) {
  CheckedPage page;
  page.ops = std::move(ops);
  for (size_t i = 0; i < page.ops.size(); ++i) {
    RemoteOp& op = page.ops[i];
    auto value = CheckRemoteOp(op);
    if (value)
      op.value = std::move(*value);
    else
      page.bad.emplace_back(i, value.error());
  }
  return page;
}

Status Replica::ApplyPulled(const std::vector<RemoteOp>& ops, const std::string& next_cursor) {
  CheckedPage page = CheckPulled(ops);
  return ApplyPulled(page, next_cursor);
}

Status Replica::ApplyPulled(CheckedPage& page, const std::string& next_cursor) {
  return ApplyPulled(std::span<CheckedPage>(&page, 1), next_cursor);
}

namespace {

// The pages of a span, then its cursor.
class SpanPages final : public PulledPages {
 public:
  SpanPages(std::span<CheckedPage> pages, const std::string& cursor)
      : pages_(pages), cursor_(cursor) {}
  CheckedPage* Next() override { return next_ < pages_.size() ? &pages_[next_++] : nullptr; }
  std::string Cursor() const override { return cursor_; }

 private:
  std::span<CheckedPage> pages_;
  const std::string& cursor_;
  size_t next_ = 0;
};

}  // namespace

Status Replica::ApplyPulled(std::span<CheckedPage> pages, const std::string& next_cursor) {
  SpanPages source(pages, next_cursor);
  return ApplyPulled(source);
}

Status Replica::ApplyPulled(PulledPages& pages) {
  // A pulled group need not reach the disk before the next one (no fsync of its commit): if
  // the power fails, WAL recovery drops the latest groups together with their cursor and they
  // are pulled again. Every other write keeps synchronous = FULL, and its fsync carries the
  // groups before it.
  PullSettings settings(db_.impl());
  Status set = settings.Begin();
  Status applied = set ? ApplyPages(pages) : set;
  if (Status st = settings.End(); !st) return st;
  return applied;
}

Status Replica::ApplyPages(PulledPages& pages) {
  Database::Impl& d = db_.impl();
  return d.Transact([&]() -> Status {
    // The dashboard's derived tables once for the group instead of by triggers per row.
    BulkDerived derived(d);
    if (Status st = derived.Begin(); !st) return st;
    // A run of ops on one record reads and writes it once; so does a record the group comes
    // back to (a person several visits guided).
    MergeBatch batch(d, MergeBatch::KeepExisting::kYes);
    while (CheckedPage* next = pages.Next()) {
      CheckedPage& page = *next;
      auto bad = page.bad.begin();
      for (size_t i = 0; i < page.ops.size(); ++i) {
        RemoteOp& op = page.ops[i];
        const bool failed = bad != page.bad.end() && bad->first == i;
        if (failed) ++bad;
        // This device's own ops are merged like any other (docs/sync-protocol.md, "Pulls"):
        // one the device holds has its stamp in the field already and changes nothing; one
        // it lost (restored from an older backup) comes back. The change-log counter moves
        // past every own seq seen, so the device's next change does not reuse one the hub
        // holds with other content (which the hub would take for a copied device).
        if (op.origin_device == d.device_id && op.seq > d.last_seq) {
          d.last_seq = op.seq;
          d.tx_dirty = true;
        }
        // One of its own that this build cannot read is skipped, as it always was: the device
        // made it, so a newer build of this device holds it.
        if (failed && op.origin_device == d.device_id) continue;
        if (failed)
          return {ErrorCode::kCorrupt,
                  "Dữ liệu từ máy chủ không đọc được; hãy cập nhật Gõ Cửa — cannot apply op " +
                      op.origin_device + "/" + std::to_string(op.seq) + ": " +
                      std::prev(bad)->second.message()};
        auto merged = batch.Merge(op, std::move(op.value));  // checked: normalised already
        if (!merged) return merged.error();
      }
    }
    if (Status st = batch.Flush(); !st) return st;
    if (Status st = derived.Finish(); !st) return st;
    return d.SetMeta("pull_cursor", pages.Cursor());
  });
}

Status Replica::ResetCursor() {
  Database::Impl& d = db_.impl();
  return d.Transact([&] { return d.SetMeta("pull_cursor", ""); });
}

Status Replica::MarkSynced(int64_t server_time_ms) {
  Database::Impl& d = db_.impl();
  return d.Transact([&] { return d.SetMeta("last_sync_ms", std::to_string(server_time_ms)); });
}

Status Replica::SaveDeviceContacts(const std::vector<DeviceContact>& devices) {
  json list = json::array();
  for (const DeviceContact& c : devices)
    list.push_back({{"device_id", c.device_id}, {"name", c.name}, {"last_seen", c.last_seen_ms}});
  Database::Impl& d = db_.impl();
  return d.Transact([&] { return d.SetMeta("hub_devices", list.dump()); });
}

Result<std::vector<DeviceContact>> Replica::DeviceContacts() {
  auto text = db_.impl().ReadMeta("hub_devices", "[]");
  if (!text) return text.error();
  const json list = json::parse(*text, nullptr, false);
  std::vector<DeviceContact> out;
  if (!list.is_array()) return out;  // written only by SaveDeviceContacts; unreadable = none
  for (const json& c : list)
    out.push_back(
        {c.value("device_id", ""), c.value("name", ""), c.value("last_seen", int64_t{0})});
  return out;
}

Status Replica::ObserveServerTime(int64_t server_time_ms, int64_t tolerance_ms) {
  Database::Impl& d = db_.impl();
  return d.Transact([&]() -> Status {
    const int64_t offset = server_time_ms - d.clock->NowMs();
    if (Status st = d.SetMeta("clock_offset_ms", std::to_string(offset)); !st) return st;
    d.clock_offset_ms = offset;
    // Changes stamped past the hub's time (the device clock ran ahead) get new stamps, in seq
    // order, from a clock restarted at the hub's time. They are all still in the change log
    // (unacknowledged), so no other replica has seen the old stamps.
    const HlcTime limit = MakeHlc(server_time_ms + tolerance_ms, 0xffff);
    // The unsent entries, read and written back whole (storage/core/outbox_runs.h): a run's
    // entries are one row, and this happens only after the clock ran ahead.
    auto ahead = AnyRunEntryAfter(d, limit);
    if (!ahead) return ahead.error();
    Result<std::vector<ChangeEntry>> log = std::vector<ChangeEntry>{};
    if (*ahead) log = ReadRunEntries(d, 0, -1);
    if (!log) return log.error();
    std::vector<size_t> future;  // indexes into *log, in seq order
    for (size_t i = 0; i < log->size(); ++i)
      if ((*log)[i].hlc > limit) future.push_back(i);
    if (d.hlc > limit) {
      d.hlc = MakeHlc(server_time_ms, 0);  // the only place the clock may move back
      d.tx_dirty = true;
    }
    d.ObserveHlc(MakeHlc(server_time_ms, 0));
    if (future.empty()) return Status::Ok();
    std::vector<int64_t> old_hlc;
    for (size_t i : future) {
      ChangeEntry& e = (*log)[i];
      old_hlc.push_back(e.hlc);
      const HlcTime fresh = d.NextHlc();
      e.hlc = fresh;
      const RecordDef* def = FindRecordDef(e.record_type);
      if (!def) continue;
      auto row = ReadRow(d, *def, e.record_id);
      if (!row) return row.error();
      if (FieldStamp(*row, e.field) != Stamp{old_hlc.back(), d.device_id}) continue;  // since
      row->stamps[e.field] = json::array({fresh, d.device_id});
      if (Status s = PutRow(d, *def, e.record_id, *row); !s) return s;
    }
    // Later base stamps that named a re-stamped change follow it.
    for (size_t k = 0; k < future.size(); ++k) {
      const ChangeEntry& e = (*log)[future[k]];
      for (ChangeEntry& o : *log)
        if (o.base_hlc == old_hlc[k] && o.base_device == d.device_id &&
            o.record_id == e.record_id && o.field == e.field)
          o.base_hlc = e.hlc;
    }
    if (Status s = ReplaceRunEntries(d, *log); !s) return s;
    return Status::Ok();
  });
}

}  // namespace gocua
