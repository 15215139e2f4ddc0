#include "storage/device/derived_rows.h"

#include <cassert>
#include <nlohmann/json.hpp>

#include "base/json_text.h"

namespace gocua {
namespace {

// `head` VALUES of `rows` rows of `cols` parameters, then `tail`.
std::string ValuesSql(const std::string& head, size_t cols, size_t rows, const std::string& tail) {
  std::string row = "(";
  for (size_t c = 0; c < cols; ++c) row += c ? ", ?" : "?";
  row += ")";
  std::string sql = head + " VALUES ";
  sql.reserve(sql.size() + rows * (row.size() + 2) + tail.size() + 1);
  for (size_t r = 0; r < rows; ++r) {
    if (r) sql += ", ";
    sql += row;
  }
  if (!tail.empty()) sql += " " + tail;
  return sql;
}

}  // namespace

Status InsertRows(Database::Impl& d, const std::string& head, size_t cols,
                  const std::vector<Cell>& cells, const std::string& tail, const char* what) {
  assert(cols > 0 && cells.size() % cols == 0);
  const size_t rows = cells.size() / cols;
  size_t done = 0;
  while (done < rows) {
    size_t n = 64;
    while (n > rows - done) n /= 4;  // 64, 16, 4, 1
    Status st;
    auto q = d.Prepare(ValuesSql(head, cols, n, tail), &st);
    if (!q) return st;
    sqlite3_stmt* s = q->raw();
    // The text outlives `q`, which is reset and unbound when it goes (its destructor).
    for (size_t i = 0; i < n * cols; ++i) {
      const Cell& cell = cells[done * cols + i];
      const int p = static_cast<int>(i) + 1;
      if (const auto* text = std::get_if<std::string_view>(&cell))
        sqlite3_bind_text(s, p, text->data(), static_cast<int>(text->size()), SQLITE_STATIC);
      else if (const auto* number = std::get_if<int64_t>(&cell))
        sqlite3_bind_int64(s, p, *number);
      else
        sqlite3_bind_null(s, p);
    }
    if (const int rc = q->Step(); rc != SQLITE_DONE) return d.Error(what, rc);
    done += n;
  }
  return Status::Ok();
}

namespace {

// As json(ids).dump(): strict, it throws on text that is not UTF-8 (base/json_text.h).
template <typename Ids>
std::string ArrayOf(const Ids& ids) {
  std::string out = "[";
  for (const auto& id : ids) {
    if (out.size() > 1) out += ',';
    json_text::AppendStringText(out, id, json_text::ErrorHandler::strict);
  }
  out += ']';
  return out;
}

}  // namespace

std::string IdArray(const std::set<std::string>& ids) { return ArrayOf(ids); }
std::string IdArray(const std::vector<std::string_view>& ids) { return ArrayOf(ids); }

}  // namespace gocua
