// gocua-hub end to end: each test starts the real hub binary (build/sync/hub/gocua-hub, found
// beside this test binary; tests/support/hub_process.h) on loopback in a fresh data folder, sets it
// up with its own admin commands and talks HTTP/1.1 to it (tests/sync/hub/hub_http.h).
// This file: big pull pages, concurrent pushes, normalised resends, quarantine, seqs, leaders.
#include <doctest/doctest.h>

#include "tests/sync/hub/hub_http.h"

namespace gocua {
namespace {

using namespace hub_http;

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
          // Each batch names the village first (a new household must: issue 15).
          const int64_t seq = 3 * b + 1;
          p::PushRequest m = MakePush(
              d, {MakeOp(d, seq, "household", id, "village_id", c.village_a),
                  MakeOp(d, seq + 1, "household", id, "smartphones", b),
                  MakeOp(d, seq + 2, "household", id, "address", "Số " + std::to_string(b))});
          HttpReply r = PushRaw(hub, d, m);
          Result<p::PushResponse> resp = p::DecodePushResponse(r.body);
          if (r.status != 200 || !resp.ok() || resp->acked_seq != seq + 2) {
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
  CHECK(household_ops == size_t{3 * kDevices * kBatches});
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

TEST_CASE("Hub: a logged op whose content is invalid is not served, and the ops after it are") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1), a2 = Enroll(hub, c.a, 2);
  Push(hub, a1, MakePush(a1, HouseholdOps(a1, 1, c.village_a)));
  REQUIRE(hub.Stop() == 0);
  // Two served ops planted after a1's run, as a store that failed to quarantine would leave
  // them: one whose record id breaks the protocol, then a good one of the same household.
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(hub.db_path().c_str(), &db) == SQLITE_OK);
    const std::string plant =
        "INSERT INTO hub_runs(server_seq, n, rest, origin, seq, record_type, record_id, field, "
        "value, base_hlc, base_device, hlc, orig_hlc, commune, served, outcome, reason, "
        "pushed_by, received_at, author, seen_hlc, seen_device) "
        "SELECT server_seq + ?1, 1, '[]', origin, ?2, record_type, "
        "CASE WHEN ?3 = '' THEN record_id ELSE ?3 END, 'phone', ?4, 0, 0, hlc + ?1, 0, commune, "
        "1, 'applied', '', pushed_by, received_at, author, 0, 0 FROM hub_runs "
        "WHERE record_type = 'household' AND seq = 1";
    auto add = [&](int step, int seq, const char* id, const char* value) {
      sqlite3_stmt* st = nullptr;
      REQUIRE(sqlite3_prepare_v2(db, plant.c_str(), -1, &st, nullptr) == SQLITE_OK);
      sqlite3_bind_int(st, 1, step);
      sqlite3_bind_int(st, 2, seq);
      sqlite3_bind_text(st, 3, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 4, value, -1, SQLITE_TRANSIENT);
      CHECK(sqlite3_step(st) == SQLITE_DONE);
      CHECK(sqlite3_changes(db) == 1);
      sqlite3_finalize(st);
    };
    add(10, 100, "Bad Id", "\"0900000000\"");
    add(11, 101, "", "\"0911111111\"");
    sqlite3_close(db);
  }
  hub.Start();
  const Pulled pulled = PullAll(hub, a2);
  std::vector<std::string> phones;
  for (const p::PulledOp& op : pulled.ops) {
    CHECK(op.op.record_id != "Bad Id");
    if (op.op.record_id == kHousehold && op.op.field == "phone") phones.push_back(op.op.value);
  }
  CHECK(phones == std::vector<std::string>{"0912345678", "0911111111"});
  CHECK(Contains(hub.ServerLog(), "not serving op"));
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

TEST_CASE("Hub: only a leader's op may approve or return a visit, and authors must be members") {
  Hub hub;
  Communes c = SetUp(hub);
  const std::string stranger = hub.Ok({"member", "add", "--commune", c.b, "--name", "Đỗ Văn Lạ",
                                       "--role", "leader", "--pin", "4321"});
  hub.Start();
  // A leader's laptop: the authors are what this test is about (issue 15: a member's laptop
  // may approve nothing, tests/sync/hub/hub_authority_test.cpp).
  Device a1 = Enroll(hub, c.a, 1, "leader");
  const std::string visit = "0190f3a9-0001-7aaa-8bbb-cccccccccccc";
  auto status = [&](int64_t seq, const std::string& value, const std::string& author) {
    p::Op op = MakeOp(a1, seq, "visit", visit, "status", value);
    op.author = author;
    return op;
  };
  std::vector<p::Op> ops = HouseholdOps(a1, 1, c.village_a);
  ops.push_back(MakeOp(a1, 4, "visit", visit, "household_id", kHousehold));
  ops.push_back(status(5, "pending", c.member_a));    // a member submits: fine
  ops.push_back(status(6, "approved", c.member_a));   // a member approves: no
  ops.push_back(status(7, "returned", ""));           // nobody signed in returns: no
  ops.push_back(status(8, "approved", stranger));     // a leader of another commune: no
  ops.push_back(status(9, "approved", "m-unknown"));  // no such member: no
  ops.push_back(status(10, "approved", c.leader_a));  // the commune's leader approves: yes
  ops.back().base_hlc = ops[4].hlc;                   // having seen "pending"
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
