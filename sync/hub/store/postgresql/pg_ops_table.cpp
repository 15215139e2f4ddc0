// The log one row per op in a session's temporary table (pg_ops_table.h).
#include "sync/hub/store/postgresql/pg_ops_table.h"

#include "sync/hub/store/postgresql/pg_log.h"

namespace gocua::pg {

Status LoadOpsTable(Conn& c) {
  if (Status s = c.Simple(
          "CREATE TEMP TABLE IF NOT EXISTS hub_ops(server_seq bigint, origin_device text, "
          "seq bigint, record_type text, record_id text, field text, value text, "
          "base_hlc bigint, base_device text, hlc bigint, orig_hlc bigint, commune_id text, "
          "served boolean, outcome text, reason text, pushed_by text, received_at bigint, "
          "author text, seen_hlc bigint, seen_device text); TRUNCATE hub_ops",
          "hub_ops");
      !s)
    return s;
  constexpr int kRowsAtATime = 1000;
  static const std::string kRead = std::string("SELECT ") + kLogColumns +
                                   " FROM hub_log WHERE server_seq > $1 ORDER BY server_seq "
                                   "LIMIT " +
                                   std::to_string(kRowsAtATime);
  static const std::string kAdd =
      "INSERT INTO hub_ops VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
      "$15, $16, $17, $18, $19, $20)";
  int64_t after = -1;
  for (;;) {
    auto rows = c.Query(kRead, {Int(after)}, "hub_ops");
    if (!rows) return rows.error();
    std::vector<hub_internal::LogEntry> ops;
    for (int r = 0; r < rows->size(); ++r) {
      if (Status s = ExpandRow(*rows, r, ops); !s) return s;
      after = rows->Int(r, 0);
    }
    for (const hub_internal::LogEntry& e : ops) {
      const RemoteOp& op = e.op;
      if (Status s = c.Exec(
              kAdd, {Int(e.server_seq),    op.origin_device, Int(op.seq),      op.record_type,
                     op.record_id,         op.field,         op.value.dump(),  Int(op.base.hlc),
                     op.base.device,       Int(op.hlc),      Int(e.orig_hlc),  e.commune_id,
                     e.served ? "t" : "f", e.outcome,        e.reason,         e.pushed_by,
                     Int(e.received_at),   op.author,        Int(op.seen.hlc), op.seen.device},
              "hub_ops");
          !s)
        return s;
    }
    if (rows->size() < kRowsAtATime) return Status::Ok();
  }
}

}  // namespace gocua::pg
