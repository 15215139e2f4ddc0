#include "sync/client/curl_transport.h"

#include <curl/curl.h>

#include <cctype>
#include <mutex>

#include "platform/tls_trust.h"
#include "sync/protocol/gzip.h"
#include "sync/protocol/protocol.h"

namespace gocua::client {
namespace {

// What the callbacks of one transfer share.
struct Transfer {
  std::string body;               // as received (maybe compressed)
  std::string content_encoding;   // of the final response's headers, lower-cased
  long long content_length = -1;  // of the final response's headers; -1 when absent
  // The blank line that ends the header block arrived. libcurl reports success for a
  // connection cut in the middle of the headers ("HTTP/1.1 200 OK\r\n", then nothing), and
  // the caller would take that for an empty 200 reply.
  bool headers_done = false;
  bool too_large = false;
  const std::atomic<bool>* cancel = nullptr;
};

size_t OnWrite(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (t->body.size() + n > protocol::kMaxDecompressedBody) {
    t->too_large = true;
    return 0;  // curl aborts with CURLE_WRITE_ERROR
  }
  t->body.append(data, n);
  return n;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  const std::string line(data, n);
  // A new status line (after "100 Continue"): forget the headers of the interim response.
  if (line.rfind("HTTP/", 0) == 0) {
    t->content_encoding.clear();
    t->content_length = -1;
    t->headers_done = false;
    return n;
  }
  if (line == "\r\n" || line == "\n") {
    t->headers_done = true;
    return n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string::npos) return n;
  const std::string name = Lower(line.substr(0, colon));
  const std::string value = Trim(line.substr(colon + 1));
  if (name == "content-encoding") t->content_encoding = Lower(value);
  if (name == "content-length" && !value.empty() &&
      value.find_first_not_of("0123456789") == std::string::npos && value.size() < 19)
    t->content_length = std::stoll(value);
  return n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  return t->cancel && t->cancel->load() ? 1 : 0;  // non-zero: CURLE_ABORTED_BY_CALLBACK
}

// A transfer failure as a Status the person can act on. Vietnamese first, then English.
Status FailureStatus(CURLcode rc, const Transfer& t, const char* detail) {
  std::string why = detail && *detail ? detail : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_ABORTED_BY_CALLBACK:
      return {ErrorCode::kIo, "Đã huỷ — cancelled"};
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return {ErrorCode::kIo, "Không tìm thấy tên máy chủ — host name not found (" + why + ")"};
    case CURLE_COULDNT_CONNECT:
      return {ErrorCode::kIo, "Không kết nối được — could not connect (" + why + ")"};
    case CURLE_OPERATION_TIMEDOUT:
      return {ErrorCode::kIo, "Mạng quá chậm hoặc mất kết nối — the link timed out (" + why + ")"};
    case CURLE_WRITE_ERROR:
      if (t.too_large)
        return {ErrorCode::kIo, "Phản hồi của máy chủ quá lớn — the hub's reply is over " +
                                    std::to_string(protocol::kMaxDecompressedBody) + " bytes"};
      break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
      // A certificate this laptop does not trust (or no readable CA file): trying again
      // cannot help, so it is kInvalidInput, which the engine does not retry.
      return {ErrorCode::kInvalidInput,
              "Máy chủ không có chứng chỉ mà máy này tin cậy; kiểm tra địa chỉ, tệp chứng chỉ "
              "và đồng hồ máy — the hub's certificate is not trusted here: check the address, "
              "the certificate file and this laptop's date (" +
                  why + ")"};
    case CURLE_SSL_CONNECT_ERROR:
      return {ErrorCode::kIo,
              "Lỗi chứng chỉ/bảo mật của máy chủ; kiểm tra địa chỉ và đồng hồ máy "
              "— TLS error, check the address and this laptop's date (" +
                  why + ")"};
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
      return {ErrorCode::kIo, "Kết nối bị ngắt giữa chừng — the connection was cut (" + why + ")"};
    default:
      break;
  }
  return {ErrorCode::kIo, "Lỗi mạng — network error (" + why + ")"};
}

}  // namespace

struct CurlTransport::Impl {
  CURL* easy = nullptr;
  // The CAs trusted when options_.ca_file is "" (the system's: platform/tls_trust.h; on Windows
  // its certificate store and the bundle shipped beside the executable).
  SystemTlsTrust system_trust = DefaultTlsTrust();
};

CurlTransport::CurlTransport(CurlOptions options)
    : options_(std::move(options)), impl_(std::make_unique<Impl>()) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  impl_->easy = curl_easy_init();
}

CurlTransport::~CurlTransport() {
  if (impl_->easy) curl_easy_cleanup(impl_->easy);
}

Result<HttpResponse> CurlTransport::Send(const HttpRequest& request,
                                         const std::atomic<bool>* cancel) {
  CURL* c = impl_->easy;
  if (!c) return Status{ErrorCode::kInternal, "libcurl: curl_easy_init failed"};
  if (cancel && cancel->load()) return Status{ErrorCode::kIo, "Đã huỷ — cancelled"};
  // Reset options but keep the connection cache: the next request reuses the connection.
  curl_easy_reset(c);

  Transfer t;
  t.cancel = cancel;
  char error_buf[CURL_ERROR_SIZE] = {};
  std::string body;  // the compressed request body, if made here: must outlive the transfer
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Accept: application/json");
  // We inflate replies ourselves, with a cap (curl's built-in decoding has none).
  headers = curl_slist_append(headers, "Accept-Encoding: gzip");
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  if (!request.bearer_token.empty())
    headers = curl_slist_append(headers, ("Authorization: Bearer " + request.bearer_token).c_str());
  if (request.method == HttpRequest::Method::kPost) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    const std::string* sent = &request.body;
    if (request.gzip_body && request.body.size() >= options_.gzip_min_bytes) {
      if (request.gzipped.empty())
        body = protocol::GzipCompress(request.body);
      sent = request.gzipped.empty() ? &body : &request.gzipped;
      headers = curl_slist_append(headers, "Content-Encoding: gzip");
    }
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, sent->data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(sent->size()));
  } else {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  }

  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_USERAGENT, options_.user_agent.c_str());
  if (!options_.ca_file.empty()) {
    curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  } else {  // the system's CAs: platform/tls_trust.h (Windows: its store and the shipped bundle)
    if (impl_->system_trust.native_store)
      curl_easy_setopt(c, CURLOPT_SSL_OPTIONS, static_cast<long>(CURLSSLOPT_NATIVE_CA));
    if (!impl_->system_trust.ca_bundle.empty())
      curl_easy_setopt(c, CURLOPT_CAINFO, impl_->system_trust.ca_bundle.c_str());
  }
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM: we run on a worker thread
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, options_.connect_timeout_s);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, options_.low_speed_limit);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, options_.low_speed_time_s);
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buf);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnWrite);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);

  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) return FailureStatus(rc, t, error_buf);

  if (!t.headers_done ||
      (t.content_length >= 0 && static_cast<long long>(t.body.size()) != t.content_length))
    return Status{ErrorCode::kIo,
                  "Kết nối bị ngắt giữa chừng — the connection was cut (the reply ended early)"};
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  HttpResponse response;
  response.status = static_cast<int>(status);
  if (t.content_encoding == "gzip" || t.content_encoding == "x-gzip") {
    auto inflated = protocol::GzipInflate(t.body, protocol::kMaxDecompressedBody);
    if (!inflated)
      return Status{ErrorCode::kIo, "Phản hồi của máy chủ bị hỏng — the hub's reply is damaged: " +
                                        inflated.error().message()};
    response.body = std::move(inflated).value();
  } else if (t.content_encoding.empty() || t.content_encoding == "identity") {
    response.body = std::move(t.body);
  } else {
    return Status{ErrorCode::kIo,
                  "Máy chủ trả về dạng nén không hỗ trợ — the hub replied with "
                  "an unsupported Content-Encoding: " +
                      t.content_encoding};
  }
  return response;
}

}  // namespace gocua::client
