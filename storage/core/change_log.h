#pragma once
// The change log (outbox) that sync pushes: one entry per changed field, seq dense per device.
// Stored a record run a row (storage/core/outbox_runs.h); read here entry by entry.
#include <nlohmann/json.hpp>
#include <vector>

#include "storage/core/database.h"

namespace gocua {

struct ChangeEntry {
  int64_t seq = 0;
  std::string record_type, record_id, field;
  nlohmann::json value;
  int64_t base_hlc = 0;     // the stamp of the field the member saw when editing
  std::string base_device;  // "" when the field had never been written
  int64_t hlc = 0;          // this edit's stamp; origin device = Database::device_id()
  std::string author;       // the member signed in when it was written, "" = nobody
  // A delete only: the highest stamp the device held on the record's other fields, so the hub
  // can tell which edits the delete had not seen. (0, "") otherwise.
  int64_t seen_hlc = 0;
  std::string seen_device;
};

class ChangeLog {
 public:
  explicit ChangeLog(Database& db) : db_(db) {}

  // Entries not yet acknowledged by the hub.
  Result<int64_t> PendingCount();
  // Up to `limit` unacknowledged entries with seq > after_seq, in seq order.
  Result<std::vector<ChangeEntry>> Pending(int64_t after_seq, int limit);
  // The hub has applied every entry up to `seq`: they leave the log. Idempotent.
  Status Acknowledge(int64_t seq);
  // The highest seq ever handed out on this device (0 if none).
  Result<int64_t> LastSeq();

 private:
  Database& db_;
};

}  // namespace gocua
