// The binary log's word list (log_words.h).
#include "sync/hub/store/log_words.h"

namespace gocua::hub_internal {

// Never reorder or remove: append.
const std::string_view kLogWords[] = {
    "",
    // Visit statuses and review decisions (records.h).
    "pending", "approved", "returned",
    // Topic results (records.h kTopicResults).
    "guided", "done", "needs_followup", "no_conditions",
    // Skill levels (schema.h; "guided" above).
    "none", "proficient",
    // Sexes (records.h Person).
    "male", "female", "other",
    // The national catalog's topic ids (topic_catalog.cpp; "other" above).
    "vneid", "dvc", "cashless", "health", "ecommerce", "safety", "smartphone", "elearning",
    // Skill codes (schema.h kSkillCodes; "safety" above).
    "public_services", "shopping", "payment", "platforms"};
const size_t kLogWordCount = sizeof(kLogWords) / sizeof(kLogWords[0]);

int LogWordCode(std::string_view word) {
  if (word.size() > 15) return -1;
  for (size_t i = 0; i < kLogWordCount; ++i)
    if (kLogWords[i] == word) return static_cast<int>(i);
  return -1;
}

}  // namespace gocua::hub_internal
