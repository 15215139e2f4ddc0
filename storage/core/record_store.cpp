// The record store: one idea, a record's row with its per-field stamps, read and written by
// its RecordDef, and what every such write keeps in step (the change log, the search index,
// household_order, the visit_* rows, a running batch through DerivedHook). At ~560 lines it is
// past the house's ~500 and left whole on purpose: PutRow, WriteFields and WriteHeld are the
// three write paths and share RefreshDerived, FeedsDerived and the SQL cache; splitting the
// upkeep from the writes would separate "what a write touches" from the writes that must stay
// in step with it ("Keep in step with RefreshDerived" below). The generic merge of a run of ops
// is already its own file (merge_batch.cpp), as is the value check (value_check.cpp).
#include "storage/core/record_store.h"

#include <algorithm>
#include <limits>
#include <map>
#include <mutex>
#include <set>

#include "base/json_text.h"
#include "storage/core/derived_hook.h"
#include "storage/core/merge_batch.h"
#include "storage/core/outbox_runs.h"
#include "storage/core/text.h"
#include "storage/core/value_check.h"

namespace gocua {
namespace {

// SQL for one record type, built once from its RecordDef.
struct TableSql {
  std::string select;  // rowid, fields..., deleted, stamps  WHERE id = ?1
  std::string insert;  // ?1 = id, ?2.. = fields, deleted, stamps
  std::string upsert;  // the same parameters
  json defaults;       // a missing record's values: every field's default and deleted = 0
  std::vector<json> default_values;  // the same by field index (HeldRow)
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
  sql.defaults = json::object();
  for (const FieldDef& f : def.fields) sql.defaults[f.name] = DefaultValue(f);
  sql.defaults["deleted"] = 0;
  for (const FieldDef& f : def.fields) sql.default_values.push_back(DefaultValue(f));
  sql.default_values.push_back(0);
  return cache.emplace(def.type, std::move(sql)).first->second;
}

// WriteHeld's UPDATE of the columns whose bits are set in `dirty` (bit i: field i, bit n:
// deleted) and the stamps: ?1.. the columns in field order, then stamps, then the rowid. Built
// once per type and set of columns (a pull writes the same few sets thousands of times); the
// string stays put for the process's life.
const std::string& UpdateSql(const RecordDef& def, uint64_t dirty) {
  static std::map<std::pair<const RecordDef*, uint64_t>, std::string> cache;
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  auto [it, fresh] = cache.try_emplace({&def, dirty});
  if (!fresh) return it->second;
  std::string& sql = it->second;
  sql = "UPDATE " + std::string(def.table) + " SET ";
  int k = 1;
  for (size_t i = 0; i <= def.fields.size(); ++i) {
    if (!(dirty >> i & 1)) continue;
    sql += FieldName(def, i);
    sql += " = ?" + std::to_string(k++) + ", ";
  }
  sql += "stamps = ?" + std::to_string(k) + " WHERE rowid = ?" + std::to_string(k + 1);
  return sql;
}

// Binds `v`, the value of field `f` (nullptr: "deleted"), as PutRow stores it.
void BindValue(Stmt& q, int col, const FieldDef* f, const json& v) {
  if (!f || f->kind == FieldKind::kInt) {
    q.Bind(col, v.get<int64_t>());
  } else if (f->kind == FieldKind::kJson) {
    q.Bind(col, v.dump());
  } else if (f->kind == FieldKind::kRef && v.get_ref<const std::string&>().empty()) {
    q.BindNull(col);
  } else {
    q.Bind(col, v.get_ref<const std::string&>());
  }
}

// BindValue without copies: text is bound SQLITE_STATIC, from `v` or from JSON text kept in
// `keep`. REQUIRES: `v` and `keep` (reserved, so it does not move) outlive the statement's
// next reset.
void BindStatic(sqlite3_stmt* q, int col, const FieldDef* f, const json& v,
                std::vector<std::string>& keep) {
  auto text = [&](const std::string& t) {
    sqlite3_bind_text(q, col, t.data(), static_cast<int>(t.size()), SQLITE_STATIC);
  };
  if (!f || f->kind == FieldKind::kInt) {
    sqlite3_bind_int64(q, col, v.get<int64_t>());
  } else if (f->kind == FieldKind::kJson) {
    // v.dump() without nlohmann's serializer (a third of this function's time): the same text,
    // the same exception on invalid UTF-8 (base/json_text.h).
    json_text::AppendValueText(keep.emplace_back(), v, json::error_handler_t::strict);
    text(keep.back());
  } else if (f->kind == FieldKind::kRef && v.get_ref<const std::string&>().empty()) {
    sqlite3_bind_null(q, col);
  } else {
    text(v.get_ref<const std::string&>());
  }
}

// Binds the stamps column made by StampsColumn: the binary form as a BLOB, JSON as text.
void BindStamps(sqlite3_stmt* q, int col, const std::string& bytes, sqlite3_destructor_type how) {
  const int n = static_cast<int>(bytes.size());
  if (!bytes.empty() && static_cast<unsigned char>(bytes[0]) == kBinaryStamps)
    sqlite3_bind_blob(q, col, bytes.data(), n, how);
  else
    sqlite3_bind_text(q, col, bytes.data(), n, how);
}

// Whether RefreshDerived reads `field` of a `type` record: the search index holds a
// household's head, address and phone and a person's name and household; household_order a
// household's village and head; the visit tables hold a visit's members, persons and topics;
// "deleted" removes or restores all of them. Keep in step with RefreshDerived.
bool FeedsDerived(const std::string& type, const std::string& field) {
  if (field == "deleted") return true;
  if (type == "household")
    return field == "head_name" || field == "address" || field == "phone" || field == "village_id";
  if (type == "person") return field == "name" || field == "household_id";
  if (type == "visit") return field == "members" || field == "persons" || field == "topics";
  return false;
}

// Whether RefreshDerived keeps anything for a `type` record. Keep in step with RefreshDerived.
bool KeepsDerived(std::string_view type) {
  return type == "household" || type == "person" || type == "visit";
}

// A live household's row of household_order (its village and HouseholdSortKey).
Status PutHouseholdOrder(Database::Impl& d, const std::string& id, const std::string& village_id,
                         const std::string& head_name) {
  Status st;
  auto q = d.Prepare(
      "INSERT OR REPLACE INTO household_order(household_id, village_id, sort_key) "
      "VALUES(?, ?, ?)",
      &st);
  if (!q) return st;
  q->Bind(1, id).Bind(2, village_id).Bind(3, HouseholdSortKey(head_name));
  int rc = q->Step();
  return rc == SQLITE_DONE ? Status::Ok() : d.Error("household order", rc);
}

// Whether a running batch, not RefreshDerived, writes what is derived from a `type` record:
// a visit's rows, for all the batch's visits at once, at its end and before it reads them
// (BulkDerived::WriteVisitRows); it is told of each write (Written).
bool BatchWritesDerived(const Database::Impl& d, std::string_view type) {
  return d.bulk && type == "visit";
}

// Search index and tables derived from visits. `fresh`: the record was just inserted, so
// nothing derived from it exists yet. REQUIRES: inside a transaction.
Status RefreshDerived(Database::Impl& d, const RecordDef& def, const std::string& id,
                      const StoredRow& row, bool fresh = false) {
  if (!d.derived) return Status::Ok();
  const std::string type = def.type;
  Status st;
  auto run = [&](std::unique_ptr<Stmt> q) -> Status {
    if (!q) return st;
    int rc = q->Step();
    return rc == SQLITE_DONE ? Status::Ok() : d.Error("derived " + type, rc);
  };
  const bool deleted = row.values.value("deleted", 0) != 0;
  if (type == "household") {
    Status s;
    if (deleted) {
      auto q = d.Prepare("DELETE FROM household_order WHERE household_id = ?1", &st);
      if (q) q->Bind(1, id);
      s = run(std::move(q));
    } else {
      s = PutHouseholdOrder(d, id, row.values["village_id"], row.values["head_name"]);
    }
    if (!s) return s;
  }
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
  if (type != "visit" || BatchWritesDerived(d, type)) return Status::Ok();
  // Keyed by the visit's rowid and the persons' and members' ref_keys (migration v13).
  for (const char* table : {"visit_members", "visit_persons", "visit_topics"}) {
    if (fresh) break;  // a pull's new visits: three deletes of nothing each
    auto q = d.Prepare(std::string("DELETE FROM ") + table + " WHERE visit = ?", &st);
    if (q) q->Bind(1, row.rowid);
    if (Status s = run(std::move(q)); !s) return s;
  }
  if (deleted) return Status::Ok();
  auto add_ref = [&](const char* insert, const std::string& ref) -> Status {
    auto key = d.Prepare("INSERT OR IGNORE INTO ref_keys(id) VALUES(?)", &st);
    if (key) key->Bind(1, ref);
    if (Status s = run(std::move(key)); !s) return s;
    auto q = d.Prepare(insert, &st);
    if (q) q->Bind(1, row.rowid).Bind(2, ref);
    return run(std::move(q));
  };
  for (const auto& m : row.values["members"]) {
    if (!m.is_string()) continue;
    if (Status s = add_ref("INSERT OR IGNORE INTO visit_members(visit, member) "
                           "VALUES(?1, (SELECT k FROM ref_keys WHERE id = ?2))",
                           m.get<std::string>());
        !s)
      return s;
  }
  for (const auto& p : row.values["persons"]) {
    if (!p.is_string()) continue;
    if (Status s = add_ref("INSERT OR IGNORE INTO visit_persons(visit, person) "
                           "VALUES(?1, (SELECT k FROM ref_keys WHERE id = ?2))",
                           p.get<std::string>());
        !s)
      return s;
  }
  for (const auto& [topic, result] : row.values["topics"].items()) {
    if (!result.is_string()) continue;
    auto q = d.Prepare(
        "INSERT OR REPLACE INTO visit_topics(visit, topic_id, result) VALUES(?, ?, ?)", &st);
    if (q) q->Bind(1, row.rowid).Bind(2, topic).Bind(3, result.get<std::string>());
    if (Status s = run(std::move(q)); !s) return s;
  }
  return Status::Ok();
}

}  // namespace

const json& WrittenValues::operator[](const char* name) const {
  static const json kNull;
  if (object_) {
    auto it = object_->find(name);
    return it == object_->end() ? kNull : *it;
  }
  const size_t i = FieldIndex(*held_->def, name);
  return i == kNoField ? kNull : held_->Value(i);
}

std::string HouseholdSortKey(const std::string& head_name) {
  return FoldForSearch(head_name) + '\x01' + head_name;
}

Status FillHouseholdOrder(Database::Impl& d) {
  Status st;
  auto read = d.Prepare("SELECT id, village_id, head_name FROM households WHERE deleted = 0", &st);
  if (!read) return st;
  int rc;
  while ((rc = read->Step()) == SQLITE_ROW)
    if (Status s = PutHouseholdOrder(d, read->Text(0), read->Text(1), read->Text(2)); !s) return s;
  return rc == SQLITE_DONE ? Status::Ok() : d.Error("household order", rc);
}

// What ReadRow gives for a record that is not there.
static StoredRow MissingRow(const RecordDef& def) {
  StoredRow row;
  row.values = SqlFor(def).defaults;
  return row;
}

Status RewriteStamps(Database::Impl& d) {
  for (const RecordDef& def : RecordDefs()) {
    // In rowid ranges of 1,000, read and then written: no write under an open read cursor.
    const std::string select = std::string("SELECT rowid, stamps FROM ") + def.table +
                               " WHERE rowid > ? ORDER BY rowid LIMIT 1000";
    const std::string update =
        std::string("UPDATE ") + def.table + " SET stamps = ? WHERE rowid = ?";
    RowStamps held;
    std::vector<std::pair<int64_t, std::string>> batch;
    for (int64_t after = std::numeric_limits<int64_t>::min();;) {
      batch.clear();
      Status st;
      {
        auto read = d.Prepare(select, &st);
        if (!read) return st;
        read->Bind(1, after);
        int rc;
        while ((rc = read->Step()) == SQLITE_ROW) {
          ParseStamps(def, read->Bytes(1), held);
          batch.emplace_back(read->Int(0), StampsColumn(def, held));
        }
        if (rc != SQLITE_DONE) return d.Error("rewrite stamps", rc);
      }
      if (batch.empty()) break;
      for (const auto& [rowid, bytes] : batch) {
        auto write = d.Prepare(update, &st);
        if (!write) return st;
        BindStamps(write->raw(), 1, bytes, SQLITE_STATIC);
        write->Bind(2, rowid);
        if (int rc = write->Step(); rc != SQLITE_DONE) return d.Error("rewrite stamps", rc);
      }
      after = batch.back().first;
    }
  }
  return Status::Ok();
}

Result<StoredRow> ReadRow(Database::Impl& d, const RecordDef& def, const std::string& id) {
  StoredRow row;
  Status st;
  const TableSql& sql = SqlFor(def);
  auto q = d.Prepare(sql.select, &st);
  if (!q) return st;
  q->Bind(1, id);
  int rc = q->Step();
  if (rc == SQLITE_DONE) {
    // Defaults only for a missing record (an existing one overwrites every value below),
    // copied from those made once per type: a sync reads every new record this way.
    return MissingRow(def);
  }
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
        row.values[f.name] = v.is_discarded() ? DefaultValue(f) : std::move(v);
        break;
      }
      default:
        row.values[f.name] = q->Text(col);  // NULL refs read as ""
    }
    ++col;
  }
  row.values["deleted"] = q->Int(col++);
  RowStamps held;  // either form of the column (storage/core/stamps_text.h)
  ParseStamps(def, q->Bytes(col), held);
  row.stamps = StampsJson(def, held);
  return row;
}

Status PutRow(Database::Impl& d, const RecordDef& def, const std::string& id, StoredRow& row) {
  Status st;
  if (d.bulk)
    if (Status s = d.bulk->Writing(def, id, row.exists, nullptr); !s) return s;
  {
    // A new record takes a plain INSERT, not the upsert: an upsert on a table with foreign keys
    // runs with a statement journal, and every statement savepoint inside a transaction makes
    // FTS5 flush its pending index data as a new segment, so a bulk add of N records wrote N
    // one-row segments (a third of an import's CPU time; docs/benchmarks.md).
    auto q = d.Prepare(row.exists ? SqlFor(def).upsert : SqlFor(def).insert, &st);
    if (!q) return st;
    q->Bind(1, id);
    int col = 2;
    for (const FieldDef& f : def.fields) BindValue(*q, col++, &f, row.values[f.name]);
    BindValue(*q, col++, nullptr, row.values["deleted"]);
    BindStamps(q->raw(), col, StampsColumn(def, row.stamps), SQLITE_TRANSIENT);
    int rc = q->Step();
    if (rc != SQLITE_DONE) return d.Error(std::string("write ") + def.type, rc);
  }
  const bool fresh = !row.exists;
  if (fresh) {
    row.rowid = sqlite3_last_insert_rowid(d.db);
    row.exists = true;
  }
  if (d.bulk && d.bulk->ReadsValues(def))
    d.bulk->Written(def, id, row.rowid, WrittenValues(row.values));
  return RefreshDerived(d, def, id, row, fresh);
}

Result<int> WriteLocal(Database::Impl& d, const RecordDef& def, const std::string& id,
                       const json& changes, bool fresh_checked) {
  if (!d.in_tx) return Status{ErrorCode::kInternal, "WriteLocal outside a transaction"};
  if (!IsRefId(id) || id.empty()) return InvalidInput(std::string(def.type) + ": invalid id");
  // A freshly minted id has no row: what ReadRow gives for a missing record, without the read.
  auto row = fresh_checked ? Result<StoredRow>(MissingRow(def)) : ReadRow(d, def, id);
  if (!row) return row.error();
  return WriteLocalRow(d, def, id, *row, changes, fresh_checked);
}

Result<int> WriteLocalRow(Database::Impl& d, const RecordDef& def, const std::string& id,
                          StoredRow& current, const json& changes, bool fresh_checked) {
  if (!d.in_tx) return Status{ErrorCode::kInternal, "WriteLocal outside a transaction"};
  if (!changes.is_object()) return InvalidInput("changes must be an object");
  if (!IsRefId(id) || id.empty()) return InvalidInput(std::string(def.type) + ": invalid id");
  StoredRow* row = &current;
  const bool is_new = !row->exists;
  static const FieldDef kDeleted{"deleted", FieldKind::kInt, 0};

  for (const auto& [name, value] : changes.items())
    if (name != "deleted" && !def.Field(name))
      return InvalidInput(std::string(def.type) + ": unknown field " + name);

  // Validate everything before writing anything. Entries go out in the RecordDef's field order.
  std::vector<std::pair<const FieldDef*, json>> accepted;
  // An undelete goes first: the hub takes an edit of a record it holds as deleted for one made
  // without seeing the delete (FindDeleteRace), and devices only edit records they hold alive.
  std::vector<const FieldDef*> order;
  const bool undelete = !is_new && row->values["deleted"] != 0 && changes.contains("deleted") &&
                        changes["deleted"] == 0;
  if (undelete) order.push_back(&kDeleted);
  for (const FieldDef& f : def.fields) order.push_back(&f);
  if (!undelete) order.push_back(&kDeleted);
  for (const FieldDef* f : order) {
    if (!changes.contains(f->name)) continue;
    const std::string name = f->name;
    const json& value = changes[name];
    auto checked = fresh_checked ? Result<json>(value) : CheckValue(def, *f, value);
    if (!checked) return checked.error();
    if (f == &kDeleted && *checked != 0 && *checked != 1)
      return InvalidInput(std::string(def.type) + ".deleted must be 0 or 1");
    if (!is_new && row->values[name] == *checked) continue;
    accepted.emplace_back(f, std::move(*checked));
  }
  if (accepted.empty()) return 0;

  // One change-log entry per accepted field, through one statement reset between rows. The
  // text bound with SQLITE_STATIC (values, base devices) lives in `dumped` and row->stamps,
  // which stay put until `q` has been reset and unbound. An import writes eight entries per
  // household, so this loop is the hottest of a bulk add (docs/benchmarks.md).
  std::vector<std::string> dumped;
  dumped.reserve(accepted.size());
  for (const auto& [f, value] : accepted)  // value.dump(), without nlohmann's serializer
    json_text::AppendValueText(dumped.emplace_back(), value, json::error_handler_t::strict);
  std::vector<HlcTime> hlcs;
  hlcs.reserve(accepted.size());
  static const std::string kNoDevice;
  Status st;
  // A delete says the highest stamp this device held on the record's other fields.
  Stamp seen;
  for (const auto& [name, stamp] : row->stamps.items()) {
    if (name == "deleted") continue;
    const Stamp s = FieldStamp(*row, name);
    if (StampAfter(s, seen)) seen = s;
  }
  if (d.compact_log) {  // a device: one run (storage/core/outbox_runs.h)
    std::vector<RunEntry> run;
    run.reserve(accepted.size());
    const int64_t first_seq = d.last_seq + 1;
    for (size_t i = 0; i < accepted.size(); ++i) {
      const FieldDef* f = accepted[i].first;
      RunEntry e;
      e.field = f->name;
      e.value = dumped[i];
      if (auto it = row->stamps.find(f->name); it != row->stamps.end()) {
        e.base_hlc = (*it)[0].get<int64_t>();
        e.base_device = (*it)[1].get_ref<const std::string&>();
      }
      e.hlc = d.NextHlc();
      hlcs.push_back(e.hlc);
      (void)d.NextSeq();  // first_seq + i
      if (f == &kDeleted && accepted[i].second == 1 && !is_new) {
        e.seen_hlc = seen.hlc;
        e.seen_device = seen.device;
      }
      run.push_back(e);
    }
    if (Status s = AppendRun(d, def.type, id, d.author, first_seq, run); !s) return s;
  } else {  // a hub: its own per-field table (sync/hub/store/sqlite/hub_schema_v1_v6.cpp)
    auto q = d.Prepare(
        "INSERT INTO outbox(seq, record_type, record_id, field, value, base_hlc, base_device, hlc, "
        "author, seen_hlc, seen_device) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        &st);
    if (!q) return st;
    sqlite3_stmt* outbox = q->raw();
    auto bind_static = [outbox](int i, const std::string& v) {
      sqlite3_bind_text(outbox, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    };
    for (size_t i = 0; i < accepted.size(); ++i) {
      const FieldDef* f = accepted[i].first;
      int64_t base_hlc = 0;  // the field's stamp before this edit; [0, ""] if never written
      const std::string* base_device = &kNoDevice;
      if (auto it = row->stamps.find(f->name); it != row->stamps.end()) {
        const json& stamp = *it;
        base_hlc = stamp[0].get<int64_t>();
        base_device = &stamp[1].get_ref<const std::string&>();
      }
      const HlcTime hlc = d.NextHlc();
      hlcs.push_back(hlc);
      if (i > 0) sqlite3_reset(outbox);
      sqlite3_bind_int64(outbox, 1, d.NextSeq());
      sqlite3_bind_text(outbox, 2, def.type, -1, SQLITE_STATIC);
      bind_static(3, id);
      sqlite3_bind_text(outbox, 4, f->name, -1, SQLITE_STATIC);
      bind_static(5, dumped[i]);
      sqlite3_bind_int64(outbox, 6, base_hlc);
      bind_static(7, *base_device);
      sqlite3_bind_int64(outbox, 8, hlc);
      bind_static(9, d.author);
      const bool is_delete = f == &kDeleted && accepted[i].second == 1 && !is_new;
      sqlite3_bind_int64(outbox, 10, is_delete ? seen.hlc : 0);
      bind_static(11, is_delete ? seen.device : kNoDevice);
      if (int rc = sqlite3_step(outbox); rc != SQLITE_DONE) return d.Error("change log", rc);
    }
    q.reset();  // reset and unbind before the bound text changes
  }
  std::set<std::string> written;
  for (size_t i = 0; i < accepted.size(); ++i) {
    auto& [f, value] = accepted[i];
    row->values[f->name] = std::move(value);
    row->stamps[f->name] = json::array({hlcs[i], d.device_id});
    written.insert(f->name);
  }
  // An edit writes only its columns and refreshes derived data only if one of them feeds it
  // (WriteFields). The whole-row upsert of PutRow ran with a statement journal and always
  // rewrote a person's search row, which put FTS5 in the transaction: every later statement
  // savepoint then flushed it (a visit's save raising two persons' skills spent a third of its
  // CPU there, docs/benchmarks.md).
  const Status s = is_new ? PutRow(d, def, id, *row) : WriteFields(d, def, id, *row, written);
  if (!s) return s;
  return static_cast<int>(accepted.size());
}

std::string StampsColumn(const RecordDef& def, const json& stamps) {
  RowStamps held;
  StampsFromJson(def, stamps, held);
  return StampsColumn(def, held);
}

Stamp FieldStamp(const StoredRow& row, const std::string& field) {
  auto it = row.stamps.find(field);
  if (it == row.stamps.end() || !it->is_array() || it->size() != 2 ||
      !(*it)[0].is_number_integer() || !(*it)[1].is_string())
    return {};
  return {(*it)[0].get<int64_t>(), (*it)[1].get<std::string>()};
}

Status WriteFields(Database::Impl& d, const RecordDef& def, const std::string& id, StoredRow& row,
                   const std::set<std::string>& fields) {
  if (!row.exists) return PutRow(d, def, id, row);
  if (fields.empty()) return Status::Ok();
  // Only these columns and the stamps are written (a whole-row upsert rewrote every column and
  // every index entry of the row), and derived data is refreshed only if it reads one of them.
  // Sync applies ops record by record, so this is the hottest write of sync
  // (docs/benchmarks.md, "Sync benchmarks"). The statement is cached per set of columns.
  std::string sql = "UPDATE " + std::string(def.table) + " SET ";
  int n = 1;
  bool derived = false;
  for (const std::string& f : fields) {
    if (f != "deleted" && !def.Field(f))
      return InvalidInput(std::string(def.type) + ": unknown field " + f);
    sql += f + " = ?" + std::to_string(n++) + ", ";
    derived = derived || FeedsDerived(def.type, f);
  }
  sql += "stamps = ?" + std::to_string(n) + " WHERE rowid = ?" + std::to_string(n + 1);
  if (d.bulk)
    if (Status s = d.bulk->Writing(def, id, true, &fields); !s) return s;
  Status st;
  auto q = d.Prepare(sql, &st);
  if (!q) return st;
  n = 1;
  for (const std::string& f : fields)
    BindValue(*q, n++, f == "deleted" ? nullptr : def.Field(f), row.values[f]);
  BindStamps(q->raw(), n, StampsColumn(def, row.stamps), SQLITE_TRANSIENT);
  q->Bind(n + 1, row.rowid);
  if (int rc = q->Step(); rc != SQLITE_DONE) return d.Error(std::string("write ") + def.type, rc);
  q.reset();
  if (d.bulk && d.bulk->ReadsValues(def))
    d.bulk->Written(def, id, row.rowid, WrittenValues(row.values));
  return derived ? RefreshDerived(d, def, id, row) : Status::Ok();
}

Result<MergeDecision> MergeRemote(Database::Impl& d, const RemoteOp& op, json* current_value,
                                  Stamp* current_stamp) {
  MergeBatch batch(d);
  auto decision = batch.Merge(op, current_value, current_stamp);
  if (!decision) return decision;
  if (Status st = batch.Flush(); !st) return st;
  return decision;
}

HeldStatements::OfType& HeldStatements::Of(const RecordDef& def) {
  for (OfType& t : types)
    if (t.def == &def) return t;
  types.emplace_back().def = &def;
  return types.back();
}

namespace {

// What ReadHeld gives for a missing record of `def` (its storage reused).
void MissingHeld(const RecordDef& def, HeldRow& row) {
  row.def = &def;
  row.defaults = &SqlFor(def).default_values;
  row.exists = false;
  row.rowid = 0;
  row.values.resize(def.fields.size() + 1);
  row.has_value = 0;
  row.stamps.Reset(def);
}

// The statement for `sql`: kept in `slot` when there is one (prepared on first use), else
// prepared into `own`. A kept statement that may write finds the triggers on, as Prepare
// makes sure for a statement it hands out (sqlite_db.h, triggers_parked).
Stmt* HeldStatement(Database::Impl& d, const std::string& sql, std::unique_ptr<Stmt>* slot,
                    std::unique_ptr<Stmt>& own, Status* st) {
  std::unique_ptr<Stmt>& q = slot ? *slot : own;
  if (!q) {
    q = d.Prepare(sql, st);
    return q.get();
  }
  if (d.triggers_parked && !d.bulk && !sqlite3_stmt_readonly(q->raw()))
    if (Status on = d.UnparkTriggers(); !on) {
      *st = on;
      return nullptr;
    }
  return q.get();
}

// Resets a kept statement after its use (an own one is reset when it goes away).
struct ResetAfter {
  Stmt* q;
  bool kept;
  ~ResetAfter() {
    if (q && kept) sqlite3_reset(q->raw());
  }
};

}  // namespace

Status ReadHeld(Database::Impl& d, const RecordDef& def, const std::string& id, HeldRow& row,
                HeldStatements* kept) {
  const TableSql& sql = SqlFor(def);
  const size_t n = def.fields.size();
  MissingHeld(def, row);
  Status st;
  std::unique_ptr<Stmt> own;
  Stmt* q = HeldStatement(d, sql.select, kept ? &kept->Of(def).select : nullptr, own, &st);
  if (!q) return st;
  const ResetAfter reset{q, kept != nullptr};
  q->Bind(1, id);
  int rc = q->Step();
  if (rc == SQLITE_DONE) return Status::Ok();  // missing: every value its default
  if (rc != SQLITE_ROW) return d.Error(std::string("read ") + def.type, rc);
  row.exists = true;
  row.rowid = q->Int(0);
  sqlite3_stmt* raw = q->raw();
  auto text = [raw](int col) {
    const unsigned char* t = sqlite3_column_text(raw, col);
    return t ? std::string_view(reinterpret_cast<const char*>(t),
                                static_cast<size_t>(sqlite3_column_bytes(raw, col)))
             : std::string_view();
  };
  for (size_t i = 0; i < n; ++i) {
    const FieldDef& f = def.fields[i];
    const int col = static_cast<int>(i) + 1;
    switch (f.kind) {
      case FieldKind::kInt:
        row.Set(i, q->Int(col));
        break;
      case FieldKind::kJson: {
        json v = json::parse(text(col), nullptr, false);
        if (v.is_discarded()) v = sql.default_values[i];
        row.Set(i, std::move(v));
        break;
      }
      default:
        row.Set(i, std::string(text(col)));  // NULL refs read as ""
    }
  }
  row.Set(n, q->Int(static_cast<int>(n) + 1));
  ParseStamps(def, q->Bytes(static_cast<int>(n) + 2), row.stamps);
  return Status::Ok();
}

StoredRow ToStoredRow(const HeldRow& row) {
  const RecordDef& def = *row.def;
  StoredRow out;
  out.exists = row.exists;
  out.rowid = row.rowid;
  for (size_t i = 0; i <= def.fields.size(); ++i) out.values[FieldName(def, i)] = row.Value(i);
  out.stamps = StampsJson(def, row.stamps);
  return out;
}

Status WriteHeld(Database::Impl& d, const std::string& id, HeldRow& row, uint64_t dirty,
                 HeldStatements* kept) {
  if (dirty == 0) return Status::Ok();
  const RecordDef& def = *row.def;
  const size_t n = def.fields.size();
  const bool fresh = !row.exists;
  bool refresh = d.derived && fresh && KeepsDerived(def.type);  // PutRow refreshes a new row
  Status st;
  if (fresh) {
    // As PutRow: the whole row, by plain INSERT.
    if (d.bulk)
      if (Status s = d.bulk->Writing(def, id, false, nullptr); !s) return s;
    std::vector<std::string> own_keep;  // outlives q (declared first)
    std::vector<std::string>& keep = kept ? kept->keep : own_keep;
    keep.clear();
    keep.reserve(n + 1);  // no reallocation below: the text stays put
    const std::string stamps = StampsColumn(def, row.stamps);
    std::unique_ptr<Stmt> own;
    Stmt* q = HeldStatement(d, SqlFor(def).insert, kept ? &kept->Of(def).insert : nullptr, own,
                            &st);
    if (!q) return st;
    const ResetAfter reset{q, kept != nullptr};
    q->Bind(1, id);
    for (size_t i = 0; i <= n; ++i)
      BindStatic(q->raw(), static_cast<int>(i) + 2, i < n ? &def.fields[i] : nullptr, row.Value(i),
                 keep);
    BindStamps(q->raw(), static_cast<int>(n) + 3, stamps, SQLITE_STATIC);
    int rc = q->Step();
    if (rc != SQLITE_DONE) return d.Error(std::string("write ") + def.type, rc);
    row.rowid = sqlite3_last_insert_rowid(d.db);
    row.exists = true;
  } else {
    // As WriteFields: only these columns and the stamps; derived data only if one feeds it.
    if (d.derived || d.bulk) {
      std::set<std::string> names;  // for BulkDerived::Writing
      for (size_t i = 0; i <= n; ++i) {
        if (!(dirty >> i & 1)) continue;
        const char* name = FieldName(def, i);
        refresh = refresh || (d.derived && FeedsDerived(def.type, name));
        if (d.bulk) names.insert(name);
      }
      if (d.bulk)
        if (Status s = d.bulk->Writing(def, id, true, &names); !s) return s;
    }
    std::vector<std::string> keep;  // outlives q (declared first)
    keep.reserve(n + 1);
    const std::string stamps = StampsColumn(def, row.stamps);
    auto q = d.Prepare(UpdateSql(def, dirty), &st);
    if (!q) return st;
    int k = 1;
    for (size_t i = 0; i <= n; ++i)
      if (dirty >> i & 1)
        BindStatic(q->raw(), k++, i < n ? &def.fields[i] : nullptr, row.Value(i), keep);
    BindStamps(q->raw(), k, stamps, SQLITE_STATIC);
    q->Bind(k + 1, row.rowid);
    if (int rc = q->Step(); rc != SQLITE_DONE) return d.Error(std::string("write ") + def.type, rc);
  }
  // A running batch reads the typed row as it is; no json object is made for it.
  if (d.bulk && d.bulk->ReadsValues(def)) d.bulk->Written(def, id, row.rowid, WrittenValues(row));
  if (!refresh || BatchWritesDerived(d, def.type)) return Status::Ok();
  // RefreshDerived reads the values as the json object StoredRow holds (not the stamps); they
  // are moved there, the row's last use.
  StoredRow stored;
  stored.exists = true;
  stored.rowid = row.rowid;
  for (size_t i = 0; i <= n; ++i)
    stored.values[FieldName(def, i)] =
        row.has_value >> i & 1 ? std::move(row.values[i]) : (*row.defaults)[i];
  row.has_value = 0;
  return RefreshDerived(d, def, id, stored, fresh);
}

}  // namespace gocua
