#pragma once
// Latency samples taken with std::chrono::steady_clock, and their percentiles.
#include <chrono>
#include <cstddef>
#include <vector>

namespace gocua::bench {

using BenchClock = std::chrono::steady_clock;

double ToMs(BenchClock::duration d);
double ToSeconds(BenchClock::duration d);

// Durations of repeated runs of one operation. Not thread-safe.
class Samples {
 public:
  void Add(BenchClock::duration d) { ms_.push_back(ToMs(d)); }
  void Append(const Samples& other);
  size_t size() const { return ms_.size(); }
  // Nearest-rank percentile in milliseconds (p in 0..100); 0 when there are no samples.
  double PercentileMs(double p) const;
  double MedianMs() const { return PercentileMs(50); }
  double MaxMs() const { return PercentileMs(100); }
  double MeanMs() const;

 private:
  std::vector<double> ms_;
};

}  // namespace gocua::bench
