#pragma once
// The SQL of the migrations kept in files of their own (migration_vN.cpp), for Migrations()
// (migrations.cpp), which lists every migration in order. Nothing else reads these.

namespace gocua {

extern const char kMigrationV16[];

}  // namespace gocua
