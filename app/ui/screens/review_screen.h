#pragma once
// The leader's review queue (storage/device/review_queue.h): visits waiting for review, newest
// first, filtered by village, member, topic and dates; open one to see what was recorded and
// the history of decisions, approve it or return it with a comment; tick several and approve
// them at once. A decision is a record that syncs back to the member.
#include <set>
#include <string>
#include <vector>

#include "app/ui/screens/screen.h"
#include "storage/device/review_queue.h"

namespace gocua::app {

class ReviewScreen {
 public:
  static constexpr int kPage = 50;
  void Draw(AppModel& m);

 private:
  void Reload(AppModel& m);
  void DrawFilters(AppModel& m, bool* reload);
  void DrawList(AppModel& m);
  void DrawDetail(AppModel& m);
  void Decide(AppModel& m, const std::vector<std::string>& ids, const std::string& decision);

  Freshness fresh_;
  // Filter choices (index into the lists below; -1 / 0 = any).
  std::vector<Village> villages_;
  std::vector<Member> members_;
  std::vector<Topic> topics_;
  int village_ = 0, member_ = 0, topic_ = 0, status_ = 0;
  std::string from_text_, to_text_, date_error_;
  int page_ = 0;
  ReviewQueuePage queue_;
  std::set<std::string> ticked_;
  // The visit opened.
  std::string open_id_;
  std::vector<ReviewEntry> history_;
  std::vector<Person> persons_;
  std::string comment_;
  std::string error_;
};

}  // namespace gocua::app
