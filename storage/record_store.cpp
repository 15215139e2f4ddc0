#include "storage/record_store.h"

#include <map>
#include <mutex>

#include "storage/text.h"

namespace gocua {
namespace {

// SQL for one record type, built once from its RecordDef.
struct TableSql {
  std::string select;  // rowid, fields..., deleted, stamps  WHERE id = ?1
  std::string insert;  // ?1 = id, ?2.. = fields, deleted, stamps
  std::string upsert;  // the same parameters
};

const TableSql& SqlFor(const RecordDef& def) {
  static std::map<std::string, TableSql> cache;  // filled on first use of each type
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(def.type);
  if (it != cache.end()) return it->second;
  std::string cols, params, updates;
  int n = 2;
  auto add = [&](const std::string& c) {
    cols += ", " + c;
    params += ", ?" + std::to_string(n++);
    updates += (updates.empty() ? "" : ", ") + c + " = excluded." + c;
  };
  for (const FieldDef& f : def.fields) add(f.name);
  add("deleted");
  add("stamps");
  TableSql sql;
  sql.select = "SELECT rowid" + cols + " FROM " + def.table + " WHERE id = ?1";
  sql.insert =
      "INSERT INTO " + std::string(def.table) + "(id" + cols + ") VALUES(?1" + params + ")";
  sql.upsert = sql.insert + " ON CONFLICT(id) DO UPDATE SET " + updates;
  return cache.emplace(def.type, std::move(sql)).first->second;
}

bool IsDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[static_cast<size_t>(i)] < '0' || s[static_cast<size_t>(i)] > '9') return false;
  int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool IsRefId(const std::string& s) {
  if (s.size() > 40) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' || c == '_')) return false;
  return true;
}

Status Bad(const RecordDef& def, const FieldDef& f, const std::string& why) {
  return InvalidInput(std::string(def.type) + "." + f.name + ": " + why);
}

// Search index and tables derived from visits. REQUIRES: inside a transaction.
Status RefreshDerived(Database::Impl& d, const RecordDef& def, const std::string& id,
                      const StoredRow& row) {
  const std::string type = def.type;
  Status st;
  auto run = [&](std::unique_ptr<Stmt> q) -> Status {
    if (!q) return st;
    int rc = q->Step();
    return rc == SQLITE_DONE ? Status::Ok() : d.Error("derived " + type, rc);
  };
  const bool deleted = row.values.value("deleted", 0) != 0;
  if (type == "household" || type == "person") {
    const int64_t fts_rowid = row.rowid * 2 + (type == "person" ? 1 : 0);
    if (deleted) {
      auto q = d.Prepare("DELETE FROM search WHERE rowid = ?", &st);
      if (q) q->Bind(1, fts_rowid);
      return run(std::move(q));
    }
    const json& v = row.values;
    std::string body = type == "person" ? FoldForSearch(v["name"].get<std::string>())
                                        : FoldForSearch(v["head_name"].get<std::string>() + " " +
                                                        v["address"].get<std::string>() + " " +
                                                        v["phone"].get<std::string>());
    std::string household = type == "person" ? v["household_id"].get<std::string>() : id;
    auto q =
        d.Prepare("INSERT OR REPLACE INTO search(rowid, body, household_id) VALUES(?, ?, ?)", &st);
    if (q) q->Bind(1, fts_rowid).Bind(2, body).Bind(3, household);
    return run(std::move(q));
  }
  if (type != "visit") return Status::Ok();
  for (const char* table : {"visit_members", "visit_persons", "visit_topics"}) {
    auto q = d.Prepare(std::string("DELETE FROM ") + table + " WHERE visit_id = ?", &st);
    if (q) q->Bind(1, id);
    if (Status s = run(std::move(q)); !s) return s;
  }
  if (deleted) return Status::Ok();
  for (const auto& m : row.values["members"]) {
    if (!m.is_string()) continue;
    auto q =
        d.Prepare("INSERT OR IGNORE INTO visit_members(visit_id, member_id) VALUES(?, ?)", &st);
    if (q) q->Bind(1, id).Bind(2, m.get<std::string>());
    if (Status s = run(std::move(q)); !s) return s;
  }
  for (const auto& p : row.values["persons"]) {
    if (!p.is_string()) continue;
    auto q =
        d.Prepare("INSERT OR IGNORE INTO visit_persons(visit_id, person_id) VALUES(?, ?)", &st);
    if (q) q->Bind(1, id).Bind(2, p.get<std::string>());
    if (Status s = run(std::move(q)); !s) return s;
  }
  for (const auto& [topic, result] : row.values["topics"].items()) {
    if (!result.is_string()) continue;
    auto q = d.Prepare(
        "INSERT OR REPLACE INTO visit_topics(visit_id, topic_id, result) VALUES(?, ?, ?)", &st);
    if (q) q->Bind(1, id).Bind(2, topic).Bind(3, result.get<std::string>());
    if (Status s = run(std::move(q)); !s) return s;
  }
  return Status::Ok();
}

}  // namespace

Result<StoredRow> ReadRow(Database::Impl& d, const RecordDef& def, const std::string& id) {
  StoredRow row;
  for (const FieldDef& f : def.fields) row.values[f.name] = DefaultValue(f);
  row.values["deleted"] = 0;
  Status st;
  auto q = d.Prepare(SqlFor(def).select, &st);
  if (!q) return st;
  q->Bind(1, id);
  int rc = q->Step();
  if (rc == SQLITE_DONE) return row;
  if (rc != SQLITE_ROW) return d.Error(std::string("read ") + def.type, rc);
  row.exists = true;
  row.rowid = q->Int(0);
  int col = 1;
  for (const FieldDef& f : def.fields) {
    switch (f.kind) {
      case FieldKind::kInt:
        row.values[f.name] = q->Int(col);
        break;
      case FieldKind::kJson: {
        json v = json::parse(q->Text(col), nullptr, false);
        row.values[f.name] = v.is_discarded() ? DefaultValue(f) : v;
        break;
      }
      default:
        row.values[f.name] = q->Text(col);  // NULL refs read as ""
    }
    ++col;
  }
  row.values["deleted"] = q->Int(col++);
  json stamps = json::parse(q->Text(col), nullptr, false);
  if (stamps.is_object()) row.stamps = std::move(stamps);
  return row;
}

Result<json> CheckValue(const RecordDef& def, const FieldDef& f, const json& v) {
  switch (f.kind) {
    case FieldKind::kInt:
      if (!v.is_number_integer()) return Bad(def, f, "phải là số nguyên — must be an integer");
      return v;
    case FieldKind::kJson:
      if (!v.is_array() && !v.is_object())
        return Bad(def, f, "phải là mảng hoặc đối tượng JSON — must be a JSON array or object");
      return v;
    case FieldKind::kDate: {
      if (!v.is_string() || !(v.get<std::string>().empty() || IsDate(v.get<std::string>())))
        return Bad(def, f, "ngày không hợp lệ, cần dạng YYYY-MM-DD — invalid date");
      return v;
    }
    case FieldKind::kRef:
      if (!v.is_string() || !IsRefId(v.get<std::string>()))
        return Bad(def, f, "mã bản ghi không hợp lệ — invalid record id");
      return v;
    case FieldKind::kText: {
      if (!v.is_string()) return Bad(def, f, "phải là chuỗi — must be a string");
      auto nfc = ToNfc(v.get<std::string>());
      if (!nfc) return Bad(def, f, "không phải văn bản UTF-8 hợp lệ — not valid UTF-8");
      const bool multiline = f.max_chars >= 1000;
      for (unsigned char c : *nfc)
        if (c < 0x20 && !(multiline && (c == '\n' || c == '\t')))
          return Bad(def, f, "có ký tự điều khiển — contains a control character");
      if (CodePointCount(*nfc) > static_cast<size_t>(f.max_chars))
        return Bad(def, f,
                   "dài quá " + std::to_string(f.max_chars) + " ký tự — longer than " +
                       std::to_string(f.max_chars) + " characters");
      return json(*nfc);
    }
  }
  return Bad(def, f, "unknown kind");
}

Status PutRow(Database::Impl& d, const RecordDef& def, const std::string& id, StoredRow& row) {
  Status st;
  {
    // A new record takes a plain INSERT, not the upsert: an upsert on a table with foreign keys
    // runs with a statement journal, and every statement savepoint inside a transaction makes
    // FTS5 flush its pending index data as a new segment, so a bulk add of N records wrote N
    // one-row segments and spent most of its time merging them (docs/benchmarks.md).
    auto q = d.Prepare(row.exists ? SqlFor(def).upsert : SqlFor(def).insert, &st);
    if (!q) return st;
    q->Bind(1, id);
    int col = 2;
    for (const FieldDef& f : def.fields) {
      const json& v = row.values[f.name];
      if (f.kind == FieldKind::kInt) {
        q->Bind(col, v.get<int64_t>());
      } else if (f.kind == FieldKind::kJson) {
        q->Bind(col, v.dump());
      } else if (f.kind == FieldKind::kRef && v.get<std::string>().empty()) {
        q->BindNull(col);
      } else {
        q->Bind(col, v.get<std::string>());
      }
      ++col;
    }
    q->Bind(col++, row.values["deleted"].get<int64_t>());
    q->Bind(col, row.stamps.dump());
    int rc = q->Step();
    if (rc != SQLITE_DONE) return d.Error(std::string("write ") + def.type, rc);
  }
  if (!row.exists) {
    row.rowid = sqlite3_last_insert_rowid(d.db);
    row.exists = true;
  }
  return RefreshDerived(d, def, id, row);
}

Result<int> WriteLocal(Database::Impl& d, const RecordDef& def, const std::string& id,
                       const json& changes) {
  if (!d.in_tx) return Status{ErrorCode::kInternal, "WriteLocal outside a transaction"};
  if (!changes.is_object()) return InvalidInput("changes must be an object");
  if (!IsRefId(id) || id.empty()) return InvalidInput(std::string(def.type) + ": invalid id");
  auto row = ReadRow(d, def, id);
  if (!row) return row.error();
  const bool is_new = !row->exists;
  static const FieldDef kDeleted{"deleted", FieldKind::kInt, 0};

  // Validate everything before writing anything.
  std::vector<std::pair<const FieldDef*, json>> accepted;
  for (const auto& [name, value] : changes.items()) {
    const FieldDef* f = name == "deleted" ? &kDeleted : def.Field(name);
    if (!f) return InvalidInput(std::string(def.type) + ": unknown field " + name);
    auto checked = CheckValue(def, *f, value);
    if (!checked) return checked.error();
    if (f == &kDeleted && *checked != 0 && *checked != 1)
      return InvalidInput(std::string(def.type) + ".deleted must be 0 or 1");
    if (!is_new && row->values[name] == *checked) continue;
    accepted.emplace_back(f, std::move(*checked));
  }
  if (accepted.empty()) return 0;

  Status st;
  for (auto& [f, value] : accepted) {
    const json base = row->stamps.contains(f->name) ? row->stamps[f->name] : json::array({0, ""});
    const HlcTime hlc = d.NextHlc();
    auto q = d.Prepare(
        "INSERT INTO outbox(seq, record_type, record_id, field, value, base_hlc, base_device, hlc) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
        &st);
    if (!q) return st;
    q->Bind(1, d.NextSeq())
        .Bind(2, def.type)
        .Bind(3, id)
        .Bind(4, f->name)
        .Bind(5, value.dump())
        .Bind(6, base[0].get<int64_t>())
        .Bind(7, base[1].get<std::string>())
        .Bind(8, hlc);
    if (int rc = q->Step(); rc != SQLITE_DONE) return d.Error("change log", rc);
    row->values[f->name] = std::move(value);
    row->stamps[f->name] = json::array({hlc, d.device_id});
  }
  if (Status s = PutRow(d, def, id, *row); !s) return s;
  return static_cast<int>(accepted.size());
}

}  // namespace gocua
