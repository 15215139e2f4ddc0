#pragma once
// Plain-text tables for people reading a terminal: columns padded by Unicode code points (so
// "Nguyễn" lines up with "Tran"), a header row and a rule under it.
#include <iosfwd>
#include <string>
#include <vector>

namespace gocua::cli {

class Table {
 public:
  // `numeric[i]` right-aligns column i; missing entries mean left-aligned.
  explicit Table(std::vector<std::string> header, std::vector<bool> numeric = {});
  // A row with fewer cells than the header is padded with empty cells.
  void Add(std::vector<std::string> row);
  size_t size() const { return rows_.size(); }
  // Prints the table, or one line saying it is empty when it has no rows.
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<bool> numeric_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace gocua::cli
