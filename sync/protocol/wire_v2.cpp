#include "sync/protocol/wire_v2.h"

// Over 500 lines on purpose: the v2 encoder and decoder of every body stay in one file, each
// message's writer beside its reader, so that a field cannot change on one side only (the text
// fast path is wire_v2_text.cpp; the round-trip tests are tests/sync/protocol/wire_v2_*).

#include <algorithm>
#include <limits>
#include <utility>

#include "base/json_text.h"
#include "sync/protocol/errors.h"
#include "sync/protocol/json_reader.h"
#include "sync/protocol/validate.h"
#include "sync/protocol/wire_v2_text.h"

namespace gocua::protocol {
namespace {

using nlohmann::json;
using wire_v2_internal::Writer;

std::string Item(std::string_view array, size_t i) {
  return std::string(array) + "[" + std::to_string(i) + "]";
}

Status Bad(std::string_view path, std::string_view text) {
  return ProtocolError(kErrBadRequest, std::string(path) + ": " + std::string(text));
}

// ---- Writing ----

// Never throws: text that is not UTF-8 is written with U+FFFD (as messages.h; base/json_text.h).
void AppendString(std::string& out, std::string_view s) { json_text::AppendStringText(out, s); }
void AppendKey(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

int64_t* NextSeqOf(Writer& w, std::string_view origin) {
  for (auto& [o, next] : w.next_seqs)
    if (o == origin) return &next;
  return nullptr;
}

// Whether `op` continues the open run (`server_seq` < 0: not a pull).
bool Continues(const Writer& w, const OpView& op, int64_t server_seq) {
  return w.open && op.origin_device == w.origin && op.record_type == w.type &&
         op.record_id == w.id && op.author == w.author && w.next_seq != 0 && op.seq == w.next_seq &&
         (server_seq < 0 || server_seq == w.next_server_seq);
}

// Appends `op` (with its server_seq in a pull page, else -1) to the runs written so far; the
// text before the first run ends with "[" of "runs".
void WriteOp(Writer& w, const OpView& op, int64_t server_seq) {
  const bool first_op = !Continues(w, op, server_seq);
  if (first_op) {
    if (w.open)
      w.text += "]},";
    else if (w.ops > 0)
      w.text += ',';
    w.text += '{';
    const char* sep = "";
    if (op.origin_device != w.last_origin || w.last_origin.empty()) {
      AppendKey(w.text, "origin");
      AppendString(w.text, op.origin_device);
      sep = ",";
    }
    const int64_t* next = NextSeqOf(w, op.origin_device);
    if (!next || *next != op.seq) {
      w.text += sep;
      AppendKey(w.text, "seq");
      w.text += std::to_string(op.seq);
      sep = ",";
    }
    if (server_seq >= 0 && (w.ops == 0 || server_seq != w.next_server_seq)) {
      w.text += sep;
      AppendKey(w.text, "server_seq");
      w.text += std::to_string(server_seq);
      sep = ",";
    }
    w.text += sep;
    AppendKey(w.text, "type");
    AppendString(w.text, op.record_type);
    w.text += ',';
    AppendKey(w.text, "id");
    AppendString(w.text, op.record_id);
    if (!op.author.empty()) {
      w.text += ',';
      AppendKey(w.text, "author");
      AppendString(w.text, op.author);
    }
    w.text += ',';
    AppendKey(w.text, "hlc");
    w.text += std::to_string(op.hlc);
    w.text += ",\"ops\":[";
    w.open = true;
    w.origin = op.origin_device;
    w.type = op.record_type;
    w.id = op.record_id;
    w.author = op.author;
    w.last_origin = op.origin_device;
  } else {
    w.text += ',';
  }
  w.text += '[';
  AppendString(w.text, op.field);
  w.text += ',';
  if (op.value)
    json_text::AppendValueText(w.text, *op.value);
  else
    w.text += op.value_text;
  // hlc_step is the difference as an unsigned wrap, so every pair of int64 stamps is carried.
  const int64_t step =
      static_cast<int64_t>(static_cast<uint64_t>(op.hlc) - static_cast<uint64_t>(w.last_hlc));
  const bool has_step = !first_op && step != 1;
  if (has_step || op.base_hlc != 0 || !op.base_device.empty() || op.seen_hlc != 0 ||
      !op.seen_device.empty()) {
    w.text += ",{";
    const char* sep = "";
    auto int_key = [&](std::string_view key, int64_t v) {
      w.text += sep;
      AppendKey(w.text, key);
      w.text += std::to_string(v);
      sep = ",";
    };
    auto string_key = [&](std::string_view key, std::string_view v) {
      w.text += sep;
      AppendKey(w.text, key);
      AppendString(w.text, v);
      sep = ",";
    };
    if (has_step) int_key("hlc_step", step);
    if (op.base_hlc != 0) int_key("base_hlc", op.base_hlc);
    if (!op.base_device.empty()) string_key("base_device", op.base_device);
    if (op.seen_hlc != 0) int_key("seen_hlc", op.seen_hlc);
    if (!op.seen_device.empty()) string_key("seen_device", op.seen_device);
    w.text += '}';
  }
  w.text += ']';
  w.last_hlc = op.hlc;
  // A seq or server_seq at the top of int64 ends the run (nothing can follow it in one).
  w.next_seq = op.seq < std::numeric_limits<int64_t>::max() ? op.seq + 1 : 0;
  if (int64_t* next = NextSeqOf(w, op.origin_device))
    *next = w.next_seq;
  else
    w.next_seqs.emplace_back(op.origin_device, w.next_seq);
  if (server_seq >= 0) w.next_server_seq = server_seq + 1;
  ++w.ops;
}

// The closing text of the runs written so far ("" before any).
const char* CloseRuns(const Writer& w) { return w.open ? "]}]" : "]"; }

// ---- Reading ----

// A value taken out of a body the decoder owns, or copied from one it does not.
json Take(json& v) { return std::move(v); }
json Take(const json& v) { return v; }

// Expands the runs of a push or a pull page into ops, checking the v2 rules and naming
// breaks by their v2 path; op n came from runs[where_[n].first].ops[where_[n].second] (for
// the v1 checks' messages). Paths are built only for a message.
class RunReader {
 public:
  // `default_origin`: a push's device_id ("" in a pull: the first run says it).
  RunReader(bool pull, std::string default_origin, size_t max_ops)
      : pull_(pull), last_origin_(std::move(default_origin)), max_ops_(max_ops) {}

  // Reads `runs[i]`, calling emit(Op&&, server_seq) for each of its ops in order (server_seq
  // is 0 but in a pull). `Json` is const json, or json to move the values out of `run`.
  template <typename Json, typename Emit>
  Status Read(Json& run, size_t i, Emit&& emit) {
    auto at = [i](std::string_view rest) { return Item("runs", i) + std::string(rest); };
    JsonReader r(run, "runs", i);
    std::string origin = r.OptionalString("origin").value_or(last_origin_);
    std::optional<int64_t> seq = r.OptionalInt("seq");
    // Pull pages only; a plain value, not an optional (GCC 12 -O2 warns on the optional).
    int64_t server_seq = 0;
    bool server_seq_given = false;
    if (pull_) {
      const std::optional<int64_t> given = r.OptionalInt("server_seq");
      server_seq_given = given.has_value();
      server_seq = given.value_or(0);
    }
    std::string type = r.String("type");
    std::string id = r.String("id");
    std::string author = r.OptionalString("author").value_or("");
    const int64_t hlc = r.Int("hlc");
    const json& listed = r.Array("ops", max_ops_);
    if (!r.ok()) return r.status();
    if (origin.empty()) return Bad(at(".origin"), "missing; the first run of a page says it");
    if (!IsDeviceId(origin))
      return Bad(at(".origin"),
                 "must be a lower-case UUID (8-4-4-4-12 hex digits), got " + Quote(origin));
    if (listed.empty()) return Bad(at(".ops"), "must hold at least one op");
    if (count_ + listed.size() > max_ops_)
      return ProtocolError(kErrTooLarge, at(".ops: ") + std::to_string(count_ + listed.size()) +
                                             " ops so far, more than the limit of " +
                                             std::to_string(max_ops_));
    auto next = std::find_if(next_seq_.begin(), next_seq_.end(),
                             [&](const auto& p) { return p.first == origin; });
    if (!seq) {
      if (next == next_seq_.end())
        return Bad(at(".seq"), "missing; required on the first run of each origin");
      seq = next->second;
    } else if (*seq < 1) {
      return Bad(at(".seq"), "must be at least 1, got " + std::to_string(*seq));
    } else if (!pull_ && next != next_seq_.end() && *seq != next->second) {
      return Bad(at(".seq"), std::to_string(*seq) + " follows " + std::to_string(next->second - 1) +
                                 " from the same origin; one origin's seqs in a push must be "
                                 "consecutive and increasing");
    }
    const int64_t n = static_cast<int64_t>(listed.size());
    if (*seq > std::numeric_limits<int64_t>::max() - n)
      return Bad(at(".seq"), "too large for a run of " + std::to_string(n) + " ops");
    if (pull_) {
      if (!server_seq_given) {
        if (last_server_seq_ == 0)
          return Bad(at(".server_seq"), "missing; required on the first run of a page");
        if (last_server_seq_ == std::numeric_limits<int64_t>::max())
          return Bad(at(".server_seq"), "missing after the largest server_seq");
        server_seq = last_server_seq_ + 1;
      } else if (server_seq < 1) {
        return Bad(at(".server_seq"), "must be at least 1, got " + std::to_string(server_seq));
      } else if (server_seq <= last_server_seq_) {
        return Bad(at(".server_seq"), std::to_string(server_seq) + " follows " +
                                          std::to_string(last_server_seq_) + "; must increase");
      }
      if (server_seq > std::numeric_limits<int64_t>::max() - n)
        return Bad(at(".server_seq"), "too large for a run of " + std::to_string(n) + " ops");
    }
    // The ops of the run, mutable when the values may be moved out.
    Json& entries = EntriesOf(run);
    int64_t op_hlc = hlc;
    for (size_t k = 0; k < entries.size(); ++k) {
      auto op_at = [&](std::string_view rest) { return at(Item(".ops", k)) + std::string(rest); };
      Json& e = entries[k];
      if (!e.is_array() || e.size() < 2 || e.size() > 3)
        return Bad(op_at(""),
                   "must be [field, value] or [field, value, {...}], got " +
                       (e.is_array() ? "an array of " + std::to_string(e.size()) : Describe(e)));
      if (!e[0].is_string()) return Bad(op_at("[0]"), "must be a string, got " + Describe(e[0]));
      Op op;
      op.origin_device = origin;
      op.seq = *seq + static_cast<int64_t>(k);
      op.record_type = type;
      op.record_id = id;
      op.field = e[0].template get_ref<const std::string&>();
      op.value = Take(e[1]);
      op.author = author;
      if (e.size() == 3) {
        JsonReader x(e[2], op_at("[2]"));
        std::optional<int64_t> step = x.OptionalInt("hlc_step");
        op.base_hlc = x.OptionalInt("base_hlc").value_or(0);
        op.base_device = x.OptionalString("base_device").value_or("");
        op.seen_hlc = x.OptionalInt("seen_hlc").value_or(0);
        op.seen_device = x.OptionalString("seen_device").value_or("");
        if (!x.ok()) return x.status();
        if (step && k == 0)
          return Bad(op_at("[2].hlc_step"),
                     "not allowed on a run's first op (its hlc is the "
                     "run's)");
        if (step)
          op_hlc =
              static_cast<int64_t>(static_cast<uint64_t>(op_hlc) + static_cast<uint64_t>(*step));
        else if (k > 0)
          op_hlc = static_cast<int64_t>(static_cast<uint64_t>(op_hlc) + 1);
      } else if (k > 0) {
        op_hlc = static_cast<int64_t>(static_cast<uint64_t>(op_hlc) + 1);
      }
      op.hlc = op_hlc;
      emit(std::move(op), pull_ ? server_seq + static_cast<int64_t>(k) : 0);
      where_.emplace_back(i, k);
    }
    count_ += entries.size();
    last_origin_ = origin;
    if (next == next_seq_.end())
      next_seq_.emplace_back(origin, *seq + n);
    else
      next->second = *seq + n;
    if (pull_) last_server_seq_ = server_seq + n - 1;
    return Status::Ok();
  }

  // A failed v1 check of the expanded message, its "ops[N]" path replaced by op N's v2 path.
  Status Rename(const Status& s) const {
    const std::string text = WireMessage(s);
    if (text.rfind("ops[", 0) == 0) {
      const size_t close = text.find(']');
      size_t n = 0;
      bool number = close != std::string::npos && close > 4;
      for (size_t i = 4; number && i < close; ++i) {
        if (text[i] < '0' || text[i] > '9')
          number = false;
        else
          n = n * 10 + static_cast<size_t>(text[i] - '0');
      }
      if (number && n < where_.size())
        return ProtocolError(WireCode(s), Item("runs", where_[n].first) +
                                              Item(".ops", where_[n].second) +
                                              text.substr(close + 1));
    }
    return s;
  }

 private:
  // The run's "ops", which Read() has checked is an array. REQUIRES: run is an object.
  static const json& EntriesOf(const json& run) { return run.find("ops").value(); }
  static json& EntriesOf(json& run) { return run.find("ops").value(); }

  const bool pull_;
  std::string last_origin_;
  const size_t max_ops_;
  size_t count_ = 0;
  int64_t last_server_seq_ = 0;
  std::vector<std::pair<std::string, int64_t>> next_seq_;
  std::vector<std::pair<size_t, size_t>> where_;
};

// A v2 push reply's result before it is matched to the push.
struct ResultV2 {
  std::string origin;  // "" = the pushing device
  OpResult result;
};

}  // namespace

// ---- Push request ----

PushBodyV2::PushBodyV2(const std::string& device_id, const std::string& batch_id) {
  w_.text = "{\"protocol\":2,\"device_id\":";
  AppendString(w_.text, device_id);
  w_.text += ",\"batch_id\":";
  AppendString(w_.text, batch_id);
  w_.text += ",\"runs\":[";
  w_.last_origin = device_id;
}

size_t PushBodyV2::Add(const Op& op) {
  // Everything but the text is copied for UndoLast(); the text is cut back to its size.
  undo_text_size_ = w_.text.size();
  std::string text = std::move(w_.text);
  undo_ = w_;
  w_.text = std::move(text);
  WriteOp(w_, ViewOf(op), -1);
  return size();
}

void PushBodyV2::UndoLast() {
  std::string text = std::move(w_.text);
  text.resize(undo_text_size_);
  w_ = std::move(undo_);
  w_.text = std::move(text);
}

size_t PushBodyV2::size() const {
  return w_.text.size() + std::string_view(CloseRuns(w_)).size() + 1;
}

std::string PushBodyV2::Finish() const { return w_.text + CloseRuns(w_) + "}"; }

std::string EncodePushRequestV2(const PushRequest& m) {
  PushBodyV2 body(m.device_id, m.batch_id);
  for (const Op& op : m.ops) body.Add(op);
  return body.Finish();
}

namespace {

template <typename Json>
Result<PushRequest> ReadPushRequestV2(Json& j, size_t json_bytes) {
  JsonReader r(j, "");
  PushRequest m;
  m.protocol = static_cast<int>(r.Int("protocol"));
  if (r.ok() && m.protocol != kProtocolV2)
    return Bad("protocol", "must be 2 in a v2 push, got " + std::to_string(m.protocol));
  m.device_id = r.String("device_id");
  m.batch_id = r.String("batch_id");
  const json& runs = r.Array("runs", static_cast<size_t>(kMaxOpsPerBatch));
  if (!r.ok()) return r.status();
  if (!IsDeviceId(m.device_id))
    return Bad("device_id",
               "must be a lower-case UUID (8-4-4-4-12 hex digits), got " + Quote(m.device_id));
  RunReader reader(false, m.device_id, static_cast<size_t>(kMaxOpsPerBatch));
  m.ops.reserve(runs.size());
  auto emit = [&](Op&& op, int64_t) { m.ops.push_back(std::move(op)); };
  Json& runs_in = j.find("runs").value();  // the same array, mutable when Json is
  for (size_t i = 0; i < runs.size(); ++i)
    if (Status s = reader.Read(runs_in[i], i, emit); !s) return s;
  if (Status s = Validate(m, json_bytes); !s) return reader.Rename(s);
  return m;
}

}  // namespace

Result<PushRequest> PushRequestV2FromJson(const json& j, size_t json_bytes) {
  return ReadPushRequestV2(j, json_bytes);
}

Result<PushRequest> PushRequestV2FromJson(json&& j, size_t json_bytes) {
  return ReadPushRequestV2(j, json_bytes);
}

// ---- Push reply ----

std::string EncodePushResponseV2(const PushRequest& answered, const PushResponse& m) {
  json results = json::array();
  for (size_t i = 0; i < m.results.size(); ++i) {
    const OpResult& r = m.results[i];
    if (r.outcome == Outcome::kApplied) continue;
    json j;
    if (i < answered.ops.size() && !answered.ops[i].origin_device.empty() &&
        answered.ops[i].origin_device != answered.device_id)
      j["origin"] = answered.ops[i].origin_device;
    j["seq"] = r.seq;
    j["outcome"] = OutcomeName(r.outcome);
    if (!r.reason.empty()) j["reason"] = r.reason;
    results.push_back(std::move(j));
  }
  json out = {
      {"results", std::move(results)}, {"acked_seq", m.acked_seq}, {"server_time", m.server_time}};
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<PushResponse> DecodePushResponseV2(std::string_view text, const PushRequest& answered) {
  Result<json> parsed = ParseBody(text, kMaxDecompressedBody);
  if (!parsed) return parsed.error();
  JsonReader r(*parsed, "");
  const json& results = r.Array("results", static_cast<size_t>(kMaxOpsPerBatch));
  std::vector<ResultV2> listed;
  for (size_t i = 0; i < results.size() && r.ok(); ++i) {
    const std::string path = Item("results", i);
    JsonReader rr(results[i], path);
    ResultV2 v;
    v.origin = rr.OptionalString("origin").value_or("");
    v.result.seq = rr.Int("seq");
    const std::string outcome = rr.String("outcome");
    v.result.reason = rr.OptionalString("reason").value_or("");
    if (!rr.ok()) return rr.status();
    std::optional<Outcome> o = ParseOutcome(outcome);
    if (!o)
      return Bad(path + ".outcome", "unknown outcome " + Quote(outcome) +
                                        " (expected merged, conflict or quarantined)");
    v.result.outcome = *o;
    listed.push_back(std::move(v));
  }
  PushResponse m;
  m.acked_seq = r.Int("acked_seq");
  m.server_time = r.Int("server_time");
  if (!r.ok()) return r.status();
  {
    // The listed results by the v1 rules (seq, reason, limits), under their own paths.
    PushResponse only_listed{{}, m.acked_seq, m.server_time};
    for (const ResultV2& v : listed) only_listed.results.push_back(v.result);
    if (Status s = Validate(only_listed); !s) return s;
  }
  // Every op of the push in order: the next listed result if it names this op, else applied.
  size_t next = 0;
  m.results.reserve(answered.ops.size());
  for (const Op& op : answered.ops) {
    OpResult res{op.seq, Outcome::kApplied, ""};
    if (next < listed.size()) {
      const ResultV2& v = listed[next];
      const std::string& origin = v.origin.empty() ? answered.device_id : v.origin;
      if (origin == op.origin_device && v.result.seq == op.seq) {
        res = v.result;
        ++next;
      }
    }
    m.results.push_back(std::move(res));
  }
  if (next < listed.size())
    return Bad(Item("results", next),
               "names seq " + std::to_string(listed[next].result.seq) +
                   ", which is not an op of the push after the ones answered before it");
  return m;
}

// ---- Pull page ----

PullBodyV2::PullBodyV2() { w_.text = "{\"runs\":["; }

void PullBodyV2::Add(int64_t server_seq, const OpView& op) { WriteOp(w_, op, server_seq); }

std::string PullBodyV2::Finish(const std::string& next_cursor, bool has_more, int64_t server_time,
                               const std::vector<DeviceSeen>& devices) {
  w_.text += CloseRuns(w_);
  w_.text += ",\"next_cursor\":";
  AppendString(w_.text, next_cursor);
  w_.text += ",\"has_more\":";
  w_.text += has_more ? "true" : "false";
  w_.text += ",\"server_time\":";
  w_.text += std::to_string(server_time);
  if (!devices.empty()) {  // optional, as in v1 (messages.h)
    json listed = json::array();
    for (const DeviceSeen& d : devices)
      listed.push_back({{"device_id", d.device_id}, {"name", d.name}, {"last_seen", d.last_seen}});
    w_.text += ",\"devices\":";
    json_text::AppendValueText(w_.text, listed);
  }
  w_.text += '}';
  return std::move(w_.text);
}

std::string EncodePullResponseV2(const PullResponse& m) {
  PullBodyV2 body;
  for (const PulledOp& p : m.ops) body.Add(p.server_seq, ViewOf(p.op));
  return body.Finish(m.next_cursor, m.has_more, m.server_time, m.devices);
}

namespace {

template <typename Json>
Result<PullResponse> ReadPullResponseV2(Json& j) {
  JsonReader r(j, "");
  PullResponse m;
  const json& runs = r.Array("runs", static_cast<size_t>(kMaxPullLimit));
  m.next_cursor = r.String("next_cursor");
  m.has_more = r.Bool("has_more");
  m.server_time = r.Int("server_time");
  if (!r.ok()) return r.status();
  if (Status s = ReadDevicesSeen(j, &m.devices); !s) return s;  // optional, as in v1
  RunReader reader(true, "", static_cast<size_t>(kMaxPullLimit));
  auto emit = [&](Op&& op, int64_t server_seq) { m.ops.emplace_back(server_seq, std::move(op)); };
  Json& runs_in = j.find("runs").value();  // the same array, mutable when Json is
  for (size_t i = 0; i < runs.size(); ++i)
    if (Status s = reader.Read(runs_in[i], i, emit); !s) return s;
  if (Status s = Validate(m); !s) return reader.Rename(s);
  return m;
}

}  // namespace

Result<PullResponse> PullResponseV2FromJson(const json& j) { return ReadPullResponseV2(j); }

Result<PullResponse> PullResponseV2FromJson(json&& j) { return ReadPullResponseV2(j); }

Result<PullResponse> DecodePullResponseV2(std::string_view text) {
  // A page in the writer's form is read without a tree (wire_v2_text.h); anything else, and
  // every error, through it.
  if (std::optional<PullResponse> read = ReadPullResponseV2Text(text)) return std::move(*read);
  return DecodePullResponseV2Tree(text);
}

Result<PullResponse> DecodePullResponseV2Tree(std::string_view text) {
  Result<json> j = ParseBody(text, kMaxDecompressedBody);
  if (!j) return j.error();
  return PullResponseV2FromJson(std::move(*j));
}

// ---- Versions ----

int ChooseVersion(std::span<const int> ours, std::span<const int> theirs) {
  int best = 0;
  for (int v : ours)
    if (std::find(theirs.begin(), theirs.end(), v) != theirs.end()) best = std::max(best, v);
  return best;
}

}  // namespace gocua::protocol
