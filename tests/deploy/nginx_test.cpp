// The nginx configuration of tools/deploy/nginx/ in front of real gocua-hub processes, with real
// laptops (gocua-cli over libcurl): TLS with the province's certificate, request buffering for
// slow links, the body limit, the per-address rate limit, and a hub killed behind it.
// Linux only (nginx, posix_spawn), like the hub.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "tests/cli/cli_fixture.h"
#include "tests/deploy/curl_request.h"
#include "tests/deploy/nginx_process.h"
#include "tests/support/hub_process.h"

namespace gocua::test {
namespace {

using cli_fixture::Cli;
using cli_fixture::CliResult;
using cli_fixture::Contains;

// A hub with one commune and a village, serving behind nginx on this machine.
struct Province {
  HubProcess hub;
  std::string commune;
  std::unique_ptr<NginxProcess> nginx;
  Province() {
    commune = hub.Json(
        {"commune", "create", "--province", "Quảng Ngãi", "--commune", "Xã Tịnh Khê"})["id"];
    hub.Ok({"village", "add", "--commune", commune, "Thôn Đông"});
  }
  // Starts the hub (trusting nginx on 127.0.0.1, with `extra` serve options) and nginx in
  // front of it.
  NginxProcess& Behind(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"--trusted-proxy", "127.0.0.1"};
    args.insert(args.end(), extra.begin(), extra.end());
    hub.Start(args);
    nginx = std::make_unique<NginxProcess>(std::vector<int>{hub.port()});
    nginx->Start();
    return *nginx;
  }
  std::string Code() { return hub.Ok({"enroll-code", "--commune", commune, "--role", "leader"}); }
  void Enroll(Cli& cli, const NginxProcess& front) {
    CliResult r =
        cli.Run({"enroll", "--hub", front.url(), "--code", Code(), "--ca-file", front.cert()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
};

int Count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST_CASE(
    "Deploy nginx: laptops enroll and sync through nginx over TLS with the province's "
    "certificate") {
  Province p;
  NginxProcess& nginx = p.Behind();
  Cli a, b;
  p.Enroll(a, nginx);
  a.Ok({"household", "add", "--village", "Thôn Đông", "--head", "Nguyễn Văn Đức"});
  a.Ok({"sync"});
  p.Enroll(b, nginx);
  CHECK(Contains(b.Ok({"household", "list"}), "Nguyễn Văn Đức"));
  // The pushes reached the hub through nginx: the hub logged them, nginx too.
  CHECK(Contains(p.hub.ServerLog(), "POST /v1/push 200"));
  CHECK(Contains(nginx.AccessLog(), "\"POST /v1/push HTTP/1.1\" 200"));
  // The certificate is checked: a laptop that does not trust it enrolls nowhere.
  Cli c;
  CliResult untrusted = c.Run({"enroll", "--hub", nginx.url(), "--code", p.Code()});
  CHECK(untrusted.exit_code != 0);
}

TEST_CASE(
    "Deploy nginx: a body sent a byte at a time neither reaches a hub slowly nor blocks other "
    "laptops") {
  Province p;
  // A hub that cuts any body slower than 1 MB/s after a second: only a buffering proxy lets
  // a slow laptop's request through to it whole.
  NginxProcess& nginx = p.Behind({"--min-body-rate", "1000000", "--header-timeout", "1"});
  Cli a;
  p.Enroll(a, nginx);

  std::atomic<bool> others_done{false};
  std::atomic<int> slow_sent{0};
  CurlReply slow_reply;
  // Long enough (with trailing spaces, still JSON) never to run out while the others sync.
  const std::string body =
      R"({"protocol":1,"device_id":"x","batch_id":"y","ops":[]})" + std::string(8000, ' ');
  std::thread slow([&] {
    Curl curl;
    curl.ca_file = nginx.cert();
    curl.body_size = body.size();
    size_t at = 0;
    curl.slow_body = [&](char* buf, size_t max) -> size_t {
      if (at >= body.size() || max == 0) return 0;
      // A byte every 100 ms until the other laptops are done (and at least 20 bytes), then
      // the rest at once.
      if (!others_done || slow_sent < 20) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        buf[0] = body[at++];
        ++slow_sent;
        return 1;
      }
      const size_t n = std::min(max, body.size() - at);
      body.copy(buf, n, at);
      at += n;
      return n;
    };
    slow_reply =
        curl.Request("POST", nginx.url() + "/v1/push", "",
                     {"Authorization: Bearer not-a-token", "Content-Type: application/json"});
  });
  // Meanwhile three laptops' worth of syncs go through, each to the end.
  for (int i = 0; i < 3; ++i) {
    a.Ok({"household", "add", "--village", "Thôn Đông", "--head", "Hộ " + std::to_string(i)});
    a.Ok({"sync"});
  }
  const int sent_while_others_synced = slow_sent;
  others_done = true;
  slow.join();
  CHECK(sent_while_others_synced < static_cast<int>(body.size()));  // it was still sending
  // The hub got the slow request whole, at once: it answered it (401, an unknown token), where
  // a body trickled through to it would have been cut with 408.
  INFO("slow reply: ", slow_reply.status, " ", slow_reply.body, slow_reply.error);
  CHECK(slow_reply.status == 401);
  CHECK(Contains(slow_reply.body, "unauthorized"));
  CHECK_FALSE(Contains(p.hub.ServerLog(), " 408 "));
}

TEST_CASE(
    "Deploy nginx: a body over the protocol's limit is refused by nginx and never reaches a hub") {
  Province p;
  NginxProcess& nginx = p.Behind();
  Curl curl;
  curl.ca_file = nginx.cert();
  const std::vector<std::string> headers = {"Authorization: Bearer not-a-token",
                                            "Content-Type: application/json"};
  // The hub's own limit (kMaxRawBody, 1 MiB) is allowed through: the hub answers it.
  CurlReply at_limit =
      curl.Request("POST", nginx.url() + "/v1/push", std::string(1024 * 1024, ' '), headers);
  CHECK(at_limit.status == 401);
  const int pushes_seen = Count(p.hub.ServerLog(), "POST /v1/push");
  CHECK(pushes_seen == 1);
  // A byte more is refused by nginx, in the protocol's error shape, and the hub sees nothing.
  CurlReply over =
      curl.Request("POST", nginx.url() + "/v1/push", std::string(1024 * 1024 + 1, ' '), headers);
  INFO(over.body, over.error);
  CHECK(over.status == 413);
  CHECK(Contains(over.body, "\"too_large\""));
  CHECK(Count(p.hub.ServerLog(), "POST /v1/push") == pushes_seen);
}

TEST_CASE("Deploy nginx: a flood of requests from one address is answered 429") {
  Province p;
  NginxProcess& nginx = p.Behind();
  Curl curl;
  curl.ca_file = nginx.cert();
  int ok = 0, limited = 0, other = 0;
  std::string limited_reply;
  for (int i = 0; i < 600; ++i) {
    CurlReply r = curl.Request("GET", nginx.url() + "/healthz");
    if (r.status == 200) {
      ++ok;
    } else if (r.status == 429) {
      ++limited;
      limited_reply = r.headers + r.body;
    } else {
      ++other;
    }
  }
  INFO("200: ", ok, " 429: ", limited, " other: ", other);
  CHECK(ok >= 200);  // the burst passes
  CHECK(limited > 0);
  CHECK(other == 0);
  CHECK(Contains(limited_reply, "\"rate_limited\""));
  CHECK(Contains(limited_reply, "Retry-After: 5"));
  // The hub saw only what nginx let through.
  CHECK(Count(p.hub.ServerLog(), "GET /healthz 200") == ok);
}

TEST_CASE("Deploy nginx: enrollments flooding from one address get 429 telling the person to wait "
          "and enroll again with the same code") {
  Province p;
  NginxProcess& nginx = p.Behind();
  Curl curl;
  curl.ca_file = nginx.cert();
  int limited = 0, other = 0;
  std::string limited_reply;
  for (int i = 0; i < 150; ++i) {  // past the enrollment burst (60)
    CurlReply r = curl.Request("POST", nginx.url() + "/v1/enroll", "{}",
                               {"Content-Type: application/json"});
    if (r.status == 429) {
      ++limited;
      limited_reply = r.headers + r.body;
    } else {
      ++other;  // the hub's 400 for a body that is no enrollment
    }
  }
  INFO("429: ", limited, " other: ", other);
  CHECK(limited > 0);
  CHECK(Contains(limited_reply, "\"rate_limited\""));
  // Not "the app retries by itself": a person enrolls once, and must know the code still works.
  CHECK(Contains(limited_reply, "mã của bạn chưa bị dùng: chờ một phút rồi đăng ký lại"));
  CHECK(Contains(limited_reply, "Retry-After: 60"));
}

TEST_CASE("Deploy nginx: with one of two hubs killed, laptops go on syncing through the other") {
  Province p;
  p.hub.Start({"--trusted-proxy", "127.0.0.1"});
  HubProcess second;
  second.Start({"--data", p.hub.data(), "--trusted-proxy", "127.0.0.1"});  // the same hub.db
  NginxProcess nginx({p.hub.port(), second.port()});
  nginx.Start();
  Cli a, b;
  p.Enroll(a, nginx);
  a.Ok({"household", "add", "--village", "Thôn Đông", "--head", "Trước Khi Tắt"});
  a.Ok({"sync"});
  const int killed_port = p.hub.port();
  CHECK(p.hub.Kill() == 137);
  for (int i = 0; i < 4; ++i) {
    a.Ok({"household", "add", "--village", "Thôn Đông", "--head", "Sau " + std::to_string(i)});
    a.Ok({"sync"});  // exit 0: every push and pull answered
  }
  p.Enroll(b, nginx);
  const std::string list = b.Ok({"household", "list"});
  CHECK(Contains(list, "Trước Khi Tắt"));
  for (int i = 0; i < 4; ++i) CHECK(Contains(list, "Sau " + std::to_string(i)));
  // nginx did meet the dead hub and went on to the other.
  const std::string errors = nginx.ErrorLog();
  CHECK(Contains(errors, "127.0.0.1:" + std::to_string(killed_port)));
  CHECK(Contains(second.ServerLog(), "POST /v1/push 200"));
}

}  // namespace
}  // namespace gocua::test
