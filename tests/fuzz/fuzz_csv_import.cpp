// libFuzzer target: the household CSV import (storage/io/csv.h, household_import.h) on an
// untrusted file, into a real in-memory database with a commune and two villages. Before each
// input the database is put back to that state (sqlite3_deserialize of a copy taken once), so
// every run starts from the same data and stays fast. The import must never crash; a table that
// parses must be one the import either takes or refuses with a reason.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

#include "platform/clock.h"
#include "storage/core/database.h"
#include "storage/core/sqlite_db.h"
#include "storage/device/places.h"
#include "storage/io/csv.h"
#include "storage/io/household_import.h"

namespace {

struct Template {
  std::unique_ptr<gocua::Database> db;
  sqlite3_int64 size = 0;
  unsigned char* bytes = nullptr;  // the database as set up, from sqlite3_serialize
};

Template& Setup() {
  static gocua::ManualClock clock(1773565200000);
  static std::unique_ptr<gocua::Database> db = [] {
    auto opened = gocua::Database::Open(":memory:", clock);
    if (!opened.ok()) std::abort();
    std::unique_ptr<gocua::Database> d = std::move(opened).value();
    gocua::Places places(*d);
    if (!places.SetUpCommune("Quảng Ngãi", "Xã Tịnh Khê").ok()) std::abort();
    if (!places.AddVillage("Thôn An Phú").ok() || !places.AddVillage("Thôn 2").ok()) std::abort();
    return d;
  }();
  static Template t = [] {
    Template made;
    made.db = std::move(db);
    made.bytes = sqlite3_serialize(made.db->impl().db, "main", &made.size, 0);
    if (!made.bytes) std::abort();
    return made;
  }();
  return t;
}

// The database as Setup() left it, whatever the last input wrote.
gocua::Database& FreshDb() {
  Template& t = Setup();
  auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(static_cast<sqlite3_uint64>(t.size)));
  if (!copy) std::abort();
  std::memcpy(copy, t.bytes, static_cast<size_t>(t.size));
  if (sqlite3_deserialize(t.db->impl().db, "main", copy, t.size, t.size,
                          SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) !=
      SQLITE_OK)
    std::abort();
  return *t.db;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)gocua::ParseCsv(text);
  gocua::Database& db = FreshDb();
  gocua::ImportOptions options;
  options.skip_bad_lines = size % 2 == 1;  // both modes, chosen by the input
  auto report = gocua::ImportHouseholdsCsv(db, text, options);
  if (report.ok() && report->imported > report->rows) std::abort();
  return 0;
}
