// v2 push bodies and pull pages read from their text without a json tree
// (sync/protocol/wire_v2_text.h). Every "return false" / nullopt below means "not read here":
// the tree decoder then answers.
#include "sync/protocol/wire_v2_text.h"

#include <algorithm>
#include <array>
#include <bit>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "base/json_text.h"
#include "sync/protocol/protocol.h"
#include "sync/protocol/validate.h"
#include "sync/protocol/wire_v2.h"

namespace gocua::protocol {
namespace {

using nlohmann::json;

// Nesting at an op's value: the body, "runs", a run, its "ops", the op.
constexpr int kValueDepth = 5;

// The compact text, token by token.
class Cursor {
 public:
  explicit Cursor(std::string_view t) : t_(t) {}

  bool AtEnd() const { return p_ == t_.size(); }
  bool Peek(char c) const { return p_ < t_.size() && t_[p_] == c; }
  bool Take(char c) {
    if (!Peek(c)) return false;
    ++p_;
    return true;
  }

  // A string without escapes or controls, valid UTF-8: its bytes. Plain ASCII is skipped 8
  // bytes at a time (PlainPrefix8); the byte it stops at is looked at alone.
  bool String(std::string_view* out) {
    if (!Take('"')) return false;
    const size_t start = p_, size = t_.size();
    const char* d = t_.data();
    size_t p = p_;
    for (;;) {
      while (p + 8 <= size) {
        const size_t plain = PlainPrefix8(d + p);
        p += plain;
        if (plain < 8) break;
      }
      if (p >= size) break;
      const unsigned char c = static_cast<unsigned char>(d[p]);
      if (c == '"') {
        *out = t_.substr(start, p - start);
        p_ = p + 1;
        return true;
      }
      if (c < 0x20 || c == '\\') break;
      if (c < 0x80) {
        ++p;
      } else {
        const size_t n = json_text::Utf8SequenceAt(t_, p);
        if (n == 0) break;
        p += n;
      }
    }
    p_ = p;
    return false;
  }
  bool String(std::string* out) {
    std::string_view s;
    if (!String(&s)) return false;
    out->assign(s);
    return true;
  }

  // "key": — the key's bytes.
  bool Key(std::string_view* key) { return String(key) && Take(':'); }

  // -?(0|[1-9][0-9]{0,18}) within int64; the sign kept apart for nlohmann's value types.
  bool Integer(int64_t* out, bool* negative) {
    size_t q = p_;
    *negative = q < t_.size() && t_[q] == '-';
    if (*negative) ++q;
    const size_t first = q;
    uint64_t v = 0;
    while (q < t_.size() && t_[q] >= '0' && t_[q] <= '9' && q - first < 19) {
      v = v * 10 + static_cast<uint64_t>(t_[q] - '0');
      ++q;
    }
    const size_t digits = q - first;
    if (digits == 0 || (t_[first] == '0' && digits > 1)) return false;
    // Not a number's end: a fraction, an exponent, a 20th digit — nlohmann decides.
    if (q < t_.size() &&
        (t_[q] == '.' || t_[q] == 'e' || t_[q] == 'E' || (t_[q] >= '0' && t_[q] <= '9')))
      return false;
    if (*negative && v == 0) return false;  // "-0": nlohmann's own
    const uint64_t max = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    if (v > max) return false;
    *out = *negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
    p_ = q;
    return true;
  }
  bool Int(int64_t* out) {
    bool negative = false;
    return Integer(out, &negative);
  }
  bool Bool(bool* out) {
    if (Word("true")) return *out = true;
    if (Word("false")) return !(*out = false);
    return false;
  }

  // Any JSON value, as json::parse gives it.
  bool Value(json* out) {
    const size_t start = p_;
    if (Compact(out, 0)) return true;
    p_ = start;
    // The rest (escapes, fractions, deep or repeated keys): its extent, then nlohmann.
    size_t end = p_;
    int depth = 0, deepest = 0;
    for (; end < t_.size(); ++end) {
      const char c = t_[end];
      if (c == '"') {
        for (++end; end < t_.size() && t_[end] != '"'; ++end)
          if (t_[end] == '\\') ++end;
        if (end >= t_.size()) return false;
      } else if (c == '[' || c == '{') {
        deepest = std::max(deepest, ++depth);
      } else if (c == ']' || c == '}') {
        if (depth == 0) break;
        --depth;
      } else if (c == ',' && depth == 0) {
        break;
      }
    }
    if (end >= t_.size() || kValueDepth + deepest > kMaxJsonDepth) return false;
    json v = json::parse(t_.substr(p_, end - p_), nullptr, false);
    if (v.is_discarded()) return false;
    *out = std::move(v);
    p_ = end;
    return true;
  }

 private:
  // How many of the 8 bytes at `p` (0 to 8) come before the first one String must look at
  // alone: a quote, a backslash, a control or a byte of 0x80 and up. Exact: a borrow can mark
  // bytes above a marked one, never the lowest (json_text::word).
  static size_t PlainPrefix8(const char* p) {
    namespace w = json_text::word;
    if constexpr (std::endian::native != std::endian::little) {
      return json_text::PlainAscii8(p) ? 8 : 0;
    } else {
      const uint64_t x = w::Load(p);
      const uint64_t marks = (x & w::kHigh) | w::Controls(x) | w::Zeros(x ^ (w::kOnes * '"')) |
                             w::Zeros(x ^ (w::kOnes * '\\'));
      return marks == 0 ? 8 : static_cast<size_t>(std::countr_zero(marks)) / 8;
    }
  }

  // Deeper values are left to nlohmann (and kMaxJsonDepth): kValueDepth + 8 is within it.
  static constexpr int kMaxCompactDepth = 8;

  // A value of plain strings, short integers, literals, and arrays and objects of them with
  // no repeated keys, as json::parse gives it. False, with p_ anywhere, for anything else.
  bool Compact(json* out, int depth) {
    if (Peek('"')) {
      std::string_view s;
      if (!String(&s)) return false;
      *out = std::string(s);
      return true;
    }
    if (Peek('[') || Peek('{')) {
      if (depth >= kMaxCompactDepth) return false;
      const bool object = Peek('{');
      const char close = object ? '}' : ']';
      *out = object ? json::object() : json::array();
      ++p_;
      if (Take(close)) return true;
      do {
        if (object) {
          std::string_view key;
          if (!Key(&key)) return false;
          // One lookup: a repeated key is the tree's (nlohmann keeps the last one).
          auto [at, added] = out->get_ref<json::object_t&>().try_emplace(std::string(key));
          if (!added || !Compact(&at->second, depth + 1)) return false;
        } else {
          json v;
          if (!Compact(&v, depth + 1)) return false;
          out->push_back(std::move(v));
        }
      } while (Take(','));
      return Take(close);
    }
    int64_t v = 0;
    bool negative = false;
    if (Integer(&v, &negative)) {
      *out = negative ? json(v) : json(static_cast<uint64_t>(v));  // as nlohmann types them
      return true;
    }
    if (Word("true")) {
      *out = true;
      return true;
    }
    if (Word("false")) {
      *out = false;
      return true;
    }
    if (Word("null")) {
      *out = nullptr;
      return true;
    }
    return false;
  }

  bool Word(std::string_view w) {
    if (t_.substr(p_, w.size()) != w) return false;
    p_ += w.size();
    return true;
  }

  std::string_view t_;
  size_t p_ = 0;
};

// Reads `{"k":v,...}`, calling field(key) at each value; each key at most once, none unknown
// (field returns false for those).
template <typename Field>
bool Object(Cursor& c, Field&& field) {
  if (!c.Take('{')) return false;
  if (c.Take('}')) return true;
  // No object read here has more than kMaxKeys known keys: more keys repeat one or are
  // unknown, and either is "not read here".
  constexpr size_t kMaxKeys = 12;
  std::array<std::string_view, kMaxKeys> seen;
  size_t n = 0;
  do {
    std::string_view key;
    if (!c.Key(&key) || n == kMaxKeys) return false;
    if (std::find(seen.begin(), seen.begin() + n, key) != seen.begin() + n) return false;
    seen[n++] = key;
    if (!field(key)) return false;
  } while (c.Take(','));
  return c.Take('}');
}

// Reads `[e,...]`, calling item(i) at each element.
template <typename Item>
bool Array(Cursor& c, Item&& item) {
  if (!c.Take('[')) return false;
  if (c.Take(']')) return true;
  size_t i = 0;
  do {
    if (!item(i++)) return false;
  } while (c.Take(','));
  return c.Take(']');
}

// The runs of a push or a pull page and what RunReader (wire_v2.cpp) keeps between them.
struct Runs {
  bool pull = false;
  size_t max_ops = 0;
  std::string last_origin;
  std::vector<std::pair<std::string, int64_t>> next_seq;
  // The ops read: a push's `ops`, or a pull page's `pulled` (read in place: moving each op
  // into the page after was a tenth of a device's decoding).
  std::vector<Op>* ops = nullptr;
  std::vector<PulledOp>* pulled = nullptr;
  size_t size() const { return ops ? ops->size() : pulled->size(); }
  Op& Add() { return ops ? ops->emplace_back() : pulled->emplace_back().op; }
  Op& At(size_t i) { return ops ? (*ops)[i] : (*pulled)[i].op; }
  int64_t last_server_seq = 0;
  std::vector<std::optional<int64_t>> steps;  // ReadRun's, per op of the run: kept for its storage
  // A push read for the hub (ReadPushRunsV2Text): per op, whether it follows the op before in
  // its run; such an op is left without the run's origin, record and author.
  std::vector<bool>* follows = nullptr;
};

// One run, as RunReader::Read expands it; false wherever it would fail.
bool ReadRun(Cursor& c, Runs& runs) {
  std::optional<std::string> origin, type, id, author;
  std::optional<int64_t> seq, hlc, server_seq;
  const size_t first = runs.size();
  bool listed = false;
  // The ops' own parts; the run's fields are filled in once the whole run is read (its keys
  // may come in any order).
  std::vector<std::optional<int64_t>>& steps = runs.steps;
  steps.clear();
  auto read_op = [&](size_t k) {
    if (runs.size() >= runs.max_ops) return false;  // every run's ops
    Op& op = runs.Add();
    std::optional<int64_t>& step = steps.emplace_back();
    if (!c.Take('[') || !c.String(&op.field) || !c.Take(',') || !c.Value(&op.value)) return false;
    if (c.Take(',')) {
      const bool ok = Object(c, [&](std::string_view key) {
        int64_t v = 0;
        if (key == "hlc_step") {
          if (!c.Int(&v) || k == 0) return false;
          step = v;
          return true;
        }
        if (key == "base_hlc") return c.Int(&op.base_hlc);
        if (key == "seen_hlc") return c.Int(&op.seen_hlc);
        if (key == "base_device") return c.String(&op.base_device);
        if (key == "seen_device") return c.String(&op.seen_device);
        return false;
      });
      if (!ok) return false;
    }
    return c.Take(']');
  };
  const bool ok = Object(c, [&](std::string_view key) {
    if (key == "origin") return c.String(&origin.emplace());
    if (key == "seq") return c.Int(&seq.emplace());
    if (key == "type") return c.String(&type.emplace());
    if (key == "id") return c.String(&id.emplace());
    if (key == "author") return c.String(&author.emplace());
    if (key == "hlc") return c.Int(&hlc.emplace());
    if (key == "ops") return listed = Array(c, read_op);
    if (key == "server_seq" && runs.pull) return c.Int(&server_seq.emplace());
    return false;
  });
  if (!ok || !type || !id || !hlc || !listed) return false;
  const std::string& from = origin ? *origin : runs.last_origin;
  const int64_t n = static_cast<int64_t>(runs.size() - first);
  if (n == 0 || from.empty() || !IsDeviceId(from)) return false;
  auto next = std::find_if(runs.next_seq.begin(), runs.next_seq.end(),
                           [&](const auto& p) { return p.first == from; });
  if (!seq) {
    if (next == runs.next_seq.end()) return false;
    seq = next->second;
  } else if (*seq < 1 || (!runs.pull && next != runs.next_seq.end() && *seq != next->second)) {
    return false;
  }
  if (*seq > std::numeric_limits<int64_t>::max() - n) return false;
  if (runs.pull) {
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
    if (!server_seq) {
      if (runs.last_server_seq == 0 || runs.last_server_seq == kMax) return false;
      server_seq = runs.last_server_seq + 1;
    } else if (*server_seq < 1 || *server_seq <= runs.last_server_seq) {
      return false;
    }
    if (*server_seq > kMax - n) return false;
    for (int64_t k = 0; k < n; ++k)
      (*runs.pulled)[first + static_cast<size_t>(k)].server_seq = *server_seq + k;
    runs.last_server_seq = *server_seq + n - 1;
  }
  int64_t op_hlc = *hlc;
  for (int64_t k = 0; k < n; ++k) {
    Op& op = runs.At(first + static_cast<size_t>(k));
    const std::optional<int64_t>& step = steps[static_cast<size_t>(k)];
    if (k > 0)
      op_hlc = static_cast<int64_t>(static_cast<uint64_t>(op_hlc) +
                                    static_cast<uint64_t>(step ? *step : 1));
    op.seq = *seq + k;
    op.hlc = op_hlc;
    if (runs.follows) {  // the run's parts in its first op only, moved there
      runs.follows->push_back(k > 0);
      if (k > 0) continue;
      op.origin_device = from;
      op.record_type = std::move(*type);
      op.record_id = std::move(*id);
      if (author) op.author = std::move(*author);
      continue;
    }
    op.origin_device = from;
    if (k + 1 < n) {
      op.record_type = *type;
      op.record_id = *id;
      if (author) op.author = *author;  // else "", as the Op was made
    } else {                            // the run's last op takes them
      op.record_type = std::move(*type);
      op.record_id = std::move(*id);
      if (author) op.author = std::move(*author);
    }
  }
  if (next == runs.next_seq.end())
    runs.next_seq.emplace_back(from, *seq + n);
  else
    next->second = *seq + n;
  runs.last_origin = from;
  return true;
}

}  // namespace

namespace {

// ReadPushRequestV2Text, and ReadPushRunsV2Text when `follows` is not null.
std::optional<PushRequest> ReadPush(std::string_view text, std::span<const int> spoken,
                                    std::vector<bool>* follows) {
  if (text.size() > kMaxBatchBytes) return std::nullopt;
  Cursor c(text);
  PushRequest m;
  std::optional<int64_t> protocol;
  bool has_device = false, has_batch = false, has_runs = false;
  Runs runs;
  runs.max_ops = static_cast<size_t>(kMaxOpsPerBatch);
  runs.ops = &m.ops;
  runs.follows = follows;
  if (follows) follows->clear();
  // Room for the ops a body of this size likely holds (a writer's op takes 40 bytes or more),
  // so that they are not moved as the vector grows.
  m.ops.reserve(std::min(static_cast<size_t>(kMaxOpsPerBatch), text.size() / 32));
  const bool ok = Object(c, [&](std::string_view key) {
    if (key == "protocol") return c.Int(&protocol.emplace());
    if (key == "device_id") return has_device = c.String(&m.device_id);
    if (key == "batch_id") return has_batch = c.String(&m.batch_id);
    if (key == "runs") {
      // The first run's origin defaults to the device id: the writer puts it before "runs".
      if (!has_device || !IsDeviceId(m.device_id)) return false;
      runs.last_origin = m.device_id;
      size_t count = 0;
      has_runs = Array(c, [&](size_t) {
        return ++count <= static_cast<size_t>(kMaxOpsPerBatch) && ReadRun(c, runs);
      });
      return has_runs;
    }
    return false;
  });
  if (!ok || !c.AtEnd() || !protocol || *protocol != kProtocolV2 || !has_batch || !has_runs)
    return std::nullopt;
  if (!CheckVersion(*protocol, spoken)) return std::nullopt;
  m.protocol = kProtocolV2;
  if (follows) {
    // Validate(m, text.size()) without the ops that follow, whose identity is their run's:
    // ReadRun checked what it checks of the ops (a device id for each run's origin, seqs from
    // 1, consecutive per origin, at most kMaxOpsPerBatch), the size is checked above, the
    // version and the device id by the reading; the batch id is left.
    if (!IsDeviceId(m.batch_id)) return std::nullopt;
    return m;
  }
  if (!Validate(m, text.size())) return std::nullopt;
  return m;
}

}  // namespace

std::optional<PushRequest> ReadPushRequestV2Text(std::string_view text,
                                                 std::span<const int> spoken) {
  return ReadPush(text, spoken, nullptr);
}

std::optional<PushRequest> ReadPushRunsV2Text(std::string_view text, std::span<const int> spoken,
                                              std::vector<bool>* follows) {
  return ReadPush(text, spoken, follows);
}

std::optional<PullResponse> ReadPullResponseV2Text(std::string_view text) {
  if (text.size() > kMaxDecompressedBody) return std::nullopt;
  Cursor c(text);
  PullResponse m;
  m.ops.reserve(std::min(static_cast<size_t>(kMaxPullLimit), text.size() / 32));  // as a push's
  Runs runs;
  runs.pull = true;
  runs.max_ops = static_cast<size_t>(kMaxPullLimit);
  runs.pulled = &m.ops;
  std::optional<int64_t> server_time;
  std::optional<bool> has_more;
  bool has_cursor = false, has_runs = false;
  json devices;  // as the body holds them, read by ReadDevicesSeen
  const bool ok = Object(c, [&](std::string_view key) {
    if (key == "runs") {
      size_t count = 0;
      return has_runs = Array(c, [&](size_t) {
               return ++count <= static_cast<size_t>(kMaxPullLimit) && ReadRun(c, runs);
             });
    }
    if (key == "next_cursor") return has_cursor = c.String(&m.next_cursor);
    if (key == "has_more") return c.Bool(&has_more.emplace());
    if (key == "server_time") return c.Int(&server_time.emplace());
    if (key == "devices") return c.Value(&devices["devices"]);
    return false;
  });
  if (!ok || !c.AtEnd() || !has_runs || !has_cursor || !has_more || !server_time)
    return std::nullopt;
  m.has_more = *has_more;
  m.server_time = *server_time;
  if (!devices.is_null() && !ReadDevicesSeen(devices, &m.devices)) return std::nullopt;
  if (!Validate(m)) return std::nullopt;
  return m;
}

}  // namespace gocua::protocol
