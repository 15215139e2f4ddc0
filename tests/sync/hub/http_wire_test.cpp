// HTTP/1.1 as clients other than libcurl may speak it to the hub's own front (sync/hub/http/):
// a chunked body, "Expect: 100-continue", two requests sent at once on one keep-alive
// connection, a chunked body past the limit. The real gocua-hub process on loopback.
#include <doctest/doctest.h>

#include <string>

#include "tests/sync/hub/http_attack.h"
#include "tests/sync/hub/hub_http.h"

namespace gocua::hub_http {
namespace {

// Everything the hub sends until it closes the connection or `until` appears `times` times.
std::string ReadUntil(int fd, const std::string& until, int times = 1) {
  std::string in;
  char buf[16384];
  auto count = [&] {
    int n = 0;
    for (size_t at = in.find(until); at != std::string::npos; at = in.find(until, at + 1)) ++n;
    return n;
  };
  while (count() < times) {
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    in.append(buf, static_cast<size_t>(n));
  }
  return in;
}

std::string Chunked(const std::string& body, size_t piece) {
  std::string out;
  for (size_t at = 0; at < body.size(); at += piece) {
    const std::string part = body.substr(at, piece);
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", part.size());
    out += size + part + "\r\n";
  }
  return out + "0\r\n\r\n";
}

TEST_CASE("Hub HTTP: chunked bodies, 100-continue and pipelined requests are read as HTTP/1.1") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device d = Enroll(hub, c.a, 1);
  const std::string push = p::Encode(MakePush(d, HouseholdOps(d, 1, c.village_a)));

  SUBCASE("a chunked push is applied") {
    const int fd = http_attack::ConnectFrom("", hub.port());
    REQUIRE(fd >= 0);
    const std::string req =
        "POST /v1/push HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        "Authorization: Bearer " +
        d.token + "\r\nTransfer-Encoding: chunked\r\n\r\n" + Chunked(push, 100);
    REQUIRE(send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size()));
    const std::string reply = ReadUntil(fd, "\r\n\r\n{never}");
    close(fd);
    INFO(reply);
    CHECK(reply.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(Contains(reply, "\"acked_seq\":3"));
  }
  SUBCASE("Expect: 100-continue is answered before the body is sent") {
    const int fd = http_attack::ConnectFrom("", hub.port());
    REQUIRE(fd >= 0);
    const std::string head =
        "POST /v1/push HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        "Authorization: Bearer " +
        d.token + "\r\nExpect: 100-continue\r\nContent-Length: " + std::to_string(push.size()) +
        "\r\n\r\n";
    REQUIRE(send(fd, head.data(), head.size(), MSG_NOSIGNAL) > 0);
    CHECK(ReadUntil(fd, "\r\n\r\n") == "HTTP/1.1 100 Continue\r\n\r\n");
    REQUIRE(send(fd, push.data(), push.size(), MSG_NOSIGNAL) > 0);
    const std::string reply = ReadUntil(fd, "\r\n\r\n{never}");
    close(fd);
    CHECK(reply.rfind("HTTP/1.1 200", 0) == 0);
  }
  SUBCASE("two requests sent at once get two replies in order on one connection") {
    const int fd = http_attack::ConnectFrom("", hub.port());
    REQUIRE(fd >= 0);
    const std::string two =
        "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /v2/none HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    REQUIRE(send(fd, two.data(), two.size(), MSG_NOSIGNAL) > 0);
    const std::string replies = ReadUntil(fd, "\r\n\r\n{never}");
    close(fd);
    INFO(replies);
    CHECK(replies.rfind("HTTP/1.1 200", 0) == 0);
    const size_t second = replies.find("HTTP/1.1 404");
    CHECK(second != std::string::npos);
    CHECK(Contains(replies.substr(0, second), "Connection: Keep-Alive"));
  }
  SUBCASE("a chunked body past the limit is refused with 413") {
    const int fd = http_attack::ConnectFrom("", hub.port());
    REQUIRE(fd >= 0);
    const std::string head =
        "POST /v1/push HTTP/1.1\r\nHost: x\r\n"
        "Authorization: Bearer " +
        d.token + "\r\nTransfer-Encoding: chunked\r\n\r\n";
    const std::string big = Chunked(std::string(3 << 20, ' '), 256 * 1024);
    std::string reply;
    const std::string all = head + big;
    size_t sent = 0;
    while (sent < all.size()) {
      pollfd pfd{fd, POLLIN, 0};
      if (poll(&pfd, 1, 0) > 0) break;
      const ssize_t n =
          send(fd, all.data() + sent, std::min<size_t>(65536, all.size() - sent), MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    reply = ReadUntil(fd, "\r\n\r\n{never}");
    close(fd);
    CHECK(reply.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(Contains(reply, "too_large"));
  }
  CheckHealthy(hub);
  CHECK(hub.Stop() == 0);
}

}  // namespace
}  // namespace gocua::hub_http
