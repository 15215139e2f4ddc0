// The hub's HTTP transport in-process (sync/hub/http_server.h) over the real API and store: an
// exception thrown while serving a request is answered 500, written to the request log, and
// the hub goes on serving. The throw comes from the clock seam, which the API reads for every
// reply's server_time.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>

#include "sync/hub/api.h"
#include "sync/hub/http_server.h"
#include "sync/hub/store/sqlite/sqlite_hub_store.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

// A clock that throws once when armed. Thread-safe: the server's workers read it.
class ThrowingClock final : public Clock {
 public:
  int64_t NowMs() const override {
    if (armed_.exchange(false)) throw std::runtime_error("clock failure for the test");
    return test::kTestNowMs;
  }
  void Arm() { armed_ = true; }

 private:
  mutable std::atomic<bool> armed_{false};
};

// GET `path` on 127.0.0.1:`port` (HTTP/1.1, Connection: close): the whole response.
std::string Get(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  const std::string req =
      "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  REQUIRE(write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size()));
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}

std::string ReadAll(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
  return out;
}

TEST_CASE("Hub HTTP: an exception while serving is answered 500, logged, and serving goes on") {
  test::TempDir dir;
  ThrowingClock clock;
  auto store = OpenSqliteHubStore(dir.File("hub.db"), clock);
  REQUIRE(store.ok());
  hub::HubApi api(**store, clock);
  std::FILE* log = std::tmpfile();
  REQUIRE(log != nullptr);
  {
    hub::HttpServer server(api, log);
    auto port = server.Bind("127.0.0.1", 0);
    REQUIRE(port.ok());
    std::thread serving([&] { CHECK(server.Serve().ok()); });

    clock.Arm();
    const std::string failed = Get(*port, "/healthz");
    CHECK(failed.rfind("HTTP/1.1 500", 0) == 0);
    CHECK(failed.find("\"internal\"") != std::string::npos);
    const std::string ok = Get(*port, "/healthz");
    CHECK(ok.rfind("HTTP/1.1 200", 0) == 0);

    server.Stop();
    serving.join();
  }
  const std::string logged = ReadAll(log);
  std::fclose(log);
  INFO("request log: ", logged);
  CHECK(logged.find("error: GET /healthz failed: clock failure for the test") != std::string::npos);
  CHECK(logged.find("GET /healthz 500") != std::string::npos);
  CHECK(logged.find("GET /healthz 200") != std::string::npos);
}

}  // namespace
}  // namespace gocua
