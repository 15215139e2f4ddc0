#include "tools/bench/timing.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace gocua::bench {

double ToMs(BenchClock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double ToSeconds(BenchClock::duration d) { return std::chrono::duration<double>(d).count(); }

void Samples::Append(const Samples& other) {
  ms_.insert(ms_.end(), other.ms_.begin(), other.ms_.end());
}

double Samples::PercentileMs(double p) const {
  if (ms_.empty()) return 0;
  std::vector<double> sorted = ms_;
  std::sort(sorted.begin(), sorted.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const size_t i = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted[std::min(i, sorted.size() - 1)];
}

double Samples::MeanMs() const {
  if (ms_.empty()) return 0;
  return std::accumulate(ms_.begin(), ms_.end(), 0.0) / static_cast<double>(ms_.size());
}

}  // namespace gocua::bench
