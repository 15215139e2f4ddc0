// gocua-hub serve --trusted-proxy: the client address behind nginx, for the hub's per-address
// limits (enrollment's rate limit, the connection cap). The real hub on loopback; requests
// from 127.0.0.1 and from 127.0.0.2 (Linux routes all of 127/8 to loopback) so that one is
// the trusted proxy and the other a laptop.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "sync/hub/http/client_address.h"
#include "tests/deploy/curl_request.h"
#include "tests/support/hub_process.h"

namespace gocua::test {
namespace {

using hub::http::ClientAddress;
using hub::http::ParseTrustedProxies;
using hub::http::Request;

bool Has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// A refused enrollment (an unknown code) from `source`, naming `real_ip` in X-Real-IP.
int BadEnroll(const HubProcess& hub, const std::string& source, const std::string& real_ip) {
  Curl curl;
  curl.source = source;
  const std::string body =
      R"({"protocol":1,"code":"ZZZZ-ZZZZ","device_id":"0190f3a2-5c1e-7b4d-9a6f-2e8c1d4b7a90","device_name":"x"})";
  CurlReply r = curl.Request("POST", hub.url() + "/v1/enroll", body,
                             {"Content-Type: application/json", "X-Real-IP: " + real_ip});
  INFO(r.body, r.error);
  REQUIRE(r.status != 0);
  return r.status;
}

TEST_CASE("Hub trusted proxy: refused enrollments are counted per X-Real-IP from a trusted proxy") {
  HubProcess hub;
  hub.Start({"--trusted-proxy", "127.0.0.1"});
  for (int i = 0; i < 10; ++i) CHECK(BadEnroll(hub, "127.0.0.1", "10.0.0.1") == 401);
  CHECK(BadEnroll(hub, "127.0.0.1", "10.0.0.1") == 429);  // that laptop's bucket is empty
  CHECK(BadEnroll(hub, "127.0.0.1", "10.0.0.2") == 401);  // another laptop is not slowed
}

TEST_CASE("Hub trusted proxy: X-Real-IP from a peer that is not a trusted proxy is ignored") {
  HubProcess hub;
  hub.Start({"--trusted-proxy", "127.0.0.2"});
  // 127.0.0.1 is a laptop here: whatever it claims, its refusals count against 127.0.0.1.
  for (int i = 0; i < 10; ++i)
    CHECK(BadEnroll(hub, "127.0.0.1", "10.0.0." + std::to_string(i + 1)) == 401);
  CHECK(BadEnroll(hub, "127.0.0.1", "10.0.0.99") == 429);
  // The trusted proxy at 127.0.0.2 still speaks for its own clients.
  CHECK(BadEnroll(hub, "127.0.0.2", "10.0.0.99") == 401);
}

// A connection from `source` to the hub, with a GET /healthz sent; -1 if refused.
int OpenAndAsk(int port, const std::string& source) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, source.c_str(), &local.sin_addr);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  return fd;
}

// Whether `fd` gets an HTTP reply to a GET /healthz within 10 s.
bool Answered(int fd) {
  const std::string req = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  if (send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size()))
    return false;
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, 10000) <= 0) return false;
  char buf[32] = {};
  return recv(fd, buf, sizeof buf - 1, 0) > 12 && std::string(buf).rfind("HTTP/1.1 200", 0) == 0;
}

TEST_CASE("Hub trusted proxy: the per-address connection cap spares the trusted proxy only") {
  HubProcess hub;
  hub.Start({"--trusted-proxy", "127.0.0.1", "--max-connections-per-address", "2"});
  std::vector<int> fds;
  for (int i = 0; i < 4; ++i) fds.push_back(OpenAndAsk(hub.port(), "127.0.0.1"));
  for (int fd : fds) CHECK(Answered(fd));  // all four held open at once, all answered
  std::vector<int> laptop;
  for (int i = 0; i < 3; ++i) laptop.push_back(OpenAndAsk(hub.port(), "127.0.0.2"));
  CHECK(Answered(laptop[0]));
  CHECK(Answered(laptop[1]));
  CHECK_FALSE(Answered(laptop[2]));  // the third from one laptop is closed at accept
  for (int fd : fds) close(fd);
  for (int fd : laptop) close(fd);
}

TEST_CASE("Hub trusted proxy: which address a request is counted under") {
  auto trusted = ParseTrustedProxies("127.0.0.1, ::1,::ffff:10.0.0.9");
  REQUIRE(trusted);
  CHECK(*trusted == std::vector<std::string>{"127.0.0.1", "::1", "10.0.0.9"});
  Request req;
  req.headers = {{"X-Real-IP", "203.0.113.7"}, {"X-Forwarded-For", "198.51.100.1, 203.0.113.8"}};
  CHECK(ClientAddress("127.0.0.1", req, *trusted) == "203.0.113.7");
  CHECK(ClientAddress("192.0.2.1", req, *trusted) == "192.0.2.1");  // not a trusted peer
  // Without X-Real-IP: the last X-Forwarded-For entry that is not a trusted proxy.
  req.headers = {{"X-Forwarded-For", "198.51.100.1, 203.0.113.8, 10.0.0.9"}};
  CHECK(ClientAddress("127.0.0.1", req, *trusted) == "203.0.113.8");
  // Headers that are not addresses are never believed (nor become a bucket's key).
  req.headers = {{"X-Real-IP", "laptop-1"}, {"X-Forwarded-For", "not an address"}};
  CHECK(ClientAddress("127.0.0.1", req, *trusted) == "127.0.0.1");
  req.headers = {{"X-Real-IP", "::FFFF:203.0.113.7"}};
  CHECK(ClientAddress("::1", req, *trusted) == "203.0.113.7");
  CHECK_FALSE(ParseTrustedProxies("127.0.0.1,nginx.local"));
  CHECK_FALSE(ParseTrustedProxies("10.0.0.0/8"));
}

TEST_CASE("Hub trusted proxy: serve refuses a --trusted-proxy that is not an address") {
  HubProcess hub;
  ProcessResult r = hub.Run({"serve", "--listen", "127.0.0.1:0", "--trusted-proxy", "nginx"});
  CHECK(r.exit_code != 0);
  CHECK(Has(r.err, "--trusted-proxy"));
}

}  // namespace
}  // namespace gocua::test
