#include "sync/protocol/validate.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/json_text.h"
#include "sync/protocol/errors.h"
#include "sync/protocol/json_reader.h"

namespace gocua::protocol {
namespace {

using nlohmann::json;

constexpr bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
constexpr bool IsAlnum(char c) { return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }
constexpr bool IsNameChar(char c) { return IsLowerAlnum(c) || c == '_'; }
constexpr bool IsRecordIdChar(char c) { return IsNameChar(c) || c == '-'; }
constexpr bool IsCursorChar(char c) { return IsAlnum(c) || c == '.' || c == '_' || c == '-'; }
constexpr bool IsCodeChar(char c) { return IsAlnum(c) || c == '-'; }
constexpr bool IsTokenChar(char c) {
  return IsAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' ||
         c == '=';
}
constexpr bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// The classes above as one bit each in a table by byte: a check is one load and a test per
// character (ids are checked several times per op on both ends of a pull).
enum CharClass : uint8_t {
  kNameChar = 1,
  kRecordIdChar = 2,
  kCursorChar = 4,
  kCodeChar = 8,
  kTokenChar = 16,
  kLowerHex = 32,
};

struct CharTable {
  uint8_t bits[256] = {};
  constexpr CharTable() {
    for (int i = 0; i < 256; ++i) {
      const char c = static_cast<char>(i);
      bits[i] = static_cast<uint8_t>(
          (IsNameChar(c) ? kNameChar : 0) | (IsRecordIdChar(c) ? kRecordIdChar : 0) |
          (IsCursorChar(c) ? kCursorChar : 0) | (IsCodeChar(c) ? kCodeChar : 0) |
          (IsTokenChar(c) ? kTokenChar : 0) | (IsLowerHex(c) ? kLowerHex : 0));
    }
  }
};
constexpr CharTable kChars;

bool Is(char c, CharClass cls) { return (kChars.bits[static_cast<unsigned char>(c)] & cls) != 0; }

bool AllOf(std::string_view s, size_t min_len, size_t max_len, CharClass cls) {
  if (s.size() < min_len || s.size() > max_len) return false;
  for (char c : s)
    if (!Is(c, cls)) return false;
  return true;
}

std::string At(std::string_view path, std::string_view key) {
  std::string p(path);
  if (!p.empty()) p += '.';
  p += key;
  return p;
}

Status Bad(std::string_view path, std::string_view text) {
  return ProtocolError(kErrBadRequest, std::string(path) + ": " + std::string(text));
}

Status CheckDeviceId(std::string_view path, std::string_view s) {
  if (IsDeviceId(s)) return Status::Ok();
  return Bad(path, "must be a lower-case UUID (8-4-4-4-12 hex digits), got " + Quote(s));
}

Status CheckAtLeast(std::string_view path, int64_t v, int64_t min) {
  if (v >= min) return Status::Ok();
  return Bad(path, "must be at least " + std::to_string(min) + ", got " + std::to_string(v));
}

Status CheckTime(std::string_view path, int64_t unix_ms) { return CheckAtLeast(path, unix_ms, 1); }

// A device's name as people see it: 1–200 bytes of UTF-8 without control characters.
Status CheckDeviceName(std::string_view path, const std::string& name) {
  if (name.empty()) return Bad(path, "must not be empty");
  if (name.size() > kMaxDeviceNameBytes)
    return Bad(path, "is " + std::to_string(name.size()) + " bytes, longer than " +
                         std::to_string(kMaxDeviceNameBytes));
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return Bad(path, "must not contain control characters");
  return Status::Ok();
}

Status CheckName(std::string_view path, std::string_view s) {
  if (IsName(s)) return Status::Ok();
  return Bad(path, "must be 1 to " + std::to_string(kMaxNameLength) +
                       " characters of a-z, 0-9 and _, got " + Quote(s));
}

Status CheckRecordId(std::string_view path, std::string_view s) {
  if (IsRecordId(s)) return Status::Ok();
  return Bad(path, "must be 1 to " + std::to_string(kMaxRecordIdLength) +
                       " characters of a-z, 0-9, _ and -, got " + Quote(s));
}

// Depth of nested arrays/objects in `v`, counting no further than `limit` + 1, so the
// recursion is bounded whatever `v` holds. Sets *finite = false on a NaN or infinity.
int Depth(const json& v, int limit, bool* finite) {
  if (v.is_number_float() && !std::isfinite(v.get<double>())) *finite = false;
  if (!v.is_structured()) return 0;
  if (limit < 0) return 1;
  int deepest = 0;
  for (const json& child : v) deepest = std::max(deepest, Depth(child, limit - 1, finite));
  return deepest + 1;
}

// True if `v` surely passes CheckValue(): one walk for the depth, finiteness and an upper
// bound of its compact JSON text (each string byte at most 6 bytes, as "\u001f"; each number
// at most 32), without encoding it. False says nothing: CheckValue() decides then.
bool ValueSurelyOk(const json& v, int depth, size_t* bytes) {
  switch (v.type()) {
    case json::value_t::null:
    case json::value_t::boolean:
      *bytes += 5;
      return true;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      *bytes += 32;
      return true;
    case json::value_t::number_float:
      *bytes += 32;
      return std::isfinite(v.get<double>());
    case json::value_t::string:
      *bytes += 6 * v.get_ref<const std::string&>().size() + 2;
      return true;
    case json::value_t::array:
      if (depth >= kMaxValueDepth) return false;
      *bytes += 2 + v.size();
      for (const json& child : v)
        if (!ValueSurelyOk(child, depth + 1, bytes) || *bytes > kMaxValueBytes) return false;
      return true;
    case json::value_t::object:
      if (depth >= kMaxValueDepth) return false;
      *bytes += 2 + v.size();
      for (const auto& [key, child] : v.items()) {
        *bytes += 6 * key.size() + 3;
        if (!ValueSurelyOk(child, depth + 1, bytes) || *bytes > kMaxValueBytes) return false;
      }
      return true;
    default:  // binary, discarded
      return false;
  }
}

bool ValueSurelyOk(const json& v) {
  size_t bytes = 0;
  return ValueSurelyOk(v, 0, &bytes) && bytes <= kMaxValueBytes;
}

Status CheckValue(std::string_view path, const json& v) {
  if (v.is_discarded() || v.is_binary()) return Bad(path, "must be a JSON value");
  bool finite = true;
  if (Depth(v, kMaxValueDepth, &finite) > kMaxValueDepth)
    return Bad(path,
               "nests arrays/objects deeper than " + std::to_string(kMaxValueDepth) + " levels");
  if (!finite) return Bad(path, "holds a number that is not finite");
  const size_t bytes = v.dump(-1, ' ', false, json::error_handler_t::replace).size();
  if (bytes > kMaxValueBytes)
    return Bad(path, "is " + std::to_string(bytes) + " bytes as JSON, more than the limit of " +
                         std::to_string(kMaxValueBytes));
  return Status::Ok();
}

Status CheckOpIdentity(std::string_view path, const Op& op) {
  if (Status s = CheckDeviceId(At(path, "origin_device"), op.origin_device); !s) return s;
  return CheckAtLeast(At(path, "seq"), op.seq, 1);
}

// The same for a value given as its compact JSON text (OpView::value_text): true when it is
// short enough, nests no deeper than allowed and holds no number but integers of at most 18
// digits (another number's text could stand for one that is not finite); false says nothing.
bool ValueTextSurelyOk(std::string_view text) {
  if (text.size() > kMaxValueBytes) return false;
  int depth = 0;
  size_t digits = 0;  // of the number being read
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] >= '0' && text[i] <= '9') {
      if (++digits > 18) return false;
      continue;
    }
    digits = 0;
    const char c = text[i];
    if (c == '"') {  // to the closing quote; an escaped character is skipped
      ++i;
      while (i + 8 <= text.size() && json_text::NoEscape8(text.data() + i)) i += 8;
      for (; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxValueDepth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == '.' || c == 'E' || (c == 'e' && i > 0 && text[i - 1] >= '0' &&
                                          text[i - 1] <= '9')) {
      return false;  // a fraction or an exponent
    }
  }
  return true;
}

bool ValueSurelyOk(const Op& op) { return ValueSurelyOk(op.value); }
bool ValueSurelyOk(const OpView& op) {
  return op.value ? ValueSurelyOk(*op.value) : ValueTextSurelyOk(op.value_text);
}

// True if `op` passes CheckOpContentAt() (false: maybe not), without building a path.
// `before` (nullptr: none) is an op that passed it: a text `op` shares with it (a run's record
// type, id and author, one save's field names) is not looked at again. O is Op or OpView.
template <typename O>
bool OpContentSurelyOk(const O& op, const O* before = nullptr) {
  auto same = [before](const auto& mine, auto part) {
    return before && mine == before->*part;
  };
  return (same(op.record_type, &O::record_type) || IsName(op.record_type)) &&
         (same(op.record_id, &O::record_id) || IsRecordId(op.record_id)) && IsName(op.field) &&
         ValueSurelyOk(op) && op.base_hlc >= 0 &&
         (op.base_device.empty() || IsDeviceId(op.base_device)) &&
         (op.base_hlc == 0) == op.base_device.empty() &&
         (op.author.empty() || same(op.author, &O::author) || IsRecordId(op.author)) &&
         op.seen_hlc >= 0 && (op.seen_device.empty() || IsDeviceId(op.seen_device)) &&
         (op.seen_hlc == 0) == op.seen_device.empty() && op.hlc >= 1;
}

// The checks and their messages; paths are built only to report a break. Every caller's fast
// path (OpContentSurelyOk() and the like) must let through only what these let through.
Status CheckOpContentAt(std::string_view path, const Op& op) {
  if (OpContentSurelyOk(op)) return Status::Ok();
  if (Status s = CheckName(At(path, "record_type"), op.record_type); !s) return s;
  if (Status s = CheckRecordId(At(path, "record_id"), op.record_id); !s) return s;
  if (Status s = CheckName(At(path, "field"), op.field); !s) return s;
  if (Status s = CheckValue(At(path, "value"), op.value); !s) return s;
  if (Status s = CheckAtLeast(At(path, "base_hlc"), op.base_hlc, 0); !s) return s;
  if (!op.base_device.empty())
    if (Status s = CheckDeviceId(At(path, "base_device"), op.base_device); !s) return s;
  if ((op.base_hlc == 0) != op.base_device.empty())
    return Bad(At(path, "base_hlc"),
               "must be 0 exactly when base_device is \"\" (a field never "
               "written); got " +
                   std::to_string(op.base_hlc) + " and " + Quote(op.base_device));
  if (!op.author.empty())
    if (Status s = CheckRecordId(At(path, "author"), op.author); !s) return s;
  if (Status s = CheckAtLeast(At(path, "seen_hlc"), op.seen_hlc, 0); !s) return s;
  if (!op.seen_device.empty())
    if (Status s = CheckDeviceId(At(path, "seen_device"), op.seen_device); !s) return s;
  if ((op.seen_hlc == 0) != op.seen_device.empty())
    return Bad(At(path, "seen_hlc"), "must be 0 exactly when seen_device is absent; got " +
                                         std::to_string(op.seen_hlc) + " and " +
                                         Quote(op.seen_device));
  return CheckAtLeast(At(path, "hlc"), op.hlc, 1);
}

std::string Item(std::string_view array, size_t i) {
  return std::string(array) + "[" + std::to_string(i) + "]";
}

Status CheckVersions(std::string_view path, const std::vector<int>& versions) {
  for (size_t i = 0; i < versions.size(); ++i)
    if (Status s = CheckAtLeast(Item(path, i), versions[i], 1); !s) return s;
  return Status::Ok();
}

}  // namespace

bool IsDeviceId(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !Is(s[i], kLowerHex)) return false;
  }
  return true;
}

bool IsRecordId(std::string_view s) { return AllOf(s, 1, kMaxRecordIdLength, kRecordIdChar); }
bool IsName(std::string_view s) { return AllOf(s, 1, kMaxNameLength, kNameChar); }
bool IsCursor(std::string_view s) { return AllOf(s, 1, kMaxCursorLength, kCursorChar); }
bool IsToken(std::string_view s) { return AllOf(s, kMinTokenLength, kMaxTokenLength, kTokenChar); }
bool IsEnrollCode(std::string_view s) {
  return AllOf(s, kMinEnrollCodeLength, kMaxEnrollCodeLength, kCodeChar);
}

Status CheckVersion(int64_t version) { return CheckVersion(version, kSupportedVersions); }

Status CheckVersion(int64_t version, std::span<const int> versions) {
  if (IsSupportedVersion(version) &&
      std::find(versions.begin(), versions.end(), version) != versions.end())
    return Status::Ok();
  std::string spoken;
  for (int v : versions) spoken += (spoken.empty() ? "" : ", ") + std::to_string(v);
  return ProtocolError(kErrProtocolMismatch,
                       "protocol version " + std::to_string(version) +
                           " is not spoken here (supported: " + spoken +
                           "); update the app or the hub so that both speak the same version");
}

Status CheckOpContent(const Op& op) { return CheckOpContentAt("", op); }

Status CheckOpContent(const Op& op, const Op* passed_before) {
  if (OpContentSurelyOk(op, passed_before)) return Status::Ok();
  return CheckOpContentAt("", op);
}

Status CheckOpContent(const OpView& op, const OpView* passed_before) {
  if (OpContentSurelyOk(op, passed_before)) return Status::Ok();
  return CheckOpContentAt("", OpOf(op));
}

Status Validate(const Op& m) {
  if (Status s = CheckOpIdentity("", m); !s) return s;
  return CheckOpContentAt("", m);
}

Status Validate(const PushRequest& m) { return Validate(m, Encode(m).size()); }

Status Validate(const PushRequest& m, size_t json_bytes) {
  if (Status s = CheckVersion(m.protocol); !s) return s;
  if (Status s = CheckDeviceId("device_id", m.device_id); !s) return s;
  if (Status s = CheckDeviceId("batch_id", m.batch_id); !s) return s;
  if (m.ops.size() > static_cast<size_t>(kMaxOpsPerBatch))
    return ProtocolError(kErrTooLarge, "ops: " + std::to_string(m.ops.size()) +
                                           " ops, more than the limit of " +
                                           std::to_string(kMaxOpsPerBatch) + " per push");
  // Per origin_device, its last seq so far: few origins (one but in a relay's push).
  std::vector<std::pair<std::string_view, int64_t>> last_seq;
  size_t current = 0;                    // the entry of the op before
  const std::string* checked = nullptr;  // an origin_device found a device id (mostly the
                                         // op before's)
  for (size_t i = 0; i < m.ops.size(); ++i) {
    const Op& op = m.ops[i];
    if (!checked || op.origin_device != *checked) {
      if (!IsDeviceId(op.origin_device)) return CheckOpIdentity(Item("ops", i), op);
      checked = &op.origin_device;
    }
    if (op.seq < 1) return CheckOpIdentity(Item("ops", i), op);
    if (current >= last_seq.size() || last_seq[current].first != op.origin_device) {
      current = 0;
      while (current < last_seq.size() && last_seq[current].first != op.origin_device) ++current;
      if (current == last_seq.size()) {  // the origin's first op: `current` is its entry
        last_seq.emplace_back(op.origin_device, op.seq);
        continue;
      }
    }
    int64_t& last = last_seq[current].second;
    if (op.seq != last + 1)
      return Bad(At(Item("ops", i), "seq"),
                 std::to_string(op.seq) + " follows " + std::to_string(last) +
                     " from the same origin_device; one origin's seqs in a push must be "
                     "consecutive and increasing");
    last = op.seq;
  }
  const size_t bytes = json_bytes;
  if (bytes > kMaxBatchBytes)
    return ProtocolError(kErrTooLarge, "push is " + std::to_string(bytes) +
                                           " bytes as JSON, more than the limit of " +
                                           std::to_string(kMaxBatchBytes) + "; send fewer ops");
  return Status::Ok();
}

Status Validate(const PushResponse& m) {
  if (m.results.size() > static_cast<size_t>(kMaxOpsPerBatch))
    return ProtocolError(kErrTooLarge, "results: " + std::to_string(m.results.size()) +
                                           " results, more than the limit of " +
                                           std::to_string(kMaxOpsPerBatch));
  for (size_t i = 0; i < m.results.size(); ++i) {
    const OpResult& r = m.results[i];
    if (r.seq >= 1 && (r.outcome != Outcome::kQuarantined || !r.reason.empty()) &&
        r.reason.size() <= kMaxReasonBytes)
      continue;
    const std::string path = Item("results", i);
    if (Status s = CheckAtLeast(At(path, "seq"), r.seq, 1); !s) return s;
    if (r.outcome == Outcome::kQuarantined && r.reason.empty())
      return Bad(At(path, "reason"), "missing; a quarantined op must say why");
    if (r.reason.size() > kMaxReasonBytes)
      return Bad(At(path, "reason"), "longer than " + std::to_string(kMaxReasonBytes) + " bytes");
  }
  if (Status s = CheckAtLeast("acked_seq", m.acked_seq, 0); !s) return s;
  return CheckTime("server_time", m.server_time);
}

Status Validate(const PullRequest& m) {
  if (Status s = CheckVersion(m.protocol); !s) return s;
  if (!m.after.empty() && !IsCursor(m.after))
    return Bad("after", "must be a cursor the hub gave (1 to " + std::to_string(kMaxCursorLength) +
                            " characters of A-Z, a-z, 0-9, '.', '_' and '-'), got " +
                            Quote(m.after));
  if (m.limit < 1 || m.limit > kMaxPullLimit)
    return Bad("limit", "must be 1 to " + std::to_string(kMaxPullLimit) + ", got " +
                            std::to_string(m.limit));
  return Status::Ok();
}

namespace {

// Validate(PullResponse), each op's content checked only when `content`.
Status ValidatePullPage(const PullResponse& m, bool content) {
  if (Status s = CheckPullCount(m.ops.size()); !s) return s;
  int64_t last = 0;
  // The op before when it passed the fast path: what an op shares with it (a run's origin,
  // record and author) was checked there.
  const Op* before = nullptr;
  for (size_t i = 0; i < m.ops.size(); ++i) {
    const PulledOp& p = m.ops[i];
    if (p.server_seq >= 1 && p.server_seq > last &&
        ((before && p.op.origin_device == before->origin_device) ||
         IsDeviceId(p.op.origin_device)) &&
        p.op.seq >= 1 && (!content || OpContentSurelyOk(p.op, before))) {
      last = p.server_seq;
      before = &p.op;
      continue;
    }
    before = nullptr;
    const std::string path = Item("ops", i);
    if (Status s = CheckAtLeast(At(path, "server_seq"), p.server_seq, 1); !s) return s;
    if (p.server_seq <= last)
      return Bad(At(path, "server_seq"), std::to_string(p.server_seq) + " follows " +
                                             std::to_string(last) + "; must increase");
    last = p.server_seq;
    if (Status s = CheckOpIdentity(path, p.op); !s) return s;
    if (!content) continue;
    if (Status s = CheckOpContentAt(path, p.op); !s) return s;
  }
  return CheckPullTail(m, m.ops.size());
}

}  // namespace

Status CheckPullTail(const PullResponse& m, size_t ops) {
  if (!IsCursor(m.next_cursor))
    return Bad("next_cursor", "must be 1 to " + std::to_string(kMaxCursorLength) +
                                  " characters of A-Z, a-z, 0-9, '.', '_' and '-', got " +
                                  Quote(m.next_cursor));
  if (m.has_more && ops == 0)
    return Bad("has_more", "true with an empty page; the client would ask again forever");
  if (m.devices.size() > kMaxDevicesListed)
    return ProtocolError(kErrTooLarge, "devices: " + std::to_string(m.devices.size()) +
                                           " devices, more than the limit of " +
                                           std::to_string(kMaxDevicesListed));
  for (size_t i = 0; i < m.devices.size(); ++i) {
    const std::string path = Item("devices", i);
    const DeviceSeen& d = m.devices[i];
    if (Status s = CheckDeviceId(At(path, "device_id"), d.device_id); !s) return s;
    if (Status s = CheckDeviceName(At(path, "name"), d.name); !s) return s;
    if (Status s = CheckAtLeast(At(path, "last_seen"), d.last_seen, 0); !s) return s;
  }
  return CheckTime("server_time", m.server_time);
}

Status CheckPullCount(size_t ops) {
  if (ops <= static_cast<size_t>(kMaxPullLimit)) return Status::Ok();
  return ProtocolError(kErrTooLarge, "ops: " + std::to_string(ops) +
                                         " ops, more than the limit of " +
                                         std::to_string(kMaxPullLimit) + " per page");
}

Status Validate(const PullResponse& m) { return ValidatePullPage(m, true); }

Status ValidatePullEnvelope(const PullResponse& m) {
  PullEnvelopeCheck check;
  for (const PulledOp& p : m.ops) check.Add(p.server_seq, ViewOf(p.op));
  return check.Finish(m);
}

void PullEnvelopeCheck::Add(int64_t server_seq, const OpView& op) {
  const size_t i = ops_++;
  if (!broken_.ok()) return;
  if (server_seq >= 1 && server_seq > last_ &&
      ((!origin_.empty() && op.origin_device == origin_) || IsDeviceId(op.origin_device)) &&
      op.seq >= 1) {
    last_ = server_seq;
    if (op.origin_device != origin_) origin_ = op.origin_device;
    return;
  }
  const std::string path = Item("ops", i);
  if (Status s = CheckAtLeast(At(path, "server_seq"), server_seq, 1); !s)
    broken_ = s;
  else if (server_seq <= last_)
    broken_ = Bad(At(path, "server_seq"), std::to_string(server_seq) + " follows " +
                                              std::to_string(last_) + "; must increase");
  else if (Status d = CheckDeviceId(At(path, "origin_device"), op.origin_device); !d)
    broken_ = d;
  else
    broken_ = CheckAtLeast(At(path, "seq"), op.seq, 1);
}

Status PullEnvelopeCheck::Finish(const PullResponse& m) const {
  if (Status s = CheckPullCount(ops_); !s) return s;
  if (!broken_.ok()) return broken_;
  return CheckPullTail(m, ops_);
}

Status Validate(const EnrollRequest& m) {
  if (Status s = CheckVersion(m.protocol); !s) return s;
  if (!IsEnrollCode(m.code))
    return Bad("code", "must be the enrollment code a leader gave: " +
                           std::to_string(kMinEnrollCodeLength) + " to " +
                           std::to_string(kMaxEnrollCodeLength) +
                           " letters, digits and '-'; check it and type it again");
  if (Status s = CheckDeviceId("device_id", m.device_id); !s) return s;
  return CheckDeviceName("device_name", m.device_name);
}

Status Validate(const EnrollResponse& m) {
  if (Status s = CheckDeviceId("device_id", m.device_id); !s) return s;
  if (!IsToken(m.token))
    return Bad("token", "must be " + std::to_string(kMinTokenLength) + " to " +
                            std::to_string(kMaxTokenLength) + " characters of A-Z, a-z, 0-9 and " +
                            "-._~+/=, got " + std::to_string(m.token.size()) + " bytes");
  if (Status s = CheckRecordId("commune_id", m.commune_id); !s) return s;
  if (!m.role.empty() && m.role != "member" && m.role != "leader")
    return Bad("role", "must be member or leader, got " + Quote(m.role));
  return CheckTime("server_time", m.server_time);
}

Status Validate(const ErrorBody& m) {
  if (!AllOf(m.code, 1, kMaxErrorCodeLength, kNameChar))
    return Bad("error.code", "must be 1 to " + std::to_string(kMaxErrorCodeLength) +
                                 " characters of a-z, 0-9 and _, got " + Quote(m.code));
  if (m.message.empty()) return Bad("error.message", "must not be empty");
  if (m.message.size() > kMaxMessageBytes)
    return Bad("error.message", "longer than " + std::to_string(kMaxMessageBytes) + " bytes");
  if (m.expected_seq)
    if (Status s = CheckAtLeast("error.expected_seq", *m.expected_seq, 1); !s) return s;
  if (m.origin_device)
    if (Status s = CheckDeviceId("error.origin_device", *m.origin_device); !s) return s;
  return CheckVersions("error.supported_versions", m.supported_versions);
}

Status Validate(const HealthResponse& m) {
  if (m.supported_versions.empty()) return Bad("supported_versions", "must not be empty");
  if (Status s = CheckVersions("supported_versions", m.supported_versions); !s) return s;
  return CheckTime("server_time", m.server_time);
}

Status CheckAnswers(const PushRequest& request, const PushResponse& response) {
  if (response.results.size() != request.ops.size())
    return Bad("results", std::to_string(response.results.size()) + " results for " +
                              std::to_string(request.ops.size()) + " ops pushed");
  int64_t own_last = 0;
  for (size_t i = 0; i < request.ops.size(); ++i) {
    const Op& op = request.ops[i];
    if (response.results[i].seq != op.seq)
      return Bad(At(Item("results", i), "seq"), std::to_string(response.results[i].seq) +
                                                    " answers op seq " + std::to_string(op.seq) +
                                                    "; results must follow the pushed order");
    if (op.origin_device == request.device_id) own_last = std::max(own_last, op.seq);
  }
  if (response.acked_seq < own_last)
    return Bad("acked_seq", std::to_string(response.acked_seq) + " is below seq " +
                                std::to_string(own_last) + ", which this push carried and the " +
                                "hub answered");
  return Status::Ok();
}

}  // namespace gocua::protocol
