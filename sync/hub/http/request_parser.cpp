#include "sync/hub/http/request_parser.h"

#include <algorithm>

namespace gocua::hub::http {
namespace {

constexpr size_t kMaxChunkLine = 1024;  // a chunk's size line, extensions included

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string DecodeUrl(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string Request::Header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (EqualsNoCase(n, name)) return v;
  return "";
}

bool Request::HasHeader(std::string_view name) const {
  for (const auto& h : headers)
    if (EqualsNoCase(h.first, name)) return true;
  return false;
}

std::string Request::Param(std::string_view name) const {
  for (const auto& [n, v] : params)
    if (n == name) return v;
  return "";
}

RequestParser::State RequestParser::Fail(int status, std::string message) {
  phase_ = Phase::kError;
  error_.status = status;
  error_.message = std::move(message);
  return State::kError;
}

bool RequestParser::TakeLine(std::string* in, size_t max, std::string* line, bool* failed) {
  const size_t nl = in->find('\n');
  if (nl == std::string::npos) {
    // A partial line stays in `*in`; it may not grow past the limit.
    if (in->size() > max + 1) *failed = true;  // + a '\r' still waiting for its '\n'
    return false;
  }
  if (nl + 1 > max + 2) {
    *failed = true;
    return false;
  }
  size_t end = nl;
  if (end > 0 && (*in)[end - 1] == '\r') --end;
  line->assign(*in, 0, end);
  in->erase(0, nl + 1);
  return true;
}

bool RequestParser::ParseRequestLine(const std::string& line) {
  const size_t sp1 = line.find(' ');
  if (sp1 == std::string::npos) return false;
  const size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string::npos || line.find(' ', sp2 + 1) != std::string::npos) return false;
  req_.method = line.substr(0, sp1);
  req_.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  req_.version = line.substr(sp2 + 1);
  if (req_.method.empty() || req_.target.empty()) return false;
  for (char c : req_.method)
    if (!IsTokenChar(c)) return false;
  for (char c : req_.target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  if (req_.version != "HTTP/1.1" && req_.version != "HTTP/1.0") return false;
  const size_t q = req_.target.find('?');
  req_.path = DecodeUrl(std::string_view(req_.target).substr(0, q), false);
  if (q != std::string::npos) {
    std::string_view query = std::string_view(req_.target).substr(q + 1);
    while (!query.empty()) {
      const size_t amp = query.find('&');
      std::string_view item = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
      if (item.empty()) continue;
      const size_t eq = item.find('=');
      std::string key = DecodeUrl(item.substr(0, eq), true);
      std::string value =
          eq == std::string_view::npos ? std::string() : DecodeUrl(item.substr(eq + 1), true);
      req_.params.emplace_back(std::move(key), std::move(value));
    }
  }
  return true;
}

RequestParser::State RequestParser::StartBody() {
  const std::string connection = Lower(req_.Header("Connection"));
  req_.keep_alive = req_.version == "HTTP/1.1" ? connection.find("close") == std::string::npos
                                               : connection.find("keep-alive") != std::string::npos;
  std::string length;
  for (const auto& [n, v] : req_.headers) {
    if (!EqualsNoCase(n, "Content-Length")) continue;
    if (!length.empty() && length != v)
      return Fail(400, "the request has two different Content-Length headers");
    length = v;
  }
  if (req_.HasHeader("Content-Length")) {
    if (length.empty() || length.find_first_not_of("0123456789") != std::string::npos)
      return Fail(400, "Content-Length is not a number");
    if (length.size() > 18 || std::stoull(length) > limits_.max_body) {
      error_.declared_len = length;
      return Fail(413, "");
    }
  }
  const std::string te = Lower(Trim(req_.Header("Transfer-Encoding")));
  if (!te.empty()) {
    if (te != "chunked")
      return Fail(501, "Transfer-Encoding is not spoken here; send Content-Length or chunked");
    phase_ = Phase::kChunkSize;
    return State::kNeedMore;
  }
  // No Content-Length and no chunked encoding: no body (RFC 9112 6.3).
  body_left_ = length.empty() ? 0 : static_cast<size_t>(std::stoull(length));
  // No reserve(): a declared length costs memory only as its bytes arrive.
  phase_ = body_left_ > 0 ? Phase::kBody : Phase::kDone;
  return phase_ == Phase::kDone ? State::kComplete : State::kNeedMore;
}

RequestParser::State RequestParser::Feed(std::string* in) {
  if (!in->empty()) started_ = true;
  std::string line;
  bool failed = false;
  for (;;) {
    switch (phase_) {
      case Phase::kRequestLine: {
        if (!TakeLine(in, limits_.max_request_line, &line, &failed)) {
          if (failed) return Fail(414, "the request line is too long");
          return State::kNeedMore;
        }
        header_bytes_ += line.size() + 2;
        if (header_bytes_ > limits_.max_header_bytes)
          return Fail(431, "the request headers are too large");
        if (line.empty()) continue;  // empty lines before a request are ignored (RFC 9112 2.2)
        if (!ParseRequestLine(line)) return Fail(400, "the request line is not HTTP/1.1");
        phase_ = Phase::kHeaders;
        break;
      }
      case Phase::kHeaders:
      case Phase::kTrailers: {
        const size_t room =
            limits_.max_header_bytes - std::min(limits_.max_header_bytes, header_bytes_);
        if (!TakeLine(in, room, &line, &failed)) {
          if (failed) return Fail(431, "the request headers are too large");
          return State::kNeedMore;
        }
        header_bytes_ += line.size() + 2;
        if (header_bytes_ > limits_.max_header_bytes)
          return Fail(431, "the request headers are too large");
        if (line.empty()) {
          if (phase_ == Phase::kTrailers) {
            phase_ = Phase::kDone;
            return State::kComplete;
          }
          if (StartBody() != State::kNeedMore)
            return phase_ == Phase::kError ? State::kError : State::kComplete;
          break;
        }
        const size_t colon = line.find(':');
        if (colon == 0 || colon == std::string::npos || line[0] == ' ' || line[0] == '\t')
          return Fail(400, "a header line is not \"Name: value\"");
        for (size_t i = 0; i < colon; ++i)
          if (!IsTokenChar(line[i])) return Fail(400, "a header name has a bad character");
        if (req_.headers.size() >= limits_.max_header_count)
          return Fail(431, "the request has too many headers");
        if (phase_ == Phase::kHeaders)
          req_.headers.emplace_back(line.substr(0, colon),
                                    std::string(Trim(std::string_view(line).substr(colon + 1))));
        else
          req_.headers.emplace_back("", "");  // trailers count, and are dropped
        break;
      }
      case Phase::kBody: {
        if (in->empty()) return State::kNeedMore;
        const size_t n = std::min(body_left_, in->size());
        req_.body.append(*in, 0, n);
        in->erase(0, n);
        body_left_ -= n;
        body_seen_ += n;
        if (body_left_ > 0) return State::kNeedMore;
        phase_ = Phase::kDone;
        return State::kComplete;
      }
      case Phase::kChunkSize: {
        if (!TakeLine(in, kMaxChunkLine, &line, &failed)) {
          if (failed) return Fail(400, "a chunk size line is too long");
          return State::kNeedMore;
        }
        std::string_view hex = Trim(std::string_view(line).substr(0, line.find(';')));
        if (hex.empty() || hex.size() > 15) return Fail(400, "a chunk size is not a number");
        size_t size = 0;
        for (char c : hex) {
          if (HexValue(c) < 0) return Fail(400, "a chunk size is not a number");
          size = size * 16 + static_cast<size_t>(HexValue(c));
        }
        if (size > limits_.max_body || req_.body.size() + size > limits_.max_body)
          return Fail(413, "");
        body_left_ = size;
        phase_ = size == 0 ? Phase::kTrailers : Phase::kChunkData;
        break;
      }
      case Phase::kChunkData: {
        if (in->empty()) return State::kNeedMore;
        const size_t n = std::min(body_left_, in->size());
        req_.body.append(*in, 0, n);
        in->erase(0, n);
        body_left_ -= n;
        body_seen_ += n;
        if (body_left_ > 0) return State::kNeedMore;
        phase_ = Phase::kChunkEnd;
        break;
      }
      case Phase::kChunkEnd: {
        if (!TakeLine(in, 0, &line, &failed)) {
          if (failed) return Fail(400, "a chunk does not end with CRLF");
          return State::kNeedMore;
        }
        if (!line.empty()) return Fail(400, "a chunk does not end with CRLF");
        phase_ = Phase::kChunkSize;
        break;
      }
      case Phase::kDone:
        return State::kComplete;
      case Phase::kError:
        return State::kError;
    }
  }
}

Request RequestParser::TakeRequest() {
  Request out = std::move(req_);
  req_ = Request();
  phase_ = Phase::kRequestLine;
  started_ = false;
  header_bytes_ = 0;
  body_left_ = 0;
  body_seen_ = 0;
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace gocua::hub::http
