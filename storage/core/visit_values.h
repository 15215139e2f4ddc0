#pragma once
// A visit as the record store holds it: the one mapping between the Visit struct
// (storage/core/records.h) and the "visit" record's fields (storage/core/schema.cpp). The
// repository (storage/device/visits.cpp), the CSV export (storage/io/export.cpp) and
// gocua-cli's JSON (tools/cli/record_json.cpp) go through it, so a field added to the schema is
// added here once (tests/storage/core/visit_values_test.cpp checks that every schema field is).
#include <nlohmann/json.hpp>
#include <string>

#include "storage/core/records.h"

namespace gocua {

// Every field of the visit record, by its schema name ("deleted" is not one).
nlohmann::json VisitValues(const Visit& v);
// The Visit that record `id` with these values is. Values missing from `values` are the
// struct's defaults; members/persons that are not strings and topics whose result is not a
// string are left out (as stored by an older or newer build).
Visit VisitFromValues(const std::string& id, const nlohmann::json& values);

}  // namespace gocua
