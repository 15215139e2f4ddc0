// PgHubStore::MoveVillage: a village and its records to another commune
// (sync/hub/store/village_move.h), in one SERIALIZABLE transaction on the PostgreSQL store.
#include <set>

#include "sync/hub/store/postgresql/pg_records.h"
#include "sync/hub/store/postgresql/pg_store.h"
#include "sync/hub/store/village_move.h"

namespace gocua::pg {

using hub_internal::MovedRecord;

namespace {

// The records that follow village $1, in the order they are re-offered: parents before the
// records that name them.
constexpr const char* kFollowers[][2] = {
    {"household", "SELECT id FROM households WHERE village_id = $1 ORDER BY id COLLATE \"C\""},
    {"person",
     "SELECT id FROM persons WHERE household_id IN "
     "(SELECT id FROM households WHERE village_id = $1) ORDER BY id COLLATE \"C\""},
    {"visit",
     "SELECT id FROM visits WHERE household_id IN "
     "(SELECT id FROM households WHERE village_id = $1) ORDER BY id COLLATE \"C\""},
    {"review",
     "SELECT id FROM reviews WHERE visit_id IN (SELECT id FROM visits WHERE household_id IN "
     "(SELECT id FROM households WHERE village_id = $1)) ORDER BY id COLLATE \"C\""},
};

Status Gather(Conn& c, const std::string& village_id, std::vector<MovedRecord>& out) {
  out.push_back({FindRecordDef("village"), village_id});
  std::set<std::pair<std::string, std::string>> moved = {{"village", village_id}};
  for (const auto& [type, sql] : kFollowers) {
    auto r = c.Query(sql, {village_id}, "village move");
    if (!r) return r.error();
    for (int i = 0; i < r->size(); ++i) {
      out.push_back({FindRecordDef(type), r->Text(i, 0)});
      moved.insert({type, r->Text(i, 0)});
    }
  }
  // Conflicts on any of them.
  auto r = c.Query("SELECT id, record_type, record_id FROM conflicts ORDER BY id COLLATE \"C\"", {},
                   "village move");
  if (!r) return r.error();
  for (int i = 0; i < r->size(); ++i)
    if (moved.count({r->Text(i, 1), r->Text(i, 2)}))
      out.push_back({FindRecordDef("conflict"), r->Text(i, 0)});
  return Status::Ok();
}

}  // namespace

Result<VillageMove> PgHubStore::MoveVillage(const std::string& village_id,
                                            const std::string& to_commune_id) {
  VillageMove out;
  Status st = Write([&](PgTxn& txn) -> Status {
    out = {};
    auto village = ReadRecord(*c_, *FindRecordDef("village"), village_id);
    if (!village) return village.error();
    if (!village->exists || village->values["deleted"] != 0)
      return NotFound("Không có thôn — no such village " + village_id);
    auto commune = ReadRecord(*c_, *FindRecordDef("commune"), to_commune_id);
    if (!commune) return commune.error();
    if (!commune->exists || commune->values["deleted"] != 0)
      return NotFound("Không có xã — no such commune " + to_commune_id);
    const std::string from = village->values["commune_id"].get<std::string>();
    if (from == to_commune_id)
      return InvalidInput("Thôn đã thuộc xã này — the village is already in that commune");
    std::vector<MovedRecord> records;
    if (Status s = Gather(*c_, village_id, records); !s) return s;
    // New scopes before the transaction's first ScopeOf (PgTxn keeps what it found).
    for (const MovedRecord& r : records)
      if (Status s = c_->Exec(
              "INSERT INTO hub_scope(record_type, record_id, commune_id) VALUES($1, $2, $3) "
              "ON CONFLICT(record_type, record_id) DO UPDATE SET commune_id = excluded.commune_id",
              {std::string(r.def->type), r.id, to_commune_id}, "village move");
          !s)
        return s;
    auto last = txn.OriginMaxSeq(ids_.hub_id);
    if (!last) return last.error();
    int64_t seq = *last;
    const std::function<int64_t()> next_seq = [&seq] { return ++seq; };
    return hub_internal::ReofferMoved(txn, ids_.hub_id, next_seq, records, from, to_commune_id,
                                      &out);
  });
  if (!st) return st;
  return out;
}

}  // namespace gocua::pg
