#pragma once
// Import of a commune's existing household spreadsheet (CSV). Columns are found by their
// Vietnamese or English headers, in any order; other columns (STT, notes…) are ignored.
#include <functional>
#include <string_view>
#include <vector>

#include "storage/core/database.h"

namespace gocua {

struct ImportProblem {
  int line = 0;  // 0 = the file as a whole
  std::string reason;
};

struct ImportReport {
  size_t rows = 0;                      // data rows read
  size_t imported = 0;                  // households written
  std::vector<ImportProblem> problems;  // every bad line, in file order
};

struct ImportOptions {
  // false: a file with any bad line imports nothing. true: good lines are imported, bad ones
  // reported.
  bool skip_bad_lines = false;
  std::function<void(size_t done, size_t total)> progress;
};

// Reads `csv` (see storage/io/csv.h for the format) into households of this device's commune.
// Villages must exist (matched by name ignoring case and diacritics). A household already
// present (same village, head and address) or repeated in the file is a bad line, so importing
// the same file twice adds nothing. All good rows are written in one transaction.
// Fails (kInvalidInput) when the file cannot be read as a table or lacks a required column;
// otherwise returns the report, with `imported` == 0 when problems stopped the import.
Result<ImportReport> ImportHouseholdsCsv(Database& db, std::string_view csv,
                                         const ImportOptions& options);

}  // namespace gocua
