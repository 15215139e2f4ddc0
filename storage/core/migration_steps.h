#pragma once
// The SQL of every device migration, kept in files by version (migration_v1_v2.cpp,
// migration_v3_v6.cpp, migration_v7_v12.cpp, migration_v13.cpp, migration_v14_v15.cpp,
// migration_v16.cpp), for Migrations() and DerivedVisitKeysSql() (migrations.cpp), which list
// them in order. Nothing else reads these. Each text never changes once shipped; a change is a
// new migration, declared here and listed in migrations.cpp.

namespace gocua {

extern const char kMigrationV1[];
extern const char kMigrationV2[];
extern const char kMigrationV3[];
extern const char kMigrationV4[];
extern const char kMigrationV5[];
extern const char kMigrationV6[];
extern const char kMigrationV7[];
extern const char kMigrationV8[];
extern const char kMigrationV9[];
extern const char kMigrationV10[];
extern const char kMigrationV11[];
extern const char kMigrationV12[];
// v13's statements, run in C++ where they apply (DerivedVisitKeysSql()); kMigrationV13 is empty.
extern const char kMigrationV13Keys[];
extern const char kMigrationV13[];
extern const char kMigrationV14[];
extern const char kMigrationV15[];
extern const char kMigrationV16[];

}  // namespace gocua
