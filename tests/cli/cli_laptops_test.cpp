// gocua-cli and the real gocua-hub, end to end, for a leader's laptop managing its commune's
// laptops (issue 19 point 1, hub side: `gocua-cli laptops list|code|rename|revoke`) and for
// reset-device retiring the old identity on the hub (issue 15). The hub decides who may: a
// member's laptop and another commune's leader are refused there.
#include "tests/cli/cli_fixture.h"

#ifdef GOCUA_CLI_PATH

#include "sync/client/curl_transport.h"
#include "sync/protocol/messages.h"
#include "tests/support/hub_process.h"

namespace gocua {
namespace {

using namespace cli_fixture;

// A hub with two communes, each with a village and a leader; laptops enrolled through
// gocua-cli with codes made by the hub's admin.
struct Province {
  test::HubProcess hub;
  std::string a, b, leader_a;
  Province() {
    a = hub.Json(
        {"commune", "create", "--province", "Quảng Ngãi", "--commune", "Xã Tịnh Sơn"})["id"];
    hub.Ok({"village", "add", "--commune", a, "Thôn", "Đông"});
    leader_a = hub.Json({"member", "add", "--commune", a, "--name", "Lê Văn Hùng", "--role",
                         "leader", "--pin", "5678"})["id"];
    b = hub.Json(
        {"commune", "create", "--province", "Quảng Ngãi", "--commune", "Xã Nghĩa Hà"})["id"];
    hub.Ok({"village", "add", "--commune", b, "Thôn Một"});
    hub.Start();
  }
  // Enrolls `cli` into `commune` with an admin's code of `role`; returns its device id.
  std::string Enroll(Cli& cli, const std::string& commune, const std::string& role,
                     const std::string& name) {
    const std::string code = hub.Ok({"enroll-code", "--commune", commune, "--role", role});
    CliResult r = cli.Run({"enroll", "--hub", hub.url(), "--code", code, "--name", name});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return cli.Json({"status"})["device_id"];
  }
  // The hub's own list (gocua-hub devices) entry for `id`.
  json HubDevice(const std::string& id) {
    for (const json& d : hub.Json({"devices"}))
      if (d["device_id"] == id) return d;
    FAIL("the hub does not list " << id);
    return {};
  }
};

// The laptop `id` in a `laptops list --json`, or null.
json Find(const json& list, const std::string& id) {
  for (const json& l : list)
    if (l["device_id"] == id) return l;
  return nullptr;
}

// HTTP status of GET /v1/pull with `token` (the hub's answer to a token).
int PullStatus(const std::string& url, const std::string& token) {
  client::CurlTransport transport(client::CurlOptions{});
  client::HttpRequest req;
  req.url = url + "/v1/pull?after=&limit=1&protocol=1";
  req.bearer_token = token;
  auto r = transport.Send(req, nullptr);
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  return r->status;
}

TEST_CASE("Cli laptops: a leader's laptop issues a code, lists, renames and revokes its laptops") {
  Province p;
  Cli leader, member, fresh, other_leader;
  const std::string leader_id = p.Enroll(leader, p.a, "leader", "Máy trưởng nhóm");
  const std::string member_id = p.Enroll(member, p.a, "member", "Máy chị Mai");
  const std::string other_id = p.Enroll(other_leader, p.b, "leader", "Máy xã Nghĩa Hà");

  // A member code, with its expiry, from the leader's laptop.
  const int64_t before = test::WallMs();
  const json code = leader.Json({"laptops", "code", "--minutes", "30"});
  CHECK(code["role"] == "member");
  CHECK(code["commune_id"] == p.a);
  CHECK(code["expires_at"].get<int64_t>() >= before + 30 * 60 * 1000 - 5000);
  CHECK(code["expires_at"].get<int64_t>() <= test::WallMs() + 30 * 60 * 1000 + 5000);
  const std::string shown = leader.Ok({"laptops", "code"});  // as a person reads it
  CHECK(Contains(shown, "Mã đăng ký máy thành viên"));
  CHECK(Contains(shown, "Hết hạn — expires:"));

  // A new laptop enrolls with it through gocua-cli, as a member of the leader's commune.
  CliResult enrolled = fresh.Run({"enroll", "--hub", p.hub.url(), "--code",
                                  code["code"].get<std::string>(), "--name", "Laptop mới"});
  INFO(enrolled.err);
  REQUIRE(enrolled.exit_code == 0);
  const std::string fresh_id = fresh.Json({"status"})["device_id"];
  CHECK(p.HubDevice(fresh_id)["role"] == "member");
  CHECK(p.HubDevice(fresh_id)["commune_id"] == p.a);
  // The code works once.
  Cli again;
  CliResult reused =
      again.Run({"enroll", "--hub", p.hub.url(), "--code", code["code"].get<std::string>()});
  CHECK(reused.exit_code == 1);

  // It is listed with role, name and last sync; the other commune's laptop is not.
  json list = leader.Json({"laptops", "list"});
  CHECK(list.size() == 3);
  const json listed = Find(list, fresh_id);
  REQUIRE(listed.is_object());
  CHECK(listed["name"] == "Laptop mới");
  CHECK(listed["role"] == "member");
  CHECK(listed["revoked"] == false);
  CHECK(listed["last_seen"].get<int64_t>() > 0);  // its enrollment's sync
  CHECK(Find(list, leader_id)["role"] == "leader");
  CHECK(Find(list, member_id).is_object());
  CHECK(Find(list, other_id).is_null());
  CHECK(Contains(leader.Ok({"laptops", "list"}), "Laptop mới"));

  // Renamed.
  const json renamed = leader.Json({"laptops", "rename", fresh_id, "Laptop", "tổ", "5"});
  CHECK(renamed["name"] == "Laptop tổ 5");
  CHECK(Find(leader.Json({"laptops", "list"}), fresh_id)["name"] == "Laptop tổ 5");
  CHECK(p.HubDevice(fresh_id)["name"] == "Laptop tổ 5");

  // A member's laptop is refused every one of these, by the hub, and changes nothing.
  for (const std::vector<std::string>& cmd : {std::vector<std::string>{"laptops", "list"},
                                              {"laptops", "code"},
                                              {"laptops", "rename", fresh_id, "Tên", "lạ"},
                                              {"laptops", "revoke", fresh_id}}) {
    CliResult r = member.Run(cmd);
    INFO(Cli::Join(cmd), ": ", r.err);
    CHECK(r.exit_code == 1);
    CHECK(Contains(r.err, "Chỉ máy của trưởng nhóm mới quản lý được các máy của xã"));
  }
  // Another commune's leader sees only its own commune and touches nothing of this one; an
  // unknown id gets the same answer as a foreign one.
  const json theirs = other_leader.Json({"laptops", "list"});
  REQUIRE(theirs.size() == 1);
  CHECK(theirs[0]["device_id"] == other_id);
  for (const std::string& target :
       {fresh_id, member_id, std::string("0190f3a2-5c1e-7b4d-9a6f-2e8c1d4b0fff")}) {
    CliResult r = other_leader.Run({"laptops", "revoke", target});
    CHECK(r.exit_code == 1);
    CHECK(Contains(r.err, "không thuộc xã của bạn"));
    CliResult n = other_leader.Run({"laptops", "rename", target, "Của", "tôi"});
    CHECK(n.exit_code == 1);
    CHECK(Contains(n.err, "không thuộc xã của bạn"));
  }
  CHECK(p.HubDevice(fresh_id)["name"] == "Laptop tổ 5");
  CHECK(p.HubDevice(fresh_id)["revoked"] == false);
  CHECK(p.HubDevice(member_id)["revoked"] == false);
  // Nor can a leader revoke the laptop it is using.
  CliResult self = leader.Run({"laptops", "revoke", leader_id});
  CHECK(self.exit_code == 1);
  CHECK(Contains(self.err, "Không thể thu hồi chính máy đang dùng"));

  // Revoked: its next sync is refused with a clear message; the others sync on.
  fresh.Ok({"household", "add", "--village", "Thôn Đông", "--head", "Nguyễn Văn Mất"});
  const json revoked = leader.Json({"laptops", "revoke", fresh_id});
  CHECK(revoked["revoked"] == true);
  CHECK(p.HubDevice(fresh_id)["revoked"] == true);
  CliResult refused = fresh.Run({"sync"});
  CHECK(refused.exit_code == 1);
  CHECK(Contains(refused.err, "Máy chủ không nhận máy này nữa"));
  CHECK(Find(leader.Json({"laptops", "list"}), fresh_id)["revoked"] == true);
  CHECK(member.Run({"sync"}).exit_code == 0);
  CHECK(leader.Run({"sync"}).exit_code == 0);
  CHECK_FALSE(Contains(p.hub.Export(), "Nguyễn Văn Mất"));
}

TEST_CASE("Cli reset-device: the hub retires the old id, refuses its token and keeps its ops") {
  Province p;
  Cli leader, laptop;
  p.Enroll(leader, p.a, "leader", "Máy trưởng nhóm");
  const std::string old_id = p.Enroll(laptop, p.a, "leader", "Máy cũ");
  laptop.Ok({"household", "add", "--village", "Thôn Đông", "--head", "Nguyễn Văn Cũ"});
  laptop.Ok({"sync"});
  const std::string old_token = test::SqliteReader(laptop.data() + "/gocua.db")
                                    .Rows("SELECT value FROM secret WHERE key = 'hub_token'")[0][0];
  REQUIRE(PullStatus(p.hub.url(), old_token) == 200);

  const json reset = laptop.Json({"reset-device", "--leader", p.leader_a, "--pin", "5678"});
  CHECK(reset["old_device_id"] == old_id);
  CHECK(reset["old_retired_on_hub"] == true);
  const std::string new_id = reset["device_id"];

  // Retired on the hub: its token refused at once, listed as replaced by the new id.
  CHECK(PullStatus(p.hub.url(), old_token) == 401);
  const json on_hub = p.HubDevice(old_id);
  CHECK(on_hub["revoked"] == true);
  CHECK(on_hub["replaced_by"] == new_id);
  CHECK(Contains(p.hub.Ok({"devices"}), "replaced by " + new_id));
  const json listed = Find(leader.Json({"laptops", "list"}), old_id);
  CHECK(listed["revoked"] == true);
  CHECK(listed["replaced_by"] == new_id);
  // Its ops stay in the log: a new laptop of the commune gets the household it made.
  {
    test::SqliteReader hub_db(p.hub.db_path());
    CHECK(hub_db.Int("SELECT count(*) FROM hub_ops WHERE origin_device = '" + old_id + "'") > 0);
  }
  Cli newcomer;
  p.Enroll(newcomer, p.a, "member", "Máy mới");
  CHECK(Contains(newcomer.Ok({"household", "list"}), "Nguyễn Văn Cũ"));

  // A copy still holding the old id cannot enroll it again.
  {
    client::CurlTransport transport(client::CurlOptions{});
    protocol::EnrollRequest m;
    m.code = p.hub.Ok({"enroll-code", "--commune", p.a});
    m.device_id = old_id;
    m.device_name = "Bản sao";
    auto r = transport.Send(
        {client::HttpRequest::Method::kPost, p.hub.url() + "/v1/enroll", "", protocol::Encode(m)},
        nullptr);
    REQUIRE(r.ok());
    CHECK(r->status == 409);
    CHECK(Contains(r->body, "đã được thay bằng " + new_id));
  }
  // The laptop goes on under its new id with a new code.
  p.Enroll(laptop, p.a, "leader", "Máy cũ, mã mới");
  CHECK(p.HubDevice(new_id)["revoked"] == false);
  CHECK(laptop.Run({"sync"}).exit_code == 0);
}

TEST_CASE("Cli reset-device with the hub down: reset anyway, and say how to revoke the old id") {
  Province p;
  Cli laptop;
  const std::string old_id = p.Enroll(laptop, p.a, "leader", "Máy cũ");
  REQUIRE(p.hub.Stop() == 0);
  CliResult r = laptop.Run({"reset-device", "--leader", p.leader_a, "--pin", "5678"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(Contains(r.err, "Chưa báo được máy chủ rằng mã cũ " + old_id));
  CHECK(Contains(r.err, "gocua-cli laptops revoke " + old_id));
  CHECK(laptop.Json({"status"})["device_id"] != old_id);
}

}  // namespace
}  // namespace gocua

#endif  // GOCUA_CLI_PATH
