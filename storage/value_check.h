#pragma once
// Internal to storage/: the checks of values and remote ops against the schema
// (CheckValue and CheckRemoteOp are declared in storage/record_store.h and defined in
// value_check.cpp, apart from the SQL of record_store.cpp).
#include <string>

namespace gocua {

// A record id as records use it: up to 40 of [0-9a-z_-] ("" is allowed: an empty ref).
bool IsRefId(const std::string& s);

}  // namespace gocua
