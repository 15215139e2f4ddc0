// The hub store and the device replica together, in-process: the merge, dedupe, gaps, forks,
// quarantine, scope, conflicts, cursors and clock correction — without HTTP.
#include "sync/hub/store/hub_store.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include "storage/core/change_log.h"
#include "storage/core/ids.h"
#include "storage/core/record_store.h"
#include "storage/core/sqlite_db.h"
#include "storage/device/households.h"
#include "storage/device/members.h"
#include "storage/device/places.h"
#include "storage/device/replica.h"
#include "storage/device/visits.h"
#include "storage/io/export.h"
#include "tests/support/fixture.h"
#include "tests/support/hub_communes.h"

namespace gocua {
namespace {

using test::kTestNowMs;
using test::OpenOrDie;

std::vector<RemoteOp> Outbox(Database& db) {
  std::vector<RemoteOp> ops;
  auto pending = ChangeLog(db).Pending(0, 100000);
  REQUIRE(pending.ok());
  for (const ChangeEntry& e : *pending)
    ops.push_back({db.device_id(),
                   e.seq,
                   e.record_type,
                   e.record_id,
                   e.field,
                   e.value,
                   {e.base_hlc, e.base_device},
                   e.hlc});
  return ops;
}

struct Device {
  ManualClock clock{kTestNowMs};
  std::unique_ptr<Database> db;
  HubDevice hub_view;
};

struct HubFixture : test::HubCommunes {
  Member member, leader;

  HubFixture() {
    member = *hub->AddMember(commune.id, "Trần Thị Mai", Role::kMember, "1234");
    leader = *hub->AddMember(commune.id, "Lê Văn Hùng", Role::kLeader, "5678");
  }

  std::unique_ptr<Device> Enroll(const std::string& file, const std::string& commune_id) {
    auto dev = std::make_unique<Device>();
    dev->db = OpenOrDie(dir.File(file), dev->clock);
    auto code = hub->IssueEnrollmentCode(commune_id, 3600000);
    REQUIRE(code.ok());
    auto e = hub->Enroll(*code, dev->db->device_id(), file);
    REQUIRE_MESSAGE(e.ok(), e.error().message());
    dev->hub_view = e->first;
    REQUIRE(Replica(*dev->db).SaveEnrollment("http://hub", e->second, commune_id).ok());
    Pull(*dev);
    return dev;
  }

  HubPushResult Push(Device& dev) {
    auto r = hub->Push(dev.hub_view, Outbox(*dev.db));
    REQUIRE_MESSAGE(r.ok(), r.error().message());
    if (r->rejection.kind == PushRejection::Kind::kNone)
      REQUIRE(ChangeLog(*dev.db).Acknowledge(r->acked_seq).ok());
    return *r;
  }

  int Pull(Device& dev, int limit = 7) {
    int pulled = 0;
    for (;;) {
      auto cursor = Replica(*dev.db).State()->cursor;
      auto page = hub->Pull(dev.hub_view, cursor, limit);
      REQUIRE(page.ok());
      REQUIRE_FALSE(page->cursor_expired);
      std::vector<RemoteOp> ops;
      for (auto& [seq, op] : page->ops) ops.push_back(op);
      REQUIRE(Replica(*dev.db).ApplyPulled(ops, page->next_cursor).ok());
      pulled += static_cast<int>(ops.size());
      if (!page->has_more) return pulled;
    }
  }

  Household AddHousehold(Device& dev, const std::string& head) {
    Household h;
    h.village_id = village.id;
    h.head_name = head;
    h.members_count = 3;
    auto r = Households(*dev.db).Add(h);
    REQUIRE_MESSAGE(r.ok(), r.error().message());
    return *r;
  }
};

TEST_CASE("HubStore: a device's records reach another device of the commune, not another") {
  HubFixture f;
  auto a = f.Enroll("a.db", f.commune.id);
  auto b = f.Enroll("b.db", f.commune.id);
  auto c = f.Enroll("c.db", f.other.id);
  // Enrollment pulled the commune's village and members.
  CHECK(Places(*a->db).Villages()->size() == 1);
  CHECK(Members(*a->db).List()->size() == 2);
  CHECK(*Members(*a->db).CheckPin(f.member.id, "1234"));

  Household h = f.AddHousehold(*a, "Nguyễn Văn Đức");
  auto pushed = f.Push(*a);
  CHECK(pushed.outcomes.size() == 8);
  CHECK(pushed.acked_seq == 8);
  for (const OpOutcome& o : pushed.outcomes) {
    CHECK_FALSE(o.quarantined);
    CHECK(o.outcome == MergeOutcome::kApplied);
  }
  CHECK(*ChangeLog(*a->db).PendingCount() == 0);
  CHECK(f.Pull(*b) == 8);
  CHECK(Households(*b->db).Get(h.id)->head_name == "Nguyễn Văn Đức");
  CHECK(Households(*b->db).Search("nguyen van duc")->size() == 1);
  f.Pull(*c);
  CHECK(Households(*c->db).Get(h.id).error().code() == ErrorCode::kNotFound);
  // Replicas and hub agree on the commune's records.
  f.Pull(*a);
  CHECK(*ExportCanonicalJson(*a->db) == *ExportCanonicalJson(*b->db));
}

TEST_CASE("HubStore: a resent batch gets the same answer and applies nothing twice") {
  HubFixture f;
  auto a = f.Enroll("a.db", f.commune.id);
  f.AddHousehold(*a, "Phạm Thị Lan");
  auto ops = Outbox(*a->db);
  auto first = f.hub->Push(a->hub_view, ops);
  auto again = f.hub->Push(a->hub_view, ops);
  REQUIRE(first.ok());
  REQUIRE(again.ok());
  CHECK(again->acked_seq == first->acked_seq);
  REQUIRE(again->outcomes.size() == first->outcomes.size());
  for (size_t i = 0; i < ops.size(); ++i)
    CHECK(again->outcomes[i].outcome == first->outcomes[i].outcome);
  auto b = f.Enroll("b.db", f.commune.id);
  CHECK(*Households(*b->db).Count() == 1);
  // A batch that overlaps what was applied sends only the new tail through.
  f.AddHousehold(*a, "Hà Văn Ba");
  auto more = f.hub->Push(a->hub_view, Outbox(*a->db));
  REQUIRE(more.ok());
  CHECK(more->acked_seq == 16);
  f.Pull(*b);
  CHECK(*Households(*b->db).Count() == 2);
}

TEST_CASE("HubStore: a gap is refused with the expected seq, a clone is refused as a fork") {
  HubFixture f;
  auto a = f.Enroll("a.db", f.commune.id);
  f.AddHousehold(*a, "Võ Văn Tám");
  auto ops = Outbox(*a->db);
  std::vector<RemoteOp> tail(ops.begin() + 3, ops.end());
  auto gap = f.hub->Push(a->hub_view, tail);
  REQUIRE(gap.ok());
  CHECK(gap->rejection.kind == PushRejection::Kind::kSeqGap);
  CHECK(gap->rejection.expected_seq == 1);
  CHECK(f.hub->Quarantined()->empty());
  REQUIRE(f.hub->Push(a->hub_view, ops)->rejection.kind == PushRejection::Kind::kNone);
  std::vector<RemoteOp> cloned = {ops[0]};
  cloned[0].value = "Giá trị khác";
  auto fork = f.hub->Push(a->hub_view, cloned);
  REQUIRE(fork.ok());
  CHECK(fork->rejection.kind == PushRejection::Kind::kDeviceFork);
}

TEST_CASE("HubStore: invalid and out-of-scope ops are quarantined and do not block the rest") {
  HubFixture f;
  auto a = f.Enroll("a.db", f.commune.id);
  const std::string dev = a->db->device_id();
  const std::string hh = NewUuidV7(kTestNowMs);
  const std::string rv = NewUuidV7(kTestNowMs);
  std::vector<RemoteOp> ops = {
      {dev, 1, "household", hh, "no_such_field", "x", {}, MakeHlc(kTestNowMs, 1)},
      {dev, 2, "household", hh, "village_id", f.other_village.id, {}, MakeHlc(kTestNowMs, 2)},
      {dev, 3, "household", hh, "head_name", std::string("\xC3"), {}, MakeHlc(kTestNowMs, 3)},
      {dev, 4, "commune", f.commune.id, "name", "Đổi tên", {}, MakeHlc(kTestNowMs, 4)},
      {dev, 5, "review", rv, "leader_id", f.member.id, {}, MakeHlc(kTestNowMs, 5)},
      {dev, 6, "household", hh, "village_id", f.village.id, {}, MakeHlc(kTestNowMs, 6)},
      {dev, 7, "household", hh, "head_name", "Đúng rồi", {}, MakeHlc(kTestNowMs, 7)},
  };
  auto r = f.hub->Push(a->hub_view, ops);
  REQUIRE(r.ok());
  REQUIRE(r->outcomes.size() == 7);
  for (int i = 0; i < 5; ++i) CHECK_MESSAGE(r->outcomes[i].quarantined, i);
  CHECK_FALSE(r->outcomes[5].quarantined);
  CHECK_FALSE(r->outcomes[6].quarantined);
  CHECK(r->acked_seq == 7);
  auto q = f.hub->Quarantined();
  REQUIRE(q->size() == 5);
  CHECK(q->at(1).reason.find("another commune") != std::string::npos);
  CHECK(q->at(4).reason.find("leader") != std::string::npos);
  CHECK(q->at(0).device_id == dev);
  auto b = f.Enroll("b.db", f.commune.id);
  CHECK(Households(*b->db).Get(hh)->head_name == "Đúng rồi");
}

TEST_CASE("HubStore: concurrent edits of one field make one conflict, other fields merge") {
  HubFixture f;
  auto a = f.Enroll("a.db", f.commune.id);
  auto b = f.Enroll("b.db", f.commune.id);
  Household h = f.AddHousehold(*a, "Đinh Văn Lợi");
  f.Push(*a);
  f.Pull(*b);
  // Both edit offline: the same field differently, and different fields.
  a->clock.Advance(1000);
  b->clock.Advance(2000);
  Household ha = *Households(*a->db).Get(h.id), hb = *Households(*b->db).Get(h.id);
  ha.phone = "0911111111";
  ha.smartphones = 1;
  hb.phone = "0922222222";
  hb.address = "Xóm Mới";
  REQUIRE(Households(*a->db).Update(ha).ok());
  REQUIRE(Households(*b->db).Update(hb).ok());
  f.Push(*a);
  auto rb = f.Push(*b);
  int conflicts = 0;
  for (const OpOutcome& o : rb.outcomes) conflicts += o.outcome == MergeOutcome::kConflict;
  CHECK(conflicts == 1);
  auto list = f.hub->Conflicts();
  REQUIRE(list->size() == 1);
  CHECK(list->front().field == "phone");
  CHECK(list->front().winner == "b");  // b's stamp is later
  CHECK(list->front().status == "open");
  f.Pull(*a);
  f.Pull(*b);
  auto final_a = Households(*a->db).Get(h.id);
  CHECK(final_a->phone == "0922222222");
  CHECK(final_a->smartphones == 1);
  CHECK(final_a->address == "Xóm Mới");
  CHECK(*ExportCanonicalJson(*a->db) == *ExportCanonicalJson(*b->db));
  // Pushing again changes nothing and makes no new conflict.
  f.Push(*a);
  f.Push(*b);
  CHECK(f.hub->Conflicts()->size() == 1);
}

TEST_CASE("HubStore: a cursor from elsewhere is expired, pages come in order") {
  HubFixture f;
  auto a = f.Enroll("a.db", f.commune.id);
  for (int i = 0; i < 5; ++i) f.AddHousehold(*a, "Hộ " + std::to_string(i));
  f.Push(*a);
  auto p1 = f.hub->Pull(a->hub_view, "", 10);
  REQUIRE(p1.ok());
  CHECK(p1->has_more);
  CHECK(p1->ops.size() == 10);
  auto p2 = f.hub->Pull(a->hub_view, p1->next_cursor, 1000);
  CHECK(p2->ops.front().first > p1->ops.back().first);
  CHECK_FALSE(p2->has_more);
  CHECK(f.hub->Pull(a->hub_view, "deadbeef.3", 10)->cursor_expired);
  CHECK(f.hub->Pull(a->hub_view, "garbage", 10)->cursor_expired);
  CHECK(f.hub->Pull(a->hub_view, p1->next_cursor + "99999", 10)->cursor_expired);
}

TEST_CASE("HubStore: a device a day ahead is corrected, its stamps do not beat later edits") {
  HubFixture f;
  auto ahead = f.Enroll("ahead.db", f.commune.id);
  auto behind = f.Enroll("behind.db", f.commune.id);
  auto normal = f.Enroll("normal.db", f.commune.id);
  Household h = f.AddHousehold(*normal, "Mai Văn Tư");
  f.Push(*normal);
  f.Pull(*ahead);
  f.Pull(*behind);
  ahead->clock.Advance(86400000);
  behind->clock.Advance(-86400000);
  // The ahead device edits offline with its clock a day fast; then it syncs.
  Household ea = *Households(*ahead->db).Get(h.id);
  ea.address = "Sửa từ máy chạy nhanh";
  REQUIRE(Households(*ahead->db).Update(ea).ok());
  f.clock.Advance(60000);
  REQUIRE(Replica(*ahead->db).ObserveServerTime(f.clock.NowMs()).ok());
  f.Push(*ahead);
  // Later in real time, the normal device and then the behind device edit the same field.
  // Without correction the ahead device's stamp (a day fast) would beat both for a day.
  for (Device* d : {normal.get(), behind.get()}) {
    f.clock.Advance(60000);
    normal->clock.Advance(60000);
    ahead->clock.Advance(60000);
    behind->clock.Advance(60000);
    f.Pull(*d);
    REQUIRE(Replica(*d->db).ObserveServerTime(f.clock.NowMs()).ok());
    Household e = *Households(*d->db).Get(h.id);
    e.address = d == normal.get() ? "Sửa sau, đúng giờ" : "Sửa cuối, máy chạy chậm";
    REQUIRE(Households(*d->db).Update(e).ok());
    f.Push(*d);
  }
  for (Device* d : {ahead.get(), behind.get(), normal.get()}) f.Pull(*d);
  CHECK(Households(*ahead->db).Get(h.id)->address == "Sửa cuối, máy chạy chậm");
  CHECK(*ExportCanonicalJson(*ahead->db) == *ExportCanonicalJson(*normal->db));
  CHECK(*ExportCanonicalJson(*behind->db) == *ExportCanonicalJson(*normal->db));
  CHECK(f.hub->Conflicts()->empty());  // each edit saw the one before it
  // New edits on the ahead device are stamped in hub time, not a day ahead.
  Household again = *Households(*ahead->db).Get(h.id);
  again.smartphones = 4;
  REQUIRE(Households(*ahead->db).Update(again).ok());
  auto pending = ChangeLog(*ahead->db).Pending(0, 10);
  REQUIRE(pending->size() == 1);
  CHECK(HlcMillis(pending->front().hlc) < f.clock.NowMs() + 60000);
}

// The 32 KiB limit on a value is on its JSON text, escapes included, whatever shortcut the
// check takes for values far below it.
TEST_CASE("CheckRemoteOp: a value is measured as JSON text, escapes included") {
  RemoteOp op{NewUuidV7(kTestNowMs), 1, "visit", "v1", "topics", json::object(), {}, 42};
  auto with = [&](const std::string& text) {
    op.value = json::object({{"vneid", text}});
    return CheckRemoteOp(op);
  };
  CHECK(with("done").ok());
  CHECK(with(std::string(32000, 'x')).ok());
  CHECK(with(std::string(32800, 'x')).error().message() == "value larger than 32 KiB");
  // 16,000 two-byte letters are 32,000 bytes written as they are.
  std::string letters;
  for (int i = 0; i < 16000; ++i) letters += "é";
  CHECK(with(letters).ok());
  // 5,500 control characters are 5,500 bytes but 33,000 as JSON (\u0001 each).
  CHECK(with(std::string(5500, '\x01')).error().message() == "value larger than 32 KiB");
  CHECK(with(std::string(5000, '\x01')).ok());
}

}  // namespace
}  // namespace gocua

namespace gocua {
namespace {

TEST_CASE("HubStore: enrollment survives a lost reply and a revoked device can come back") {
  HubFixture f;
  test::TempDir dir;
  ManualClock clock(kTestNowMs);
  auto db = OpenOrDie(dir.File("d.db"), clock);
  const std::string id = db->device_id();
  auto code = f.hub->IssueEnrollmentCode(f.commune.id, 3600000);
  auto first = f.hub->Enroll(*code, id, "Laptop");
  REQUIRE(first.ok());
  // The reply was lost (or the request came twice): the same code again gives the same token,
  // so whichever reply arrived, the device holds a working token.
  auto again = f.hub->Enroll(*code, id, "Laptop");
  REQUIRE_MESSAGE(again.ok(), again.error().message());
  CHECK(again->second == first->second);
  CHECK(f.hub->Authenticate(again->second).ok());
  // Another device cannot use that code, and an active device cannot enroll twice.
  CHECK(f.hub->Enroll(*code, NewUuidV7(kTestNowMs), "Khác").error().code() == ErrorCode::kNotFound);
  auto code2 = f.hub->IssueEnrollmentCode(f.commune.id, 3600000);
  CHECK(f.hub->Enroll(*code2, id, "Laptop").error().code() == ErrorCode::kConflict);
  // Revoked, it comes back with a fresh code and keeps its id (and its seqs).
  REQUIRE(f.hub->RevokeDevice(id).ok());
  CHECK_FALSE(f.hub->Authenticate(again->second).ok());
  auto back = f.hub->Enroll(*code2, id, "Laptop");
  REQUIRE_MESSAGE(back.ok(), back.error().message());
  CHECK(back->second != again->second);
  CHECK(f.hub->Authenticate(back->second)->device_id == id);
  // A code of another commune does not move it.
  REQUIRE(f.hub->RevokeDevice(id).ok());
  auto other = f.hub->IssueEnrollmentCode(f.other.id, 3600000);
  CHECK(f.hub->Enroll(*other, id, "Laptop").error().code() == ErrorCode::kConflict);
}

TEST_CASE("HubStore: an incremental pull leaves out the device's own ops, a full one has them") {
  HubFixture f;
  auto a = f.Enroll("a.db", f.commune.id);
  const std::string cursor = Replica(*a->db).State()->cursor;
  f.AddHousehold(*a, "Lò Văn Pẩu");
  f.Push(*a);
  auto incremental = f.hub->Pull(a->hub_view, cursor, 1000);
  REQUIRE(incremental.ok());
  CHECK(incremental->ops.empty());
  auto full = f.hub->Pull(a->hub_view, "", 1000);
  int own = 0;
  for (const auto& [seq, op] : full->ops) own += op.origin_device == a->db->device_id();
  CHECK(own == 8);
}

// Counts and statements on a hub's file through its own connection (not the hub's).
int64_t Count(const std::string& file, const std::string& sql) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  INFO(sql);
  REQUIRE(sqlite3_prepare_v2(raw, sql.c_str(), -1, &q, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(q) == SQLITE_ROW);
  const int64_t n = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(raw);
  return n;
}

void Exec(const std::string& file, const char* sql) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &raw) == SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(raw, sql, nullptr, nullptr, &err);
  INFO((err ? err : ""));
  sqlite3_free(err);
  sqlite3_close(raw);
  REQUIRE(rc == SQLITE_OK);
}

Visit MakeVisit(const HubFixture& f, const Household& h) {
  Visit v;
  v.household_id = h.id;
  v.visited_on = "2024-05-02";
  v.minutes = 20;
  v.members = {f.member.id};
  v.topics = {{"vneid", "done"}, {"dvc", "guided"}};
  v.followup_on = "2024-06-01";
  return v;
}

// The hub serves records and never a dashboard: no search index, no derived tables, no
// trigger fired (Database::Impl::derived); a hub of schema 2 (one log row per op, derived data
// kept) empties those tables and keeps its log readable when it opens.
TEST_CASE("HubStore: an older hub upgrades: derived data dropped, its per-op log still served") {
  const char* kDerived[] = {
      "search",       "household_order", "visit_members",        "visit_persons",
      "visit_topics", "visit_latest",    "visit_latest_members", "person_online",
      "topic_day",    "member_day",      "household_span",       "person_span"};
  HubFixture f;
  const std::string file = f.dir.File("hub.db");
  // Back to hub schema 2: no runs, and derived rows as an older hub kept them.
  f.hub.reset();
  Exec(file,
       "DROP VIEW hub_ops; ALTER TABLE hub_log DROP COLUMN rest; ALTER TABLE hub_log DROP "
       "COLUMN n; INSERT INTO visit_latest VALUES('h', 'v', '2024-05-02', ''); "
       "INSERT INTO topic_day(day, status, topic_id, result, n) "
       "VALUES('2024-05-02', 'pending', 'vneid', 'done', 1); "
       "UPDATE meta SET value = '2' WHERE key = 'hub_schema'");
  const int64_t old_rows = Count(file, "SELECT count(*) FROM hub_log");
  REQUIRE(old_rows > 0);  // the communes, villages and members made above
  REQUIRE(Count(file, "SELECT count(*) FROM visit_latest") == 1);
  auto reopened = OpenSqliteHubStore(file, f.clock);
  REQUIRE_MESSAGE(reopened.ok(), reopened.error().message());
  f.hub = std::move(reopened).value();
  CHECK(Count(file, "SELECT count(*) FROM hub_log WHERE n = 1") == old_rows);
  CHECK(Count(file, "SELECT count(*) FROM hub_ops") == old_rows);

  // The old rows reach a new laptop; new pushes are logged as runs and keep no derived data.
  auto a = f.Enroll("a.db", f.commune.id);
  CHECK(Places(*a->db).Villages()->size() == 1);
  CHECK(Members(*a->db).List()->size() == 2);
  Household h = f.AddHousehold(*a, "Nguyễn Văn Đức");
  auto saved = Visits(*a->db).Save(MakeVisit(f, h));
  REQUIRE_MESSAGE(saved.ok(), saved.error().message());
  f.Push(*a);
  CHECK(Count(file, "SELECT count(*) FROM households") == 1);
  CHECK(Count(file, "SELECT count(*) FROM visits") == 1);
  for (const char* t : kDerived)
    CHECK_MESSAGE(Count(file, std::string("SELECT count(*) FROM ") + t) == 0, t);
  // Nor the indexes that only a device's lists and dashboard read.
  for (const char* index : {"visits_period", "visits_household", "households_register"}) {
    CHECK_MESSAGE(Count(file, std::string("SELECT count(*) FROM sqlite_master WHERE name = '") +
                                  index + "'") == 0,
                  index);
    CHECK(Count(f.dir.File("a.db"), std::string("SELECT count(*) FROM sqlite_master WHERE "
                                                "name = '") +
                                        index + "'") == 1);
  }
  // The device that made them keeps its own (the same code with derived data on).
  CHECK(Count(f.dir.File("a.db"), "SELECT count(*) FROM visit_latest") == 1);
  CHECK(Count(f.dir.File("a.db"), "SELECT count(*) FROM topic_day") == 2);
  auto b = f.Enroll("b.db", f.commune.id);
  CHECK(*ExportCanonicalJson(*b->db) == *ExportCanonicalJson(*a->db));
}

// A run of ops on one record is one row of hub_log; hub_ops shows one row per op, with the
// same server seqs, seqs and content as the ops pushed; pages may end inside a row.
TEST_CASE("HubStore: a record's run of ops is one log row, served op by op from any cursor") {
  HubFixture f;
  const std::string file = f.dir.File("hub.db");
  auto a = f.Enroll("a.db", f.commune.id);
  auto b = f.Enroll("b.db", f.commune.id);
  Household h = f.AddHousehold(*a, "Nguyễn Văn Đức");
  auto saved = Visits(*a->db).Save(MakeVisit(f, h));
  REQUIRE_MESSAGE(saved.ok(), saved.error().message());
  const std::vector<RemoteOp> pushed = Outbox(*a->db);
  REQUIRE(pushed.size() > 10);
  const int64_t rows_before = Count(file, "SELECT count(*) FROM hub_log");
  f.Push(*a);
  const std::string mine = " WHERE origin_device = '" + a->db->device_id() + "'";
  CHECK(Count(file, "SELECT count(*) FROM hub_log" + mine) == 2);  // the household, the visit
  CHECK(Count(file, "SELECT count(*) FROM hub_log") == rows_before + 2);
  CHECK(Count(file, "SELECT count(*) FROM hub_ops" + mine) == static_cast<int64_t>(pushed.size()));
  CHECK(Count(file, "SELECT count(DISTINCT server_seq) FROM hub_ops") ==
        Count(file, "SELECT count(*) FROM hub_ops"));
  CHECK(Count(file, "SELECT max(server_seq) - min(server_seq) + 1 FROM hub_ops") ==
        Count(file, "SELECT count(*) FROM hub_ops"));

  // Every page size, from the start, on another laptop: the same ops in the same order, each
  // once, as pushed.
  for (int limit : {1, 2, 3, 5, 7, 11, 1000}) {
    CAPTURE(limit);
    std::vector<RemoteOp> got;
    std::string cursor;
    int64_t last_server_seq = 0;
    for (int guard = 0; guard < 1000; ++guard) {
      auto page = f.hub->Pull(b->hub_view, cursor, limit);
      REQUIRE(page.ok());
      REQUIRE(static_cast<int>(page->ops.size()) <= limit);
      for (auto& [server_seq, op] : page->ops) {
        CHECK(server_seq > last_server_seq);
        last_server_seq = server_seq;
        if (op.origin_device == a->db->device_id()) got.push_back(op);
      }
      cursor = page->next_cursor;
      if (!page->has_more) break;
    }
    REQUIRE(got.size() == pushed.size());
    for (size_t i = 0; i < got.size(); ++i) {
      CAPTURE(i);
      CHECK(got[i].seq == pushed[i].seq);
      CHECK(got[i].record_id == pushed[i].record_id);
      CHECK(got[i].field == pushed[i].field);
      CHECK(got[i].value == pushed[i].value);
      CHECK(got[i].hlc == pushed[i].hlc);
      CHECK(got[i].base == pushed[i].base);
    }
  }
  // A resend that overlaps the runs (ops 3.., and two new ones) gets the same answers for
  // the logged ops and applies only the new ones.
  REQUIRE(Households(*a->db)
              .Update([&] {
                Household changed = *Households(*a->db).Get(h.id);
                changed.phone = "0905123456";
                changed.address = "Xóm 2";
                return changed;
              }())
              .ok());
  const std::vector<RemoteOp> later = Outbox(*a->db);  // the two new ops only
  REQUIRE(later.size() == 2);
  std::vector<RemoteOp> resend(pushed.begin() + 2, pushed.end());
  resend.insert(resend.end(), later.begin(), later.end());
  auto again = f.hub->Push(a->hub_view, resend);
  REQUIRE(again.ok());
  REQUIRE(again->rejection.kind == PushRejection::Kind::kNone);
  REQUIRE(again->outcomes.size() == resend.size());
  for (const OpOutcome& o : again->outcomes) {
    CHECK_FALSE(o.quarantined);
    CHECK(o.outcome == MergeOutcome::kApplied);
  }
  CHECK(again->acked_seq == later.back().seq);
  CHECK(Count(file, "SELECT count(*) FROM hub_ops" + mine) ==
        static_cast<int64_t>(pushed.size() + 2));
  // The same seq with other content is a clone, inside a run as at its start.
  std::vector<RemoteOp> clone(pushed.begin() + 4, pushed.begin() + 5);
  clone[0].value = "khác";
  auto forked = f.hub->Push(a->hub_view, clone);
  REQUIRE(forked.ok());
  CHECK(forked->rejection.kind == PushRejection::Kind::kDeviceFork);
  // A damaged row is an error that says where, not a crash or a short page.
  Exec(file, ("UPDATE hub_log SET rest = '[[\"x\"]' WHERE n > 1 AND origin_device = '" +
              a->db->device_id() + "'")
                 .c_str());
  auto damaged = f.hub->Pull(b->hub_view, "", 1000);
  REQUIRE_FALSE(damaged.ok());
  CHECK(damaged.error().code() == ErrorCode::kCorrupt);
  CHECK(damaged.error().message().find("hub log: row") != std::string::npos);
}

// A pulled page is committed without an fsync (it can be pulled again: docs/benchmarks.md has
// what that saves); the connection goes back to synchronous = FULL after it, whether the page
// was applied or refused, so that local writes keep theirs.
TEST_CASE("Replica: after a pulled page, applied or refused, writes are fsynced again") {
  HubFixture f;
  auto a = f.Enroll("a.db", f.commune.id);
  auto b = f.Enroll("b.db", f.commune.id);
  auto synchronous = [](Database& db) {
    Status st;
    auto q = db.impl().Prepare("PRAGMA synchronous", &st);
    REQUIRE(q);
    REQUIRE(q->Step() == SQLITE_ROW);
    return static_cast<int>(q->Int(0));
  };
  CHECK(synchronous(*b->db) == 2);  // FULL
  f.AddHousehold(*a, "Nguyễn Văn Đức");
  f.Push(*a);
  CHECK(f.Pull(*b) == 8);
  CHECK(synchronous(*b->db) == 2);
  // A refused page (an unknown field) leaves FULL too.
  RemoteOp bad{a->db->device_id(), 999, "household", "h1", "no_such_field", 1, {}, 42};
  CHECK_FALSE(Replica(*b->db).ApplyPulled({bad}, "x.1").ok());
  CHECK(synchronous(*b->db) == 2);
}

}  // namespace
}  // namespace gocua
