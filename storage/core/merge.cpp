#include "storage/core/merge.h"

namespace gocua {

bool StampAfter(int64_t a_hlc, std::string_view a_device, int64_t b_hlc,
                std::string_view b_device) {
  if (a_hlc != b_hlc) return a_hlc > b_hlc;
  return a_device > b_device;  // the tie-break: the greater device id (byte order) wins
}

bool StampAfter(const Stamp& a, const Stamp& b) {
  return StampAfter(a.hlc, a.device, b.hlc, b.device);
}

MergeDecision DecideMerge(const nlohmann::json& current, const Stamp& current_stamp,
                          const RemoteOp& op) {
  return DecideMerge(current, current_stamp, op, op.value);
}

MergeDecision DecideMerge(const nlohmann::json& current, const Stamp& current_stamp,
                          const RemoteOp& op, const nlohmann::json& value) {
  // The op's stamp, compared in place (no copy of the device id).
  if (op.hlc == current_stamp.hlc && op.origin_device == current_stamp.device)
    return {MergeOutcome::kMerged, false};  // already here
  const bool written = current_stamp.hlc != 0 || !current_stamp.device.empty();
  const bool concurrent = written && op.base != current_stamp && value != current;
  const bool wins = StampAfter(op.hlc, op.origin_device, current_stamp.hlc, current_stamp.device);
  if (concurrent) return {MergeOutcome::kConflict, wins};
  return {wins ? MergeOutcome::kApplied : MergeOutcome::kMerged, wins};
}

namespace {

Stamp StampIn(const nlohmann::json& stamps, const char* field) {
  auto it = stamps.find(field);
  if (it == stamps.end() || !it->is_array() || it->size() != 2 || !(*it)[0].is_number_integer() ||
      !(*it)[1].is_string())
    return {};
  return {(*it)[0].get<int64_t>(), (*it)[1].get<std::string>()};
}

}  // namespace

std::optional<DeleteRace> FindDeleteRace(const nlohmann::json& stamps, int64_t deleted,
                                         const RemoteOp& op) {
  if (!stamps.is_object()) return std::nullopt;
  if (op.field != "deleted") {
    if (deleted == 0) return std::nullopt;
    const Stamp d = StampIn(stamps, "deleted");
    if (d.device.empty() || d.device == op.origin_device) return std::nullopt;
    return DeleteRace{d, op.stamp(), true};
  }
  if (deleted != 0 || op.value != 1) return std::nullopt;
  const Stamp bound = op.seen.device.empty() ? op.stamp() : op.seen;
  std::optional<DeleteRace> race;
  for (const auto& [field, stamp] : stamps.items()) {
    if (field == "deleted" || !stamp.is_array() || stamp.size() != 2 ||
        !stamp[0].is_number_integer() || !stamp[1].is_string())
      continue;
    const Stamp s{stamp[0].get<int64_t>(), stamp[1].get<std::string>()};
    if (s.device == op.origin_device || !StampAfter(s, bound)) continue;
    if (!race || StampAfter(s, race->edit_stamp)) race = DeleteRace{op.stamp(), s, false};
  }
  return race;
}

}  // namespace gocua
