#pragma once
// Exports of the records a device holds.
#include <string>

#include "storage/core/database.h"

namespace gocua {

// The canonical JSON export: every record of every type (tombstones included, stamps and
// local-only data excluded), types in RecordDefs() order, records sorted by id, object keys
// sorted, integers as integers, text in NFC, one record per line. Two databases that hold the
// same records give byte-identical output; sync tests compare replicas with it.
Result<std::string> ExportCanonicalJson(Database& db);

// CSV of `type` ("households", "persons" or "visits"), with Vietnamese headers; households
// use the same columns the importer reads, so an export can be imported elsewhere.
Result<std::string> ExportCsv(Database& db, const std::string& type);

}  // namespace gocua
