// ReplaceVisitRows (storage/device/derived_writes.h): the visit_members / visit_persons /
// visit_topics rows of a batch's visits, keyed by integers (migration v13: the visit's rowid,
// the person's or member's ref_keys).
#include <algorithm>
#include <unordered_map>

#include "storage/device/derived_writes.h"

namespace gocua {
namespace {

// Each id of a batch's rows → its key in ref_keys (0 until known). A pull names the same
// few members and persons in thousands of rows: each id is hashed, never compared along its
// long shared prefix (UUIDv7) in a sort or a search over all the rows.
using KeyOf = std::unordered_map<std::string_view, int64_t>;

Status Step(Database::Impl& d, Stmt& q, const char* what) {
  const int rc = q.Step();
  return rc == SQLITE_DONE ? Status::Ok() : d.Error(what, rc);
}

// Fills in the key of every id of *key_of from ref_keys, making one for those without.
Status RefKeys(Database::Impl& d, KeyOf* key_of) {
  if (key_of->empty()) return Status::Ok();
  // In id order: the lookups walk the unique index forwards, the new keys go in that order.
  std::vector<std::string_view> ids;
  ids.reserve(key_of->size());
  for (const auto& [id, key] : *key_of) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  Status st;
  {
    auto q =
        d.Prepare("SELECT id, k FROM ref_keys WHERE id IN (SELECT value FROM json_each(?1))", &st);
    if (!q) return st;
    q->Bind(1, IdArray(ids));
    int rc;
    while ((rc = q->Step()) == SQLITE_ROW) {
      if (auto it = key_of->find(q->Bytes(0)); it != key_of->end()) it->second = q->Int(1);
    }
    if (rc != SQLITE_DONE) return d.Error("ref_keys", rc);
  }
  for (std::string_view id : ids) {
    int64_t& key = (*key_of)[id];
    if (key != 0) continue;  // a key is a rowid: never 0 (made here, from 1 up)
    auto q = d.Prepare("INSERT INTO ref_keys(id) VALUES(?1)", &st);
    if (!q) return st;
    sqlite3_bind_text(q->raw(), 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
    if (Status s = Step(d, *q, "ref_keys"); !s) return s;
    key = sqlite3_last_insert_rowid(d.db);
  }
  return Status::Ok();
}

// `rows` as (visit, key) cells in key order, each id turned into its key.
std::vector<Cell> KeyedCells(const std::vector<VisitRef>& rows, const KeyOf& key_of) {
  std::vector<std::pair<int64_t, int64_t>> pairs;
  pairs.reserve(rows.size());
  for (const VisitRef& r : rows) pairs.emplace_back(r.visit, key_of.at(r.ref));
  std::sort(pairs.begin(), pairs.end());
  std::vector<Cell> cells;
  cells.reserve(pairs.size() * 2);
  for (const auto& [visit, key] : pairs) cells.insert(cells.end(), {visit, key});
  return cells;
}

}  // namespace

Status ReplaceVisitRows(Database::Impl& d, const std::vector<int64_t>& cleared,
                        const std::vector<VisitRef>& members, const std::vector<VisitRef>& persons,
                        const std::vector<Cell>& topics) {
  // Keyed by the visit's rowid and the persons' and members' ref_keys (migration v13).
  if (!cleared.empty()) {
    std::string rowids = "[";
    for (int64_t v : cleared) rowids += (rowids.size() > 1 ? "," : "") + std::to_string(v);
    rowids += "]";
    for (const char* sql :
         {"DELETE FROM visit_members WHERE visit IN (SELECT value FROM json_each(?1))",
          "DELETE FROM visit_persons WHERE visit IN (SELECT value FROM json_each(?1))",
          "DELETE FROM visit_topics WHERE visit IN (SELECT value FROM json_each(?1))"}) {
      Status st;
      auto q = d.Prepare(sql, &st);
      if (!q) return st;
      q->Bind(1, rowids);
      if (Status s = Step(d, *q, "derived tables"); !s) return s;
    }
  }
  // Every person and member named gets its key first.
  KeyOf key_of;
  for (const auto* rows : {&members, &persons})
    for (const VisitRef& r : *rows) key_of.try_emplace(r.ref, 0);
  if (Status st = RefKeys(d, &key_of); !st) return st;
  // As RefreshDerived writes them: INSERT OR IGNORE, and OR REPLACE for a topic's result.
  if (Status st = InsertRows(d, "INSERT OR IGNORE INTO visit_members(visit, member)", 2,
                             KeyedCells(members, key_of), "", "visit_members");
      !st)
    return st;
  if (Status st = InsertRows(d, "INSERT OR IGNORE INTO visit_persons(visit, person)", 2,
                             KeyedCells(persons, key_of), "", "visit_persons");
      !st)
    return st;
  return InsertRows(d, "INSERT OR REPLACE INTO visit_topics(visit, topic_id, result)", 3, topics,
                    "", "visit_topics");
}

}  // namespace gocua
