#pragma once
// Record ids and the hybrid logical clock of the sync contract (DESIGN.md, "Ids", "Stamps").
#include <cstdint>
#include <string>

namespace gocua {

// A UUIDv7 (RFC 9562) for `unix_ms`: 48-bit time, version 7, 74 random bits, as 36 lower-case
// characters. Ids made later on one device sort after earlier ones. Thread-safe.
std::string NewUuidV7(int64_t unix_ms);

// True for a 36-character lower-case UUID of the form 8-4-4-4-12 hex.
bool IsUuid(const std::string& s);

// `n` random bytes as 2n lower-case hex characters, from a cryptographic source.
std::string RandomHex(int n);

// A hybrid logical clock value: 48-bit Unix milliseconds << 16 | 16-bit counter.
using HlcTime = int64_t;
inline int64_t HlcMillis(HlcTime t) { return t >> 16; }
inline HlcTime MakeHlc(int64_t ms, int counter) { return (ms << 16) | (counter & 0xffff); }

// Advances an HLC. Never returns a value at or below `last`, whatever the wall clock says.
// Not thread-safe; the database keeps the persisted value and calls these inside a write
// transaction so that every connection of one device shares one clock.
HlcTime HlcTick(HlcTime last, int64_t wall_ms);
// The clock after receiving `remote`: above `last` and `remote`, at least `wall_ms`.
HlcTime HlcObserve(HlcTime last, HlcTime remote, int64_t wall_ms);

}  // namespace gocua
