#pragma once
// Conflicts for a leader: two devices changed one field of one record without seeing each
// other's change (or one deleted a record another edited). The hub keeps the higher-stamped
// value, records the conflict (record type "conflict", made only by the hub, pulled like any
// record; docs/architecture.md) and a leader decides.
//
// Resolving is a local write like any other, so it syncs: in one transaction, as the leader
// (the ops' author, which the hub checks), the chosen value is written to the record's field
// — nothing is written when that value already holds — and the conflict gets status "resolved"
// and its resolution. After the leader's next sync the hub has both; every other device gets
// them on its next pull, and the conflict is closed everywhere.
//
// What a conflict shows: the value the later change started from (the base), both values, the
// member, device and time of each, and which one holds now. The hub fills base and members from
// its log when it makes the conflict (schema v6); a conflict made before that has neither.
//
// Threading: like every storage call, one thread per Database.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "storage/core/database.h"

namespace gocua {

struct ConflictView {
  std::string id, record_type, record_id, field;
  std::string record_label;  // what the leader recognises: "Lượt thăm 2026-03-12 — Lê Thị Hà"
  // a = the value the hub held, b = the one that arrived. For field "deleted" (a delete racing
  // an edit) 1 is the delete and 0 the edit; the hub keeps the record until a leader decides.
  nlohmann::json value_a, value_b;
  // What the author of b started from; absent (null) when not recorded.
  std::optional<nlohmann::json> value_base;
  std::string device_a, device_b;        // the devices that made them
  std::string author_a, author_b;        // the members who made them ("" = not said)
  std::string author_a_name, author_b_name;  // their names on this laptop ("" = unknown)
  int64_t time_a_ms = 0, time_b_ms = 0;  // when (their clocks, corrected by the hub's)
  std::string winner;                    // "a" | "b": the value sync applied meanwhile
  nlohmann::json current;                // the field's value on this laptop now
  std::string status;                    // "open" | "resolved"
  // Set once resolved.
  std::string choice;  // "a" | "b" | "merged"
  nlohmann::json resolved_value;
  std::string resolved_by;  // the leader's member id
  int64_t resolved_at_ms = 0;
};

class Conflicts {
 public:
  explicit Conflicts(Database& db) : db_(db) {}

  // Open conflicts, newest first, paged; and how many there are.
  Result<std::vector<ConflictView>> ListOpen(int limit = 50, int offset = 0);
  Result<int64_t> CountOpen();
  Result<ConflictView> Get(const std::string& id);

  // Keeps one side ("a" or "b") of an open conflict. kInvalidInput for another side or a
  // member who is not a leader; kConflict if the conflict is already resolved; kNotFound.
  Status Keep(const std::string& id, const std::string& leader_id, const std::string& side);
  // Writes `value` (checked like any value of that field) as the merged resolution.
  Status Resolve(const std::string& id, const std::string& leader_id, const nlohmann::json& value);

 private:
  Status Close(const std::string& id, const std::string& leader_id, const std::string& choice,
               const nlohmann::json& value);
  Database& db_;
};

}  // namespace gocua
