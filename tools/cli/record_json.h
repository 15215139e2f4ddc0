#pragma once
// The JSON that --json prints for each record type: the record's fields under their storage
// names. A member's PIN hash never leaves the device this way.
#include <nlohmann/json.hpp>

#include "storage/core/records.h"
#include "storage/dashboard/stats.h"

namespace gocua::cli {

nlohmann::json ToJson(const Commune& c);
nlohmann::json ToJson(const Village& v);
nlohmann::json ToJson(const Member& m);
nlohmann::json ToJson(const Topic& t);
nlohmann::json ToJson(const Household& h);
nlohmann::json ToJson(const Person& p);
nlohmann::json ToJson(const Visit& v);
nlohmann::json ToJson(const Review& r);
nlohmann::json ToJson(const CoverageRow& r);

}  // namespace gocua::cli
