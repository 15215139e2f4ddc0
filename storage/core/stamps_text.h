#pragma once
// A record's stamps column (StampsColumn below: binary; before schema v10 {"field": [hlc,
// "device"], ...}: compact JSON, keys sorted, as nlohmann::json::dump() writes it, still read)
// read into and written from stamps by field index, without
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

// The stamps column as the record store writes it (schema v10 on): the binary form below, or,
// when `other` holds entries (stamps not of that shape, which only a damaged or hand-edited
// row has), StampsText. ParseStamps reads both, and the JSON text of older rows.
//
// Binary form: the byte kBinaryStamps; varint D (1..64), then D device ids (varint length,
// bytes; "" when there are no stamps); varint mask of the fields stamped, bit 0 "deleted" and
// bit i + 1 def.fields[i] (so fields may be appended to a RecordDef, never reordered or
// removed); then per stamped field, "deleted" first and then in def order: the hlc as a zigzag
// varint of its difference from the previous one (the first from 0), and, when D > 1, varint
// the index of its device. Varints are LEB128 (7 bits a byte, low first). A visit stamped by
// one device is ~60 bytes where the JSON was ~710: the device id once, not once per field.
// Binary and JSON never mix up: JSON text starts with '{' (or is not an object: no stamps).
inline constexpr unsigned char kBinaryStamps = 0x01;
std::string StampsColumn(const RecordDef& def, const RowStamps& s);
// The stamps object of a StoredRow (storage/core/record_store.h) held by field index, as
// ParseStamps would hold the column that StampsJson(def, out) dumps to.
void StampsFromJson(const RecordDef& def, const nlohmann::json& stamps, RowStamps& out);
// FieldStamp (record_store.h) of field i: {0, ""} if never written or malformed.
Stamp StampAt(const RecordDef& def, const RowStamps& s, size_t i);

}  // namespace gocua
