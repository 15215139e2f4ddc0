#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "platform/crypto.h"

namespace gocua::hub {

// Codes issued from leaders' laptops (POST /v1/laptops/code), per commune: at most kMaxLive
// live at once (issued, unexpired, not yet enrolled with) and at most kMaxPerHour in any hour,
// so a leader's laptop (or a stolen token) cannot mint codes in a loop. Past either, the hub
// answers 429 `rate_limited` saying when to try again. Codes the hub's admin issues are not
// counted. Kept in memory: a restarted hub starts counting afresh (the live codes still expire).
//
// Threading: not thread-safe; the API calls it under its mutex. Memory: per commune at most
// kMaxPerHour + kMaxLive entries (older, expired and used ones are dropped as it goes).
class LaptopCodeLimit {
 public:
  static constexpr int kMaxLive = 10;
  static constexpr int kMaxPerHour = 30;
  static constexpr int64_t kHourMs = 3600 * 1000;

  // Milliseconds until `commune` may have another code, 0 = now.
  int64_t Wait(const std::string& commune, int64_t now_ms);
  // Counts `code`, issued for `commune` at `now_ms`, unused until `expires_at_ms`.
  void Issued(const std::string& commune, const std::string& code, int64_t now_ms,
              int64_t expires_at_ms);
  // `code` enrolled a laptop: it is no longer live (it still counts in its hour). Codes not
  // issued through here are ignored.
  void Used(const std::string& code);

 private:
  struct Issue {
    Sha256Digest code_hash;  // never the code itself
    int64_t at_ms, expires_at_ms;
    bool used;
  };
  void Prune(std::vector<Issue>& issues, int64_t now_ms);

  std::map<std::string, std::vector<Issue>> by_commune_;
};

}  // namespace gocua::hub
