#include "tools/cli/table.h"

#include <algorithm>
#include <ostream>

#include "storage/core/text.h"

namespace gocua::cli {

Table::Table(std::vector<std::string> header, std::vector<bool> numeric)
    : header_(std::move(header)), numeric_(std::move(numeric)) {
  numeric_.resize(header_.size(), false);
}

void Table::Add(std::vector<std::string> row) {
  row.resize(header_.size());
  rows_.push_back(std::move(row));
}

void Table::Print(std::ostream& out) const {
  if (rows_.empty()) {
    out << "(không có — none)\n";
    return;
  }
  std::vector<size_t> width(header_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], CodePointCount(row[i]));
  };
  measure(header_);
  for (const auto& r : rows_) measure(r);
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      const std::string pad(width[i] - CodePointCount(row[i]), ' ');
      if (i) line += "  ";
      line += numeric_[i] ? pad + row[i] : row[i] + (i + 1 < row.size() ? pad : "");
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << "\n";
  };
  print(header_);
  std::vector<std::string> rule;
  for (size_t w : width) rule.push_back(std::string(w, '-'));
  print(rule);
  for (const auto& r : rows_) print(r);
}

}  // namespace gocua::cli
