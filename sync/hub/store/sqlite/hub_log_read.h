#pragma once
// Internal to the SQLite hub store (hub_pull.cpp): a row of the log read straight into the
// views a pull page is written from (hub_store.h PulledOpView), without a LogEntry per op.
// Rows in the binary form (log_binary.h: a visit's run, the log's bulk) and rows of one op
// are read here: the run's texts are viewed in the row, each value is written as its JSON
// text from its tag (a string or an array of strings), or read into a json value (tags 0 and
// 5, the value column). Any other row, and a row these bytes do not read, goes through
// ExpandLogRow, which gives the same ops or the row's error.
// Not thread-safe: one reader per pull.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "storage/core/sqlite_db.h"
#include "sync/hub/store/hub_store.h"

namespace gocua::hub_internal {

// The select list of hub_runs that LogRowViews reads: kLogColumns' order, the texts of
// origin, base_device, author and seen_device as their hub_ids numbers (reading them through
// the view hub_log joined hub_ids six times a row); commune, outcome, reason and pushed_by,
// which a pull does not serve, as constants.
extern const char kRunColumns[];

class LogRowViews {
 public:
  using Take = std::function<bool(const PulledOpView&)>;
  // Hands the ops of the hub_runs row `q` is on (selected with kRunColumns) to `take` in
  // server order, until it answers false; its ids' texts are read from `d` (and kept for the
  // reader's life). The views are valid during the call only.
  Status Read(Database::Impl& d, Stmt& q, const Take& take);

 private:
  // One op of the row being read: its field, and its value as text_[at, at + len) or as
  // values_[json] (json >= 0).
  struct Op {
    std::string_view field;
    size_t at = 0, len = 0;
    int json = -1;
    size_t value_bytes = 0;
    int64_t hlc = 0;
  };
  // Reads the row into ops_; false when it is not read here (ExpandRunRow reads it).
  bool Decode(Stmt& q, int64_t n, std::string_view rest, std::string_view author);
  // The value whose tag is at op[q] into `o`.
  bool Value(std::string_view op, size_t q, std::string_view author, Op& o);
  nlohmann::json& NextJson(Op& o);
  Result<std::string_view> IdText(Database::Impl& d, int64_t id);

  std::vector<Op> ops_;
  std::string text_;                    // the values read as text
  std::vector<nlohmann::json> values_;  // the values read as json; values_used_ of them
  size_t values_used_ = 0;
  std::string record_id_;                         // a UUID's text from its 16 bytes
  std::unordered_map<int64_t, std::string> ids_;  // hub_ids texts by number
};

}  // namespace gocua::hub_internal
