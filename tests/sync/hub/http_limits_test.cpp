// The hub's HTTP front limits against the real gocua-hub process (issue 15, observation 5 and
// the per-address cap): connections sending header lines without end are answered 431 and
// closed while the hub's resident memory stays bounded; one address cannot hold more than its
// share of connections. Sizes, statuses and outcomes only: no timing assertions.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "tests/sync/hub/http_attack.h"
#include "tests/sync/hub/hub_http.h"

namespace gocua::hub_http {
namespace {

using http_attack::ConnectFrom;
using http_attack::HubRssKb;

// Sends "GET /healthz" and then header lines without end (up to `max_bytes`), stopping as soon
// as the hub answers or closes; returns what the hub sent back ("" if nothing).
std::string FloodHeaders(int port, size_t max_bytes) {
  const int fd = ConnectFrom("", port);
  REQUIRE(fd >= 0);
  std::string chunk = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  std::string line = "X-Flood: " + std::string(1000, 'x') + "\r\n";
  std::string lines;
  while (lines.size() < 64 * 1024) lines += line;
  size_t sent = 0;
  while (sent < max_bytes) {
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, 0) > 0) break;  // a reply, or the end
    const std::string& out = sent == 0 ? chunk : lines;
    const ssize_t n = send(fd, out.data(), out.size(), MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string reply;
  char buf[4096];
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;)
    reply.append(buf, static_cast<size_t>(n));
  close(fd);
  return reply;
}

TEST_CASE("Hub HTTP: endless header lines are answered 431 and the hub's memory stays bounded") {
  Hub hub;
  hub.Start();
  CheckHealthy(hub);
  const int64_t baseline_kb = HubRssKb(hub.data());
  REQUIRE(baseline_kb > 0);

  // 4 connections at once, 64 MB of header lines each if the hub takes them (the old hub took
  // them all, and its memory went from 11 MB to 2.3 GB with more time).
  std::atomic<int64_t> peak_kb{baseline_kb};
  std::atomic<bool> flooding{true};
  std::thread sampler([&] {
    while (flooding) {
      peak_kb = std::max<int64_t>(peak_kb, HubRssKb(hub.data()));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  std::vector<std::string> replies(4);
  std::vector<std::thread> floods;
  for (size_t i = 0; i < replies.size(); ++i)
    floods.emplace_back([&, i] { replies[i] = FloodHeaders(hub.port(), 64u << 20); });
  for (std::thread& t : floods) t.join();
  flooding = false;
  sampler.join();
  const int64_t after_kb = HubRssKb(hub.data());

  for (const std::string& r : replies) {
    INFO("reply: ", r.substr(0, 300));
    CHECK(r.rfind("HTTP/1.1 431", 0) == 0);
    CHECK(r.find("Connection: close") != std::string::npos);
  }
  INFO("RSS KiB: baseline ", baseline_kb, ", peak ", peak_kb.load(), ", after ", after_kb);
  CHECK(peak_kb - baseline_kb < 64 * 1024);
  CHECK(after_kb - baseline_kb < 32 * 1024);
  CheckHealthy(hub);
  CHECK(Contains(hub.ServerLog(), "GET /healthz 431"));

  // Many small headers are bounded by count as well as by size.
  std::string many = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (int i = 0; i < 200; ++i) many += "X-" + std::to_string(i) + ": 1\r\n";
  many += "\r\n";
  const int fd = ConnectFrom("", hub.port());
  REQUIRE(fd >= 0);
  REQUIRE(send(fd, many.data(), many.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(many.size()));
  std::string reply;
  char buf[4096];
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;)
    reply.append(buf, static_cast<size_t>(n));
  close(fd);
  CHECK(reply.rfind("HTTP/1.1 431", 0) == 0);
  CHECK(hub.Stop() == 0);
}

// Whether the hub closes a fresh connection from `source` without a word (the cap), rather
// than answering a request on it.
bool TurnedAway(int port, const std::string& source) {
  const int fd = ConnectFrom(source, port);
  REQUIRE(fd >= 0);
  const std::string req = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string reply;
  char buf[4096];
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;)
    reply.append(buf, static_cast<size_t>(n));
  close(fd);
  if (reply.empty()) return true;
  INFO("reply: ", reply.substr(0, 200));
  CHECK(reply.rfind("HTTP/1.1 200", 0) == 0);
  return false;
}

TEST_CASE("Hub HTTP: one address holds at most --max-connections-per-address connections") {
  Hub hub;
  hub.Start({"--max-connections-per-address", "4"});
  std::vector<int> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(ConnectFrom("127.0.0.1", hub.port()));
    REQUIRE(held.back() >= 0);
  }
  // The hub has seen the four once it answers another address.
  CHECK_FALSE(TurnedAway(hub.port(), "127.0.0.2"));
  CHECK(TurnedAway(hub.port(), "127.0.0.1"));
  CHECK(TurnedAway(hub.port(), "127.0.0.1"));
  CHECK_FALSE(TurnedAway(hub.port(), "127.0.0.3"));
  // One of the four closes: the address may connect again (once the hub has seen the close).
  close(held.back());
  held.pop_back();
  bool served = false;
  for (int i = 0; i < 50 && !served; ++i) {
    served = !TurnedAway(hub.port(), "127.0.0.1");
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(served);
  for (int fd : held) close(fd);

  // A bad value stops serve before it listens.
  ProcessResult bad =
      hub.Run({"serve", "--listen", "127.0.0.1:0", "--max-connections-per-address", "0"});
  CHECK(bad.exit_code == 2);
  CHECK(Contains(bad.err, "--max-connections-per-address"));
  CHECK(hub.Stop() == 0);
}

}  // namespace
}  // namespace gocua::hub_http
