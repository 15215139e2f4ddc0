// gocua-hub end to end: each test starts the real hub binary (build/sync/hub/gocua-hub, found
// beside this test binary; tests/support/hub_process.h) on loopback in a fresh data folder, sets it
// up with its own admin commands and talks HTTP/1.1 to it. The HTTP client is a few lines on
// POSIX sockets and gzip comes from the system's gzip(1), so this binary links nothing new.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "storage/core/ids.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/validate.h"
#include "tests/support/hub_process.h"

namespace gocua {
namespace {

namespace fs = std::filesystem;
namespace p = protocol;
using nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;
// The hub process and its admin commands (tests/support/hub_process.h).
using Hub = test::HubProcess;
using test::MakeTempDir;
using test::ProcessResult;
using test::RunProcess;

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(f.good());
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// `input` through the shell pipeline `command` (e.g. "gzip -c"), in a scratch folder.
std::string Filter(const std::string& command, const std::string& input) {
  const fs::path dir = MakeTempDir("gocua-hub-filter");
  WriteFile(dir / "in", input);
  ProcessResult r = RunProcess({"/bin/sh", "-c", command}, dir, (dir / "in").string());
  std::error_code ec;
  fs::remove_all(dir, ec);
  INFO("command: ", command, "\nstderr: ", r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

std::string Gzip(const std::string& data) { return Filter("gzip -c", data); }
std::string Gunzip(const std::string& data) { return Filter("gzip -dc", data); }

// --- A small HTTP/1.1 client: one request per connection. ---

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;                            // as received (gzip if so encoded)

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  // The body, inflated if it came gzip.
  std::string Text() const { return Header("content-encoding") == "gzip" ? Gunzip(body) : body; }
  json Json() const {
    json j = json::parse(Text(), nullptr, false);
    INFO("body: ", Text());
    REQUIRE_FALSE(j.is_discarded());
    return j;
  }
  // The error body, checked against the protocol; also checks it carries server_time.
  p::ErrorBody Error() const {
    INFO("status ", status, " body: ", Text());
    Result<p::ErrorBody> e = p::DecodeErrorBody(Text());
    REQUIRE(e.ok());
    CHECK(Json().contains("server_time"));
    return *e;
  }
};

int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  timeval tv{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}

HttpReply Http(int port, const std::string& method, const std::string& target,
               const std::string& body = "", const Headers& headers = {}) {
  const int fd = Connect(port);
  std::string head =
      method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [name, value] : headers) head += name + ": " + value + "\r\n";
  if (method == "POST") head += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  head += "\r\n";
  const std::string request = head + body;
  // Send in pieces and stop as soon as the hub answers: it may refuse a body without reading
  // it all.
  size_t sent = 0;
  while (sent < request.size()) {
    pollfd pfd{fd, POLLIN, 0};
    if (sent >= head.size() && poll(&pfd, 1, 0) > 0) break;
    const size_t n = std::min<size_t>(64 * 1024, request.size() - sent);
    const ssize_t w = send(fd, request.data() + sent, n, MSG_NOSIGNAL);
    if (w <= 0) break;
    sent += static_cast<size_t>(w);
  }
  std::string raw;
  char buf[65536];
  for (;;) {
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    raw.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  HttpReply r;
  const size_t end = raw.find("\r\n\r\n");
  INFO(method, " ", target, " got: ", raw.substr(0, 300));
  REQUIRE(end != std::string::npos);
  std::istringstream lines(raw.substr(0, end));
  std::string line;
  std::getline(lines, line);
  REQUIRE(line.rfind("HTTP/1.1 ", 0) == 0);
  r.status = std::atoi(line.c_str() + 9);
  while (std::getline(lines, line)) {
    line = Trim(line);
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
  }
  r.body = raw.substr(end + 4);
  if (!r.Header("content-length").empty())
    r.body.resize(std::min<size_t>(r.body.size(), std::stoul(r.Header("content-length"))));
  return r;
}

// --- Devices and ops. ---

// A device id: a fixed UUID with `n` in its last digits.
std::string DeviceId(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "0190f3a2-5c1e-7b4d-9a6f-2e8c1d4b%04x", n);
  return buf;
}

const std::string kBatchId = "0190f3b0-1a2b-7c3d-8e4f-5a6b7c8d9e0f";

struct Device {
  std::string id, token, commune_id;
  Headers Auth() const { return {{"Authorization", "Bearer " + token}}; }
};

HttpReply EnrollRequest(Hub& hub, const std::string& code, const std::string& device_id) {
  p::EnrollRequest m;
  m.code = code;
  m.device_id = device_id;
  m.device_name = "Laptop tổ " + device_id.substr(32);
  return Http(hub.port(), "POST", "/v1/enroll", p::Encode(m),
              {{"Content-Type", "application/json"}});
}

Device Enroll(Hub& hub, const std::string& commune_id, int n) {
  const std::string code = hub.Ok({"enroll-code", "--commune", commune_id});
  HttpReply r = EnrollRequest(hub, code, DeviceId(n));
  INFO("body: ", r.body);
  REQUIRE(r.status == 200);
  Result<p::EnrollResponse> e = p::DecodeEnrollResponse(r.body);
  REQUIRE(e.ok());
  CHECK(e->device_id == DeviceId(n));
  CHECK(e->commune_id == commune_id);
  return {e->device_id, e->token, e->commune_id};
}

p::Op MakeOp(const Device& d, int64_t seq, const std::string& type, const std::string& id,
             const std::string& field, json value) {
  p::Op op;
  op.origin_device = d.id;
  op.seq = seq;
  op.record_type = type;
  op.record_id = id;
  op.field = field;
  op.value = std::move(value);
  op.hlc = MakeHlc(NowMs(), static_cast<int>(seq));
  return op;
}

p::PushRequest MakePush(const Device& d, std::vector<p::Op> ops) {
  p::PushRequest m;
  m.protocol = 1;  // this file is the v1 suite; v2 is tests/sync/hub/hub_v2_test.cpp
  m.device_id = d.id;
  m.batch_id = kBatchId;
  m.ops = std::move(ops);
  return m;
}

HttpReply PushRaw(Hub& hub, const Device& d, const p::PushRequest& m, bool gzip = false) {
  Headers h = d.Auth();
  h.push_back({"Content-Type", "application/json"});
  if (gzip) {
    h.push_back({"Content-Encoding", "gzip"});
    h.push_back({"Accept-Encoding", "gzip"});
    return Http(hub.port(), "POST", "/v1/push", Gzip(p::Encode(m)), h);
  }
  return Http(hub.port(), "POST", "/v1/push", p::Encode(m), h);
}

// A push that must succeed, with a reply that answers it.
p::PushResponse Push(Hub& hub, const Device& d, const p::PushRequest& m, bool gzip = false) {
  HttpReply r = PushRaw(hub, d, m, gzip);
  INFO("body: ", r.Text());
  REQUIRE(r.status == 200);
  if (gzip) CHECK(r.Header("content-encoding") == "gzip");
  Result<p::PushResponse> resp = p::DecodePushResponse(r.Text());
  REQUIRE(resp.ok());
  CHECK(p::CheckAnswers(m, *resp).ok());
  return *resp;
}

struct Pulled {
  std::vector<p::PulledOp> ops;
  std::string cursor;
  int pages = 0;
};

HttpReply PullPage(Hub& hub, const Device& d, const std::string& after, int limit) {
  p::PullRequest q;
  q.protocol = 1;  // the v1 suite (v2: tests/sync/hub/hub_v2_test.cpp)
  q.after = after;
  q.limit = limit;
  Headers h = d.Auth();
  h.push_back({"Accept-Encoding", "gzip"});
  return Http(hub.port(), "GET", "/v1/pull?" + p::EncodePullQuery(q), "", h);
}

// Every op after `after`, page by page.
Pulled PullAll(Hub& hub, const Device& d, const std::string& after = "", int limit = 500) {
  Pulled all;
  all.cursor = after;
  for (;;) {
    HttpReply r = PullPage(hub, d, all.cursor, limit);
    INFO("body: ", r.Text().substr(0, 2000));
    REQUIRE(r.status == 200);
    Result<p::PullResponse> page = p::DecodePullResponse(r.Text());
    REQUIRE(page.ok());
    ++all.pages;
    for (const p::PulledOp& op : page->ops) {
      if (!all.ops.empty()) CHECK(op.server_seq > all.ops.back().server_seq);
      all.ops.push_back(op);
    }
    all.cursor = page->next_cursor;
    if (!page->has_more) break;
    REQUIRE_FALSE(page->ops.empty());
    REQUIRE(all.pages < 1000);
  }
  return all;
}

// The ops of `pulled` about record `id`.
std::vector<p::Op> OpsOf(const Pulled& pulled, const std::string& id) {
  std::vector<p::Op> out;
  for (const p::PulledOp& op : pulled.ops)
    if (op.op.record_id == id) out.push_back(op.op);
  return out;
}

// A hub with two communes, a village and members in each.
struct Communes {
  std::string a, village_a, member_a, leader_a;
  std::string b, village_b;
};

Communes SetUp(Hub& hub) {
  Communes c;
  c.a = hub.Ok({"commune", "create", "--province", "Quảng Ngãi", "--commune", "Tịnh Khê"});
  c.village_a = hub.Ok({"village", "add", "--commune", c.a, "Thôn", "An", "Phú"});
  c.member_a = hub.Ok({"member", "add", "--commune", c.a, "--name", "Trần Thị Hoa", "--role",
                       "member", "--pin", "1234"});
  c.leader_a = hub.Ok({"member", "add", "--commune", c.a, "--name", "Lê Văn Tám", "--role",
                       "leader", "--pin", "9876"});
  c.b = hub.Ok({"commune", "create", "--province", "Quảng Ngãi", "--commune", "Nghĩa Hà"});
  c.village_b = hub.Ok({"village", "add", "--commune", c.b, "Thôn Một"});
  return c;
}

const std::string kHousehold = "0190f2c4-3b5a-7d6e-8f70-81a2b3c4d5e6";

// Three ops that make a household in `village`.
std::vector<p::Op> HouseholdOps(const Device& d, int64_t first_seq, const std::string& village) {
  return {MakeOp(d, first_seq, "household", kHousehold, "village_id", village),
          MakeOp(d, first_seq + 1, "household", kHousehold, "head_name", "Nguyễn Văn Đức"),
          MakeOp(d, first_seq + 2, "household", kHousehold, "phone", "0912345678")};
}

void CheckHealthy(Hub& hub) {
  HttpReply r = Http(hub.port(), "GET", "/healthz");
  CHECK(r.status == 200);
}

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

TEST_CASE("Hub: ops pushed by one device reach the devices of its commune, and only them") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1), a2 = Enroll(hub, c.a, 2), b1 = Enroll(hub, c.b, 3);

  p::PushRequest push = MakePush(a1, HouseholdOps(a1, 1, c.village_a));
  p::PushResponse resp = Push(hub, a1, push, /*gzip=*/true);
  REQUIRE(resp.results.size() == 3);
  for (const p::OpResult& r : resp.results) CHECK(r.outcome == p::Outcome::kApplied);
  CHECK(resp.acked_seq == 3);
  CHECK(std::llabs(resp.server_time - NowMs()) < 60000);

  // Another device of the commune gets them, in order, over several pages.
  Pulled a2_all = PullAll(hub, a2, "", 2);
  CHECK(a2_all.pages > 2);
  std::vector<p::Op> got = OpsOf(a2_all, kHousehold);
  REQUIRE(got.size() == 3);
  CHECK(got == push.ops);
  CHECK(OpsOf(a2_all, c.village_a).size() == 2);  // commune_id, name
  CHECK(OpsOf(a2_all, c.village_b).empty());
  CHECK(OpsOf(a2_all, c.member_a).size() == 4);

  // A device of another commune does not.
  Pulled b1_all = PullAll(hub, b1);
  CHECK(OpsOf(b1_all, kHousehold).empty());
  CHECK(OpsOf(b1_all, c.village_a).empty());
  CHECK(OpsOf(b1_all, c.member_a).empty());
  CHECK(OpsOf(b1_all, c.village_b).size() == 2);

  // ... nor may it write to the first commune's records: quarantined, kept, never served.
  p::PushResponse cross =
      Push(hub, b1, MakePush(b1, {MakeOp(b1, 1, "household", kHousehold, "head_name", "Kẻ Lạ")}));
  REQUIRE(cross.results.size() == 1);
  CHECK(cross.results[0].outcome == p::Outcome::kQuarantined);
  CHECK_FALSE(cross.results[0].reason.empty());
  CHECK(cross.acked_seq == 1);
  CHECK(PullAll(hub, a2, a2_all.cursor).ops.empty());
  json quarantine = hub.Json({"quarantine"});
  REQUIRE(quarantine.size() == 1);
  CHECK(quarantine[0]["device_id"] == b1.id);
  CHECK(quarantine[0]["op"]["value"] == "Kẻ Lạ");
  CHECK_FALSE(quarantine[0]["reason"].get<std::string>().empty());

  const std::string exported = hub.Export();
  CHECK(Contains(exported, "Nguyễn Văn Đức"));
  CHECK_FALSE(Contains(exported, "Kẻ Lạ"));

  // A pull from a cursor this hub never gave: 410.
  HttpReply stale = PullPage(hub, a2, "0000.5", 10);
  CHECK(stale.status == 410);
  CHECK(stale.Error().code == "cursor_expired");
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

struct BadCase {
  std::string name, method, target, body;
  Headers headers;
  int status;
  std::string code;
};

TEST_CASE("Hub: bad requests get a 4xx error body, apply nothing, and the hub keeps serving") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1), a2 = Enroll(hub, c.a, 2);
  const std::string before = hub.Export();
  const size_t pulled_before = PullAll(hub, a2).ops.size();

  const json good = p::ToJson(MakePush(a1, HouseholdOps(a1, 1, c.village_a)));
  auto with = [&](const std::string& key, json value) {
    json j = good;
    j[key] = std::move(value);
    return j.dump();
  };
  auto without = [&](const std::string& key) {
    json j = good;
    j.erase(key);
    return j.dump();
  };
  json bad_seq = good;
  bad_seq["ops"][1]["seq"] = 1.5;
  json bad_hlc = good;
  bad_hlc["ops"][0]["hlc"] = "12";
  json no_origin = good;
  no_origin["ops"][2].erase("origin_device");
  // Valid JSON past kMaxBatchBytes: small gzip, too large once inflated.
  json padded = good;
  padded["padding"] = std::string(p::kMaxBatchBytes, 'x');
  const std::string bomb = Filter("head -c 104857600 /dev/zero | gzip -c", "");
  REQUIRE(bomb.size() < 1024 * 1024);

  Headers auth = a1.Auth();
  auto auth_and = [&](Headers more) {
    Headers h = auth;
    h.insert(h.end(), more.begin(), more.end());
    return h;
  };
  const Headers gz = auth_and({{"Content-Encoding", "gzip"}});
  std::vector<BadCase> cases = {
      {"not JSON", "POST", "/v1/push", "{\"protocol\": 1,", auth, 400, "bad_request"},
      {"not an object", "POST", "/v1/push", "[1, 2]", auth, 400, "bad_request"},
      {"empty body", "POST", "/v1/push", "", auth, 400, "bad_request"},
      {"protocol as a string", "POST", "/v1/push", with("protocol", "1"), auth, 400, "bad_request"},
      {"ops not an array", "POST", "/v1/push", with("ops", "x"), auth, 400, "bad_request"},
      {"fractional seq", "POST", "/v1/push", bad_seq.dump(), auth, 400, "bad_request"},
      {"hlc as a string", "POST", "/v1/push", bad_hlc.dump(), auth, 400, "bad_request"},
      {"no batch_id", "POST", "/v1/push", without("batch_id"), auth, 400, "bad_request"},
      {"no device_id", "POST", "/v1/push", without("device_id"), auth, 400, "bad_request"},
      {"an op without origin", "POST", "/v1/push", no_origin.dump(), auth, 400, "bad_request"},
      {"another device's id", "POST", "/v1/push", with("device_id", a2.id), auth, 400,
       "bad_request"},
      {"protocol 3", "POST", "/v1/push", with("protocol", 3), auth, 400, "protocol_mismatch"},
      {"no token", "POST", "/v1/push", good.dump(), {}, 401, "unauthorized"},
      {"wrong token",
       "POST",
       "/v1/push",
       good.dump(),
       {{"Authorization", "Bearer " + std::string(64, 'a')}},
       401,
       "unauthorized"},
      {"not a bearer",
       "POST",
       "/v1/push",
       good.dump(),
       {{"Authorization", "Basic eDp5"}},
       401,
       "unauthorized"},
      {"body over the wire limit", "POST", "/v1/push", std::string(3 * 1024 * 1024, ' '), auth, 413,
       "too_large"},
      {"batch over kMaxBatchBytes", "POST", "/v1/push", Gzip(padded.dump()), gz, 413, "too_large"},
      {"gzip bomb", "POST", "/v1/push", bomb, gz, 413, "too_large"},
      {"not gzip", "POST", "/v1/push", good.dump(), gz, 400, "bad_request"},
      {"gzip cut short", "POST", "/v1/push", Gzip(good.dump()).substr(0, 40), gz, 400,
       "bad_request"},
      {"brotli", "POST", "/v1/push", good.dump(), auth_and({{"Content-Encoding", "br"}}), 400,
       "bad_request"},
      {"enroll: not JSON", "POST", "/v1/enroll", "nope", {}, 400, "bad_request"},
      {"enroll: protocol 7",
       "POST",
       "/v1/enroll",
       R"({"protocol": 7, "code": "ABCD", "device_id": ")" + DeviceId(9) +
           R"(", "device_name": "x"})",
       {},
       400,
       "protocol_mismatch"},
      {"enroll: bomb",
       "POST",
       "/v1/enroll",
       bomb,
       {{"Content-Encoding", "gzip"}},
       413,
       "too_large"},
      {"pull: no protocol", "GET", "/v1/pull?limit=5", "", auth, 400, "bad_request"},
      {"pull: protocol 3", "GET", "/v1/pull?protocol=3", "", auth, 400, "protocol_mismatch"},
      {"pull: limit 0", "GET", "/v1/pull?protocol=1&limit=0", "", auth, 400, "bad_request"},
      {"pull: limit -3", "GET", "/v1/pull?protocol=1&limit=-3", "", auth, 400, "bad_request"},
      {"pull: limit x", "GET", "/v1/pull?protocol=1&limit=x", "", auth, 400, "bad_request"},
      {"pull: bad cursor", "GET", "/v1/pull?protocol=1&after=%2F..%2Fx", "", auth, 400,
       "bad_request"},
      {"pull: no token", "GET", "/v1/pull?protocol=1", "", {}, 401, "unauthorized"},
      {"a path that is not UTF-8", "GET", "/v1/%FF%FE", "", auth, 404, "not_found"},
      {"an encoding that is not UTF-8", "POST", "/v1/push", good.dump(),
       auth_and({{"Content-Encoding", "\xFF\xFE"}}), 400, "bad_request"},
  };
  for (const BadCase& bad : cases) {
    CAPTURE(bad.name);
    HttpReply r = Http(hub.port(), bad.method, bad.target, bad.body, bad.headers);
    CHECK(r.status == bad.status);
    p::ErrorBody e = r.Error();
    CHECK(e.code == bad.code);
    CHECK_FALSE(e.message.empty());
    if (bad.code == "protocol_mismatch") CHECK(e.supported_versions == std::vector<int>{1, 2});
    CheckHealthy(hub);
  }
  // Field errors name the field.
  HttpReply seq = Http(hub.port(), "POST", "/v1/push", bad_seq.dump(), auth);
  CHECK(Contains(seq.Error().message, "ops[1].seq"));

  // Nothing was applied: the same records, nothing new to pull, nothing acknowledged.
  CHECK(hub.Export() == before);
  CHECK(PullAll(hub, a2).ops.size() == pulled_before);
  CHECK(Push(hub, a1, MakePush(a1, {})).acked_seq == 0);
  // ... and the hub takes the good batch after all that.
  CHECK(Push(hub, a1, MakePush(a1, HouseholdOps(a1, 1, c.village_a))).acked_seq == 3);
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub: a resent batch gets the same answer and applies nothing twice") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1), a2 = Enroll(hub, c.a, 2);
  const p::PushRequest push = MakePush(a1, HouseholdOps(a1, 1, c.village_a));
  const p::PushResponse first = Push(hub, a1, push);
  const std::string exported = hub.Export();
  const size_t pulled = PullAll(hub, a2).ops.size();

  const p::PushResponse again = Push(hub, a1, push, /*gzip=*/true);
  CHECK(again.results == first.results);
  CHECK(again.acked_seq == first.acked_seq);
  CHECK(hub.Export() == exported);
  CHECK(PullAll(hub, a2).ops.size() == pulled);

  // A resend that overlaps new ops: the old ones as before, the new one applied.
  std::vector<p::Op> ops = push.ops;
  ops.push_back(MakeOp(a1, 4, "household", kHousehold, "smartphones", 2));
  const p::PushResponse overlap = Push(hub, a1, MakePush(a1, ops));
  REQUIRE(overlap.results.size() == 4);
  CHECK(std::vector<p::OpResult>(overlap.results.begin(), overlap.results.begin() + 3) ==
        first.results);
  CHECK(overlap.results[3].outcome == p::Outcome::kApplied);
  CHECK(overlap.acked_seq == 4);
  CHECK(PullAll(hub, a2).ops.size() == pulled + 1);

  // A quarantined op is answered the same way again too.
  p::PushRequest bad = MakePush(a1, {MakeOp(a1, 5, "household", kHousehold, "nonsense", 1)});
  const p::PushResponse q1 = Push(hub, a1, bad), q2 = Push(hub, a1, bad);
  REQUIRE(q1.results.size() == 1);
  CHECK(q1.results[0].outcome == p::Outcome::kQuarantined);
  CHECK(q2.results == q1.results);
  CHECK(hub.Json({"quarantine"}).size() == 1);
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub: a seq gap answers 409 with expected_seq and applies nothing") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1), a2 = Enroll(hub, c.a, 2);
  std::vector<p::Op> ops = HouseholdOps(a1, 1, c.village_a);
  ops.push_back(MakeOp(a1, 4, "household", kHousehold, "smartphones", 2));
  ops.push_back(MakeOp(a1, 5, "household", kHousehold, "members_count", 4));
  Push(hub, a1, MakePush(a1, {ops[0], ops[1]}));
  const std::string exported = hub.Export();

  HttpReply gap = PushRaw(hub, a1, MakePush(a1, {ops[3], ops[4]}));
  CHECK(gap.status == 409);
  p::ErrorBody e = gap.Error();
  CHECK(e.code == "seq_gap");
  CHECK(e.expected_seq == 3);
  CHECK(e.origin_device == a1.id);
  CHECK(hub.Export() == exported);

  // A new device must start at 1.
  HttpReply late =
      PushRaw(hub, a2, MakePush(a2, {MakeOp(a2, 2, "household", kHousehold, "address", "Số 5")}));
  CHECK(late.status == 409);
  CHECK(late.Error().expected_seq == 1);

  // Pushing from expected_seq works.
  const p::PushResponse fill = Push(hub, a1, MakePush(a1, {ops[2], ops[3], ops[4]}));
  CHECK(fill.acked_seq == 5);
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub: the same seq with different content is a device fork") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1);
  std::vector<p::Op> ops = HouseholdOps(a1, 1, c.village_a);
  Push(hub, a1, MakePush(a1, ops));
  const std::string exported = hub.Export();

  std::vector<p::Op> clone = ops;
  clone[1].value = "Phạm Thị Lan";
  clone.push_back(MakeOp(a1, 4, "household", kHousehold, "smartphones", 1));
  HttpReply r = PushRaw(hub, a1, MakePush(a1, clone));
  CHECK(r.status == 409);
  p::ErrorBody e = r.Error();
  CHECK(e.code == "device_fork");
  CHECK(e.origin_device == a1.id);
  CHECK(hub.Export() == exported);  // not even the new seq 4
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub: concurrent edits of one field are answered conflict and listed") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1), a2 = Enroll(hub, c.a, 2);
  Push(hub, a1, MakePush(a1, HouseholdOps(a1, 1, c.village_a)));
  // a2 never saw a1's head_name (its base is "never written") and writes another one.
  p::PushResponse r =
      Push(hub, a2,
           MakePush(a2, {MakeOp(a2, 1, "household", kHousehold, "head_name", "Nguyễn Văn Đông")}));
  REQUIRE(r.results.size() == 1);
  CHECK(r.results[0].outcome == p::Outcome::kConflict);
  json conflicts = hub.Json({"conflicts"});
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts[0]["record_id"] == kHousehold);
  CHECK(conflicts[0]["field"] == "head_name");
  CHECK(conflicts[0]["status"] == "open");
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub: a pull page ends past 1 MiB and the next page goes on") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1), a2 = Enroll(hub, c.a, 2);
  // 48 visits with 30 KB of topics each: about 1.4 MB of ops, in pushes under 512 KiB.
  const std::string filler(30 * 1024, 'x');
  int64_t seq = 0;
  for (int batch = 0; batch < 4; ++batch) {
    std::vector<p::Op> ops;
    for (int i = 0; i < 12; ++i) {
      char id[40];
      std::snprintf(id, sizeof id, "0190f3a9-0001-7aaa-8bbb-%012d", batch * 12 + i);
      ops.push_back(MakeOp(a1, ++seq, "visit", id, "topics", {{"note", filler}}));
    }
    Push(hub, a1, MakePush(a1, ops));
  }
  HttpReply first = PullPage(hub, a2, "", 1000);
  REQUIRE(first.status == 200);
  Result<p::PullResponse> page = p::DecodePullResponse(first.Text());
  REQUIRE(page.ok());
  CHECK(page->has_more);
  CHECK(page->ops.size() < 48);
  CHECK(first.Text().size() < p::kMaxPullPageBytes + 64 * 1024);
  Pulled rest = PullAll(hub, a2, page->next_cursor, 1000);
  size_t visits = rest.ops.size();
  for (const p::PulledOp& op : page->ops) visits += op.op.record_type == "visit";
  CHECK(visits == 48);
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub: devices pushing at the same time are all applied, each in order") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  constexpr int kDevices = 4, kBatches = 25;
  std::vector<Device> devices;
  for (int i = 0; i < kDevices; ++i) devices.push_back(Enroll(hub, c.a, i + 1));
  Device reader = Enroll(hub, c.a, 99);

  // Threads record what they saw; the checks run here (doctest's REQUIRE cannot leave a
  // thread).
  std::vector<std::string> failures(kDevices);
  std::vector<std::thread> threads;
  for (int i = 0; i < kDevices; ++i) {
    threads.emplace_back([&, i] {
      try {
        const Device& d = devices[static_cast<size_t>(i)];
        char id[40];
        std::snprintf(id, sizeof id, "0190f2c4-3b5a-7d6e-8f70-%012d", i);
        for (int b = 0; b < kBatches; ++b) {
          const int64_t seq = 2 * b + 1;
          p::PushRequest m = MakePush(
              d, {MakeOp(d, seq, "household", id, "smartphones", b),
                  MakeOp(d, seq + 1, "household", id, "address", "Số " + std::to_string(b))});
          HttpReply r = PushRaw(hub, d, m);
          Result<p::PushResponse> resp = p::DecodePushResponse(r.body);
          if (r.status != 200 || !resp.ok() || resp->acked_seq != seq + 1) {
            failures[static_cast<size_t>(i)] = std::to_string(r.status) + " " + r.body;
            return;
          }
        }
      } catch (...) {
        failures[static_cast<size_t>(i)] = "an exception";
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& f : failures) CHECK(f == "");

  Pulled all = PullAll(hub, reader, "", 1000);
  std::map<std::string, int64_t> last_seq;
  size_t household_ops = 0;
  for (const p::PulledOp& op : all.ops) {
    if (op.op.record_type != "household") continue;
    ++household_ops;
    CHECK(op.op.seq == last_seq[op.op.origin_device] + 1);  // each device's ops in its order
    last_seq[op.op.origin_device] = op.op.seq;
  }
  CHECK(household_ops == size_t{2 * kDevices * kBatches});
  CHECK(hub.Stop() == 0);
}

TEST_CASE(
    "Hub: SIGTERM and SIGINT stop the hub promptly with exit code 0, and requests are logged") {
  for (int sig : {SIGTERM, SIGINT}) {
    CAPTURE(sig);
    Hub hub;
    Communes c = SetUp(hub);
    hub.Start();
    Device a1 = Enroll(hub, c.a, 1);
    Push(hub, a1, MakePush(a1, HouseholdOps(a1, 1, c.village_a)));
    CheckHealthy(hub);
    // An idle client connection must not hold the shutdown up.
    const int idle = Connect(hub.port());
    double seconds = 0;
    CHECK(hub.Stop(sig, &seconds) == 0);
    CHECK(seconds < 5);
    close(idle);
    const std::string log = hub.ServerLog();
    INFO("log: ", log);
    CHECK(Contains(log, "GET /healthz 200 "));
    CHECK(Contains(log, "POST /v1/push 200 "));
    CHECK(Contains(log, "device=" + a1.id));
    CHECK_FALSE(Contains(log, a1.token));
  }
}

// --- What the store must do for the protocol to hold (docs/sync-protocol.md, "Push"). ---

TEST_CASE("Hub: a resent op whose text the hub normalised gets the same answer") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1);
  // "Nguyễn" typed in decomposed form (NFD), as some keyboards send it; the hub stores NFC.
  const std::string nfd = "Nguye\xCC\x82\xCC\x83n";
  p::PushRequest push = MakePush(a1, {MakeOp(a1, 1, "household", kHousehold, "head_name", nfd)});
  const p::PushResponse first = Push(hub, a1, push);
  HttpReply again = PushRaw(hub, a1, push);
  INFO("body: ", again.Text());
  CHECK(again.status == 200);
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub: an op whose content breaks the protocol's rules is quarantined") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1), a2 = Enroll(hub, c.a, 2);
  // A base stamp without its device: CheckOpContent() refuses it, so no page may carry it.
  p::Op op = MakeOp(a1, 1, "household", kHousehold, "head_name", "Nguyễn Văn Đức");
  op.base_hlc = 5;
  const p::PushResponse r = Push(hub, a1, MakePush(a1, {op}));
  REQUIRE(r.results.size() == 1);
  CHECK(r.results[0].outcome == p::Outcome::kQuarantined);
  // Whatever the store did with it, the commune's pulls go on.
  CHECK(OpsOf(PullAll(hub, a2), kHousehold).empty());
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub: a device cannot use up another device's seqs") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1), a2 = Enroll(hub, c.a, 2);
  // a1 is no relay: a batch holding an op in a2's name is refused whole...
  p::Op forged = MakeOp(a2, 1, "household", kHousehold, "head_name", "Giả Mạo");
  HttpReply refused = PushRaw(hub, a1, MakePush(a1, {forged}));
  INFO("body: ", refused.Text());
  CHECK(refused.status == 400);
  CHECK(refused.Text().find("bad_request") != std::string::npos);
  // ... and a2's own seq 1, sent later, is still a2's to use.
  HttpReply own = PushRaw(hub, a2, MakePush(a2, HouseholdOps(a2, 1, c.village_a)));
  INFO("body: ", own.Text());
  CHECK(own.status == 200);
  CHECK(hub.Stop() == 0);
}

}  // namespace
}  // namespace gocua

namespace gocua {
namespace {

TEST_CASE("Hub: only a leader's op may approve or return a visit, and authors must be members") {
  Hub hub;
  Communes c = SetUp(hub);
  const std::string stranger = hub.Ok({"member", "add", "--commune", c.b, "--name", "Đỗ Văn Lạ",
                                       "--role", "leader", "--pin", "4321"});
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1);
  const std::string visit = "0190f3a9-0001-7aaa-8bbb-cccccccccccc";
  auto status = [&](int64_t seq, const std::string& value, const std::string& author) {
    p::Op op = MakeOp(a1, seq, "visit", visit, "status", value);
    op.author = author;
    return op;
  };
  std::vector<p::Op> ops = HouseholdOps(a1, 1, c.village_a);
  ops.push_back(MakeOp(a1, 4, "visit", visit, "household_id", kHousehold));
  ops.push_back(status(5, "pending", c.member_a));     // a member submits: fine
  ops.push_back(status(6, "approved", c.member_a));    // a member approves: no
  ops.push_back(status(7, "returned", ""));            // nobody signed in returns: no
  ops.push_back(status(8, "approved", stranger));      // a leader of another commune: no
  ops.push_back(status(9, "approved", "m-unknown"));   // no such member: no
  ops.push_back(status(10, "approved", c.leader_a));   // the commune's leader approves: yes
  ops.back().base_hlc = ops[4].hlc;  // having seen "pending"
  ops.back().base_device = a1.id;
  p::PushResponse r = Push(hub, a1, MakePush(a1, ops));
  REQUIRE(r.results.size() == 10);
  for (int i : {0, 1, 2, 3, 4, 9}) CHECK(r.results[i].outcome == p::Outcome::kApplied);
  for (int i : {5, 6, 7, 8}) {
    INFO("op ", i + 1, ": ", r.results[i].reason);
    CHECK(r.results[i].outcome == p::Outcome::kQuarantined);
  }
  CHECK(Contains(r.results[5].reason, "only a leader of the commune may approve or return"));
  CHECK(Contains(r.results[6].reason, "author: none"));
  CHECK(Contains(r.results[7].reason, "is not a member of this commune"));
  CHECK(Contains(r.results[8].reason, "is not a member of this commune"));
  CHECK(r.acked_seq == 10);

  json quarantine = hub.Json({"quarantine"});
  REQUIRE(quarantine.size() == 4);
  CHECK(quarantine[0]["op"]["author"] == c.member_a);
  // The leader's approval holds; the refused ones never reached the record.
  Device a2 = Enroll(hub, c.a, 2);
  std::vector<p::Op> got = OpsOf(PullAll(hub, a2), visit);
  REQUIRE(got.size() == 3);
  CHECK(got[2].value == "approved");
  CHECK(got[2].author == c.leader_a);
  CHECK(hub.Stop() == 0);
}

}  // namespace
}  // namespace gocua
