#include "sync/hub/laptops_limit.h"

#include <algorithm>

namespace gocua::hub {
namespace {

// The code as the hub's store compares it (hub_codes): no dashes or spaces, upper case, so a
// code typed "an7d feqg" is the one issued as "AN7D-FEQG".
Sha256Digest CodeHash(const std::string& code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return Sha256(out);
}

}  // namespace

void LaptopCodeLimit::Prune(std::vector<Issue>& issues, int64_t now_ms) {
  // Kept while it counts: in its hour, or live.
  std::erase_if(issues, [&](const Issue& i) {
    const bool in_hour = now_ms - i.at_ms < kHourMs;
    const bool live = !i.used && i.expires_at_ms > now_ms;
    return !in_hour && !live;
  });
}

int64_t LaptopCodeLimit::Wait(const std::string& commune, int64_t now_ms) {
  auto it = by_commune_.find(commune);
  if (it == by_commune_.end()) return 0;
  std::vector<Issue>& issues = it->second;
  Prune(issues, now_ms);
  if (issues.empty()) {
    by_commune_.erase(it);
    return 0;
  }
  int64_t wait = 0;
  std::vector<int64_t> live_ends, hour_ends;
  for (const Issue& i : issues) {
    if (!i.used && i.expires_at_ms > now_ms) live_ends.push_back(i.expires_at_ms);
    if (now_ms - i.at_ms < kHourMs) hour_ends.push_back(i.at_ms + kHourMs);
  }
  // Past a limit, the wait is until enough of the counted ones stop counting.
  auto until = [&](std::vector<int64_t>& ends, size_t limit) {
    if (ends.size() < limit) return;
    std::sort(ends.begin(), ends.end());
    wait = std::max(wait, ends[ends.size() - limit] - now_ms);
  };
  until(live_ends, kMaxLive);
  until(hour_ends, kMaxPerHour);
  return wait;
}

void LaptopCodeLimit::Issued(const std::string& commune, const std::string& code, int64_t now_ms,
                             int64_t expires_at_ms) {
  by_commune_[commune].push_back({CodeHash(code), now_ms, expires_at_ms, false});
}

void LaptopCodeLimit::Used(const std::string& code) {
  if (by_commune_.empty()) return;
  const Sha256Digest h = CodeHash(code);
  for (auto& [commune, issues] : by_commune_)
    for (Issue& i : issues)
      if (i.code_hash == h) i.used = true;
}

}  // namespace gocua::hub
