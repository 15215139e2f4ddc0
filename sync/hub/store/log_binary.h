#pragma once
// Internal to the hub store's log (log_runs.cpp): the binary form of a run's `rest` (hub
// schema 12 on SQLite), for runs whose ops after the first are all short (log_runs.h
// ShortForm) — a visit's run, the log's bulk. Store-neutral; pure functions; any thread.
//
// Form: byte 0x01 (a JSON `rest` starts with '['), then per op 1..n-1:
//   L       the op's length after L, a LEB128 varint of 1 or 2 bytes (L < 16384)
//   code    one byte 1..127: the field FieldName(def, code - 1) of the run's RecordDef
//           (storage/core/stamps_text.h; fields are only ever appended to a RecordDef)
//   step    hlc − op 0's hlc, a LEB128 varint of 1..3 bytes (< 2^21)
//   value   a tag byte and the rest of the op: 0 the JSON text (as AppendValueText writes it);
//           1 a string that is a canonical UUID, as its 16 bytes; 2 a non-empty array of
//           such strings, 16 bytes each; (hub schema 13) 3 a string that is a date
//           "YYYY-MM-DD" from 2000-01-01, as a varint of its days since then (< 2^21); 4 a
//           string of the word list (log_words.h), its one-byte code; 5 a non-empty object
//           whose keys and values are all words, a (key code, value code) pair per member, in
//           the object's order; 6 the string that is the run's author (op 0's, which the
//           short ops share) when that is a canonical UUID, no bytes; 7 a non-empty array
//           whose first string is that author, then 16 bytes for each further UUID string
//           (a visit's members, its recorder first). What the tags stand for reads back to the same
//           json (same type), so to the same text.
// Form 0x02 (hub schema 13, written by the SQLite store): op 0's field and value come first —
//   L, code, value (no step) — and the row's own field and value columns are empty; then ops
//   1..n-1 as above.
// The limits keep the form readable by plain SQL (the view hub_ops, sqlite/hub_ops_view.cpp):
// a run outside them is written as JSON (log_runs.cpp).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sync/hub/store/log_entry.h"

namespace gocua::hub_internal {

inline constexpr char kRestBinary = '\x01';
inline constexpr char kRestBinaryHead = '\x02';
inline constexpr int64_t kMaxBinaryStep = (int64_t{1} << 21) - 1;
inline constexpr int64_t kMaxBinaryDay = (int64_t{1} << 21) - 1;

// Appends the binary form of ops 1..n-1 of `run` to `out` (with `head_too`, form 0x02: op 0's
// field and value too) and answers true, or answers false and leaves `out` as it was when the
// run does not fit the form (or holds one op).
bool AppendRestBinary(std::string& out, std::span<const LogEntry> run, bool head_too = false);

// Appends ops 1..n-1 read from a binary `rest` to `out` (which holds op 0; for form 0x02 its
// field, value and value_bytes are set from `rest`); false (and `out` back to op 0) when the
// bytes are not n-1 ops of the form. REQUIRES: rest[0] is kRestBinary or kRestBinaryHead,
// out.size() == 1.
bool ReadRestBinary(std::string_view rest, int64_t n, std::vector<LogEntry>& out);

// Appends the 16 bytes of `id` to `out` if it is a canonical (lowercase) UUID; false (and
// `out` as it was) otherwise.
bool PutUuid(std::string& out, std::string_view id);
// The canonical text of the UUID whose 16 bytes start at `b`.
std::string UuidText(const char* b);

// Appends `v` as a tag and its bytes (the value of an op, above); `author` is the run's
// author when it is a canonical UUID, else nullptr (no tag 6 or 7).
void PutValue(std::string& out, const nlohmann::json& v, const std::string* author);
// Reads the value whose tag is at op[q] (to op's end) into `value`, with the bytes of its
// compact dump() in `bytes`; false when the bytes are no value of the form (tags 6 and 7 need
// `author`, as PutValue had it).
bool GetValue(std::string_view op, size_t q, nlohmann::json& value, size_t& bytes,
              const std::string* author);

// Appends the compact JSON text of the value whose tag is at op[q] (to op's end) to `text`:
// exactly what json_text::AppendValueText writes of the json GetValue reads, for the tags that
// stand for a string, an array of strings or (5) an object of words whose keys are in
// increasing order; `author` is the run's author when it is a canonical UUID, else "". False,
// `text` as it was, for tag 0 (JSON text: GetValue reads it), an object in another order, or
// bytes that are no value of the form. The text's size is the value's bytes.
bool GetValueText(std::string_view op, size_t q, std::string& text, std::string_view author);

// (log_runs.cpp) Appends op `i` (0-based in `rest`) of a row, short after op 0 by `step`:
// the fields it shares with op 0, field and value left empty. REQUIRES: out.capacity() >
// out.size() (op 0 stays where it is).
LogEntry& AddShortFollower(std::vector<LogEntry>& out, size_t i, int64_t step);

}  // namespace gocua::hub_internal
