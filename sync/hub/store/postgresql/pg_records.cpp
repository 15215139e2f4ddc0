// Record tables generated from the schema (pg_records.h).
#include "sync/hub/store/postgresql/pg_records.h"

#include <map>
#include <mutex>
#include <set>

#include "storage/core/stamps_text.h"

namespace gocua::pg {
namespace {

// SQL for one record type, built once from its RecordDef.
struct RecordSql {
  std::string select;  // fields..., deleted, stamps  WHERE id = $1
  std::string upsert;  // $1 = id, $2.. = fields, deleted, stamps
  std::string all;     // id, fields..., deleted  ORDER BY id (bytewise)
};

const RecordSql& SqlFor(const RecordDef& def) {
  static std::map<std::string, RecordSql> cache;
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(def.type); it != cache.end()) return it->second;
  std::string cols, params, updates;
  int n = 2;
  auto add = [&](const std::string& c) {
    cols += ", " + Ident(c);
    params += ", $" + std::to_string(n++);
    updates += (updates.empty() ? "" : ", ") + Ident(c) + " = EXCLUDED." + Ident(c);
  };
  for (const FieldDef& f : def.fields) add(f.name);
  add("deleted");
  add("stamps");
  const std::string table = Ident(def.table);
  RecordSql sql;
  sql.select = "SELECT " + cols.substr(2) + " FROM " + table + " WHERE id = $1";
  sql.upsert = "INSERT INTO " + table + "(id" + cols + ") VALUES($1" + params +
               ") ON CONFLICT (id) DO UPDATE SET " + updates;
  std::string fields;
  for (const FieldDef& f : def.fields) fields += ", " + Ident(f.name);
  sql.all = "SELECT id" + fields + ", deleted FROM " + table + " ORDER BY id COLLATE \"C\"";
  return cache.emplace(def.type, std::move(sql)).first->second;
}

// The column's SQL type and default: how `f` is stored.
std::string ColumnType(const FieldDef& f) {
  const nlohmann::json d = DefaultValue(f);
  if (f.kind == FieldKind::kInt)
    return "bigint NOT NULL DEFAULT " + std::to_string(d.get<int64_t>());
  std::string text = f.kind == FieldKind::kJson ? d.dump() : d.get<std::string>();
  std::string quoted;
  for (char ch : text) quoted += ch == '\'' ? std::string("''") : std::string(1, ch);
  return "text NOT NULL DEFAULT '" + quoted + "'";
}

// Field `f`'s value as stored (nullptr: "deleted").
std::string Stored(const FieldDef* f, const nlohmann::json& v) {
  if (!f || f->kind == FieldKind::kInt) return std::to_string(v.get<int64_t>());
  if (f->kind == FieldKind::kJson) return v.dump();
  return v.get<std::string>();
}

// The value read back from column `col` of `rows`' row `r` for field `f`.
nlohmann::json Loaded(const FieldDef& f, const Rows& rows, int r, int col) {
  if (f.kind == FieldKind::kInt) return rows.Int(r, col);
  if (f.kind == FieldKind::kJson) {
    nlohmann::json v = nlohmann::json::parse(rows.View(r, col), nullptr, false);
    return v.is_discarded() ? DefaultValue(f) : v;
  }
  return rows.Text(r, col);
}

// `bytes` as a bytea parameter in text form: \x and two hex digits a byte.
std::string ByteaText(const std::string& bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + 2 * bytes.size());
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

int HexDigit(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// The bytes of a bytea column read in text form ("\x..." hex, PostgreSQL's default output);
// "" for anything else (no stamps).
std::string ByteaBytes(std::string_view text) {
  std::string out;
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) return out;
  out.reserve((text.size() - 2) / 2);
  for (size_t i = 2; i < text.size(); i += 2) {
    const int hi = HexDigit(text[i]), lo = HexDigit(text[i + 1]);
    if (hi < 0 || lo < 0) return {};
    out += static_cast<char>(hi << 4 | lo);
  }
  return out;
}

}  // namespace

std::string Ident(const std::string& name) { return "\"" + name + "\""; }

Status EnsureRecordTables(Conn& c) {
  // Only what is missing is altered: ALTER TABLE locks the table, even for a column it has,
  // and other hubs may be serving it.
  auto have = c.Query(
      "SELECT table_name || '.' || column_name FROM information_schema.columns "
      "WHERE table_schema = current_schema()",
      {}, "record columns");
  if (!have) return have.error();
  std::set<std::string> columns;
  for (int i = 0; i < have->size(); ++i) columns.insert(have->Text(i, 0));
  for (const RecordDef& def : RecordDefs()) {
    const std::string table = Ident(def.table);
    std::string ddl = "CREATE TABLE IF NOT EXISTS " + table +
                      "(id text PRIMARY KEY, deleted bigint NOT NULL DEFAULT 0, "
                      "stamps bytea NOT NULL DEFAULT '\\x7b7d')";  // '{}' until written
    if (!columns.count(std::string(def.table) + ".id"))
      if (Status s = c.Simple(ddl.c_str(), "record table"); !s) return s;
    for (const FieldDef& f : def.fields) {
      if (columns.count(std::string(def.table) + "." + f.name)) continue;
      ddl = "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS " + Ident(f.name) + " " +
            ColumnType(f);
      if (Status s = c.Simple(ddl.c_str(), "record column"); !s) return s;
    }
  }
  return Status::Ok();
}

Result<StoredRow> ReadRecord(Conn& c, const RecordDef& def, const std::string& id) {
  auto rows = c.Query(SqlFor(def).select, {id}, def.type);
  if (!rows) return rows.error();
  StoredRow row;
  if (rows->empty()) {
    for (const FieldDef& f : def.fields) row.values[f.name] = DefaultValue(f);
    row.values["deleted"] = 0;
    return row;
  }
  row.exists = true;
  int col = 0;
  for (const FieldDef& f : def.fields) row.values[f.name] = Loaded(f, *rows, 0, col++);
  row.values["deleted"] = rows->Int(0, col++);
  // The record store's column (stamps_text.h): binary since PostgreSQL hub schema 4, or the
  // JSON text of older rows, kept as bytes until the record is next written.
  RowStamps stamps;
  ParseStamps(def, ByteaBytes(rows->View(0, col)), stamps);
  row.stamps = StampsJson(def, stamps);
  return row;
}

Status WriteRecord(Conn& c, const RecordDef& def, const std::string& id, const StoredRow& row) {
  Params p;
  p.reserve(def.fields.size() + 3);
  p.push_back(id);
  for (const FieldDef& f : def.fields) p.push_back(Stored(&f, row.values.at(f.name)));
  p.push_back(Stored(nullptr, row.values.at("deleted")));
  RowStamps stamps;
  StampsFromJson(def, row.stamps, stamps);
  p.push_back(ByteaText(StampsColumn(def, stamps)));
  return c.Exec(SqlFor(def).upsert, p, def.type);
}

Result<std::string> ExportRecords(Conn& c) {
  auto dump = [](const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  std::string out = "{\"format\":\"gocua-export\",\"version\":1,\"records\":{";
  bool first_type = true;
  for (const RecordDef& def : RecordDefs()) {
    auto rows = c.Query(SqlFor(def).all, {}, "export");
    if (!rows) return rows.error();
    out += std::string(first_type ? "\n" : ",\n") + "\"" + def.type + "\":[";
    first_type = false;
    for (int r = 0; r < rows->size(); ++r) {
      nlohmann::json rec = nlohmann::json::object();  // std::map-backed: keys come out sorted
      int col = 1;
      for (const FieldDef& f : def.fields) rec[f.name] = Loaded(f, *rows, r, col++);
      rec["deleted"] = rows->Int(r, col);
      rec["id"] = rows->Text(r, 0);
      out += (r ? ",\n" : "\n") + dump(rec);
    }
    out += "]";
  }
  out += "\n}}\n";
  return out;
}

}  // namespace gocua::pg
