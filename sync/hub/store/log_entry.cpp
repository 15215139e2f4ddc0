#include "sync/hub/store/log_entry.h"

namespace gocua::hub_internal {

const char* OutcomeText(MergeOutcome o) {
  return o == MergeOutcome::kApplied  ? "applied"
         : o == MergeOutcome::kMerged ? "merged"
                                      : "conflict";
}

MergeOutcome OutcomeOf(const std::string& s) {
  return s == "applied"  ? MergeOutcome::kApplied
         : s == "merged" ? MergeOutcome::kMerged
                         : MergeOutcome::kConflict;
}

}  // namespace gocua::hub_internal
