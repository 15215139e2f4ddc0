#pragma once
// Rate limits on refused enrollment attempts (docs/security.md, "Enrollment"): a code is 8
// letters of 32 (40 bits), so guessing must stay slow. Refusals are counted per client address
// and per commune (a used or expired code names its commune), each a token bucket: `burst`
// refusals at once, then one more every `refill_ms`. While an address's bucket is empty every
// enrollment from it is answered 429 before the code is looked at; while a commune's is empty,
// refusals of its codes are answered 429. Successful enrollments cost nothing: a leader
// enrolling a room of laptops is never slowed.
//
// Threading: not thread-safe; the API calls it under its mutex. Memory: at most kMaxKeys
// buckets (full ones are forgotten first, then the oldest).
#include <cstdint>
#include <map>
#include <string>

namespace gocua::hub {

struct BucketRule {
  int burst;
  int64_t refill_ms;
};

class EnrollLimit {
 public:
  static constexpr BucketRule kPerAddress{10, 6000};  // 10 at once, then 10 a minute
  static constexpr BucketRule kPerCommune{5, 12000};  // 5 at once, then 5 a minute
  static constexpr size_t kMaxKeys = 10000;

  // Milliseconds until `address` may try again, 0 = now.
  int64_t AddressWait(const std::string& address, int64_t now_ms);
  // Counts a refused attempt from `address` for a code of `commune` ("" = an unknown code).
  // Returns the milliseconds to wait when a bucket was already empty (answer 429), else 0.
  int64_t Refused(const std::string& address, const std::string& commune, int64_t now_ms);

 private:
  struct Bucket {
    double tokens;
    int64_t at_ms;  // when `tokens` was computed
  };
  // The bucket of `key` refilled to `now_ms`.
  Bucket& Get(const std::string& key, const BucketRule& rule, int64_t now_ms);
  // Takes one token; the wait in ms when there was none (nothing taken), else 0.
  int64_t Take(const std::string& key, const BucketRule& rule, int64_t now_ms);
  void Trim(int64_t now_ms);

  std::map<std::string, Bucket> buckets_;
};

}  // namespace gocua::hub
