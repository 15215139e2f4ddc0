#pragma once
// The record tables of the PostgreSQL hub store, made from the RecordDefs of
// storage/core/schema.h: one table per record type, one column per field (kInt a bigint, every
// other kind text: kJson its compact JSON text, refs "" for none), "deleted" and "stamps" (a
// bytea: the record store's stamps column, storage/core/stamps_text.h — binary, or the JSON
// text of rows written before PostgreSQL hub schema 4, read alike). A field added to the schema becomes
// a column at the next open (EnsureRecordTables), with the field's default for existing rows:
// no PostgreSQL code changes. Internal to sync/hub/store/postgresql/.
#include <string>

#include "storage/core/record_store.h"
#include "storage/core/schema.h"
#include "sync/hub/store/postgresql/pg_conn.h"

namespace gocua::pg {

// Creates each record table and adds each missing column. REQUIRES: inside the migration's
// transaction (pg_schema.h), which serialises hubs opening at once.
Status EnsureRecordTables(Conn& c);

// Record `id` of `def`: exists == false and default values for a record the hub never saw.
Result<StoredRow> ReadRecord(Conn& c, const RecordDef& def, const std::string& id);
// Writes `row` (every field, "deleted", the stamps) as record `id`, inserted if new.
Status WriteRecord(Conn& c, const RecordDef& def, const std::string& id, const StoredRow& row);

// The canonical JSON export (storage/io/export.h's format, byte for byte): what a device or a
// SQLite hub holding the same records exports. REQUIRES: inside one transaction (one snapshot).
Result<std::string> ExportRecords(Conn& c);

// "name" quoted as an SQL identifier.
std::string Ident(const std::string& name);

}  // namespace gocua::pg
