// The PostgreSQL hub store's server log as runs of ops (pg_log.h).
#include "sync/hub/store/postgresql/pg_log.h"

#include <limits>
#include <unordered_map>

#include "sync/hub/store/log_runs.h"

namespace gocua::pg {
using hub_internal::LogEntry;

namespace {

// The publish lock: a constant of this store ("gocua-hub log").
constexpr const char* kPublishLock = "SELECT pg_advisory_xact_lock(7316001)";
// Ops read at a time by the upgrade to schema 5.
constexpr int kUpgradeBatch = 20000;

// PostgreSQL's array literal of texts.
class TextArray {
 public:
  void Add(std::string_view v) {
    text_ += text_.empty() ? "{\"" : ",\"";
    for (char ch : v) {
      if (ch == '"' || ch == '\\') text_ += '\\';
      text_ += ch;
    }
    text_ += '"';
  }
  void Add(int64_t v) {
    text_ += text_.empty() ? "{" : ",";
    text_ += std::to_string(v);
  }
  void Add(bool v) {
    text_ += text_.empty() ? "{" : ",";
    text_ += v ? 't' : 'f';
  }
  // A bytea element, in PostgreSQL's hex form.
  void AddBytes(std::string_view bytes) {
    static const char kHex[] = "0123456789abcdef";
    text_ += text_.empty() ? "{\"\\\\x" : ",\"\\\\x";
    for (unsigned char b : bytes) {
      text_ += kHex[b >> 4];
      text_ += kHex[b & 15];
    }
    text_ += '"';
  }
  void AddNull() { text_ += text_.empty() ? "{NULL" : ",NULL"; }
  std::string Take() {
    std::string out = text_.empty() ? "{}" : std::move(text_) + "}";
    text_.clear();
    return out;
  }

 private:
  std::string text_;
};

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A bytea column's text (hex form, "\x0a1b...") as its bytes; false if it is not that form.
bool BytesOf(std::string_view text, std::string& out) {
  out.clear();
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) return false;
  out.reserve((text.size() - 2) / 2);
  for (size_t i = 2; i < text.size(); i += 2) {
    const int hi = HexDigit(text[i]), lo = HexDigit(text[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi << 4 | lo);
  }
  return true;
}

// The rows a list of entries makes: [first, end) of each run.
std::vector<std::pair<size_t, size_t>> RunsOf(const std::vector<LogEntry>& entries) {
  std::vector<std::pair<size_t, size_t>> runs;
  size_t first = 0;
  for (size_t i = 1; i <= entries.size(); ++i) {
    if (i < entries.size() && i - first < static_cast<size_t>(hub_internal::kMaxLogRun) &&
        hub_internal::ExtendsRun(entries[i - 1], entries[i]) &&
        entries[i].server_seq == entries[i - 1].server_seq + 1 &&
        entries[i].received_at == entries[first].received_at)
      continue;
    if (first < entries.size()) runs.emplace_back(first, i);
    first = i;
  }
  return runs;
}

using IdMap = std::unordered_map<std::string, int64_t>;

// The numbers of the ids of `entries`' run heads, made if new (hub_ids).
Status IdsOf(Conn& c, const std::vector<LogEntry>& entries,
             const std::vector<std::pair<size_t, size_t>>& runs, IdMap& ids) {
  ids.clear();
  ids.emplace("", 0);
  TextArray wanted;
  bool any = false;
  for (const auto& [first, end] : runs) {
    const LogEntry& e = entries[first];
    for (const std::string* t : {&e.op.origin_device, &e.op.base.device, &e.commune_id,
                                 &e.pushed_by, &e.op.author, &e.op.seen.device})
      if (ids.emplace(*t, -1).second) wanted.Add(*t), any = true;
  }
  if (!any) return Status::Ok();
  const std::string texts = wanted.Take();
  auto take = [&](const Rows& r) {
    for (int i = 0; i < r.size(); ++i) ids[r.Text(i, 0)] = r.Int(i, 1);
  };
  auto missing = [&]() {
    TextArray m;
    bool some = false;
    for (const auto& [t, id] : ids)
      if (id < 0) m.Add(t), some = true;
    return some ? m.Take() : std::string();
  };
  auto found =
      c.Query("SELECT text, id FROM hub_ids WHERE text = ANY($1::text[])", {texts}, "hub ids");
  if (!found) return found.error();
  take(*found);
  std::string add = missing();
  if (add.empty()) return Status::Ok();
  // A text another transaction is adding at the same moment: a serialization failure (the
  // push is tried again), or, outside SERIALIZABLE, found by the second look.
  auto made = c.Query(
      "INSERT INTO hub_ids(text) SELECT unnest($1::text[]) ON CONFLICT (text) DO NOTHING "
      "RETURNING text, id",
      {add}, "hub ids");
  if (!made) return made.error();
  take(*made);
  add = missing();
  if (add.empty()) return Status::Ok();
  auto again =
      c.Query("SELECT text, id FROM hub_ids WHERE text = ANY($1::text[])", {add}, "hub ids");
  if (!again) return again.error();
  take(*again);
  if (!missing().empty()) return {ErrorCode::kInternal, "hub ids: an id of the log has no number"};
  return Status::Ok();
}

// Inserts the runs `runs` of `entries` with the numbers `ids`.
Status InsertRows(Conn& c, const std::vector<LogEntry>& entries,
                  const std::vector<std::pair<size_t, size_t>>& runs, const IdMap& ids) {
  if (runs.empty()) return Status::Ok();
  TextArray cols[22];
  std::string rest, value;
  std::vector<LogEntry> run;
  for (const auto& [first, end] : runs) {
    const LogEntry& e = entries[first];
    const RemoteOp& op = e.op;
    run.assign(entries.begin() + static_cast<std::ptrdiff_t>(first),
               entries.begin() + static_cast<std::ptrdiff_t>(end));
    rest.clear();
    hub_internal::AppendRestText(rest, run);
    value = op.value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    auto id = [&](const std::string& t) { return ids.at(t); };
    int i = 0;
    cols[i++].Add(id(op.origin_device));
    cols[i++].Add(op.seq);
    cols[i++].Add(e.server_seq);
    cols[i++].Add(op.hlc);
    cols[i++].Add(e.received_at);
    cols[i++].Add(id(e.commune_id));
    cols[i++].Add(id(e.pushed_by));
    cols[i++].Add(id(op.author));
    cols[i++].Add(static_cast<int64_t>(end - first));
    cols[i++].Add(e.served);
    cols[i++].Add(op.record_type);
    cols[i++].Add(op.record_id);
    cols[i++].Add(op.field);
    cols[i++].Add(value);
    cols[i++].Add(e.outcome);
    cols[i++].Add(e.reason);
    cols[i++].AddBytes(rest);
    // NULL for a column's usual value (pg_schema.cpp, step 5).
    auto add_or_null = [&](int64_t v, bool usual) {
      if (usual)
        cols[i++].AddNull();
      else
        cols[i++].Add(v);
    };
    add_or_null(op.base.hlc, op.base.hlc == 0);
    add_or_null(e.orig_hlc, e.orig_hlc == op.hlc);
    add_or_null(op.seen.hlc, op.seen.hlc == 0);
    add_or_null(id(op.base.device), op.base.device.empty());
    add_or_null(id(op.seen.device), op.seen.device.empty());
  }
  Params p;
  for (TextArray& a : cols) p.push_back(a.Take());
  static const std::string kInsert =
      "INSERT INTO hub_runs(origin, seq, server_seq, hlc, received_at, commune, pushed_by, "
      "author, n, served, record_type, record_id, field, value, outcome, reason, rest, "
      "base_hlc, orig_hlc, seen_hlc, base_device, seen_device) "
      "SELECT * FROM unnest($1::int[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], "
      "$6::int[], $7::int[], $8::int[], $9::smallint[], $10::boolean[], $11::text[], "
      "$12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::bytea[], "
      "$18::bigint[], $19::bigint[], $20::bigint[], $21::int[], $22::int[])";
  return c.Exec(kInsert, p, "hub log");
}

// A row of schema 4's hub_log (kV4Columns).
constexpr const char kV4Columns[] =
    "server_seq, origin_device, seq, record_type, record_id, field, value, base_hlc, "
    "base_device, hlc, orig_hlc, commune_id, served, outcome, reason, pushed_by, received_at, "
    "author, seen_hlc, seen_device";

// The op whose columns are those of kV4Columns from origin_device on, starting at column `at`
// of row `r`, with its server_seq in column 0: a schema-4 row (at = 1), or op 0 of a run row
// (kLogColumns, at = 3).
LogEntry OpColumnsAt(const Rows& q, int r, int at) {
  LogEntry e;
  e.server_seq = q.Int(r, 0);
  auto col = [at](int k) { return at + k - 1; };  // k: the column's place in kV4Columns
  const std::string_view value = q.View(r, col(6));
  e.op = {q.Text(r, col(1)),
          q.Int(r, col(2)),
          q.Text(r, col(3)),
          q.Text(r, col(4)),
          q.Text(r, col(5)),
          nlohmann::json::parse(value, nullptr, false),
          {q.Int(r, col(7)), q.Text(r, col(8))},
          q.Int(r, col(9)),
          q.Text(r, col(17)),
          {q.Int(r, col(18)), q.Text(r, col(19))}};
  e.value_bytes = value.size();
  e.orig_hlc = q.Int(r, col(10));
  e.commune_id = q.Text(r, col(11));
  e.served = q.Bool(r, col(12));
  e.outcome = q.Text(r, col(13));
  e.reason = q.Text(r, col(14));
  e.pushed_by = q.Text(r, col(15));
  e.received_at = q.Int(r, col(16));
  return e;
}

// A row of schema 4's hub_log.
LogEntry V4EntryAt(const Rows& q, int r) { return OpColumnsAt(q, r, 1); }

}  // namespace

const char kLogColumns[] =
    "server_seq, n, rest, origin_device, seq, record_type, record_id, field, value, base_hlc, "
    "base_device, hlc, orig_hlc, commune_id, served, outcome, reason, pushed_by, received_at, "
    "author, seen_hlc, seen_device";

std::string IdOf(const std::string& text_param) {
  return "COALESCE((SELECT id FROM hub_ids WHERE text = " + text_param + "), -1)";
}

Status ExpandRow(const Rows& q, int r, std::vector<LogEntry>& out) {
  std::vector<LogEntry> row;
  const int64_t n = q.Int(r, 1);
  row.reserve(static_cast<size_t>(std::max<int64_t>(n, 1)));
  const LogEntry& first = row.emplace_back(OpColumnsAt(q, r, 3));
  if (n > 1) {
    thread_local std::string rest;
    if (!BytesOf(q.View(r, 2), rest))
      return {ErrorCode::kCorrupt,
              "hub log: the row at " + std::to_string(first.server_seq) + " has no rest bytes"};
    if (Status s = hub_internal::ExpandRest(rest, n, row); !s) return s;
  }
  for (LogEntry& e : row) out.push_back(std::move(e));
  return Status::Ok();
}

Status InsertRuns(Conn& c, const std::vector<LogEntry>& entries) {
  const auto runs = RunsOf(entries);
  IdMap ids;
  if (Status s = IdsOf(c, entries, runs, ids); !s) return s;
  return InsertRows(c, entries, runs, ids);
}

Status AppendLogRows(Conn& c, std::vector<LogEntry>& entries) {
  if (entries.empty()) return Status::Ok();
  // The runs and their ids before the lock (server seqs are consecutive whatever they are).
  for (size_t i = 0; i < entries.size(); ++i) entries[i].server_seq = static_cast<int64_t>(i);
  const auto runs = RunsOf(entries);
  IdMap ids;
  if (Status s = IdsOf(c, entries, runs, ids); !s) return s;
  if (Status s = c.Simple(kPublishLock, "log lock"); !s) return s;
  // Only holders of the lock draw from the sequence, so these n values are consecutive.
  auto last = c.Query("SELECT setval('hub_log_seq', nextval('hub_log_seq') + $1 - 1)",
                      {Int(static_cast<int64_t>(entries.size()))}, "log seqs");
  if (!last) return last.error();
  int64_t seq = last->Int(0, 0) - static_cast<int64_t>(entries.size()) + 1;
  for (LogEntry& e : entries) e.server_seq = seq++;
  return InsertRows(c, entries, runs, ids);
}

Result<int64_t> LastServerSeq(Conn& c) {
  // The last seq handed out (no index on server_seq alone: pg_schema.cpp, step 5). Only
  // holders of the publish lock draw, each one per op it inserts, so it is the log's end, or
  // past it after a publishing transaction rolled back: a cursor is never taken for expired
  // that the log holds (ParseCursor).
  auto r =
      c.Query("SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM hub_log_seq",
              {}, "hub log end");
  if (!r) return r.error();
  return r->Int(0, 0);
}

Status UpgradeLogToRuns(Conn& c) {
  static const std::string kBatch = std::string("SELECT ") + kV4Columns +
                                    " FROM hub_log_v4 WHERE server_seq > $1 ORDER BY server_seq "
                                    "LIMIT " +
                                    std::to_string(kUpgradeBatch);
  std::vector<LogEntry> entries;  // the batch, after the run the last batch left open
  int64_t after = std::numeric_limits<int64_t>::min();
  for (;;) {
    auto rows = c.Query(kBatch, {Int(after)}, "upgrading the log");
    if (!rows) return rows.error();
    for (int r = 0; r < rows->size(); ++r) entries.push_back(V4EntryAt(*rows, r));
    const bool last_batch = rows->size() < kUpgradeBatch;
    if (entries.empty()) break;
    after = entries.back().server_seq;
    // The last run may go on in the next batch: it waits for it.
    auto runs = RunsOf(entries);
    const size_t keep = last_batch ? entries.size() : runs.back().first;
    if (!last_batch) runs.pop_back();
    IdMap ids;
    if (Status s = IdsOf(c, entries, runs, ids); !s) return s;
    if (Status s = InsertRows(c, entries, runs, ids); !s) return s;
    entries.erase(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(keep));
    if (last_batch) break;
  }
  return Status::Ok();
}

}  // namespace gocua::pg
