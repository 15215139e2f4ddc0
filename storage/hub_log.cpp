// The hub's server log (hub_log) as runs of ops: appending a run and reading a row back
// (storage/hub_internal.h).
#include <algorithm>

#include "storage/hub_internal.h"

namespace gocua::hub_internal {

bool ExtendsRun(const LogEntry& last, const LogEntry& next) {
  return next.op.origin_device == last.op.origin_device && next.op.seq == last.op.seq + 1 &&
         next.op.record_type == last.op.record_type && next.op.record_id == last.op.record_id &&
         next.commune_id == last.commune_id && next.served == last.served &&
         next.pushed_by == last.pushed_by;
}

namespace {

constexpr auto kReplace = json::error_handler_t::replace;  // quarantined text may not be UTF-8

// `s` as a JSON string. REQUIRES: valid UTF-8 (ids, field names and the hub's own texts).
void AppendString(std::string& out, const std::string& s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 15];
      out += kHex[c & 15];
    } else {
      out += c;
    }
  }
  out += '"';
}

// Ops 1..n-1 of a row, each [field, value, base_hlc, base_device, hlc, orig_hlc, outcome,
// reason, author, seen_hlc, seen_device]. Written by hand: through a json tree it cost as much
// as the insert.
std::string RestOf(const std::vector<LogEntry>& run) {
  std::string out = "[";
  for (size_t i = 1; i < run.size(); ++i) {
    const LogEntry& e = run[i];
    const RemoteOp& op = e.op;
    if (i > 1) out += ',';
    out += '[';
    AppendString(out, op.field);
    out += ',';
    out += op.value.dump(-1, ' ', false, kReplace);
    out += ',' + std::to_string(op.base.hlc) + ',';
    AppendString(out, op.base.device);
    out += ',' + std::to_string(op.hlc) + ',' + std::to_string(e.orig_hlc) + ',';
    AppendString(out, e.outcome);
    out += ',';
    out += json(e.reason).dump(-1, ' ', false, kReplace);  // may quote what a device sent
    out += ',';
    AppendString(out, op.author);
    out += ',' + std::to_string(op.seen.hlc) + ',';
    AppendString(out, op.seen.device);
    out += ']';
  }
  out += ']';
  return out;
}

}  // namespace

Status AppendLog(Database::Impl& d, const std::vector<LogEntry>& run) {
  if (run.empty() || run.size() > static_cast<size_t>(kMaxLogRun))
    return {ErrorCode::kInternal, "hub log: a run of " + std::to_string(run.size()) + " ops"};
  for (size_t i = 1; i < run.size(); ++i)
    if (!ExtendsRun(run[i - 1], run[i]))
      return {ErrorCode::kInternal, "hub log: ops that are not one run"};
  Status st;
  int64_t server_seq = 1;
  {
    auto q = d.Prepare("SELECT server_seq + n FROM hub_log ORDER BY server_seq DESC LIMIT 1", &st);
    if (!q) return st;
    if (int rc = q->Step(); rc == SQLITE_ROW)
      server_seq = q->Int(0);
    else if (rc != SQLITE_DONE)
      return d.Error("hub log", rc);
  }
  auto q = d.Prepare(
      "INSERT INTO hub_log(server_seq, n, rest, origin_device, seq, record_type, record_id, field, "
      "value, base_hlc, base_device, hlc, orig_hlc, commune_id, served, outcome, reason, "
      "pushed_by, received_at, author, seen_hlc, seen_device) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      &st);
  if (q) {
    const LogEntry& e = run.front();
    const RemoteOp& op = e.op;
    q->Bind(1, server_seq).Bind(2, static_cast<int64_t>(run.size())).Bind(3, RestOf(run));
    q->Bind(4, op.origin_device).Bind(5, op.seq).Bind(6, op.record_type).Bind(7, op.record_id);
    q->Bind(8, op.field).Bind(9, op.value.dump(-1, ' ', false, kReplace));
    q->Bind(10, op.base.hlc).Bind(11, op.base.device).Bind(12, op.hlc).Bind(13, e.orig_hlc);
    q->Bind(14, e.commune_id).Bind(15, e.served ? 1 : 0).Bind(16, e.outcome).Bind(17, e.reason);
    q->Bind(18, e.pushed_by).Bind(19, d.clock->NowMs());
    q->Bind(20, op.author).Bind(21, op.seen.hlc).Bind(22, op.seen.device);
  }
  return Run(d, std::move(q), st, "hub log");
}

const char kLogColumns[] =
    "server_seq, n, rest, origin_device, seq, record_type, record_id, field, value, base_hlc, "
    "base_device, hlc, orig_hlc, commune_id, served, outcome, reason, pushed_by, received_at, "
    "author, seen_hlc, seen_device";

Result<std::vector<LogEntry>> ExpandLogRow(Stmt& q) {
  std::vector<LogEntry> out;
  const int64_t n = q.Int(1);
  out.reserve(static_cast<size_t>(std::max<int64_t>(n, 1)));
  LogEntry& first = out.emplace_back();
  first.server_seq = q.Int(0);
  first.op = {q.Text(3),
              q.Int(4),
              q.Text(5),
              q.Text(6),
              q.Text(7),
              json::parse(q.Text(8), nullptr, false),
              {q.Int(9), q.Text(10)},
              q.Int(11),
              q.Text(19),
              {q.Int(20), q.Text(21)}};
  first.orig_hlc = q.Int(12);
  first.commune_id = q.Text(13);
  first.served = q.Int(14) != 0;
  first.outcome = q.Text(15);
  first.reason = q.Text(16);
  first.pushed_by = q.Text(17);
  first.received_at = q.Int(18);
  if (n <= 1) return out;
  json rest = json::parse(q.Text(2), nullptr, false);
  const std::string row = std::to_string(first.server_seq);
  if (!rest.is_array() || static_cast<int64_t>(rest.size()) != n - 1)
    return Status{ErrorCode::kCorrupt,
                  "hub log: row " + row + " does not hold its " + std::to_string(n) + " ops"};
  for (size_t i = 0; i < rest.size(); ++i) {
    json& r = rest[i];
    if (!r.is_array() || r.size() != 11 || !r[0].is_string() || !r[2].is_number_integer() ||
        !r[3].is_string() || !r[4].is_number_integer() || !r[5].is_number_integer() ||
        !r[6].is_string() || !r[7].is_string() || !r[8].is_string() ||
        !r[9].is_number_integer() || !r[10].is_string())
      return Status{ErrorCode::kCorrupt, "hub log: row " + row + " has a damaged op"};
    auto text = [&r](size_t k) { return std::move(r[k].get_ref<std::string&>()); };
    const LogEntry& head = out.front();
    LogEntry& e = out.emplace_back();
    e.server_seq = head.server_seq + 1 + static_cast<int64_t>(i);
    e.op.origin_device = head.op.origin_device;
    e.op.seq = head.op.seq + 1 + static_cast<int64_t>(i);
    e.op.record_type = head.op.record_type;
    e.op.record_id = head.op.record_id;
    e.op.field = text(0);
    e.op.value = std::move(r[1]);
    e.op.base = {r[2].get<int64_t>(), text(3)};
    e.op.hlc = r[4].get<int64_t>();
    e.op.author = text(8);
    e.op.seen = {r[9].get<int64_t>(), text(10)};
    e.orig_hlc = r[5].get<int64_t>();
    e.commune_id = head.commune_id;
    e.served = head.served;
    e.outcome = text(6);
    e.reason = text(7);
    e.pushed_by = head.pushed_by;
    e.received_at = head.received_at;
  }
  return out;
}

Status LogWriter::Add(Database::Impl& d, LogEntry e) {
  if (!run_.empty() &&
      (run_.size() == static_cast<size_t>(kMaxLogRun) || !ExtendsRun(run_.back(), e)))
    if (Status s = Flush(d); !s) return s;
  run_.push_back(std::move(e));
  return Status::Ok();
}

Status LogWriter::Flush(Database::Impl& d) {
  if (run_.empty()) return Status::Ok();
  Status s = AppendLog(d, run_);
  run_.clear();
  return s;
}

}  // namespace gocua::hub_internal
