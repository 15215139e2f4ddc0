#pragma once
// The hub's end-to-end tests' tools: the real gocua-hub on loopback (tests/support/
// hub_process.h), a small HTTP/1.1 client on POSIX sockets, gzip through the system's gzip(1),
// devices enrolled by code, and their pushes and pulls. Nothing here links the hub.
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

namespace gocua::hub_http {

namespace fs = std::filesystem;
namespace p = protocol;
using nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;
// The hub process and its admin commands (tests/support/hub_process.h).
using Hub = test::HubProcess;
using test::MakeTempDir;
using test::ProcessResult;
using test::RunProcess;

inline void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(f.good());
}

inline std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

inline int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// `input` through the shell pipeline `command` (e.g. "gzip -c"), in a scratch folder.
inline std::string Filter(const std::string& command, const std::string& input) {
  const fs::path dir = MakeTempDir("gocua-hub-filter");
  WriteFile(dir / "in", input);
  ProcessResult r = RunProcess({"/bin/sh", "-c", command}, dir, (dir / "in").string());
  std::error_code ec;
  fs::remove_all(dir, ec);
  INFO("command: ", command, "\nstderr: ", r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

inline std::string Gzip(const std::string& data) { return Filter("gzip -c", data); }
inline std::string Gunzip(const std::string& data) { return Filter("gzip -dc", data); }

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

inline int Connect(int port) {
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

inline HttpReply Http(int port, const std::string& method, const std::string& target,
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
inline std::string DeviceId(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "0190f3a2-5c1e-7b4d-9a6f-2e8c1d4b%04x", n);
  return buf;
}

inline const std::string kBatchId = "0190f3b0-1a2b-7c3d-8e4f-5a6b7c8d9e0f";

struct Device {
  std::string id, token, commune_id;
  Headers Auth() const { return {{"Authorization", "Bearer " + token}}; }
};

inline HttpReply EnrollRequest(Hub& hub, const std::string& code, const std::string& device_id) {
  p::EnrollRequest m;
  m.code = code;
  m.device_id = device_id;
  m.device_name = "Laptop tổ " + device_id.substr(32);
  return Http(hub.port(), "POST", "/v1/enroll", p::Encode(m),
              {{"Content-Type", "application/json"}});
}

// Enrolls device `n` with a code of `role` ("member" or "leader").
inline Device Enroll(Hub& hub, const std::string& commune_id, int n,
                     const std::string& role = "member") {
  // "--role member" is the default, left out so that a hub before roles can be tested too.
  std::vector<std::string> args = {"enroll-code", "--commune", commune_id};
  if (role != "member") args.insert(args.end(), {"--role", role});
  const std::string code = hub.Ok(args);
  HttpReply r = EnrollRequest(hub, code, DeviceId(n));
  INFO("body: ", r.body);
  REQUIRE(r.status == 200);
  Result<p::EnrollResponse> e = p::DecodeEnrollResponse(r.body);
  REQUIRE(e.ok());
  CHECK(e->device_id == DeviceId(n));
  CHECK(e->commune_id == commune_id);
  CHECK(e->role == role);
  return {e->device_id, e->token, e->commune_id};
}

inline p::Op MakeOp(const Device& d, int64_t seq, const std::string& type, const std::string& id,
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

inline p::PushRequest MakePush(const Device& d, std::vector<p::Op> ops) {
  p::PushRequest m;
  m.protocol = 1;  // this file is the v1 suite; v2 is tests/sync/hub/hub_v2_test.cpp
  m.device_id = d.id;
  m.batch_id = kBatchId;
  m.ops = std::move(ops);
  return m;
}

inline HttpReply PushRaw(Hub& hub, const Device& d, const p::PushRequest& m, bool gzip = false) {
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
inline p::PushResponse Push(Hub& hub, const Device& d, const p::PushRequest& m, bool gzip = false) {
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

inline HttpReply PullPage(Hub& hub, const Device& d, const std::string& after, int limit) {
  p::PullRequest q;
  q.protocol = 1;  // the v1 suite (v2: tests/sync/hub/hub_v2_test.cpp)
  q.after = after;
  q.limit = limit;
  Headers h = d.Auth();
  h.push_back({"Accept-Encoding", "gzip"});
  return Http(hub.port(), "GET", "/v1/pull?" + p::EncodePullQuery(q), "", h);
}

// Every op after `after`, page by page.
inline Pulled PullAll(Hub& hub, const Device& d, const std::string& after = "", int limit = 500) {
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
inline std::vector<p::Op> OpsOf(const Pulled& pulled, const std::string& id) {
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

inline Communes SetUp(Hub& hub) {
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

inline const std::string kHousehold = "0190f2c4-3b5a-7d6e-8f70-81a2b3c4d5e6";

// Three ops that make a household in `village`.
inline std::vector<p::Op> HouseholdOps(const Device& d, int64_t first_seq,
                                       const std::string& village) {
  return {MakeOp(d, first_seq, "household", kHousehold, "village_id", village),
          MakeOp(d, first_seq + 1, "household", kHousehold, "head_name", "Nguyễn Văn Đức"),
          MakeOp(d, first_seq + 2, "household", kHousehold, "phone", "0912345678")};
}

inline void CheckHealthy(Hub& hub) {
  HttpReply r = Http(hub.port(), "GET", "/healthz");
  CHECK(r.status == 200);
}

}  // namespace gocua::hub_http
