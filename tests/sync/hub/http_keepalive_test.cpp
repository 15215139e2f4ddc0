// Keep-alive fairness against the real gocua-hub process (issue 15, observation 6): 150
// devices each push back to back on one keep-alive connection, as the sync engine does. The
// old hub gave each of 8 threads to one connection for as long as it kept sending, so 8
// devices did nearly all the pushes and the rest waited. Here every device must get its pushes
// answered while the others keep pushing; the only clock is a hang guard.
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "tests/sync/hub/http_attack.h"
#include "tests/sync/hub/hub_http.h"

namespace gocua::hub_http {
namespace {

// One keep-alive HTTP/1.1 connection: requests one after another, each reply read by its
// Content-Length.
class KeepAlive {
 public:
  KeepAlive(const std::string& source, int port) : fd_(http_attack::ConnectFrom(source, port)) {}
  ~KeepAlive() {
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return fd_ >= 0; }
  // POSTs `body` to `path`; the reply's status, 0 if the connection failed or closed.
  int Post(const std::string& path, const std::string& body, const std::string& token) {
    const std::string req =
        "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "Authorization: Bearer " + token +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n" + body;
    if (send(fd_, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size()))
      return 0;
    size_t end;
    while ((end = in_.find("\r\n\r\n")) == std::string::npos)
      if (!ReadMore()) return 0;
    const std::string head = in_.substr(0, end);
    size_t length = 0;
    for (const std::string name : {"Content-Length: ", "content-length: "})
      if (size_t at = head.find(name); at != std::string::npos)
        length = std::stoul(head.substr(at + name.size()));
    while (in_.size() < end + 4 + length)
      if (!ReadMore()) return 0;
    const int status = head.rfind("HTTP/1.1 ", 0) == 0 ? std::atoi(head.c_str() + 9) : 0;
    in_.erase(0, end + 4 + length);
    return status;
  }

 private:
  bool ReadMore() {
    char buf[16384];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    in_.append(buf, static_cast<size_t>(n));
    return true;
  }
  int fd_;
  std::string in_;
};

TEST_CASE("Hub HTTP: 150 keep-alive devices pushing back to back all get their pushes served") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  constexpr int kDevices = 150, kPushesEach = 3;
  std::vector<Device> devices;
  for (int i = 0; i < kDevices; ++i) devices.push_back(Enroll(hub, c.a, 100 + i));

  std::vector<std::atomic<int>> served(kDevices);
  std::atomic<int> devices_done{0};
  std::atomic<bool> quit{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kDevices; ++i) {
    threads.emplace_back([&, i] {
      const Device& d = devices[static_cast<size_t>(i)];
      // Each device from its own address, as laptops in a commune are.
      KeepAlive conn(http_attack::SourceAddress(2, i), hub.port());
      if (!conn.ok()) return;
      const std::string household = "0190f2c4-3b5a-7d6e-8f70-" + DeviceId(i).substr(24);
      int64_t seq = 0;
      // Pushes until every device has had its share or the guard passes: the busy ones keep
      // the hub busy while the others wait for their turn.
      while (!quit && devices_done < kDevices) {
        std::vector<p::Op> ops;
        if (seq == 0)
          ops.push_back(MakeOp(d, ++seq, "household", household, "village_id", c.village_a));
        ++seq;
        ops.push_back(
            MakeOp(d, seq, "household", household, "head_name", "Hộ " + std::to_string(seq)));
        p::PushRequest m = MakePush(d, ops);
        m.batch_id = "0190f3b0-1a2b-7c3d-8e4f-" + DeviceId(static_cast<int>(seq)).substr(24);
        const int status = conn.Post("/v1/push", p::Encode(m), d.token);
        if (status != 200) return;
        if (++served[static_cast<size_t>(i)] == kPushesEach) ++devices_done;
      }
    });
  }
  const auto guard = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (devices_done < kDevices && std::chrono::steady_clock::now() < guard)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  quit = true;
  for (std::thread& t : threads) t.join();

  int starved = 0;
  for (int i = 0; i < kDevices; ++i)
    if (served[static_cast<size_t>(i)] < kPushesEach) ++starved;
  INFO(starved, " of ", kDevices, " devices did not get ", kPushesEach, " pushes served");
  CHECK(starved == 0);
  CHECK(hub.Stop() == 0);
}

}  // namespace
}  // namespace gocua::hub_http
