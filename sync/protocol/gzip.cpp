#include "sync/protocol/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <array>

#include "sync/protocol/errors.h"
#include "sync/protocol/protocol.h"

namespace gocua::protocol {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // zlib: a gzip wrapper, not zlib's own
constexpr size_t kChunk = 64 * 1024;

// zlib's avail_in is 32-bit; feed it at most this much at once.
constexpr size_t kMaxFeed = 1u << 30;

}  // namespace

Result<std::string> GzipInflate(std::string_view compressed, size_t max_out) {
  z_stream z{};
  if (inflateInit2(&z, kGzipWindowBits) != Z_OK)
    return protocol::ProtocolError(protocol::kErrInternal, "zlib could not start inflating");
  std::string out;
  std::array<unsigned char, kChunk> buf;
  size_t fed = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (z.avail_in == 0 && fed < compressed.size()) {
      const size_t n = std::min(kMaxFeed, compressed.size() - fed);
      // zlib does not write through next_in; the cast only drops const.
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data() + fed));
      z.avail_in = static_cast<uInt>(n);
      fed += n;
    }
    z.next_out = buf.data();
    z.avail_out = static_cast<uInt>(buf.size());
    rc = inflate(&z, Z_NO_FLUSH);
    const size_t produced = buf.size() - z.avail_out;
    if (out.size() + produced > max_out) {
      inflateEnd(&z);
      return protocol::ProtocolError(protocol::kErrTooLarge, "the body inflates to more than " +
                                                                 std::to_string(max_out) +
                                                                 " bytes; send less at once");
    }
    out.append(reinterpret_cast<const char*>(buf.data()), produced);
    if (rc == Z_STREAM_END) break;
    if (rc == Z_BUF_ERROR && z.avail_in == 0 && fed == compressed.size()) {
      inflateEnd(&z);
      return protocol::ProtocolError(protocol::kErrBadRequest,
                                     "the gzip body is cut short; send the whole body");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      inflateEnd(&z);
      return protocol::ProtocolError(protocol::kErrBadRequest,
                                     std::string("the body is not valid gzip (") +
                                         (z.msg ? z.msg : "zlib error") +
                                         "); send it as gzip or without Content-Encoding");
    }
  }
  const bool trailing = z.avail_in != 0 || fed != compressed.size();
  inflateEnd(&z);
  if (trailing)
    return protocol::ProtocolError(protocol::kErrBadRequest,
                                   "the gzip body has bytes after its end; send one gzip stream");
  return out;
}

std::string GzipCompress(std::string_view data, int level) {
  z_stream z{};
  // memLevel 8 is zlib's default. deflateInit2 fails only on bad arguments or no memory.
  if (deflateInit2(&z, level, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return {};
  std::string out;
  out.resize(deflateBound(&z, static_cast<uLong>(data.size())) + 32);
  size_t fed = 0;
  int rc = Z_OK;
  do {
    if (z.avail_in == 0 && fed < data.size()) {
      const size_t n = std::min(kMaxFeed, data.size() - fed);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + fed));
      z.avail_in = static_cast<uInt>(n);
      fed += n;
    }
    if (z.total_out == out.size()) out.resize(out.size() * 2);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + z.total_out);
    z.avail_out = static_cast<uInt>(std::min(kMaxFeed, out.size() - z.total_out));
    rc = deflate(&z, fed == data.size() ? Z_FINISH : Z_NO_FLUSH);
  } while (rc == Z_OK || rc == Z_BUF_ERROR);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace gocua::protocol
