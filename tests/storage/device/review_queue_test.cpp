#include "storage/device/review_queue.h"

#include <doctest/doctest.h>

#include "tests/support/leader_fixture.h"

namespace gocua {
namespace {

std::vector<std::string> Ids(const ReviewQueuePage& page) {
  std::vector<std::string> out;
  for (const ReviewQueueItem& i : page.items) out.push_back(i.visit.id);
  return out;
}

TEST_CASE("ReviewQueue: pending visits newest first, filtered and paged") {
  test::LeaderFixture f;
  ReviewQueue queue(*f.db);
  auto all = queue.List({});
  REQUIRE_MESSAGE(all.ok(), all.error().message());
  CHECK(Ids(*all) == std::vector<std::string>{f.v["V2"].id, f.v["V3"].id, f.v["V5"].id});
  CHECK(all->total == 3);
  const ReviewQueueItem& v2 = all->items[0];
  CHECK(v2.village_name == "Thôn Đông");
  CHECK(v2.head_name == "Nguyễn Văn An");
  CHECK(v2.member_names == std::vector<std::string>{"Trần Thị Mai", "Phạm Văn Bình"});
  CHECK(v2.decisions == 0);
  CHECK_FALSE(v2.has_last_review);

  CHECK(Ids(*queue.List({.village_id = f.tay.id})) == std::vector<std::string>{f.v["V5"].id});
  CHECK(Ids(*queue.List({.member_id = f.binh.id})) ==
        std::vector<std::string>{f.v["V2"].id, f.v["V3"].id});
  CHECK(Ids(*queue.List({.topic_id = "vneid"})) == std::vector<std::string>{f.v["V2"].id});
  CHECK(Ids(*queue.List({.from = "2026-03-01", .to = "2026-03-31"})) ==
        std::vector<std::string>{f.v["V2"].id, f.v["V3"].id});
  auto second = queue.List({.limit = 1, .offset = 1});
  CHECK(Ids(*second) == std::vector<std::string>{f.v["V3"].id});
  CHECK(second->total == 3);
  CHECK(queue.List({.status = ""})->total == 6);  // every visit not deleted
  CHECK(queue.List({.status = kStatusApproved})->total == 2);

  CHECK(queue.List({.limit = 0}).error().code() == ErrorCode::kInvalidInput);
  CHECK(queue.List({.from = "2026-02-31"}).error().code() == ErrorCode::kInvalidInput);
}

TEST_CASE("ReviewQueue: a member sees returned visits with the comment, a fix resubmits") {
  test::LeaderFixture f(/*return_v4_only=*/true);
  ReviewQueue queue(*f.db);
  auto mine = queue.ReturnedTo(f.member.id);
  REQUIRE(mine.ok());
  REQUIRE(Ids(*mine) == std::vector<std::string>{f.v["V4"].id});
  CHECK(mine->items[0].has_last_review);
  CHECK(mine->items[0].last_review.review.comment == "Ghi sai số phút");
  CHECK(mine->items[0].last_review.leader_name == "Lê Văn Hùng");
  CHECK(Ids(*queue.ReturnedTo(f.binh.id)) == std::vector<std::string>{f.v["V7"].id});

  f.FixAndResubmitV4();  // Visits::Save of a returned visit: back to pending
  CHECK(queue.ReturnedTo(f.member.id)->items.empty());
  auto pending = queue.List({.village_id = f.tay.id});
  REQUIRE(Ids(*pending) == std::vector<std::string>{f.v["V4"].id, f.v["V5"].id});
  CHECK(pending->items[0].decisions == 1);  // it was returned once
  CHECK(pending->items[0].last_review.review.decision == kStatusReturned);

  f.Decide("V4", kStatusApproved, "");
  auto history = queue.History(f.v["V4"].id);
  REQUIRE(history->size() == 2);
  CHECK((*history)[0].review.decision == kStatusReturned);
  CHECK((*history)[0].review.comment == "Ghi sai số phút");
  CHECK((*history)[1].review.decision == kStatusApproved);
  CHECK((*history)[1].leader_name == "Lê Văn Hùng");
  CHECK((*history)[0].review.decided_at < (*history)[1].review.decided_at);
}

TEST_CASE("ReviewQueue: approve several at once, one transaction per visit") {
  test::LeaderFixture f;
  ReviewQueue queue(*f.db);
  CHECK(queue.DecideMany({f.v["V2"].id}, f.member.id, kStatusApproved).error().code() ==
        ErrorCode::kInvalidInput);
  auto none = queue.DecideMany({f.v["V2"].id, f.v["V3"].id}, f.leader.id, kStatusReturned, "");
  REQUIRE(none.ok());
  for (const BatchItemResult& r : *none) CHECK(r.status.code() == ErrorCode::kInvalidInput);
  CHECK(queue.List({})->total == 3);

  const std::string missing = "01a00000-0000-7000-8000-000000000000";
  auto r = queue.DecideMany({f.v["V2"].id, f.v["V7"].id, missing, f.v["V3"].id}, f.leader.id,
                            kStatusApproved);
  REQUIRE(r.ok());
  REQUIRE(r->size() == 4);
  CHECK((*r)[0].status.ok());
  CHECK((*r)[1].status.code() == ErrorCode::kConflict);  // V7 is returned, not pending
  CHECK((*r)[2].status.code() == ErrorCode::kNotFound);
  CHECK((*r)[3].status.ok());  // the failures before it did not stop it
  CHECK(Ids(*queue.List({})) == std::vector<std::string>{f.v["V5"].id});
  CHECK(Visits(*f.db).Get(f.v["V7"].id)->status == kStatusReturned);
  CHECK(queue.History(f.v["V3"].id)->size() == 1);
}

}  // namespace
}  // namespace gocua
