// The view hub_ops and the table hub_fields (hub_ops_view.h).
#include "sync/hub/store/sqlite/hub_ops_view.h"

#include "storage/core/schema.h"
#include "storage/core/stamps_text.h"
#include "sync/hub/store/log_words.h"

namespace gocua::hub_internal {
namespace {

// The byte at 1-based position `pos` of the blob `blob`, 0..255, in plain SQL (no unhex before
// 3.41).
std::string Byte(const std::string& blob, const std::string& pos) {
  const std::string h = "hex(substr(" + blob + ", " + pos + ", 1))";
  return "(instr('123456789ABCDEF', substr(" + h + ", 1, 1)) * 16 + instr('123456789ABCDEF', " +
         "substr(" + h + ", 2, 1)))";
}

// A canonical UUID's text from the 32 hex digits `h` (an SQL expression).
std::string Uuid(const std::string& h) {
  return "lower(substr(" + h + ", 1, 8) || '-' || substr(" + h + ", 9, 4) || '-' || substr(" + h +
         ", 13, 4) || '-' || substr(" + h + ", 17, 4) || '-' || substr(" + h + ", 21, 12))";
}

// The length L of an op that starts at `pos` of `blob` and the bytes L takes (1 or 2).
std::string OpLen(const std::string& blob, const std::string& pos) {
  const std::string b0 = Byte(blob, pos), b1 = Byte(blob, pos + " + 1");
  return "(CASE WHEN " + b0 + " < 128 THEN " + b0 + " ELSE " + b0 + " - 128 + " + b1 +
         " * 128 END)";
}
std::string OpLenBytes(const std::string& blob, const std::string& pos) {
  return "(CASE WHEN " + Byte(blob, pos) + " < 128 THEN 1 ELSE 2 END)";
}

// The quoted UUIDs of `count` 16-byte blocks from `from` of `blob`, joined by commas.
std::string UuidList(const std::string& blob, const std::string& from, const std::string& count) {
  const std::string vhex = "hex(substr(" + blob + ", " + from + ", 16 * " + count + "))";
  return "(WITH RECURSIVE u(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM u WHERE j + 1 < " + count +
         ") SELECT group_concat('\"' || " + Uuid("substr(" + vhex + ", 1 + 32 * j, 32)") +
         " || '\"', ',') FROM u)";
}

// The JSON text of a value (log_binary.h) whose tag is at `v` of `blob`, `vlen` bytes after it;
// `author` the run's author's text (tags 6 and 7).
std::string Value(const std::string& blob, const std::string& v_expr, const std::string& vlen_expr,
                  const std::string& author) {
  const std::string v = "(" + v_expr + ")", vlen = "(" + vlen_expr + ")";
  const std::string tag = Byte(blob, v);
  const std::string vhex = "hex(substr(" + blob + ", " + v + " + 1, " + vlen + "))";
  const std::string x1 = Byte(blob, v + " + 1"), x2 = Byte(blob, v + " + 2"),
                    x3 = Byte(blob, v + " + 3");
  const std::string day = "(CASE " + vlen + " WHEN 1 THEN " + x1 + " WHEN 2 THEN " + x1 +
                          " - 128 + " + x2 + " * 128 ELSE " + x1 + " - 128 + (" + x2 +
                          " - 128) * 128 + " + x3 + " * 16384 END)";
  auto word = [](const std::string& code) {
    return "(SELECT word FROM hub_words WHERE code = " + code + ")";
  };
  return "CASE " + tag + " WHEN 0 THEN CAST(substr(" + blob + ", " + v + " + 1, " + vlen +
         ") AS TEXT) WHEN 1 THEN '\"' || " + Uuid(vhex) + " || '\"' WHEN 2 THEN '[' || " +
         UuidList(blob, v + " + 1", vlen + " / 16") + " || ']' WHEN 3 THEN '\"' || date((" + day +
         " + 10957) * 86400, 'unixepoch') || '\"' WHEN 4 THEN '\"' || " + word(x1) +
         " || '\"' WHEN 6 THEN '\"' || " + author + " || '\"' WHEN 7 THEN '[\"' || " + author +
         " || '\"' || CASE WHEN " + vlen + " = 0 THEN '' ELSE ',' || " +
         UuidList(blob, v + " + 1", vlen + " / 16") +
         " END || ']' ELSE (WITH RECURSIVE u(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM u WHERE "
         "j + 1 < " +
         vlen + " / 2) SELECT '{' || group_concat('\"' || " + word(Byte(blob, v + " + 1 + 2 * j")) +
         " || '\":\"' || " + word(Byte(blob, v + " + 2 + 2 * j")) +
         " || '\"', ',') || '}' FROM u) END";
}

}  // namespace

std::string HubOpsViewSql() {
  // bin walks a binary rest op by op: p = where op k's length L starts (1-based, after the
  // form byte and, in form 0x02, op 0). Then L and its size, the field code, the step (1..3
  // varint bytes) and the value.
  const std::string len = OpLen("b.rest", "b.p"), hdr = OpLenBytes("b.rest", "b.p");
  const std::string first = "(CASE WHEN substr(rest, 1, 1) = x'02' THEN 2 + " +
                            OpLenBytes("rest", "2") + " + " + OpLen("rest", "2") + " ELSE 2 END)";
  const std::string c0 = Byte("b.rest", "b.s + 1"), c1 = Byte("b.rest", "b.s + 2"),
                    c2 = Byte("b.rest", "b.s + 3");
  const std::string step = "(CASE WHEN " + c0 + " < 128 THEN " + c0 + " WHEN " + c1 +
                           " < 128 THEN " + c0 + " - 128 + " + c1 + " * 128 ELSE " + c0 +
                           " - 128 + (" + c1 + " - 128) * 128 + " + c2 + " * 16384 END)";
  const std::string slen =
      "(CASE WHEN " + c0 + " < 128 THEN 1 WHEN " + c1 + " < 128 THEN 2 ELSE 3 END)";
  const std::string code = Byte("b.rest", "b.s");
  const std::string value = Value("b.rest", "b.v", "b.vlen", "b.a");
  return std::string(R"SQL(CREATE VIEW hub_ops AS
  WITH RECURSIVE
  bin(server_seq, n, k, p, rest, a) AS (
    SELECT server_seq, n, 0, )SQL") +
         first + R"SQL(, rest, (SELECT text FROM hub_ids WHERE id = author) FROM hub_runs
      WHERE n > 1 AND typeof(rest) = 'blob'
    UNION ALL
    SELECT b.server_seq, b.n, b.k + 1, b.p + )SQL" +
         hdr + " + " + len + R"SQL(, b.rest, b.a FROM bin b WHERE b.k + 2 < b.n),
  bin_s(server_seq, k, rest, a, s, l) AS (
    SELECT b.server_seq, b.k, b.rest, b.a, b.p + )SQL" +
         hdr + ", " + len + R"SQL( FROM bin b),
  bin_v(server_seq, k, rest, a, s, code, step, v, vlen) AS (
    SELECT b.server_seq, b.k, b.rest, b.a, b.s, )SQL" +
         code + ", " + step + ", b.s + 1 + " + slen + ", b.l - 2 - " + slen +
         R"SQL( FROM bin_s b),
  bin_ops(server_seq, k, code, step, value) AS (
    SELECT b.server_seq, b.k, b.code, b.step, )SQL" +
         value + R"SQL( FROM bin_v b)
  SELECT server_seq, origin_device, seq, record_type, record_id, field, value, base_hlc,
    base_device, hlc, orig_hlc, commune_id, served, outcome, reason, pushed_by, received_at,
    author, seen_hlc, seen_device FROM hub_log
  UNION ALL
  SELECT l.server_seq + 1 + o.k, l.origin_device, l.seq + 1 + o.k, l.record_type,
    l.record_id, f.name, o.value, 0, '', l.hlc + o.step, l.hlc + o.step, l.commune_id, l.served,
    l.outcome, '', l.pushed_by, l.received_at, l.author, 0, ''
  FROM bin_ops o JOIN hub_log l ON l.server_seq = o.server_seq
    LEFT JOIN hub_fields f ON f.record_type = l.record_type AND f.code = o.code
  UNION ALL
  SELECT l.server_seq + 1 + r.key, l.origin_device, l.seq + 1 + r.key, l.record_type,
    l.record_id, r.value ->> 0, r.value -> 1,
    CASE WHEN json_array_length(r.value) = 3 THEN 0 ELSE r.value ->> 2 END,
    CASE WHEN json_array_length(r.value) = 3 THEN '' ELSE r.value ->> 3 END,
    CASE WHEN json_array_length(r.value) = 3 THEN l.hlc + (r.value ->> 2) ELSE r.value ->> 4 END,
    CASE WHEN json_array_length(r.value) = 3 THEN l.hlc + (r.value ->> 2) ELSE r.value ->> 5 END,
    l.commune_id, l.served,
    CASE WHEN json_array_length(r.value) = 3 THEN l.outcome ELSE r.value ->> 6 END,
    CASE WHEN json_array_length(r.value) = 3 THEN '' ELSE r.value ->> 7 END,
    l.pushed_by, l.received_at,
    CASE WHEN json_array_length(r.value) = 3 THEN l.author ELSE r.value ->> 8 END,
    CASE WHEN json_array_length(r.value) = 3 THEN 0 ELSE r.value ->> 9 END,
    CASE WHEN json_array_length(r.value) = 3 THEN '' ELSE r.value ->> 10 END
  FROM hub_log l, json_each(l.rest) r WHERE l.n > 1 AND typeof(l.rest) <> 'blob')SQL";
}

std::string HubLogViewSql() {
  const std::string h = "hex(r.record_id)";
  // A row of form 0x02 (log_binary.h): op 0's field and value from its rest.
  const std::string head = "typeof(r.rest) = 'blob' AND substr(r.rest, 1, 1) = x'02'";
  const std::string hdr = OpLenBytes("r.rest", "2"), len = OpLen("r.rest", "2");
  return R"SQL(CREATE VIEW hub_log AS
  SELECT r.server_seq AS server_seq, r.n AS n, r.rest AS rest, o.text AS origin_device,
    r.seq AS seq, r.record_type AS record_type,
    CASE WHEN typeof(r.record_id) = 'blob' THEN )SQL" +
         Uuid(h) + R"SQL( ELSE r.record_id END AS record_id,
    CASE WHEN )SQL" +
         head +
         " THEN (SELECT name FROM hub_fields f WHERE f.record_type = r.record_type AND f.code = " +
         Byte("r.rest", "2 + " + hdr) + R"SQL() ELSE r.field END AS field,
    CASE WHEN )SQL" +
         head + " THEN " + Value("r.rest", "3 + " + hdr, len + " - 2", "a.text") +
         R"SQL( ELSE r.value END AS value, r.base_hlc AS base_hlc, bd.text AS base_device,
    r.hlc AS hlc, CASE WHEN r.orig_hlc = 0 THEN r.hlc ELSE r.orig_hlc END AS orig_hlc,
    c.text AS commune_id, r.served AS served, r.outcome AS outcome,
    r.reason AS reason, p.text AS pushed_by, r.received_at AS received_at, a.text AS author,
    r.seen_hlc AS seen_hlc, sd.text AS seen_device, r.record_id AS record_key,
    r.field AS field_key, r.value AS value_key
  FROM hub_runs r JOIN hub_ids o ON o.id = r.origin JOIN hub_ids bd ON bd.id = r.base_device
    JOIN hub_ids c ON c.id = r.commune JOIN hub_ids p ON p.id = r.pushed_by
    JOIN hub_ids a ON a.id = r.author JOIN hub_ids sd ON sd.id = r.seen_device)SQL";
}

Status FillHubWords(Database::Impl& d) {
  if (Status s = d.Exec(
          "CREATE TABLE IF NOT EXISTS hub_words(code INTEGER PRIMARY KEY, word TEXT NOT NULL)");
      !s)
    return s;
  for (size_t i = 0; i < kLogWordCount; ++i) {
    Status st;
    auto q = d.Prepare("INSERT OR IGNORE INTO hub_words(code, word) VALUES(?, ?)", &st);
    if (!q) return st;
    q->Bind(1, static_cast<int64_t>(i)).Bind(2, std::string(kLogWords[i]));
    if (const int rc = q->Step(); rc != SQLITE_DONE) return d.Error("hub words", rc);
  }
  return Status::Ok();
}

Status FillHubFields(Database::Impl& d) {
  if (Status s = d.Exec(
          "CREATE TABLE IF NOT EXISTS hub_fields(record_type TEXT NOT NULL, code INTEGER NOT "
          "NULL, name TEXT NOT NULL, PRIMARY KEY(record_type, code)) WITHOUT ROWID");
      !s)
    return s;
  for (const RecordDef& def : RecordDefs()) {
    for (size_t i = 0; i <= def.fields.size() && i < 127; ++i) {
      Status st;
      auto q = d.Prepare(
          "INSERT OR IGNORE INTO hub_fields(record_type, code, name) VALUES(?, ?, ?)", &st);
      if (!q) return st;
      q->Bind(1, std::string(def.type))
          .Bind(2, static_cast<int64_t>(i + 1))
          .Bind(3, std::string(FieldName(def, i)));
      if (const int rc = q->Step(); rc != SQLITE_DONE) return d.Error("hub fields", rc);
    }
  }
  return Status::Ok();
}

}  // namespace gocua::hub_internal
