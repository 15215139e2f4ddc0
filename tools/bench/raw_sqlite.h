#pragma once
// Plain SQLite with none of Gõ Cửa's layer: the baseline for the import figure, and the
// file-level operations the size benchmark needs. The only bench file that sees sqlite3.
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "tools/bench/timing.h"

namespace gocua::bench {

// One household row as the product's households table holds it (phone already digits).
struct RawHousehold {
  std::string id, village_id, address, head_name, phone;
  int members_count = 0, working_age_count = 0, smartphones = 0;
  bool home_internet = false;
};

// Creates a fresh database at `path` with the product's pragmas (WAL, synchronous=FULL,
// foreign_keys=ON) and a households table with the same columns and primary key but no
// stamps, change log or search index, then inserts `rows` with one prepared INSERT in one
// transaction. Returns the time from BEGIN to the end of COMMIT.
Result<BenchClock::duration> RawInsertHouseholds(const std::string& path,
                                                 const std::vector<RawHousehold>& rows);

// The floor under "save one visit": `commits` one-row transactions (BEGIN IMMEDIATE, an INSERT
// of a ~1 KB row, COMMIT) on a fresh database at `path` with the product's pragmas (WAL,
// synchronous=FULL), each timed from BEGIN to the end of COMMIT. A durable commit waits for
// the disk's fdatasync of the WAL, so no save can be faster than this on that disk.
Result<Samples> RawCommits(const std::string& path, size_t commits);

struct DbSize {
  int64_t page_bytes = 0;  // page_count * page_size
  int64_t file_bytes = 0;  // the database file plus its -wal file, as on disk
};

// Checkpoints `path` (wal_checkpoint(TRUNCATE)), VACUUMs it first when `vacuum`, and measures
// it. REQUIRES: no other connection to `path` is open (close the Database first), or the
// checkpoint cannot finish and the WAL is counted.
Result<DbSize> CompactAndMeasure(const std::string& path, bool vacuum);

// The SQLite library version in use, e.g. "3.40.1".
std::string SqliteVersion();

}  // namespace gocua::bench
