#pragma once
// Households: village filter, search as you type (case and diacritics ignored), a list that
// stays smooth at 50,000 rows. The list is paged from storage through ImGuiListClipper: only
// the pages on screen are loaded (kPage rows each), at most kPagesKept are kept (the farthest
// from the view go first), and all are dropped when the data changes.
#include <map>
#include <string>
#include <vector>

#include "app/ui/screens/screen.h"

namespace gocua::app {

class HouseholdsScreen {
 public:
  static constexpr int kPage = 100;
  static constexpr int kSearchLimit = 300;
  static constexpr size_t kPagesKept = 8;  // 800 rows around the view
  void Draw(AppModel& m);

  // For tests and the benchmark: pages loaded since the data last changed.
  size_t pages_loaded() const { return pages_.size(); }

 private:
  void Reload(AppModel& m);
  const Household* Row(AppModel& m, int index);

  Freshness fresh_;
  int last_frame_ = -10;  // ImGui frame this screen was last drawn (entering = a gap)
  std::vector<Village> villages_;
  std::map<std::string, std::string> village_names_;
  int village_index_ = -1;  // -1 = all villages
  std::string query_;
  int64_t count_ = 0;
  std::map<int, std::vector<Household>> pages_;  // list mode: page number → rows
  int view_page_ = 0;                            // the page at the top of the view
  std::vector<Household> found_;                 // search mode
  std::string error_;
};

}  // namespace gocua::app
