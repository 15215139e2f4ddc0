#pragma once
// Visits of the benchmarks' shape (gocua-bench and gocua-sync-bench alike): two members, two
// persons, two topics with a result each, a note half the time, a follow-up when one topic
// needs it. Dates spread over the last 300 days. Not thread-safe (draws from `fake`).
#include <string>
#include <vector>

#include "platform/clock.h"
#include "storage/core/records.h"
#include "tools/bench/fake_data.h"

namespace gocua::bench {

// A household and the persons the visits guide (at least two).
struct GuidedHousehold {
  std::string id;
  std::vector<std::string> person_ids;
};

class VisitMaker {
 public:
  // `members`: the visiting members' ids; `fake` must outlive the maker.
  VisitMaker(std::vector<std::string> members, const Clock& clock, FakeData& fake);
  // The i-th visit, to `h`.
  Visit Make(const GuidedHousehold& h, size_t i);

 private:
  std::vector<std::string> members_;
  std::vector<std::string> topics_;
  int64_t now_ms_;
  FakeData& fake_;
};

}  // namespace gocua::bench
