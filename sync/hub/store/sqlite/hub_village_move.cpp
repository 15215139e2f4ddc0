// SqliteHubStore::MoveVillage: a village and its records to another commune
// (sync/hub/store/village_move.h), in one transaction on the SQLite store.
#include <set>

#include "sync/hub/store/sqlite/hub_internal.h"
#include "sync/hub/store/sqlite/hub_store_impl.h"
#include "sync/hub/store/sqlite/sqlite_txn.h"
#include "sync/hub/store/village_move.h"

namespace gocua {

using hub_internal::MovedRecord;

namespace {

// The records that follow village ?1, in the order they are re-offered: parents before the
// records that name them.
constexpr const char* kFollowers[][2] = {
    {"household", "SELECT id FROM households WHERE village_id = ?1 ORDER BY id"},
    {"person",
     "SELECT id FROM persons WHERE household_id IN "
     "(SELECT id FROM households WHERE village_id = ?1) ORDER BY id"},
    {"visit",
     "SELECT id FROM visits WHERE household_id IN "
     "(SELECT id FROM households WHERE village_id = ?1) ORDER BY id"},
    {"review",
     "SELECT id FROM reviews WHERE visit_id IN (SELECT id FROM visits WHERE household_id IN "
     "(SELECT id FROM households WHERE village_id = ?1)) ORDER BY id"},
};

Status Gather(Database::Impl& d, const std::string& village_id, std::vector<MovedRecord>& out) {
  out.push_back({FindRecordDef("village"), village_id});
  std::set<std::pair<std::string, std::string>> moved = {{"village", village_id}};
  for (const auto& [type, sql] : kFollowers) {
    Status st;
    auto q = d.Prepare(sql, &st);
    if (!q) return st;
    q->Bind(1, village_id);
    int rc;
    while ((rc = q->Step()) == SQLITE_ROW) {
      out.push_back({FindRecordDef(type), q->Text(0)});
      moved.insert({type, q->Text(0)});
    }
    if (rc != SQLITE_DONE) return d.Error("village move", rc);
  }
  // Conflicts on any of them.
  Status st;
  auto q = d.Prepare("SELECT id, record_type, record_id FROM conflicts ORDER BY id", &st);
  if (!q) return st;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW)
    if (moved.count({q->Text(1), q->Text(2)}))
      out.push_back({FindRecordDef("conflict"), q->Text(0)});
  if (rc != SQLITE_DONE) return d.Error("village move", rc);
  return Status::Ok();
}

Status Rescope(Database::Impl& d, const std::vector<MovedRecord>& records,
               const std::string& commune) {
  for (const MovedRecord& r : records) {
    if (Status s = hub_internal::SetScope(d, std::string(r.def->type), r.id, commune, true); !s)
      return s;
  }
  return Status::Ok();
}

}  // namespace

Result<VillageMove> SqliteHubStore::MoveVillage(const std::string& village_id,
                                                const std::string& to_commune_id) {
  Database::Impl& d = db_->impl();
  VillageMove out;
  Status st = hub_internal::Transact(d, [&]() -> Status {
    out = {};
    auto village = ReadRow(d, *FindRecordDef("village"), village_id);
    if (!village) return village.error();
    if (!village->exists || village->values["deleted"] != 0)
      return NotFound("Không có thôn — no such village " + village_id);
    auto commune = ReadRow(d, *FindRecordDef("commune"), to_commune_id);
    if (!commune) return commune.error();
    if (!commune->exists || commune->values["deleted"] != 0)
      return NotFound("Không có xã — no such commune " + to_commune_id);
    const std::string from = village->values["commune_id"].get<std::string>();
    if (from == to_commune_id)
      return InvalidInput("Thôn đã thuộc xã này — the village is already in that commune");
    std::vector<MovedRecord> records;
    if (Status s = Gather(d, village_id, records); !s) return s;
    if (Status s = Rescope(d, records, to_commune_id); !s) return s;
    hub_internal::ScopeCache scopes;  // the kept one is dropped below: scopes changed
    hub_internal::SqliteTxn txn(d, scopes);
    // The hub's own ops take their seqs from its change-log counter, as HubWrite's do.
    const std::function<int64_t()> next_seq = [&d] { return d.NextSeq(); };
    if (Status s = hub_internal::ReofferMoved(txn, d.device_id, next_seq, records, from,
                                              to_commune_id, &out);
        !s)
      return s;
    return txn.Finish();
  });
  scopes_.reset();  // the scopes it kept are wrong now (or the rollback undid some)
  if (!st) return st;
  return out;
}

}  // namespace gocua
