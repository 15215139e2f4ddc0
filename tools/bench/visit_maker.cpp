#include "tools/bench/visit_maker.h"

#include "storage/device/topics.h"

namespace gocua::bench {
namespace {

constexpr int64_t kDayMs = 86400000;

}  // namespace

VisitMaker::VisitMaker(std::vector<std::string> members, const Clock& clock, FakeData& fake)
    : members_(std::move(members)), now_ms_(clock.NowMs()), fake_(fake) {
  for (const Topic& t : BuiltinTopics())
    if (!t.skill.empty()) topics_.push_back(t.id);
}

Visit VisitMaker::Make(const GuidedHousehold& h, size_t i) {
  Visit v;
  v.household_id = h.id;
  const int64_t visited_ms = now_ms_ - static_cast<int64_t>(i % 300) * kDayMs;
  v.visited_on = LocalDate(visited_ms);
  v.minutes = fake_.Uniform(10, 90);
  v.members = members_;
  v.persons = {h.person_ids[0], h.person_ids[1]};
  const size_t a = i % topics_.size(), b = (i + 1 + i / topics_.size()) % topics_.size();
  const char* results[] = {"guided", "done", "needs_followup"};
  v.topics[topics_[a]] = results[fake_.Uniform(0, 2)];
  v.topics[topics_[b == a ? (a + 1) % topics_.size() : b]] = results[fake_.Uniform(0, 2)];
  v.notes = fake_.VisitNote();
  for (const auto& [topic, result] : v.topics)
    if (result == std::string("needs_followup")) v.followup_on = LocalDate(visited_ms + 7 * kDayMs);
  return v;
}

}  // namespace gocua::bench
