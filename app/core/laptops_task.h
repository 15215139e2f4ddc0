#pragma once
// The leader's "Máy của xã" screen's calls to the hub (sync/client/laptops_client.h): issue a
// member enrollment code, list the commune's laptops, rename one, revoke one. Each call runs on
// a thread of its own (one at a time) and its answer reaches the UI thread through the
// MainQueue, whose waker wakes the loop: nothing redraws while the hub is asked.
//
// Only a leader's laptop asks (the screen is shown on a laptop the hub enrolled as a leader's,
// to a signed-in leader); the hub checks it anyway and its refusal is said plainly. Every
// failure becomes one sentence for the screen saying what to do next (no network, refused, the
// hub failing, too many codes); the technical detail goes to the app's log.
//
// Threading: UI thread only, but for the call's own thread. The destructor waits for a call in
// flight (bounded by the connect timeout and the transport's low-speed limit); its answer is
// then dropped.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/core/model.h"
#include "sync/protocol/laptops.h"

namespace gocua::app {

// What the screen shows, as of the last answers.
struct LaptopsView {
  enum class Op { kNone, kList, kCode, kRename, kRevoke };
  Op running = Op::kNone;  // the call in flight
  bool listed = false;     // a list has arrived at least once
  std::vector<protocol::LaptopInfo> laptops;
  // The hub's clock minus this laptop's, from the last answer's server_time (for "2 giờ
  // trước" and the code's expiry in this laptop's time).
  int64_t hub_offset_ms = 0;
  std::optional<protocol::LaptopCodeResponse> code;  // the last code issued
  std::string error;     // why the last call failed, for the screen ("" = it did not)
  uint64_t answers = 0;  // calls ended since the screen opened (tests wait on it)
};

class LaptopsTask {
 public:
  explicit LaptopsTask(AppModel& m) : m_(m) {}
  ~LaptopsTask();
  LaptopsTask(const LaptopsTask&) = delete;
  LaptopsTask& operator=(const LaptopsTask&) = delete;

  const LaptopsView& view() const { return view_; }
  bool busy() const { return view_.running != LaptopsView::Op::kNone; }

  // Each starts one call; ignored (false) while another runs. A code asked for lives
  // `ttl_minutes`. Rename and Revoke list the laptops again when they succeed.
  bool List();
  bool IssueCode(int64_t ttl_minutes);
  bool Rename(const std::string& device_id, const std::string& name);
  bool Revoke(const std::string& device_id);
  // Forgets the code shown (a person closed it).
  void ForgetCode() { view_.code.reset(); }

 private:
  struct Answer;
  bool Start(LaptopsView::Op op, std::string device_id, std::string text, int64_t ttl_minutes);
  void Ended(Answer a);  // on the UI thread

  AppModel& m_;
  LaptopsView view_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::thread thread_;
};

}  // namespace gocua::app
