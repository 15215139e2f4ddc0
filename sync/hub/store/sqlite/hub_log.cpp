// The hub's server log (hub_log) as runs of ops: appending a run and reading a row back
// (sync/hub/store/sqlite/hub_internal.h).
#include <algorithm>
#include <charconv>

#include "base/json_text.h"
#include "storage/core/uuid_bytes.h"
#include "sync/hub/store/log_binary.h"
#include "sync/hub/store/log_text.h"
#include "sync/hub/store/sqlite/hub_internal.h"

namespace gocua::hub_internal {

Result<int64_t> FindTextId(Database::Impl& d, std::string_view text) {
  if (text.empty()) return int64_t{0};
  Status st;
  static const std::string kFind = "SELECT id FROM hub_ids WHERE text = ?";
  auto q = d.Prepare(kFind, &st);
  if (!q) return st;
  sqlite3_bind_text(q->raw(), 1, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  const int rc = q->Step();
  if (rc == SQLITE_ROW) return q->Int(0);
  if (rc != SQLITE_DONE) return d.Error("hub ids", rc);
  return int64_t{0};
}

Result<std::string> IdText(Database::Impl& d, int64_t id) {
  Status st;
  static const std::string kText = "SELECT text FROM hub_ids WHERE id = ?";
  auto q = d.Prepare(kText, &st);
  if (!q) return st;
  q->Bind(1, id);
  const int rc = q->Step();
  if (rc == SQLITE_ROW) return q->Text(0);
  if (rc != SQLITE_DONE) return d.Error("hub ids", rc);
  return Status{ErrorCode::kCorrupt, "hub ids: no text numbered " + std::to_string(id)};
}

Result<int64_t> TextId(Database::Impl& d, const std::string& text, IdCache* cache) {
  if (text.empty()) return int64_t{0};
  if (cache)
    if (auto it = cache->find(text); it != cache->end()) return it->second;
  Status st;
  auto found = FindTextId(d, text);
  if (!found) return found.error();
  int64_t id = *found;
  if (id == 0) {
    static const std::string kAdd = "INSERT INTO hub_ids(text) VALUES(?) RETURNING id";
    auto q = d.Prepare(kAdd, &st);
    if (!q) return st;
    q->Bind(1, text);
    const int rc = q->Step();
    if (rc != SQLITE_ROW) return d.Error("hub ids", rc);
    id = q->Int(0);
    if (const int done = q->Step(); done != SQLITE_DONE) return d.Error("hub ids", done);
  }
  if (cache) cache->emplace(text, id);
  return id;
}

namespace {

// AppendLog once the run is checked. `kept`, if given, holds the insert statement between
// rows (LogWriter): prepared on its first use, reset after each row, its bindings all replaced
// by the next (none is cleared: every parameter is bound for every row).
Status AppendRun(Database::Impl& d, std::span<const LogEntry> run, std::string* scratch,
                 int64_t* next_seq, IdCache* ids, std::unique_ptr<Stmt>* kept) {
  Status st;
  int64_t server_seq = next_seq && *next_seq > 0 ? *next_seq : 1;
  if (!next_seq || *next_seq <= 0) {
    static const std::string kLast =
        "SELECT server_seq + n FROM hub_runs ORDER BY server_seq DESC LIMIT 1";
    auto q = d.Prepare(kLast, &st);
    if (!q) return st;
    if (int rc = q->Step(); rc == SQLITE_ROW)
      server_seq = q->Int(0);
    else if (rc != SQLITE_DONE)
      return d.Error("hub log", rc);
  }
  // The row's ids as numbers, before the insert is prepared (TextId has statements of its own).
  const LogEntry& head = run.front();
  int64_t id[6] = {};
  {
    const std::string* texts[6] = {&head.op.origin_device, &head.op.base.device,
                                   &head.commune_id,       &head.pushed_by,
                                   &head.op.author,        &head.op.seen.device};
    for (int i = 0; i < 6; ++i) {
      auto n = TextId(d, *texts[i], ids);
      if (!n) return n.error();
      id[i] = *n;
    }
  }
  static const std::string kInsert =
      "INSERT INTO hub_runs(server_seq, n, rest, origin, seq, record_type, record_id, field, "
      "value, base_hlc, base_device, hlc, orig_hlc, commune, served, outcome, reason, "
      "pushed_by, received_at, author, seen_hlc, seen_device) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  std::unique_ptr<Stmt> own_q;
  std::unique_ptr<Stmt>& q = kept ? *kept : own_q;
  if (!q) q = d.Prepare(kInsert, &st);
  // The texts are bound without copies: each lives until the row is stepped and `q` reset.
  std::string own;
  std::string& rest = scratch ? *scratch : own;
  rest.clear();
  // Op 0's field and value inside the binary rest where the run fits it (hub schema 13).
  const bool head_in_rest = AppendRestText(rest, run, true);
  std::string value;
  static const std::string kNone;
  if (q) {
    const LogEntry& e = run.front();
    const RemoteOp& op = e.op;
    if (!head_in_rest) AppendValueText(value, op.value);
    Stmt& s = *q;
    s.Bind(1, server_seq).Bind(2, static_cast<int64_t>(run.size()));
    if (!rest.empty() && rest[0] != '[')  // a BLOB: hub_ops tells the forms apart
      sqlite3_bind_blob(s.raw(), 3, rest.data(), static_cast<int>(rest.size()), SQLITE_STATIC);
    else
      BindStatic(s, 3, rest);
    s.Bind(4, id[0]);
    s.Bind(5, op.seq);
    BindStatic(s, 6, op.record_type);
    // A canonical UUID as its 16 bytes (hub schema 12; the view hub_log shows its text).
    if (unsigned char packed[16]; PackUuid(op.record_id, packed))  // BindBlob copies it
      s.BindBlob(7, std::string_view(reinterpret_cast<const char*>(packed), sizeof packed));
    else
      BindStatic(s, 7, op.record_id);
    BindStatic(s, 8, head_in_rest ? kNone : op.field);
    BindStatic(s, 9, value);
    s.Bind(10, op.base.hlc);
    s.Bind(11, id[1]);
    // orig_hlc = hlc is stored as 0 (no bytes; hub schema 12): clamping only ever lowers an
    // hlc, so an op whose orig_hlc differs never has orig_hlc 0.
    s.Bind(12, op.hlc).Bind(13, e.orig_hlc == op.hlc ? int64_t{0} : e.orig_hlc);
    s.Bind(14, id[2]);
    s.Bind(15, e.served ? 1 : 0);
    BindStatic(s, 16, e.outcome);
    BindStatic(s, 17, e.reason);
    s.Bind(18, id[3]);
    s.Bind(19, d.clock->NowMs());
    s.Bind(20, id[4]);
    s.Bind(21, op.seen.hlc);
    s.Bind(22, id[5]);
  }
  Status done = st;
  if (q) {
    const int rc = q->Step();
    done = rc == SQLITE_DONE ? Status::Ok() : d.Error("hub log", rc);
    sqlite3_reset(q->raw());
  }
  if (next_seq) *next_seq = done ? server_seq + static_cast<int64_t>(run.size()) : 0;
  return done;
}

}  // namespace

Status AppendLog(Database::Impl& d, const std::vector<LogEntry>& run, std::string* scratch,
                 int64_t* next_seq, IdCache* ids) {
  if (run.empty() || run.size() > static_cast<size_t>(kMaxLogRun))
    return {ErrorCode::kInternal, "hub log: a run of " + std::to_string(run.size()) + " ops"};
  for (size_t i = 1; i < run.size(); ++i)
    if (!ExtendsRun(run[i - 1], run[i]))
      return {ErrorCode::kInternal, "hub log: ops that are not one run"};
  return AppendRun(d, run, scratch, next_seq, ids, nullptr);
}

const char kLogColumns[] =
    "server_seq, n, rest, origin_device, seq, record_type, record_key, field_key, value_key, "
    "base_hlc, "
    "base_device, hlc, orig_hlc, commune_id, served, outcome, reason, pushed_by, received_at, "
    "author, seen_hlc, seen_device";

namespace {

// ExpandLogRow and ExpandRunRow: the texts of a row's ids in `texts`, or (null) in its columns.
Result<std::vector<LogEntry>> ExpandRow(Stmt& q, LogRead what, const RunTexts* texts) {
  std::vector<LogEntry> out;
  const int64_t n = q.Int(1);
  out.reserve(static_cast<size_t>(std::max<int64_t>(n, 1)));
  LogEntry& first = out.emplace_back();
  first.server_seq = q.Int(0);
  // Empty in a row whose op 0 is in its binary rest (ExpandRest sets it).
  const std::string_view value_text = TextAt(q, 8);
  ReadValue value = value_text.empty() ? ReadValue{} : ParseValueText(value_text);
  std::string record_id;
  if (sqlite3_column_type(q.raw(), 6) == SQLITE_BLOB && q.Bytes(6).size() == 16)
    record_id = UuidText(q.Bytes(6).data());  // hub schema 12: a UUID's 16 bytes
  else
    record_id = q.Text(6);
  auto text = [&](int col, std::string_view RunTexts::*part) {
    return texts ? std::string(texts->*part) : q.Text(col);
  };
  first.op = {text(3, &RunTexts::origin),
              q.Int(4),
              q.Text(5),
              std::move(record_id),
              q.Text(7),
              std::move(value.value),
              {q.Int(9), text(10, &RunTexts::base_device)},
              q.Int(11),
              text(19, &RunTexts::author),
              {q.Int(20), text(21, &RunTexts::seen_device)}};
  first.value_bytes = value.dumped_bytes;
  first.orig_hlc = q.Int(12);
  if (texts && first.orig_hlc == 0) first.orig_hlc = first.op.hlc;  // hub_runs: 0 = hlc
  first.served = q.Int(14) != 0;
  first.received_at = q.Int(18);
  if (what == LogRead::kAll) {
    first.commune_id = q.Text(13);
    first.outcome = q.Text(15);
    first.reason = q.Text(16);
    first.pushed_by = q.Text(17);
  }
  if (n <= 1) return out;
  const void* rest = sqlite3_column_blob(q.raw(), 2);  // text or blob, its bytes
  const std::string_view bytes =
      rest ? std::string_view(static_cast<const char*>(rest),
                              static_cast<size_t>(sqlite3_column_bytes(q.raw(), 2)))
           : std::string_view();
  if (Status s = ExpandRest(bytes, n, out); !s) return s;
  return out;
}

}  // namespace

Result<std::vector<LogEntry>> ExpandLogRow(Stmt& q, LogRead what) {
  return ExpandRow(q, what, nullptr);
}

Result<std::vector<LogEntry>> ExpandRunRow(Stmt& q, const RunTexts& texts) {
  return ExpandRow(q, LogRead::kServed, &texts);
}

Status LogWriter::Add(Database::Impl& d, LogEntry&& e) {
  if (n_ > 0 && (n_ == static_cast<size_t>(kMaxLogRun) || !ExtendsRun(run_[n_ - 1], e)))
    if (Status s = Flush(d); !s) return s;
  if (n_ == run_.size()) run_.emplace_back();
  // A move assignment: a string's heap storage goes back to `e` (libstdc++ swaps it; the
  // standard leaves `e` unspecified), so a caller that fills `e` again reuses it.
  run_[n_++] = std::move(e);
  return Status::Ok();
}

Status LogWriter::Flush(Database::Impl& d) {
  if (n_ == 0) return Status::Ok();
  // Add made it one run of at most kMaxLogRun ops.
  Status s = AppendRun(d, std::span<const LogEntry>(run_.data(), n_), &text_, &next_seq_, &ids_,
                       &insert_);
  n_ = 0;  // the entries stay, their storage to be reused
  if (text_.capacity() > kKeptText) std::string().swap(text_);
  return s;
}

}  // namespace gocua::hub_internal
