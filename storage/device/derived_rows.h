#pragma once
// Many rows in few statements, for BulkDerived (storage/device/derived_bulk.h). A pulled page writes
// hundreds of derived rows; as one statement each, every row paid a step, a statement end
// (SQLite frees the statement's registers) and its bindings, several times what the row
// itself costs. Here a table's rows go in multi-row VALUES statements, and a set of keys is
// read or deleted by one statement over a JSON array (json_each).
// REQUIRES: inside a transaction.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "storage/core/sqlite_db.h"

namespace gocua {

// One value of a row: NULL, text or an integer. Text points into the caller's strings (bound
// without a copy), which must outlive the call that takes the cell.
using Cell = std::variant<std::monostate, std::string_view, int64_t>;

// Runs `head` VALUES (?, …), (?, …) … `tail` over the rows of `cells` (`cols` cells each,
// row after row), in statements of up to 64 rows taken in order — of 64, 16, 4 or 1 rows, so
// that few distinct statements are cached. `head` names the table and its columns
// ("INSERT OR IGNORE INTO t(a, b)"); `tail` is "" or an upsert clause ("ON CONFLICT …").
// `what` names the table in an error. REQUIRES: cells.size() a multiple of cols.
Status InsertRows(Database::Impl& d, const std::string& head, size_t cols,
                  const std::vector<Cell>& cells, const std::string& tail, const char* what);

// A JSON array of `ids`, for the statements that take a set as ?1 (SELECT value FROM
// json_each(?1)).
std::string IdArray(const std::set<std::string>& ids);
std::string IdArray(const std::vector<std::string_view>& ids);

}  // namespace gocua
