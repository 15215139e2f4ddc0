#pragma once
// A plain-text table for terminals and Markdown code blocks: each column padded to its widest
// cell, counted in code points so that Vietnamese text lines up; a rule under the header.
#include <string>
#include <utility>
#include <vector>

namespace gocua::bench {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}

  // A row with up to as many cells as the header; missing cells are blank.
  void AddRow(std::vector<std::string> cells);
  // A line of its own (a group title), not counted in the column widths.
  void AddSection(std::string title);
  std::string Render() const;

 private:
  struct Line {
    bool section = false;
    std::vector<std::string> cells;
  };
  std::vector<std::string> header_;
  std::vector<Line> lines_;
};

// 12345.6 → "12,346" (decimals = 0) or "12,345.6" (decimals = 1).
std::string Grouped(double v, int decimals = 0);
// Milliseconds with three significant figures: "0.412 ms", "1.93 ms", "12.4 ms".
std::string Ms(double ms);
// Bytes in binary units: "812 KiB", "14.2 MiB".
std::string Bytes(double bytes);

}  // namespace gocua::bench
