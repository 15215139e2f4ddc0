#pragma once
// Internal to storage/: the one way core's record store reaches the upkeep of derived tables
// that a batch of writes keeps itself (storage/device/derived_bulk.h, BulkDerived). Core knows
// only this interface; the device library implements it and installs an instance on a
// connection (Database::Impl::bulk) for the life of a batch. Core links no device or
// dashboard code, so a process that uses only the core record store (the hub) has none.
//
// Contract, for the record store (PutRow, WriteFields, WriteHeld in record_store.cpp):
//  - while d.bulk is set, every write of a record of any type calls Writing() just before
//    the row is written and, if that succeeded and ReadsValues(def) says so, Written() just
//    after, with the record's rowid and the values it now holds; a Writing() error fails the
//    write (and so the transaction);
//  - while d.bulk is set, RefreshDerived leaves the visit_members / visit_persons /
//    visit_topics rows to the hook (it writes them for the whole batch at its end).
// For the installer: set d.bulk only inside Database::Impl::Transact, one hook at a time per
// connection, and clear it before the transaction ends (finished or not); the hook must
// outlive its installation. Threading: the connection's thread only.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "base/result.h"
#include "storage/core/schema.h"

namespace gocua {

struct HeldRow;  // storage/core/record_store.h

// The values a written record now holds, by field name ("deleted" too), read from the json
// object the write had (PutRow, WriteFields) or from the typed row (WriteHeld) without making
// one. Valid for the Written() call only.
class WrittenValues {
 public:
  explicit WrittenValues(const nlohmann::json& object) : object_(&object) {}
  explicit WrittenValues(const HeldRow& held) : held_(&held) {}
  // The field's value; null if the record has no such field.
  const nlohmann::json& operator[](const char* name) const;

 private:
  const nlohmann::json* object_ = nullptr;
  const HeldRow* held_ = nullptr;
};

class DerivedHook {
 public:
  // `exists`: the row is in its table now; `fields`: the columns written (null: the whole
  // row).
  virtual Status Writing(const RecordDef& def, const std::string& id, bool exists,
                         const std::set<std::string>* fields) = 0;
  // Whether Written() is wanted for records of `def`: a write of another type skips it (and
  // WriteHeld the making of its values).
  virtual bool ReadsValues(const RecordDef& def) const = 0;
  virtual void Written(const RecordDef& def, const std::string& id, int64_t rowid,
                       const WrittenValues& values) = 0;

 protected:
  ~DerivedHook() = default;  // not owned through this interface
};

}  // namespace gocua
