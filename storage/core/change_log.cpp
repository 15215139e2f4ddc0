#include "storage/core/change_log.h"

#include "storage/core/sqlite_db.h"

namespace gocua {

Result<int64_t> ChangeLog::PendingCount() {
  Status st;
  auto q = db_.impl().Prepare("SELECT count(*) FROM outbox", &st);
  if (!q) return st;
  if (int rc = q->Step(); rc != SQLITE_ROW) return db_.impl().Error("outbox", rc);
  return q->Int(0);
}

Result<std::vector<ChangeEntry>> ChangeLog::Pending(int64_t after_seq, int limit) {
  Status st;
  auto q = db_.impl().Prepare(
      "SELECT seq, record_type, record_id, field, value, base_hlc, base_device, hlc, author, "
      "seen_hlc, seen_device FROM outbox "
      "WHERE seq > ? ORDER BY seq LIMIT ?",
      &st);
  if (!q) return st;
  q->Bind(1, after_seq).Bind(2, limit);
  std::vector<ChangeEntry> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) {
    ChangeEntry e;
    e.seq = q->Int(0);
    e.record_type = q->Text(1);
    e.record_id = q->Text(2);
    e.field = q->Text(3);
    e.value = nlohmann::json::parse(q->Text(4), nullptr, false);
    if (e.value.is_discarded())
      return Status{ErrorCode::kCorrupt, "outbox seq " + std::to_string(e.seq) + ": bad value"};
    e.base_hlc = q->Int(5);
    e.base_device = q->Text(6);
    e.hlc = q->Int(7);
    e.author = q->Text(8);
    e.seen_hlc = q->Int(9);
    e.seen_device = q->Text(10);
    out.push_back(std::move(e));
  }
  if (rc != SQLITE_DONE) return db_.impl().Error("outbox", rc);
  return out;
}

Status ChangeLog::Acknowledge(int64_t seq) {
  Database::Impl& d = db_.impl();
  return d.Transact([&]() -> Status {
    Status st;
    auto q = d.Prepare("DELETE FROM outbox WHERE seq <= ?", &st);
    if (!q) return st;
    q->Bind(1, seq);
    int rc = q->Step();
    return rc == SQLITE_DONE ? Status::Ok() : d.Error("acknowledge", rc);
  });
}

Result<int64_t> ChangeLog::LastSeq() { return db_.impl().ReadMetaInt("last_seq"); }

}  // namespace gocua
