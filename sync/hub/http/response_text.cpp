#include "sync/hub/http/response_text.h"

#include <string>

namespace gocua::hub::http {
namespace {

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

}  // namespace

std::string Serialize(const Response& r, bool close, const FrontLimits& limits) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + Reason(r.status) + "\r\n";
  for (const auto& [name, value] : r.headers) out += name + ": " + value + "\r\n";
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  if (close) {
    out += "Connection: close\r\n";
  } else {
    out +=
        "Connection: Keep-Alive\r\nKeep-Alive: timeout=" + std::to_string(limits.idle_timeout_s) +
        "\r\n";
  }
  out += "\r\n";
  out += r.body;
  return out;
}

}  // namespace gocua::hub::http
