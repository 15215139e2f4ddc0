#pragma once
// The records a commune's devices share (see storage/core/schema.h for the fields as synced).
// Plain values; ids are UUIDv7 strings made on the device that created the record, except
// topics, whose id is their catalog code.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gocua {

struct Province {
  std::string id, name;
};

struct Commune {
  std::string id, province_id, name;
};

struct Village {
  std::string id, commune_id, name;
};

enum class Role { kMember, kLeader };
const char* RoleName(Role r);  // "member" | "leader"

struct Member {
  std::string id, commune_id, name;
  Role role = Role::kMember;
  std::string pin_hash;  // PBKDF2; see members.h
};

struct Topic {
  std::string id;  // catalog code, e.g. "vneid"
  std::string name_vi, name_en;
  std::string skill;  // one of kSkillCodes, or "" for "other"
  int sort = 0;
};

struct Household {
  std::string id, village_id;
  std::string address;    // house number / lane
  std::string head_name;  // chủ hộ
  std::string phone;      // digits, optionally a leading +
  int members_count = 0;
  int working_age_count = 0;
  int smartphones = 0;
  bool home_internet = false;
};

struct Person {
  std::string id, household_id, name;
  int birth_year = 0;
  std::string sex;  // "male" | "female" | "other"
  // Five-skills profile: skill code → "none" | "guided" | "proficient".
  std::map<std::string, std::string> skills;
};

// Results of guidance on one topic.
inline constexpr const char* kTopicResults[] = {"guided", "done", "needs_followup",
                                                "no_conditions"};

// Review state of a visit.
inline constexpr const char* kStatusPending = "pending";
inline constexpr const char* kStatusApproved = "approved";
inline constexpr const char* kStatusReturned = "returned";

struct Visit {
  std::string id, household_id;
  std::string visited_on;  // YYYY-MM-DD
  int minutes = 0;
  std::vector<std::string> members;           // who visited; the first is who recorded it
  std::vector<std::string> persons;           // persons guided
  std::map<std::string, std::string> topics;  // topic id → result (kTopicResults)
  std::string notes;
  std::string followup_on;              // YYYY-MM-DD or ""
  std::string status = kStatusPending;  // pending | approved | returned
  std::string created_by;
};

struct Review {
  std::string id, visit_id;
  std::string decision;  // "approved" | "returned"
  std::string comment;   // required when returned
  std::string leader_id;
  int64_t decided_at = 0;  // Unix ms
};

}  // namespace gocua
