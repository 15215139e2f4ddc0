#include "sync/hub/http/client_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>

namespace gocua::hub::http {
namespace {

// An IPv6 address in `buf`, or the IPv4 one that it maps.
void WriteV6(const in6_addr& v6, char (&buf)[INET6_ADDRSTRLEN]) {
  if (IN6_IS_ADDR_V4MAPPED(&v6))
    inet_ntop(AF_INET, &v6.s6_addr[12], buf, sizeof buf);
  else
    inet_ntop(AF_INET6, &v6, buf, sizeof buf);
}

}  // namespace

std::string PeerAddress(const sockaddr_storage& a) {
  char buf[INET6_ADDRSTRLEN] = "?";
  if (a.ss_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(a).sin_addr, buf, sizeof buf);
  else if (a.ss_family == AF_INET6)
    WriteV6(reinterpret_cast<const sockaddr_in6&>(a).sin6_addr, buf);
  return buf;
}

std::string NormalAddress(std::string_view text) {
  text = Trim(text);
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return "";
  const std::string s(text);
  char buf[INET6_ADDRSTRLEN] = "";
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    inet_ntop(AF_INET, &v4, buf, sizeof buf);
  } else if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    WriteV6(v6, buf);
  } else {
    return "";
  }
  return buf;
}

Result<TrustedProxies> ParseTrustedProxies(std::string_view list) {
  TrustedProxies out;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view item = Trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (item.empty()) continue;
    std::string address = NormalAddress(item);
    if (address.empty())
      return Status(ErrorCode::kInvalidInput,
                    "--trusted-proxy takes IP addresses separated by commas (the reverse "
                    "proxy's own, e.g. 127.0.0.1), not " +
                        std::string(item));
    out.push_back(std::move(address));
  }
  return out;
}

bool IsTrusted(const TrustedProxies& trusted, const std::string& peer) {
  return std::find(trusted.begin(), trusted.end(), peer) != trusted.end();
}

std::string ClientAddress(const std::string& peer, const Request& req,
                          const TrustedProxies& trusted) {
  if (!IsTrusted(trusted, peer)) return peer;
  if (std::string real = NormalAddress(req.Header("X-Real-IP")); !real.empty()) return real;
  // Each proxy appends the address it received from: the last untrusted entry is the client.
  const std::string forwarded = req.Header("X-Forwarded-For");
  std::string_view rest = forwarded;
  while (!rest.empty()) {
    const size_t comma = rest.rfind(',');
    const std::string_view item = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    std::string address = NormalAddress(item);
    if (address.empty()) break;  // not an address: believe nothing further left
    if (!IsTrusted(trusted, address)) return address;
  }
  return peer;
}

}  // namespace gocua::hub::http
