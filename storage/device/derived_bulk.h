#pragma once
// Derived tables for a batch of writes. The dashboard's tables (visit_latest,
// visit_latest_members, person_online, topic_day, member_day, household_span, person_span) are
// kept by SQL triggers that fire per row (storage/core/migrations.cpp, v3–v7). A batch of thousands
// of records — a pulled page, a household import — pays them per row (10,000 visits with their
// visit_* rows: 1.75 s of SQLite with the triggers, 0.38 s without; docs/benchmarks.md). A
// BulkDerived turns the connection's triggers off for the batch, is told of every record the
// batch writes, and at Finish() brings those tables, for the keys the batch touched only, to
// the state the triggers would have left:
//  - visit_latest, visit_latest_members, household_span: recomputed for the households written
//    and the households of the visits written as they were before; a household that only gained
//    visits (a new visit, or one moved to it) has its rows widened by them in place, as the
//    triggers do for a new visit — a pull is mostly that, and recomputing would read every
//    visit the household ever had;
//  - person_span: likewise, recomputed for the persons of the visits written as they were before
//    and of every visit of a household written, widened for a person only gained;
//  - person_online: recomputed for the persons written and the persons of a household written;
//  - topic_day, member_day: each key moved by the batch's net change (what the written visits
//    counted before the batch taken away, what they count now added), never recounted.
// The one difference from the triggers: a day-sum key that a visit only passed through within
// the batch (e.g. its day changed twice) gets no row, where the triggers leave one with n = 0.
// No figure reads a row with n = 0.
//
// Use, inside one Database::Impl::Transact body:
//   BulkDerived derived(d);
//   if (Status st = derived.Begin(); !st) return st;
//   ... writes through WriteLocal / PutRow / WriteFields / MergeBatch ...
//   if (Status st = derived.Finish(); !st) return st;
//
// REQUIRES: inside d.Transact for its whole life; one at a time per connection. While it lives,
// every write to households, persons and visits goes through PutRow or WriteFields
// (record_store.cpp), which report it through d.bulk; nothing else writes the visit_* tables.
// Relies on the foreign keys: a record that did not exist before the batch has no older row
// referring to it, so a new household's visits and persons are all among the batch's writes.
// The batch also writes its visits' visit_members / visit_persons / visit_topics rows, at
// Finish() (RefreshDerived leaves them to it): until then they are as before the batch.
// When Finish() returns or the object is destroyed, finished or not (an error path just
// returns its error, and Transact rolls the batch back), the batch is over and the triggers
// are parked: still off, and on again before the connection's next write outside a batch
// (Database::Impl::triggers_parked), so that a run of pages switches them once.
//
// Turning triggers on or off expires the connection's prepared statements: each cached
// statement is prepared again on its next step (sqlite3_prepare_v3 keeps the SQL for that).
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "storage/core/derived_hook.h"
#include "storage/core/record_store.h"

namespace gocua {

// Core reaches it only as a DerivedHook (storage/core/derived_hook.h), through d.bulk.
class BulkDerived final : public DerivedHook {
 public:
  explicit BulkDerived(Database::Impl& d) : d_(d) {}
  ~BulkDerived();
  BulkDerived(const BulkDerived&) = delete;
  BulkDerived& operator=(const BulkDerived&) = delete;

  // Turns the triggers off (unless parked: off already) and makes this the connection's batch
  // (d.bulk). Fails outside a
  // transaction or when another batch is running. On a connection that keeps no derived data
  // (a hub's: Database::Impl::derived false, triggers off for good) the batch does nothing.
  Status Begin();

  // Called by PutRow and WriteFields just before they write record `id` of `def`: `exists`
  // says the row is in its table now, `fields` the columns written (null: the whole row). On
  // the first write of a visit that can move a derived table, keeps what the visit was before
  // the batch (one ReadRow if it exists).
  Status Writing(const RecordDef& def, const std::string& id, bool exists,
                 const std::set<std::string>* fields) override;
  // Visits only: the other types' values are not read.
  bool ReadsValues(const RecordDef& def) const override;
  // ... and just after, with the record's rowid and the values it now holds.
  void Written(const RecordDef& def, const std::string& id, int64_t rowid,
               const WrittenValues& values) override;

  // Writes the visit_* rows of the batch's visits and brings the trigger-kept tables up to date
  // for everything written since Begin(), then parks the triggers (also when it fails). Call after
  // the last write of the batch (after MergeBatch::Flush). On failure, roll the transaction back.
  Status Finish();

 private:
  // What the trigger-kept tables read of one visit.
  struct VisitState {
    bool present = false;      // the row exists
    std::string household_id;  // "" = none (NULL)
    std::string visited_on, status, followup_on;
    bool deleted = false;
    std::vector<std::string> members;  // as visit_members holds them (RefreshDerived)
    std::vector<std::string> persons;  // as visit_persons
    std::vector<std::pair<std::string, std::string>> topics;  // as visit_topics: topic, result
  };
  struct VisitChange {
    VisitState before, after;
    int64_t rowid = 0;  // the visit's row (a row is never deleted: the same before and after)
  };
  static VisitState StateOf(const WrittenValues& values);

  Status WriteVisitRows();
  Status Recompute();
  Status Grow(const std::set<std::string>& households_done,
              const std::set<std::string>& persons_done);
  Status ApplyDaySums();
  void End();

  Database::Impl& d_;
  bool begun_ = false;
  bool running_ = false;  // triggers off, registered as d_.bulk
  std::unordered_map<std::string, VisitChange> visits_;
  std::unordered_map<std::string, bool> households_;  // id → existed before the batch
  std::unordered_set<std::string> persons_;
};

}  // namespace gocua
