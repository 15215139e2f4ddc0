// The sync engine enrolling against a fake hub (fake_hub.h): the token, the first sync, and
// the errors a person sees: no enrollment, a wrong code or address, a revoked token, another
// protocol version.
#include "tests/sync/client/fake_hub.h"

namespace gocua::client {
namespace {

using namespace fake_hub;

TEST_CASE("Client: sync before enrollment says to enroll and sends nothing") {
  ManualClock clock(kTestNowMs);
  FakeHub hub(clock);
  Device d(hub, clock);
  SyncResult r = d.engine->Sync();
  CHECK(r.failure == SyncFailure::kNotEnrolled);
  CHECK(Contains(r.error.message(), "chưa đăng ký"));
  CHECK(Contains(r.error.message(), "enroll"));
  CHECK(hub.seen.empty());
}

// The code as typed: spaces around and inside it (read aloud in groups) are dropped.
TEST_CASE("Client: enrollment saves the token, pushes the outbox and pulls the commune") {
  World w(5);
  const int64_t a_ops = w.a.Pending();
  REQUIRE(a_ops > 0);
  EnrollResult first = w.a.engine->Enroll("  http://hub.test/ ", " AB CD-12\t34 ", "Laptop A");
  REQUIRE_MESSAGE(first.ok(), first.sync.error.message());
  CHECK(first.sync.pushed == a_ops);
  CHECK(first.sync.pending == 0);
  CHECK(w.a.Pending() == 0);
  CHECK(w.hub.Acked(w.a.db->device_id()) == w.a.LastSeq());
  auto state = Replica(*w.a.db).State();
  REQUIRE(state.ok());
  CHECK(state->hub_url == kHubUrl);
  CHECK(state->token == "tok-" + w.a.db->device_id());
  CHECK(state->commune_id == w.hub.commune_id);
  CHECK(state->last_sync_ms == w.clock.NowMs());
  CHECK_FALSE(state->cursor.empty());
  // Pushes carry the token and ask for gzip; enrollment and health need no token.
  for (const FakeHub::Seen& s : w.hub.seen) {
    if (s.path == "/v1/push" || s.path == "/v1/pull") CHECK(s.token == state->token);
    if (s.path == "/v1/push") CHECK(s.gzip);
    if (s.path == "/healthz" || s.path == "/v1/enroll") CHECK(s.token.empty());
  }

  // A second, empty laptop enrolls into the same commune and gets everything.
  Device b(w.hub, w.clock);
  EnrollResult second = b.engine->Enroll(kHubUrl, kCode, "Laptop B");
  REQUIRE_MESSAGE(second.ok(), second.sync.error.message());
  CHECK(second.sync.pushed == 0);
  CHECK(second.sync.pulled == a_ops);
  CHECK(b.HouseholdCount() == 5);
  auto commune = Places(*b.db).LocalCommune();
  REQUIRE(commune.ok());
  CHECK(commune->id == w.hub.commune_id);

  // B edits; A gets the edit on its next sync, and B's own op is not applied twice.
  auto list = Households(*b.db).List({});
  REQUIRE(list.ok());
  Household h = list->front();
  h.phone = "0912345678";
  REQUIRE(Households(*b.db).Update(h).ok());
  SyncResult rb = b.engine->Sync();
  REQUIRE_MESSAGE(rb.ok(), rb.error.message());
  CHECK(rb.pushed >= 1);
  SyncResult ra = w.a.engine->Sync();
  REQUIRE_MESSAGE(ra.ok(), ra.error.message());
  CHECK(ra.pulled == rb.pushed);
  auto got = Households(*w.a.db).Get(h.id);
  REQUIRE(got.ok());
  CHECK(got->phone == "0912345678");
  CHECK(w.hub.duplicates == 0);
}

TEST_CASE("Client: a wrong enrollment code or hub address says what to do") {
  World w(0);
  EnrollResult bad_code = w.a.engine->Enroll(kHubUrl, "WXYZ-0000", "Laptop A");
  CHECK(bad_code.sync.failure == SyncFailure::kUnauthorized);
  CHECK(Contains(bad_code.sync.error.message(), "Nhờ tổ trưởng tạo mã mới"));
  CHECK(bad_code.commune_id.empty());
  CHECK(Replica(*w.a.db).State()->token.empty());

  EnrollResult bad_url = w.a.engine->Enroll("hub.test:8080", kCode, "Laptop A");
  CHECK(bad_url.sync.failure == SyncFailure::kBadInput);
  CHECK(Contains(bad_url.sync.error.message(), "http://"));

  EnrollResult bad_format = w.a.engine->Enroll(kHubUrl, "mã sai!", "Laptop A");
  CHECK(bad_format.sync.failure == SyncFailure::kBadInput);
  EnrollResult no_name = w.a.engine->Enroll(kHubUrl, kCode, "");
  CHECK(no_name.sync.failure == SyncFailure::kBadInput);
  CHECK(w.hub.Count("/v1/enroll") == 1);  // only the well-formed one was sent

  // A device id the hub already knows (enrolled before, or a copy) is not enrolled again.
  w.hub.statuses = {409};
  EnrollResult known = w.a.engine->Enroll(kHubUrl, kCode, "Laptop A");
  CHECK(known.sync.failure == SyncFailure::kDeviceFork);
  CHECK(Contains(known.sync.error.message(), "Báo quản trị viên"));

  // A device holding one commune cannot join another.
  w.hub.commune_id = "0190f000-aaaa-7bbb-8ccc-dddddddddddd";
  EnrollResult other = w.a.engine->Enroll(kHubUrl, kCode, "Laptop A");
  CHECK(other.sync.failure == SyncFailure::kWrongCommune);
  CHECK(Contains(other.sync.error.message(), "--data"));
}

TEST_CASE("Client: a revoked token or another protocol version says what to do") {
  World w(1);
  w.Enroll(w.a, "Laptop A");
  w.hub.tokens.clear();
  SyncResult r = w.a.engine->Sync();
  CHECK(r.failure == SyncFailure::kUnauthorized);
  CHECK(Contains(r.error.message(), "đăng ký lại"));

  w.hub.versions = {3};
  SyncResult v = w.a.engine->Sync();
  CHECK(v.failure == SyncFailure::kProtocolMismatch);
  CHECK(Contains(v.error.message(), "Cập nhật Gõ Cửa"));
  CHECK(Contains(v.error.message(), "máy này: 1, 2; máy chủ: 3"));

  w.hub.versions = {1};
  w.hub.statuses = {404};
  SyncResult nf = w.a.engine->Sync();
  CHECK(nf.failure == SyncFailure::kRejected);
}

}  // namespace
}  // namespace gocua::client
