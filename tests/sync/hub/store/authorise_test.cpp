// Unauthorised (sync/hub/store/authorise.h) as a pure function: one row per rule, each with the
// facts a store would give and the answer expected ("" = may be applied, else a piece of the
// reason). No store: the facts are the table's.
#include "sync/hub/store/authorise.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace gocua::hub_internal {
namespace {

const MemberFact kLeader{true, "c1", "leader"};
const MemberFact kMember{true, "c1", "member"};
const MemberFact kOtherLeader{true, "c2", "leader"};
const MemberFact kDeletedLeader{false, "c1", "leader"};

struct Row {
  const char* name;
  const char* type;
  const char* field;
  nlohmann::json value;
  const char* author;  // "" = none named
  ScopeFact record;
  bool has_ref;
  ScopeFact ref;
  const MemberFact* author_fact;
  const MemberFact* reviewer;
  const char* expect;  // "" = allowed; else a part of the reason
};

const ScopeFact kNew{false, ""};
const ScopeFact kOurs{true, "c1"};
const ScopeFact kTheirs{true, "c2"};
const ScopeFact kEveryone{true, ""};

const std::vector<Row>& Rows() {
  static const std::vector<Row> rows = {
      // The hub's own record types.
      {"province",
       "province",
       "name",
       "P",
       "",
       kNew,
       false,
       {},
       nullptr,
       nullptr,
       "only the hub changes province"},
      {"commune",
       "commune",
       "name",
       "C",
       "",
       kOurs,
       false,
       {},
       nullptr,
       nullptr,
       "only the hub changes commune"},
      {"topic",
       "topic",
       "name",
       "T",
       "",
       kEveryone,
       false,
       {},
       nullptr,
       nullptr,
       "only the hub changes topic"},
      // Conflicts: a leader of the commune resolves, nothing else.
      {"conflict resolved by a leader",
       "conflict",
       "status",
       "resolved",
       "L",
       kOurs,
       false,
       {},
       &kLeader,
       nullptr,
       ""},
      {"conflict resolution by a leader",
       "conflict",
       "resolution",
       "kept a",
       "L",
       kOurs,
       false,
       {},
       &kLeader,
       nullptr,
       ""},
      {"conflict other field",
       "conflict",
       "winner",
       "a",
       "L",
       kOurs,
       false,
       {},
       &kLeader,
       nullptr,
       "only the hub changes a conflict"},
      {"conflict reopened",
       "conflict",
       "status",
       "open",
       "L",
       kOurs,
       false,
       {},
       &kLeader,
       nullptr,
       "may only mark a conflict resolved"},
      {"conflict unknown",
       "conflict",
       "status",
       "resolved",
       "L",
       kNew,
       false,
       {},
       &kLeader,
       nullptr,
       "no such conflict"},
      {"conflict of another commune",
       "conflict",
       "status",
       "resolved",
       "L",
       kTheirs,
       false,
       {},
       &kLeader,
       nullptr,
       "belongs to another commune"},
      {"conflict by a member",
       "conflict",
       "status",
       "resolved",
       "M",
       kOurs,
       false,
       {},
       &kMember,
       nullptr,
       "only a leader of the commune may resolve"},
      {"conflict without author",
       "conflict",
       "status",
       "resolved",
       "",
       kOurs,
       false,
       {},
       nullptr,
       nullptr,
       "(author: none)"},
      {"conflict by another commune's leader",
       "conflict",
       "status",
       "resolved",
       "X",
       kOurs,
       false,
       {},
       &kOtherLeader,
       nullptr,
       "only a leader of the commune may resolve"},
      // The record's scope.
      {"new household", "household", "address", "Xóm 1", "", kNew, false, {}, nullptr, nullptr, ""},
      {"our household",
       "household",
       "address",
       "Xóm 1",
       "M",
       kOurs,
       false,
       {},
       &kMember,
       nullptr,
       ""},
      {"their household",
       "household",
       "address",
       "Xóm 1",
       "",
       kTheirs,
       false,
       {},
       nullptr,
       nullptr,
       "the record belongs to another commune"},
      // References.
      {"ref to ours", "household", "village_id", "v1", "", kNew, true, kOurs, nullptr, nullptr, ""},
      {"ref to everyone's", "visit", "household_id", "h1", "", kNew, true, kEveryone, nullptr,
       nullptr, ""},
      {"ref to unknown", "household", "village_id", "v9", "", kNew, true, kNew, nullptr, nullptr,
       "reference to an unknown village"},
      {"ref to theirs", "household", "village_id", "v2", "", kNew, true, kTheirs, nullptr, nullptr,
       "reference to a village of another commune"},
      // Authors.
      {"author not a member",
       "household",
       "address",
       "x",
       "Z",
       kOurs,
       false,
       {},
       &kDeletedLeader,
       nullptr,
       "the author Z is not a member"},
      {"author of another commune",
       "household",
       "address",
       "x",
       "X",
       kOurs,
       false,
       {},
       &kOtherLeader,
       nullptr,
       "is not a member of this commune"},
      // Visits: approving and returning are a leader's.
      {"visit approved by a leader",
       "visit",
       "status",
       "approved",
       "L",
       kOurs,
       false,
       {},
       &kLeader,
       nullptr,
       ""},
      {"visit returned by a member",
       "visit",
       "status",
       "returned",
       "M",
       kOurs,
       false,
       {},
       &kMember,
       nullptr,
       "only a leader of the commune may approve or return"},
      {"visit approved without author",
       "visit",
       "status",
       "approved",
       "",
       kOurs,
       false,
       {},
       nullptr,
       nullptr,
       "(author: none)"},
      {"visit submitted by a member",
       "visit",
       "status",
       "submitted",
       "M",
       kOurs,
       false,
       {},
       &kMember,
       nullptr,
       ""},
      // Reviews: their leader_id names a leader of the commune.
      {"review by a leader",
       "review",
       "decision",
       "approved",
       "L",
       kOurs,
       false,
       {},
       &kLeader,
       &kLeader,
       ""},
      {"review naming a member",
       "review",
       "decision",
       "approved",
       "M",
       kOurs,
       false,
       {},
       &kMember,
       &kMember,
       "a review must come from a leader"},
      {"review naming another commune's leader",
       "review",
       "comment",
       "ok",
       "",
       kOurs,
       false,
       {},
       nullptr,
       &kOtherLeader,
       "a review must come from a leader"},
      {"review naming nobody",
       "review",
       "comment",
       "ok",
       "",
       kOurs,
       false,
       {},
       nullptr,
       nullptr,
       "a review must come from a leader"},
  };
  return rows;
}

TEST_CASE("Unauthorised: each rule answers from the facts alone, row by row") {
  for (const Row& row : Rows()) {
    INFO("row: ", row.name);
    RemoteOp op;
    op.origin_device = "d1";
    op.seq = 1;
    op.record_type = row.type;
    op.record_id = "r1";
    op.field = row.field;
    op.value = row.value;
    op.author = row.author;
    AuthFacts facts;
    facts.device_commune = "c1";
    facts.record = row.record;
    facts.has_ref = row.has_ref;
    facts.ref = row.ref;
    facts.author = row.author_fact;
    facts.reviewer = row.reviewer;
    const std::string why = Unauthorised(op, facts);
    CAPTURE(why);
    if (std::string(row.expect).empty())
      CHECK(why.empty());
    else
      CHECK(why.find(row.expect) != std::string::npos);
  }
}

TEST_CASE("Unauthorised: the same op from a device of another commune is refused") {
  RemoteOp op{"d1", 1, "household", "r1", "address", "Xóm 1", {}, 1, "", {}};
  AuthFacts facts;
  facts.record = kOurs;
  facts.device_commune = "c1";
  CHECK(Unauthorised(op, facts).empty());
  facts.device_commune = "c2";
  CHECK(Unauthorised(op, facts) == "the record belongs to another commune");
}

}  // namespace
}  // namespace gocua::hub_internal
