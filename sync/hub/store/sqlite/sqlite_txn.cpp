// SqliteTxn: the push policy's store transaction on SQLite (sqlite_txn.h).
#include "sync/hub/store/sqlite/sqlite_txn.h"

#include "storage/core/value_check.h"

namespace gocua::hub_internal {

int64_t SqliteTxn::NowMs() { return d_.clock->NowMs(); }

int64_t SqliteTxn::StampAfter(int64_t ms) {
  d_.ObserveHlc(MakeHlc(ms, 0));
  return d_.NextHlc();
}

Result<int64_t> SqliteTxn::OriginMaxSeq(const std::string& origin) { return OriginMax(d_, origin); }

Status SqliteTxn::SetOriginMaxSeq(const std::string& origin, int64_t max_seq) {
  return SetOrigin(d_, origin, max_seq);
}

// In the row whose run covers it. The log's run buffer is written first: a batch may repeat
// an op it carries itself.
Result<std::optional<LogEntry>> SqliteTxn::LoggedOp(const std::string& origin, int64_t seq) {
  if (Status s = log_.Flush(d_); !s) return s;
  Status s;
  auto q = d_.Prepare(std::string("SELECT ") + kLogColumns +
                          " FROM hub_log WHERE origin_device = ? AND seq <= ? "
                          "ORDER BY seq DESC LIMIT 1",
                      &s);
  if (!q) return s;
  q->Bind(1, origin).Bind(2, seq);
  const int rc = q->Step();
  if (rc == SQLITE_DONE) return std::optional<LogEntry>();
  if (rc != SQLITE_ROW) return d_.Error("hub log", rc);
  auto ops = ExpandLogRow(*q);
  if (!ops) return ops.error();
  const int64_t i = seq - ops->front().op.seq;
  if (i >= static_cast<int64_t>(ops->size())) return std::optional<LogEntry>();
  return std::optional<LogEntry>(std::move((*ops)[static_cast<size_t>(i)]));
}

// From the origin's part of the log (the UNIQUE(origin, seq) index): a scan of one device's
// rows on the record. Only conflicts ask.
Result<LoggedChange> SqliteTxn::FindLogged(const std::string& type, const std::string& id,
                                           const std::string& field, const Stamp& stamp) {
  if (Status s = log_.Flush(d_); !s) return s;
  Status s;
  auto q = d_.Prepare(std::string("SELECT ") + kLogColumns +
                          " FROM hub_log WHERE origin_device = ? AND record_type = ? "
                          "AND record_id = ? ORDER BY seq",
                      &s);
  if (!q) return s;
  q->Bind(1, stamp.device).Bind(2, type).Bind(3, id);
  LoggedChange out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) {
    auto ops = ExpandLogRow(*q);
    if (!ops) return ops.error();
    for (LogEntry& e : *ops)
      if (e.op.hlc == stamp.hlc && (field.empty() || e.op.field == field)) {
        out.found = true;
        out.value = std::move(e.op.value);
        out.author = std::move(e.op.author);
        return out;
      }
  }
  if (rc != SQLITE_DONE) return d_.Error("conflict history", rc);
  return out;
}

Status SqliteTxn::WriteOwn(const char* type, const std::string& id, const nlohmann::json& fields,
                           const std::string& scope) {
  // HubWrite reads and writes the record itself, and appends to the log.
  if (Status s = batch_.Flush(); !s) return s;
  if (Status s = log_.Flush(d_); !s) return s;
  Status s = HubWrite(d_, type, id, fields, scope);
  scopes_.ForgetUnseen();  // HubWrite scoped the record
  log_.ForgetNextSeq();    // and logged its ops
  return s;
}

Status SqliteTxn::TouchDevice(const std::string& device_id, int64_t now) {
  Status s;
  auto q = d_.Prepare("UPDATE hub_devices SET last_seen = ? WHERE device_id = ?", &s);
  if (q) q->Bind(1, now).Bind(2, device_id);
  return Run(d_, std::move(q), s, "last seen");
}

Status SqliteTxn::Finish() {
  if (Status s = batch_.Flush(); !s) return s;
  return log_.Flush(d_);
}

}  // namespace gocua::hub_internal
