#pragma once
// The merge rule of sync protocol v1 (DESIGN.md, "Merge and conflicts"), and the op type that
// storage applies. One implementation, used by the hub store and by devices applying pulls.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace gocua {

// A field's stamp: the HLC of the change that wrote it and the device that made it.
struct Stamp {
  int64_t hlc = 0;
  std::string device;  // "" with hlc 0: never written
  bool operator==(const Stamp&) const = default;
};

// Last-writer-wins order: the higher HLC, ties broken by the device id. Total and the same on
// every replica, so merging is idempotent and order-independent.
// The one place the order is written (DecideMerge and FindDeleteRace use it): a > b when
// a's HLC is higher, or the HLCs are equal and a's device id is greater (compared as bytes).
bool StampAfter(const Stamp& a, const Stamp& b);
// The same on the parts, for a stamp not held as a Stamp (an op's hlc and origin device).
bool StampAfter(int64_t a_hlc, std::string_view a_device, int64_t b_hlc, std::string_view b_device);

// One change to one field, as it travels (mirrors protocol::Op; storage does not know the wire).
struct RemoteOp {
  std::string origin_device;
  int64_t seq = 0;
  std::string record_type, record_id, field;
  nlohmann::json value;
  Stamp base;          // what the author saw
  int64_t hlc = 0;     // the change's stamp is (hlc, origin_device)
  std::string author;  // the member signed in on the origin device, "" = not said
  // A delete (field "deleted", value 1) only: the highest stamp its device held on the
  // record's other fields when deleting; {0, ""} = not said (then the op's own stamp bounds it).
  Stamp seen;

  Stamp stamp() const { return {hlc, origin_device}; }
  bool operator==(const RemoteOp&) const = default;
};

enum class MergeOutcome {
  kApplied,   // the op's value now holds the field
  kMerged,    // a higher stamp holds the field, or the op was already there
  kConflict,  // concurrent with the current value and different: winner applied, flagged
};

struct MergeDecision {
  MergeOutcome outcome = MergeOutcome::kApplied;
  bool write = false;  // the op's value and stamp replace the field's
};

// Decides `op` against a field holding `current` (value) stamped `current_stamp`.
// Concurrent = the author's base is not the current stamp (they did not see it), the field had
// been written, and the values differ. Same stamp = the op is already here.
MergeDecision DecideMerge(const nlohmann::json& current, const Stamp& current_stamp,
                          const RemoteOp& op);
// The same, with `value` standing for op.value (the op's value as normalised by the caller).
MergeDecision DecideMerge(const nlohmann::json& current, const Stamp& current_stamp,
                          const RemoteOp& op, const nlohmann::json& value);

// "A delete racing an edit is a conflict" (DESIGN.md). Per-field stamps cannot see it, so the
// hub asks this before merging each op. `stamps` is the record's stamp map before the op
// ({"field": [hlc, "device"]}) and `deleted` its tombstone (0/1). A race is:
//  - an edit (any field but "deleted") arriving while the record is deleted by another
//    device: devices never edit a record they hold as deleted (an undelete goes first in the
//    same write, see WriteLocal), so its author had not seen the delete;
//  - a delete (deleted = 1) arriving while another device's edit of the record is stamped
//    after everything the deleter held on it (`op.seen`, or the delete's own stamp when not
//    said: a device's clock is past every stamp it has seen, so nothing is flagged wrongly).
// Same-device pairs never race. The caller decides what happens (the hub keeps the record).
struct DeleteRace {
  Stamp delete_stamp, edit_stamp;
  bool edit_incoming = false;  // true: `op` is the edit, the delete was held; false: reverse
};
std::optional<DeleteRace> FindDeleteRace(const nlohmann::json& stamps, int64_t deleted,
                                         const RemoteOp& op);

}  // namespace gocua
