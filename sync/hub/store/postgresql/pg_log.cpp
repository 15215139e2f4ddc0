// The PostgreSQL hub store's server log (pg_log.h).
#include "sync/hub/store/postgresql/pg_log.h"

namespace gocua::pg {
namespace {

// The publish lock: a constant of this store ("gocua-hub log").
constexpr const char* kPublishLock = "SELECT pg_advisory_xact_lock(7316001)";

// PostgreSQL's array literal of texts.
class TextArray {
 public:
  void Add(const std::string& v) {
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
  std::string Take() { return std::move(text_) + "}"; }

 private:
  std::string text_;
};

}  // namespace

const char kLogColumns[] =
    "server_seq, origin_device, seq, record_type, record_id, field, value, base_hlc, "
    "base_device, hlc, orig_hlc, commune_id, served, outcome, reason, pushed_by, received_at, "
    "author, seen_hlc, seen_device";

hub_internal::LogEntry EntryAt(const Rows& q, int r) {
  hub_internal::LogEntry e;
  e.server_seq = q.Int(r, 0);
  const std::string_view value = q.View(r, 6);
  e.op = {q.Text(r, 1),
          q.Int(r, 2),
          q.Text(r, 3),
          q.Text(r, 4),
          q.Text(r, 5),
          nlohmann::json::parse(value, nullptr, false),
          {q.Int(r, 7), q.Text(r, 8)},
          q.Int(r, 9),
          q.Text(r, 17),
          {q.Int(r, 18), q.Text(r, 19)}};
  e.value_bytes = value.size();
  e.orig_hlc = q.Int(r, 10);
  e.commune_id = q.Text(r, 11);
  e.served = q.Bool(r, 12);
  e.outcome = q.Text(r, 13);
  e.reason = q.Text(r, 14);
  e.pushed_by = q.Text(r, 15);
  e.received_at = q.Int(r, 16);
  return e;
}

Status AppendLogRows(Conn& c, std::vector<hub_internal::LogEntry>& entries) {
  if (entries.empty()) return Status::Ok();
  if (Status s = c.Simple(kPublishLock, "log lock"); !s) return s;
  // Only holders of the lock draw from the sequence, so these n values are consecutive.
  auto last = c.Query("SELECT setval('hub_log_seq', nextval('hub_log_seq') + $1 - 1)",
                      {Int(static_cast<int64_t>(entries.size()))}, "log seqs");
  if (!last) return last.error();
  int64_t seq = last->Int(0, 0) - static_cast<int64_t>(entries.size()) + 1;
  TextArray cols[20];
  for (hub_internal::LogEntry& e : entries) {
    e.server_seq = seq++;
    const RemoteOp& op = e.op;
    int i = 0;
    cols[i++].Add(e.server_seq);
    cols[i++].Add(op.origin_device);
    cols[i++].Add(op.seq);
    cols[i++].Add(op.record_type);
    cols[i++].Add(op.record_id);
    cols[i++].Add(op.field);
    cols[i++].Add(op.value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    cols[i++].Add(op.base.hlc);
    cols[i++].Add(op.base.device);
    cols[i++].Add(op.hlc);
    cols[i++].Add(e.orig_hlc);
    cols[i++].Add(e.commune_id);
    cols[i++].Add(e.served);
    cols[i++].Add(e.outcome);
    cols[i++].Add(e.reason);
    cols[i++].Add(e.pushed_by);
    cols[i++].Add(e.received_at);
    cols[i++].Add(op.author);
    cols[i++].Add(op.seen.hlc);
    cols[i++].Add(op.seen.device);
  }
  Params p;
  for (TextArray& a : cols) p.push_back(a.Take());
  static const std::string kInsert =
      std::string("INSERT INTO hub_log(") + kLogColumns +
      ") SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], "
      "$6::text[], $7::text[], $8::bigint[], $9::text[], $10::bigint[], $11::bigint[], "
      "$12::text[], $13::boolean[], $14::text[], $15::text[], $16::text[], $17::bigint[], "
      "$18::text[], $19::bigint[], $20::text[])";
  return c.Exec(kInsert, p, "hub log");
}

Result<int64_t> LastServerSeq(Conn& c) {
  auto r = c.Query("SELECT COALESCE(max(server_seq), 0) FROM hub_log", {}, "hub log end");
  if (!r) return r.error();
  return r->Int(0, 0);
}

}  // namespace gocua::pg
