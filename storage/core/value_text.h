#pragma once
// Reading back a value's JSON text that storage wrote itself (the change log's values,
// storage/core/outbox_runs.h) without nlohmann's parser for the common shapes: a string with no
// escape, an integer, true/false/null, an array of such strings. Everything else goes to
// json::parse.
//
// Contract: ParseValueText(t, out) is true and `out` == json::parse(t) — the same type too
// (a non-negative integer is number_unsigned, a negative one number_integer, as the parser
// makes them) — exactly when json::parse(t) succeeds; false (out unspecified) when it fails
// (invalid UTF-8 in a string included). tests/storage/core/value_text_test.cpp holds it to that.
// Pure; any thread.
#include <nlohmann/json.hpp>
#include <string_view>

namespace gocua {

bool ParseValueText(std::string_view text, nlohmann::json& out);

}  // namespace gocua
