#include "storage/io/csv.h"

#include <cstdint>
#include <cstring>
#include <utility>

namespace gocua {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  return TrimRight(s);
}

// Physical line breaks in `s`: LF, CRLF and a lone CR each count once.
int CountLineBreaks(std::string_view s) {
  int n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') {
      ++n;
    } else if (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n')) {
      ++n;
    }
  }
  return n;
}

// Offset of the first byte of the first malformed sequence in `s`, or npos when `s` is
// well-formed UTF-8: no stray continuation bytes, no overlong forms, no surrogates
// (U+D800..U+DFFF), nothing past U+10FFFF, no sequence cut short.
size_t FindInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // Fast path: eight ASCII bytes at a time.
    if (i + 8 <= n) {
      uint64_t chunk;
      std::memcpy(&chunk, p + i, 8);
      if ((chunk & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // past U+10FFFF
    } else {
      return i;  // continuation byte, C0/C1 overlong lead, or F5..FF
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

// ';' when the header line has more semicolons than commas outside quotes, else ','.
// The header line is the first physical line with anything but spaces on it. A quote opens
// a quoted field only at the start of a field, as in the parser.
char DetectDelimiter(std::string_view text) {
  int semicolons = 0, commas = 0;
  bool field_start = true, has_content = false;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i++];
    if (c == '"' && field_start) {
      has_content = true;
      while (i < text.size()) {  // skip the quoted field, "" included
        if (text[i++] == '"') {
          if (i < text.size() && text[i] == '"') {
            ++i;
          } else {
            break;
          }
        }
      }
      field_start = false;
    } else if (c == ';' || c == ',') {
      (c == ';' ? semicolons : commas)++;
      has_content = true;
      field_start = true;
    } else if (c == '\r' || c == '\n') {
      if (has_content) break;
      field_start = true;
    } else if (!IsBlank(c)) {
      has_content = true;
      field_start = false;
    }
  }
  return semicolons > commas ? ';' : ',';
}

// "dòng N: <vi> (line N: <en>)": Vietnamese first, English for support staff.
Status LineError(int line, std::string_view vi, std::string_view en) {
  const std::string n = std::to_string(line);
  std::string m = "dòng " + n + ": ";
  m.append(vi).append(" (line ").append(n).append(": ").append(en).append(")");
  return InvalidInput(std::move(m));
}

Status BadUtf8(int line) {
  return LineError(line, "không phải văn bản UTF-8 hợp lệ; hãy lưu lại tệp dạng \"CSV UTF-8\"",
                   "not valid UTF-8; save the file again as \"CSV UTF-8\"");
}

Status Unterminated(int line) {
  return LineError(line, "dấu ngoặc kép chưa được đóng; hãy kiểm tra ô bắt đầu ở dòng này",
                   "unterminated quote; check the cell that starts on this line");
}

// Reads one record starting at `pos` (which is at the start of a physical line) into
// `cells`, consuming its closing line break. Advances `pos` and `line`. Fails only on an
// unterminated quote.
Status ReadRecord(std::string_view text, char delimiter, size_t& pos, int& line,
                  std::vector<std::string>& cells) {
  const size_t n = text.size();
  size_t p = pos;
  for (;;) {
    while (p < n && IsBlank(text[p])) ++p;
    if (p < n && text[p] == '"') {
      const int start_line = line;
      std::string& cell = cells.emplace_back();
      ++p;
      for (;;) {
        const size_t q = text.find('"', p);
        if (q == std::string_view::npos) return Unterminated(start_line);
        const std::string_view chunk = text.substr(p, q - p);
        line += CountLineBreaks(chunk);
        cell.append(chunk);
        p = q + 1;
        if (p < n && text[p] == '"') {  // "" is one literal quote
          cell.push_back('"');
          ++p;
          continue;
        }
        break;
      }
      // Text after the closing quote (`"a" b`) is kept literally, as Excel does.
      size_t e = p;
      while (e < n && text[e] != delimiter && text[e] != '\r' && text[e] != '\n') ++e;
      cell.append(TrimRight(text.substr(p, e - p)));
      p = e;
    } else {
      size_t e = p;
      while (e < n && text[e] != delimiter && text[e] != '\r' && text[e] != '\n') ++e;
      cells.emplace_back(TrimRight(text.substr(p, e - p)));
      p = e;
    }
    if (p >= n) break;
    const char c = text[p++];
    if (c == delimiter) continue;
    if (c == '\r' && p < n && text[p] == '\n') ++p;
    ++line;
    break;
  }
  pos = p;
  return Status::Ok();
}

bool AllEmpty(const std::vector<std::string>& cells) {
  for (const std::string& c : cells) {
    if (!c.empty()) return false;
  }
  return true;
}

bool NeedsQuotes(std::string_view cell, char delimiter) {
  if (cell.empty()) return false;
  if (IsBlank(cell.front()) || IsBlank(cell.back())) return true;
  for (char c : cell) {
    if (c == delimiter || c == '"' || c == '\r' || c == '\n') return true;
  }
  return false;
}

}  // namespace

Result<CsvTable> ParseCsv(std::string_view text) {
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());

  if (const size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    return BadUtf8(1 + CountLineBreaks(text.substr(0, bad)));
  }

  CsvTable table;
  table.delimiter = DetectDelimiter(text);

  size_t pos = 0;
  int line = 1;
  bool have_header = false;
  std::vector<std::string> cells;
  while (pos < text.size()) {
    const int row_line = line;
    cells.clear();
    cells.reserve(table.header.size());
    if (Status s = ReadRecord(text, table.delimiter, pos, line, cells); !s) return s;
    if (AllEmpty(cells)) continue;
    if (!have_header) {
      for (std::string& c : cells) c = std::string(Trim(c));
      table.header = std::move(cells);
      have_header = true;
    } else {
      table.rows.push_back(CsvRow{row_line, std::move(cells)});
    }
  }
  return table;
}

std::string CsvLine(const std::vector<std::string>& cells, char delimiter) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out.push_back(delimiter);
    const std::string& cell = cells[i];
    if (!NeedsQuotes(cell, delimiter)) {
      out.append(cell);
      continue;
    }
    out.push_back('"');
    for (char c : cell) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.append("\r\n");
  return out;
}

}  // namespace gocua
