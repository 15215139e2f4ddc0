#pragma once
// A CSV reader for the spreadsheets communes already keep: RFC 4180 quoting, UTF-8 with or
// without a BOM, comma or semicolon (detected from the header line), CRLF or LF.
// Reads the whole text in memory; knows nothing of households. Pure functions, thread-safe.
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace gocua {

struct CsvRow {
  int line = 0;  // 1-based physical line where the row starts (a quoted field may span lines)
  std::vector<std::string> cells;
};

struct CsvTable {
  char delimiter = ',';             // ';' when the header line has more ';' than ',' outside quotes
  std::vector<std::string> header;  // cells of the first non-blank row, trimmed (quoted too)
  std::vector<CsvRow> rows;         // data rows; blank lines are skipped
};

// A leading BOM is dropped. Line breaks are CRLF, LF or a lone CR. Unquoted cells lose
// surrounding spaces and tabs; quoted cells keep theirs, and their line breaks as written.
// A quote inside an unquoted cell, or text after a closing quote, is kept literally (as Excel
// does). A row whose cells are all empty is blank. Rows keep their own cell count (no padding).
// Empty input gives an empty header and no rows.
// Fails with kInvalidInput (message names the line) on malformed UTF-8 or an unterminated quote.
Result<CsvTable> ParseCsv(std::string_view text);

// One CSV line with `delimiter`, quoting cells that need it (delimiter, quote, CR, LF, or
// leading/trailing space or tab); ends with "\r\n". As a data row under a header with the same
// delimiter, ParseCsv reads the cells back unchanged, except that a line whose cells are all
// empty reads as blank.
std::string CsvLine(const std::vector<std::string>& cells, char delimiter = ',');

}  // namespace gocua
