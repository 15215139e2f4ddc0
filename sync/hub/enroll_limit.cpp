// EnrollLimit (sync/hub/enroll_limit.h).
#include "sync/hub/enroll_limit.h"

#include <algorithm>
#include <cmath>

namespace gocua::hub {
namespace {

const BucketRule& RuleOf(const std::string& key) {
  return key[0] == 'a' ? EnrollLimit::kPerAddress : EnrollLimit::kPerCommune;
}

}  // namespace

EnrollLimit::Bucket& EnrollLimit::Get(const std::string& key, const BucketRule& rule,
                                      int64_t now_ms) {
  auto [it, added] = buckets_.try_emplace(key, Bucket{static_cast<double>(rule.burst), now_ms});
  Bucket& b = it->second;
  if (!added && now_ms > b.at_ms) {
    b.tokens = std::min<double>(rule.burst, b.tokens + static_cast<double>(now_ms - b.at_ms) /
                                                           static_cast<double>(rule.refill_ms));
    b.at_ms = now_ms;
  }
  return b;
}

int64_t EnrollLimit::Take(const std::string& key, const BucketRule& rule, int64_t now_ms) {
  Bucket& b = Get(key, rule, now_ms);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return std::max<int64_t>(1, std::llround((1 - b.tokens) * static_cast<double>(rule.refill_ms)));
}

int64_t EnrollLimit::AddressWait(const std::string& address, int64_t now_ms) {
  Bucket& b = Get("a" + address, kPerAddress, now_ms);
  if (b.tokens >= 1) return 0;
  return std::max<int64_t>(
      1, std::llround((1 - b.tokens) * static_cast<double>(kPerAddress.refill_ms)));
}

int64_t EnrollLimit::Refused(const std::string& address, const std::string& commune,
                             int64_t now_ms) {
  Trim(now_ms);
  int64_t wait = Take("a" + address, kPerAddress, now_ms);
  if (!commune.empty()) wait = std::max(wait, Take("c" + commune, kPerCommune, now_ms));
  return wait;
}

void EnrollLimit::Trim(int64_t now_ms) {
  if (buckets_.size() < kMaxKeys) return;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const BucketRule& rule = RuleOf(it->first);
    const bool full =
        it->second.tokens + static_cast<double>(now_ms - it->second.at_ms) /
                                static_cast<double>(rule.refill_ms) >=
        rule.burst;
    it = full ? buckets_.erase(it) : std::next(it);
  }
  while (buckets_.size() >= kMaxKeys) {  // all still limited: the oldest goes
    auto oldest = std::min_element(buckets_.begin(), buckets_.end(), [](auto& a, auto& b) {
      return a.second.at_ms < b.second.at_ms;
    });
    buckets_.erase(oldest);
  }
}

}  // namespace gocua::hub
