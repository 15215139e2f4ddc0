#pragma once
// A record's stamps column ({"field": [hlc, "device"], ...}: compact JSON, keys sorted, as
// nlohmann::json::dump() writes it) read into and written from stamps by field index, without
// building a json object: sync reads and writes it for every record it touches
// (MergeBatch, storage/core/merge_batch.h).
//
// Equivalence contract (tests/storage/core/stamps_text_test.cpp): for any text t,
//   StampsJson(def, parsed(t))  == the object ReadRow makes of t (json::parse; not an object: {})
//   StampsText(def, s)          == StampsJson(def, s).dump()
//   StampAt(def, s, i)          == FieldStamp of that object for field i
// Entries that are not a well-formed stamp of a field of `def` are kept as read in `other`.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "storage/core/merge.h"
#include "storage/core/schema.h"

namespace gocua {

// Field indexes: def.fields in order, then "deleted" at def.fields.size().
inline constexpr size_t kNoField = static_cast<size_t>(-1);
// The index of `name` in `def`, or kNoField.
size_t FieldIndex(const RecordDef& def, std::string_view name);
// The name of field index `i` ("deleted" for the last).
const char* FieldName(const RecordDef& def, size_t i);

struct RowStamps {
  std::vector<Stamp> by_field;  // def.fields.size() + 1 entries
  uint64_t present = 0;         // bit i: by_field[i] holds field i's stamp
  nlohmann::json other;         // null, or an object of the entries not held in by_field

  // No stamps, sized for `def`. Keeps the vector's storage.
  void Reset(const RecordDef& def);
  // Sets field i's stamp (replacing any entry of that name in `other`).
  void Set(const RecordDef& def, size_t i, int64_t hlc, const std::string& device);
};

// Reads `text` as ReadRow reads the stamps column: anything but a JSON object is no stamps.
// A fast path reads the text this module writes; anything else goes through json::parse.
void ParseStamps(const RecordDef& def, std::string_view text, RowStamps& out);
// The stamps as the json object StoredRow holds.
nlohmann::json StampsJson(const RecordDef& def, const RowStamps& s);
// StampsJson(def, s).dump(), written directly when `other` is empty. Throws as dump() does
// (a device id that is not UTF-8).
std::string StampsText(const RecordDef& def, const RowStamps& s);
// FieldStamp (record_store.h) of field i: {0, ""} if never written or malformed.
Stamp StampAt(const RecordDef& def, const RowStamps& s, size_t i);

}  // namespace gocua
