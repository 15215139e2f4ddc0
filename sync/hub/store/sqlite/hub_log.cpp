// The hub's server log (hub_log) as runs of ops: appending a run and reading a row back
// (sync/hub/store/sqlite/hub_internal.h).
#include <algorithm>
#include <charconv>
#include <span>

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

// The columns of a hub_runs row as AppendRows binds them, kRowParams per row.
constexpr int kRowParams = 22;
constexpr char kInsertHead[] =
    "INSERT OR FAIL INTO hub_runs(server_seq, n, rest, origin, seq, record_type, record_id, field, "
    "value, base_hlc, base_device, hlc, orig_hlc, commune, served, outcome, reason, "
    "pushed_by, received_at, author, seen_hlc, seen_device) VALUES";

// The insert of `rows` rows (1, 4 or kMaxRowsPerInsert), one VALUES list each, OR FAIL: a
// statement of several rows that may abort would keep a statement journal, and a failed row
// fails the push whole anyway. Built once per count for the process's life.
const std::string& InsertSql(size_t rows) {
  static const std::vector<std::string> kSql = [] {
    std::string one = "(?";
    for (int i = 1; i < kRowParams; ++i) one += ", ?";
    one += ')';
    std::vector<std::string> sql(kMaxRowsPerInsert + 1);
    for (size_t k = 1; k <= kMaxRowsPerInsert; k *= 4) {
      sql[k] = kInsertHead;
      for (size_t j = 0; j < k; ++j) (sql[k] += j ? ", " : " ") += one;
    }
    return sql;
  }();
  return kSql[rows];
}

// The server_seq after the log's last row (1 for an empty log).
Result<int64_t> LogEnd(Database::Impl& d) {
  Status st;
  static const std::string kLast =
      "SELECT server_seq + n FROM hub_runs ORDER BY server_seq DESC LIMIT 1";
  auto q = d.Prepare(kLast, &st);
  if (!q) return st;
  const int rc = q->Step();
  if (rc == SQLITE_ROW) return q->Int(0);
  if (rc != SQLITE_DONE) return d.Error("hub log", rc);
  return int64_t{1};
}

// Makes `row` (its storage reused) for `run`: its ids numbered, its texts written.
Status MakeLogRow(Database::Impl& d, std::span<const LogEntry> run, IdCache* ids, LogRow& row) {
  // The row's ids as numbers, before the insert is bound (TextId has statements of its own).
  const LogEntry& head = run.front();
  const std::string* texts[6] = {&head.op.origin_device, &head.op.base.device,
                                 &head.commune_id,       &head.pushed_by,
                                 &head.op.author,        &head.op.seen.device};
  for (int i = 0; i < 6; ++i) {
    auto n = TextId(d, *texts[i], ids);
    if (!n) return n.error();
    row.id[i] = *n;
  }
  row.rest.clear();
  row.value.clear();
  // Op 0's field and value inside the binary rest where the run fits it (hub schema 13).
  row.head_in_rest = AppendRestText(row.rest, run, true);
  if (!row.head_in_rest) AppendValueText(row.value, head.op.value);
  // A canonical UUID as its 16 bytes (hub schema 12; the view hub_log shows its text).
  row.packed_id = PackUuid(head.op.record_id, row.packed);
  return Status::Ok();
}

// Binds the row for `run` made in `row` to parameters at + 1 .. at + kRowParams of `s`, without
// copies: `row` and `run` must outlive the statement's step.
void BindLogRow(Stmt& s, int at, std::span<const LogEntry> run, const LogRow& row,
                int64_t server_seq, int64_t now) {
  static const std::string kNone;
  const LogEntry& e = run.front();
  const RemoteOp& op = e.op;
  sqlite3_stmt* q = s.raw();
  auto text = [q](int i, const std::string& t) {
    sqlite3_bind_text(q, i, t.data(), static_cast<int>(t.size()), SQLITE_STATIC);
  };
  auto integer = [q](int i, int64_t v) { sqlite3_bind_int64(q, i, v); };
  integer(at + 1, server_seq);
  integer(at + 2, static_cast<int64_t>(run.size()));
  if (!row.rest.empty() && row.rest[0] != '[')  // a BLOB: hub_ops tells the forms apart
    sqlite3_bind_blob(q, at + 3, row.rest.data(), static_cast<int>(row.rest.size()), SQLITE_STATIC);
  else
    text(at + 3, row.rest);
  integer(at + 4, row.id[0]);
  integer(at + 5, op.seq);
  text(at + 6, op.record_type);
  if (row.packed_id)
    sqlite3_bind_blob(q, at + 7, row.packed, sizeof row.packed, SQLITE_STATIC);
  else
    text(at + 7, op.record_id);
  text(at + 8, row.head_in_rest ? kNone : op.field);
  text(at + 9, row.value);
  integer(at + 10, op.base.hlc);
  integer(at + 11, row.id[1]);
  // orig_hlc = hlc is stored as 0 (no bytes; hub schema 12): clamping only ever lowers an
  // hlc, so an op whose orig_hlc differs never has orig_hlc 0.
  integer(at + 12, op.hlc);
  integer(at + 13, e.orig_hlc == op.hlc ? int64_t{0} : e.orig_hlc);
  integer(at + 14, row.id[2]);
  integer(at + 15, e.served ? 1 : 0);
  text(at + 16, e.outcome);
  text(at + 17, e.reason);
  integer(at + 18, row.id[3]);
  integer(at + 19, now);
  integer(at + 20, row.id[4]);
  integer(at + 21, op.seen.hlc);
  integer(at + 22, row.id[5]);
}

// Inserts the runs `runs` (1..kMaxRowsPerInsert, their parts in `rows`) as rows from
// server_seq `*next_seq` on (read from the log when <= 0), with one statement; `*next_seq` is
// then the server_seq after them, or 0 on failure. `kept`, if given, holds the statement
// between calls. REQUIRES: every row made by MakeLogRow, and nothing bound since.
Status InsertRows(Database::Impl& d, std::span<const std::span<const LogEntry>> runs,
                  std::span<const LogRow> rows, int64_t* next_seq, std::unique_ptr<Stmt>* kept) {
  if (*next_seq <= 0) {
    auto end = LogEnd(d);
    if (!end) return end.error();
    *next_seq = *end;
  }
  Status st;
  std::unique_ptr<Stmt> own;
  std::unique_ptr<Stmt>& q = kept ? *kept : own;
  if (!q) q = d.Prepare(InsertSql(runs.size()), &st);
  if (!q) return st;
  int64_t seq = *next_seq;
  const int64_t now = d.clock->NowMs();
  for (size_t j = 0; j < runs.size(); ++j) {
    BindLogRow(*q, static_cast<int>(j) * kRowParams, runs[j], rows[j], seq, now);
    seq += static_cast<int64_t>(runs[j].size());
  }
  const int rc = q->Step();
  sqlite3_reset(q->raw());
  if (rc != SQLITE_DONE) {
    *next_seq = 0;
    return d.Error("hub log", rc);
  }
  *next_seq = seq;
  return Status::Ok();
}

}  // namespace

Status AppendLog(Database::Impl& d, const std::vector<LogEntry>& run, int64_t* next_seq,
                 IdCache* ids) {
  if (run.empty() || run.size() > static_cast<size_t>(kMaxLogRun))
    return {ErrorCode::kInternal, "hub log: a run of " + std::to_string(run.size()) + " ops"};
  for (size_t i = 1; i < run.size(); ++i)
    if (!ExtendsRun(run[i - 1], run[i]))
      return {ErrorCode::kInternal, "hub log: ops that are not one run"};
  LogRow row;
  if (Status s = MakeLogRow(d, run, ids, row); !s) return s;
  int64_t own_seq = 0;
  int64_t* seq = next_seq ? next_seq : &own_seq;
  const std::span<const LogEntry> runs[1] = {run};
  return InsertRows(d, runs, std::span<const LogRow>(&row, 1), seq, nullptr);
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
  const bool extends = n_ > 0 && n_ - starts_.back() < static_cast<size_t>(kMaxLogRun) &&
                       ExtendsRun(entries_[n_ - 1], e);
  if (!extends) {
    if (starts_.size() == kMaxRowsPerInsert)
      if (Status s = Flush(d); !s) return s;
    starts_.push_back(n_);
  }
  if (n_ == entries_.size()) entries_.emplace_back();
  // A move assignment: a string's heap storage goes back to `e` (libstdc++ swaps it; the
  // standard leaves `e` unspecified), so a caller that fills `e` again reuses it.
  entries_[n_++] = std::move(e);
  return Status::Ok();
}

Status LogWriter::Flush(Database::Impl& d) {
  if (n_ == 0) return Status::Ok();
  // Add made each run one run of at most kMaxLogRun ops, and at most kMaxRowsPerInsert runs.
  const size_t count = starts_.size();
  if (rows_.size() < count) rows_.resize(count);
  std::span<const LogEntry> runs[kMaxRowsPerInsert];
  Status s;
  for (size_t j = 0; j < count && s; ++j) {
    const size_t end = j + 1 < count ? starts_[j + 1] : n_;
    runs[j] = std::span<const LogEntry>(entries_.data() + starts_[j], end - starts_[j]);
    s = MakeLogRow(d, runs[j], &ids_, rows_[j]);
  }
  // In pieces of 16, 4 and 1 rows, largest first.
  for (size_t done = 0, k = kMaxRowsPerInsert, slot = 2; s && done < count; k /= 4, --slot)
    for (; s && count - done >= k; done += k)
      s = InsertRows(d, std::span<const std::span<const LogEntry>>(runs + done, k),
                     std::span<const LogRow>(rows_.data() + done, k), &next_seq_, &inserts_[slot]);
  if (!s) next_seq_ = 0;
  n_ = 0;  // the entries stay, their storage to be reused
  starts_.clear();
  for (LogRow& row : rows_)
    if (row.rest.capacity() > kKeptText) std::string().swap(row.rest);
  return s;
}

}  // namespace gocua::hub_internal
