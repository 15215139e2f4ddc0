#pragma once
// Internal to storage/: the checks of values and remote ops against the schema
// (CheckValue and CheckRemoteOp are declared in storage/core/record_store.h and defined in
// value_check.cpp, apart from the SQL of record_store.cpp).
#include <string>
#include <string_view>

#include "storage/core/schema.h"

namespace gocua {

// FindRecordDef(type), remembering the last type found (per thread): sync asks for one type
// op after op (a record's ops come as a run), and the search compares names one by one.
const RecordDef* FindRecordDefLast(std::string_view type);

// def.Field(name), remembering the last field found (per thread): a hub looks each op's field
// up four times (its check, its authorisation, its merge, its log row), and the search
// compares names one by one. Null for a name that is no field of `def` ("deleted" too).
const FieldDef* FindFieldLast(const RecordDef& def, std::string_view name);
// FieldIndex(def, name) (storage/core/stamps_text.h) through FindFieldLast.
size_t FieldIndexLast(const RecordDef& def, std::string_view name);

// A record id as records use it: up to 40 of [0-9a-z_-] ("" is allowed: an empty ref).
bool IsRefId(const std::string& s);

}  // namespace gocua
