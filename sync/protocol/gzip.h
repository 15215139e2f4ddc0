#pragma once
// gzip for HTTP bodies (Content-Encoding: gzip), on zlib; used by the hub and the client alike.
// Inflating is capped, so a gzip bomb costs at most `max_out` bytes (the hub inflates untrusted
// request bodies itself, never through cpp-httplib, which has no limit).
// Pure functions; any thread.
#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace gocua::protocol {

// Inflates one gzip member. Stops as soon as the output would pass `max_out` bytes and fails
// with protocol::kErrTooLarge; a stream that is not gzip, is cut short or has bytes after its
// end fails with protocol::kErrBadRequest. Errors are protocol::ProtocolError() statuses.
Result<std::string> GzipInflate(std::string_view compressed, size_t max_out);

// Compresses `data` as one gzip member with a fixed header (no name, no time), so the same
// input at the same `level` (zlib's 1..9; 6 is its default) always gives the same bytes.
std::string GzipCompress(std::string_view data, int level = 6);

}  // namespace gocua::protocol
