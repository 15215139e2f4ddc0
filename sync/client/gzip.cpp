#include "sync/client/gzip.h"

#include <zlib.h>

#include <algorithm>

namespace gocua::client {
namespace {

// zlib counts in uInt; feed it in slices no larger than that.
constexpr size_t kSlice = 1 << 20;

}  // namespace

std::string GzipCompress(std::string_view data) {
  z_stream zs{};
  // 15 window bits + 16: write a gzip header and trailer instead of zlib's.
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return {};
  std::string out;
  out.reserve(data.size() / 4 + 64);
  char buf[64 * 1024];
  size_t fed = 0;
  int flush = Z_NO_FLUSH;
  do {
    const size_t n = std::min(data.size() - fed, kSlice);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + fed));
    zs.avail_in = static_cast<uInt>(n);
    fed += n;
    flush = fed == data.size() ? Z_FINISH : Z_NO_FLUSH;
    do {
      zs.next_out = reinterpret_cast<Bytef*>(buf);
      zs.avail_out = sizeof(buf);
      deflate(&zs, flush);  // cannot fail with a valid stream and room to write
      out.append(buf, sizeof(buf) - zs.avail_out);
    } while (zs.avail_out == 0);
  } while (flush != Z_FINISH);
  deflateEnd(&zs);
  return out;
}

Result<std::string> GzipInflate(std::string_view data, size_t max_bytes) {
  z_stream zs{};
  // 15 window bits + 32: detect a gzip or a zlib header.
  if (inflateInit2(&zs, 15 + 32) != Z_OK)
    return Status{ErrorCode::kInternal, "zlib: inflateInit2 failed"};
  std::string out;
  char buf[64 * 1024];
  size_t fed = 0;
  int rc = Z_OK;
  while (true) {
    if (zs.avail_in == 0 && fed < data.size()) {
      const size_t n = std::min(data.size() - fed, kSlice);
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + fed));
      zs.avail_in = static_cast<uInt>(n);
      fed += n;
    }
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    const size_t produced = sizeof(buf) - zs.avail_out;
    if (out.size() + produced > max_bytes) {
      inflateEnd(&zs);
      return InvalidInput("gzip body inflates to more than " + std::to_string(max_bytes) +
                          " bytes");
    }
    out.append(buf, produced);
    if (rc == Z_STREAM_END) break;
    if (rc == Z_BUF_ERROR && zs.avail_in == 0 && fed == data.size()) {
      inflateEnd(&zs);
      return InvalidInput("gzip body is truncated");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      const std::string why = zs.msg ? zs.msg : "error " + std::to_string(rc);
      inflateEnd(&zs);
      return InvalidInput("gzip body is damaged: " + why);
    }
  }
  inflateEnd(&zs);
  return out;
}

}  // namespace gocua::client
