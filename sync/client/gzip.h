#pragma once
// gzip for HTTP bodies (Content-Encoding: gzip), with a cap on what inflating may produce so
// that a small hostile reply cannot take the laptop's memory. Pure functions; any thread.
#include <cstddef>
#include <string>
#include <string_view>

#include "storage/result.h"

namespace gocua::client {

// `data` as a gzip stream (RFC 1952).
std::string GzipCompress(std::string_view data);

// Inflates a gzip (or zlib) stream. Fails (kInvalidInput) on a damaged or truncated stream,
// and (kInvalidInput) as soon as the output would pass `max_bytes`.
Result<std::string> GzipInflate(std::string_view data, size_t max_bytes);

}  // namespace gocua::client
