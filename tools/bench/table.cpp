#include "tools/bench/table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace gocua::bench {
namespace {

size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // count lead bytes, not continuations
  return n;
}

}  // namespace

void TextTable::AddRow(std::vector<std::string> cells) {
  cells.resize(header_.size());
  lines_.push_back({false, std::move(cells)});
}

void TextTable::AddSection(std::string title) { lines_.push_back({true, {std::move(title)}}); }

std::string TextTable::Render() const {
  std::vector<size_t> widths(header_.size());
  for (size_t c = 0; c < header_.size(); ++c) widths[c] = Width(header_[c]);
  for (const Line& l : lines_)
    if (!l.section)
      for (size_t c = 0; c < l.cells.size(); ++c)
        widths[c] = std::max(widths[c], Width(l.cells[c]));
  auto render_row = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t c = 0; c < cells.size(); ++c) {
      out += cells[c];
      if (c + 1 < cells.size()) out += std::string(widths[c] - Width(cells[c]) + 2, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = render_row(header_);
  std::vector<std::string> rule;
  for (size_t w : widths) rule.emplace_back(w, '-');
  out += render_row(rule);
  for (const Line& l : lines_) out += l.section ? l.cells[0] + "\n" : render_row(l.cells);
  return out;
}

std::string Grouped(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  const std::string digits = buf;
  const size_t start = digits[0] == '-' ? 1 : 0;
  const size_t int_end = std::min(digits.find('.'), digits.size());
  std::string out = digits.substr(0, start);
  for (size_t i = start; i < int_end; ++i) {
    if (i > start && (int_end - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  out.append(digits, int_end, std::string::npos);
  return out;
}

std::string Ms(double ms) {
  char buf[32];
  if (ms >= 100)
    std::snprintf(buf, sizeof buf, "%.0f ms", ms);
  else if (ms >= 10)
    std::snprintf(buf, sizeof buf, "%.1f ms", ms);
  else if (ms >= 1)
    std::snprintf(buf, sizeof buf, "%.2f ms", ms);
  else
    std::snprintf(buf, sizeof buf, "%.3f ms", ms);
  return buf;
}

std::string Bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB"};
  int u = 0;
  while (bytes >= 1024 && u < 3) {
    bytes /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, bytes >= 100 || u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return buf;
}

}  // namespace gocua::bench
