// gocua-hub end to end: each test starts the real hub binary (build/sync/hub/gocua-hub, found
// beside this test binary; tests/support/hub_process.h) on loopback in a fresh data folder, sets it
// up with its own admin commands and talks HTTP/1.1 to it (tests/sync/hub/hub_http.h).
// This file: health, the command line, enrollment codes, revocation.
#include <doctest/doctest.h>

#include "tests/sync/hub/hub_http.h"

namespace gocua {
namespace {

using namespace hub_http;

TEST_CASE("Hub: healthz answers with the versions and the hub's clock, unknown paths are 404") {
  Hub hub;
  hub.Start();
  HttpReply r = Http(hub.port(), "GET", "/healthz");
  CHECK(r.status == 200);
  CHECK(Contains(r.Header("content-type"), "application/json"));
  Result<p::HealthResponse> h = p::DecodeHealthResponse(r.body);
  REQUIRE(h.ok());
  CHECK(h->supported_versions == std::vector<int>{1, 2});
  CHECK(std::llabs(h->server_time - NowMs()) < 60000);

  HttpReply gz = Http(hub.port(), "GET", "/healthz", "", {{"Accept-Encoding", "gzip, br"}});
  CHECK(gz.status == 200);
  CHECK(gz.Header("content-encoding") == "gzip");
  CHECK(p::DecodeHealthResponse(gz.Text()).ok());

  HttpReply none = Http(hub.port(), "GET", "/v2/nothing");
  CHECK(none.status == 404);
  CHECK(none.Error().code == "not_found");
  HttpReply wrong_method = Http(hub.port(), "GET", "/v1/push");
  CHECK(wrong_method.status == 404);
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub: --help works everywhere, usage errors exit 2, plain HTTP stays on loopback") {
  Hub hub;
  ProcessResult help = hub.RunRaw({"--help"});
  CHECK(help.exit_code == 0);
  for (const char* command : {"serve", "commune create", "village add", "member add", "enroll-code",
                              "devices", "revoke", "quarantine", "conflicts", "export"}) {
    CAPTURE(command);
    CHECK(Contains(help.out, std::string("gocua-hub ") + command));
    std::vector<std::string> args;
    std::istringstream words(command);
    for (std::string w; words >> w;) args.push_back(w);
    args.push_back("--help");
    ProcessResult r = hub.RunRaw(args);
    CHECK(r.exit_code == 0);
    CHECK(Contains(r.out, "Usage: gocua-hub"));
  }
  CHECK(hub.RunRaw({}).exit_code == 2);
  CHECK(hub.Run({"frobnicate"}).exit_code == 2);
  CHECK(hub.Run({"devices", "--frob"}).exit_code == 2);
  CHECK(hub.RunRaw({"devices"}).exit_code == 2);  // no --data
  CHECK(hub.Run({"commune", "create", "--province", "P"}).exit_code == 2);
  CHECK(
      hub.Run({"member", "add", "--commune", "x", "--name", "N", "--role", "boss", "--pin", "1234"})
          .exit_code == 2);

  ProcessResult open = hub.Run({"serve", "--listen", "0.0.0.0:0"});
  CHECK(open.exit_code == 2);
  CHECK(Contains(open.err, "--insecure-http"));
  CHECK(hub.Run({"serve", "--listen", "127.0.0.1"}).exit_code == 2);
  CHECK(hub.Run({"serve", "--listen", "127.0.0.1:99999"}).exit_code == 2);

  // The store's refusals exit 1 with its message.
  ProcessResult no_commune = hub.Run({"enroll-code", "--commune", "nope"});
  CHECK(no_commune.exit_code == 1);
  CHECK_FALSE(no_commune.err.empty());
  CHECK(hub.Run({"revoke", DeviceId(99)}).exit_code == 1);
}

TEST_CASE("Hub: an enrollment code works once, and not after it expires") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  const std::string code = hub.Ok({"enroll-code", "--commune", c.a});

  // Sent gzip, as a client may.
  p::EnrollRequest m;
  m.code = code;
  m.device_id = DeviceId(1);
  m.device_name = "Laptop tổ 3 — thôn Tân Lập";
  HttpReply first = Http(hub.port(), "POST", "/v1/enroll", Gzip(p::Encode(m)),
                         {{"Content-Encoding", "gzip"}, {"Content-Type", "application/json"}});
  INFO("body: ", first.body);
  REQUIRE(first.status == 200);
  Result<p::EnrollResponse> e = p::DecodeEnrollResponse(first.body);
  REQUIRE(e.ok());
  CHECK(e->device_id == DeviceId(1));
  CHECK(e->commune_id == c.a);
  CHECK(p::IsToken(e->token));

  HttpReply again = EnrollRequest(hub, code, DeviceId(2));
  CHECK(again.status == 401);
  CHECK(again.Error().code == "unauthorized");

  const std::string short_lived =
      hub.Ok({"enroll-code", "--commune", c.a, "--ttl-minutes", "0.005"});  // 300 ms
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  HttpReply expired = EnrollRequest(hub, short_lived, DeviceId(3));
  CHECK(expired.status == 401);
  CHECK(expired.Error().code == "unauthorized");

  HttpReply unknown = EnrollRequest(hub, "ABCD-EFGH", DeviceId(4));
  CHECK(unknown.status == 401);

  // A device id the hub knows already: a copied device, as for a push.
  const std::string code3 = hub.Ok({"enroll-code", "--commune", c.a});
  HttpReply copied = EnrollRequest(hub, code3, DeviceId(1));
  CHECK(copied.status == 409);
  p::ErrorBody fork = copied.Error();
  CHECK(fork.code == "device_fork");
  CHECK(fork.origin_device == DeviceId(1));
  // ... and the refused enrollment did not use the code up.
  CHECK(EnrollRequest(hub, code3, DeviceId(5)).status == 200);

  json devices = hub.Json({"devices"});
  REQUIRE(devices.size() == 2);
  CHECK(devices[0]["device_id"] == DeviceId(1));
  CHECK(devices[1]["device_id"] == DeviceId(5));
  CHECK(devices[0]["revoked"] == false);
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub: a revoked device gets 401") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1);
  Push(hub, a1, MakePush(a1, HouseholdOps(a1, 1, c.village_a)));

  hub.Ok({"revoke", a1.id});  // while the hub runs
  HttpReply push = PushRaw(hub, a1, MakePush(a1, {}));
  CHECK(push.status == 401);
  CHECK(push.Error().code == "unauthorized");
  HttpReply pull = PullPage(hub, a1, "", 10);
  CHECK(pull.status == 401);
  CHECK(pull.Error().code == "unauthorized");
  json devices = hub.Json({"devices"});
  REQUIRE(devices.size() == 1);
  CHECK(devices[0]["revoked"] == true);
  CHECK(devices[0]["acked_seq"] == 3);
  CHECK(hub.Stop() == 0);
}

}  // namespace
}  // namespace gocua
