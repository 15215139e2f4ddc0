#pragma once
// Conflicts for a leader (storage/device/conflicts.h): two members changed the same field offline, or
// one deleted what another edited. Both values side by side with the device and time of each
// and which one holds now; keep one, or write a merged value. The resolution syncs and closes
// the conflict on every laptop.
#include <string>
#include <vector>

#include "app/ui/screens/screen.h"
#include "storage/device/conflicts.h"

namespace gocua::app {

class ConflictsScreen {
 public:
  void Draw(AppModel& m);

 private:
  void Reload(AppModel& m);
  void DrawDetail(AppModel& m, const ConflictView& c);
  void Done(AppModel& m, const Status& st);

  Freshness fresh_;
  std::vector<ConflictView> open_;
  int64_t total_ = 0;
  std::string selected_;
  std::string merged_;  // the merged value as typed
  std::string error_;
};

// A field value as a person reads it: text as is, numbers as numbers, lists joined.
std::string ShowValue(const nlohmann::json& v);

}  // namespace gocua::app
