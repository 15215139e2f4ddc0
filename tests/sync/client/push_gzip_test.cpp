// Push bodies compressed ahead: the engine gzips the next batch while the hub works on the last
// one (HttpRequest::gzipped), and the libcurl transport sends those bytes as they were made.
#include <doctest/doctest.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "storage/io/export.h"
#include "storage/device/places.h"
#include "sync/client/curl_transport.h"
#include "sync/client/sync_engine.h"
#include "sync/protocol/gzip.h"
#include "tests/support/fixture.h"
#include "tests/support/client_helpers.h"
#include "tests/support/hub_process.h"
#include "tests/support/net.h"

namespace gocua::client {
namespace {

using test::OpenOrDie;
using test::TempDir;

// One HTTP/1.1 request read whole (head and Content-Length body) on a loopback port, answered
// 200 "{}". The request is in head/body after Join().
class OneRequestServer {
 public:
  OneRequestServer() {
    fd_ = test::net::Socket();
    REQUIRE(fd_ >= 0);
    port_ = test::net::BindLoopback(fd_);
    REQUIRE(port_ > 0);
    REQUIRE(test::net::Listen(fd_, 4) == 0);
    thread_ = std::thread([this] { Serve(); });
  }
  ~OneRequestServer() {
    if (thread_.joinable()) thread_.join();
    test::net::Close(fd_);
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1/push"; }
  void Join() { thread_.join(); }

  std::string head, body;

 private:
  void Serve() {
    const int c = test::net::Accept(fd_);
    if (c < 0) return;
    std::string in;
    char buf[4096];
    size_t end = std::string::npos;
    size_t want = 0;
    while (true) {
      const auto n = test::net::Recv(c, buf, sizeof buf);
      if (n <= 0) break;
      in.append(buf, static_cast<size_t>(n));
      if (end == std::string::npos && (end = in.find("\r\n\r\n")) != std::string::npos) {
        head = in.substr(0, end);
        const size_t at = head.find("Content-Length: ");
        if (at != std::string::npos) want = std::strtoull(head.c_str() + at + 16, nullptr, 10);
      }
      if (end != std::string::npos && in.size() >= end + 4 + want) break;
    }
    if (end != std::string::npos) body = in.substr(end + 4, want);
    const std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
    (void)test::net::Send(c, reply.data(), reply.size());
    test::net::Close(c);
  }

  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

TEST_CASE("Client: the libcurl transport sends a body compressed ahead as it was made") {
  const std::string json = "{\"ops\": [" + std::string(5000, ' ') + "]}";
  // Level 1 gives other bytes than the transport's own level 6: the test sees which was sent.
  const std::string ahead = protocol::GzipCompress(json, 1);
  REQUIRE(ahead != protocol::GzipCompress(json));

  OneRequestServer given;
  CurlTransport transport;
  auto sent = transport.Send({HttpRequest::Method::kPost, given.Url(), "t", json, true, ahead},
                             nullptr);
  given.Join();
  REQUIRE(sent.ok());
  CHECK(given.body == ahead);
  CHECK(given.head.find("Content-Encoding: gzip") != std::string::npos);

  // Without one, the transport compresses the body itself, as before.
  OneRequestServer own;
  auto plain = transport.Send({HttpRequest::Method::kPost, own.Url(), "t", json, true}, nullptr);
  own.Join();
  REQUIRE(plain.ok());
  CHECK(own.body == protocol::GzipCompress(json));
}

// Records every push request on its way to the real transport.
class Recording final : public HttpTransport {
 public:
  Result<HttpResponse> Send(const HttpRequest& r, const std::atomic<bool>* cancel) override {
    if (r.url.find("/v1/push") != std::string::npos) pushes.push_back(r);
    return curl.Send(r, cancel);
  }
  CurlTransport curl;
  std::vector<HttpRequest> pushes;
};

TEST_CASE("Client: batches compressed ahead are the batches' text, and the hub takes them") {
  test::HubProcess hub;
  const nlohmann::json commune =
      hub.Json({"commune", "create", "--province", "Quảng Ngãi", "--commune", "Xã Tịnh Sơn"});
  const std::string commune_id = commune["id"];
  hub.Ok({"village", "add", "--commune", commune_id, "Thôn", "Đông"});
  hub.Start();

  TempDir dir;
  SystemClock clock;
  auto db = OpenOrDie(dir.File("a.db"), clock);
  Recording wire;
  SyncOptions options;
  options.sleep = [](int64_t, const std::atomic<bool>*) {};
  SyncEngine engine(*db, wire, clock, options);
  EnrollResult enrolled =
      engine.Enroll(hub.url(), hub.Ok({"enroll-code", "--commune", commune_id}), "A");
  REQUIRE_MESSAGE(enrolled.ok(), enrolled.sync.error.message());
  auto villages = Places(*db).Villages();
  REQUIRE(villages.ok());
  REQUIRE(villages->size() == 1);
  testing::AddHouseholds(*db, villages->front().id, 800);
  wire.pushes.clear();
  REQUIRE(engine.Sync().ok());

  // Several batches; every one after the first was read, and compressed, ahead.
  REQUIRE(wire.pushes.size() >= 3);
  int ahead = 0;
  for (const HttpRequest& r : wire.pushes) {
    if (r.gzipped.empty()) continue;
    ++ahead;
    auto inflated = protocol::GzipInflate(r.gzipped, 1 << 24);
    REQUIRE(inflated.ok());
    CHECK(*inflated == r.body);
  }
  CHECK(ahead >= static_cast<int>(wire.pushes.size()) - 1);

  // The hub read them: a second laptop gets exactly A's records.
  auto b_db = OpenOrDie(dir.File("b.db"), clock);
  CurlTransport b_wire;
  SyncEngine b(*b_db, b_wire, clock, options);
  EnrollResult b_enrolled =
      b.Enroll(hub.url(), hub.Ok({"enroll-code", "--commune", commune_id}), "B");
  REQUIRE_MESSAGE(b_enrolled.ok(), b_enrolled.sync.error.message());
  auto a_export = ExportCanonicalJson(*db);
  auto b_export = ExportCanonicalJson(*b_db);
  REQUIRE(a_export.ok());
  REQUIRE(b_export.ok());
  CHECK(*a_export == *b_export);
  CHECK(b_export->find("Nguyễn Văn Đức 799") != std::string::npos);
}

}  // namespace
}  // namespace gocua::client
