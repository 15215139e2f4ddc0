// Every device schema migration, numbered, in one ordered list: Migrations() (migrations.h).
// STYLE.md wants migrations "numbered in one place": this list is that place. Their SQL texts
// live in files by version (migration_steps.h names them), each of which never changes once
// shipped (a file that has run v3 must not see a different v3): a change is a new migration
// at the end of this list.
//
// A hub runs these too, then drops the indexes only devices read (sync/hub/store/sqlite/
// hub_schema_v1_v6.cpp, hub schema 5): a later migration drops or changes such an index with
// DROP INDEX IF EXISTS.
#include "storage/core/migrations.h"

#include "storage/core/migration_steps.h"

namespace gocua {

const char* DerivedVisitKeysSql() { return kMigrationV13Keys; }

const std::vector<const char*>& Migrations() {
  static const std::vector<const char*> m = {
      kMigrationV1,  kMigrationV2,  kMigrationV3,  kMigrationV4,  kMigrationV5,  kMigrationV6,
      kMigrationV7,  kMigrationV8,  kMigrationV9,  kMigrationV10, kMigrationV11, kMigrationV12,
      kMigrationV13, kMigrationV14, kMigrationV15, kMigrationV16};
  return m;
}

}  // namespace gocua
