#include "sync/protocol/messages.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>

#include "sync/protocol/errors.h"
#include "sync/protocol/json_reader.h"
#include "sync/protocol/wire_v2_text.h"
#include "sync/protocol/validate.h"
#include "sync/protocol/wire_v2.h"

namespace gocua::protocol {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 4> kOutcomeNames = {"applied", "merged", "conflict",
                                                           "quarantined"};

std::string Dump(const json& j) {
  // `replace` instead of throwing on a string that is not UTF-8 (see messages.h).
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string Item(std::string_view array, size_t i) {
  return std::string(array) + "[" + std::to_string(i) + "]";
}

// The "protocol" field, read first: a message in a version not spoken may have any shape, so
// protocol_mismatch must win over the errors its other fields would give.
int ReadVersion(JsonReader& r, std::span<const int> spoken = kSupportedVersions) {
  const int64_t v = r.Int("protocol");
  if (!r.ok()) return 0;
  if (Status s = CheckVersion(v, spoken); !s) {
    r.Fail(WireCode(s), WireMessage(s));
    return 0;
  }
  return static_cast<int>(v);
}

std::vector<int> ReadVersions(JsonReader& r, const json& array, std::string_view path) {
  std::vector<int> out;
  for (size_t i = 0; i < array.size() && r.ok(); ++i) {
    std::optional<int64_t> v = AsInt64(array[i]);
    if (!v || *v < 1 || *v > std::numeric_limits<int>::max())
      r.Fail(kErrBadRequest,
             Item(path, i) + ": must be a version number, got " + Describe(array[i]));
    else
      out.push_back(static_cast<int>(*v));
  }
  return out;
}

// The fields of an op from `r`, which may also hold others (a pulled op's server_seq).
Op ReadOp(JsonReader& r) {
  Op op;
  op.origin_device = r.String("origin_device");
  op.seq = r.Int("seq");
  op.record_type = r.String("record_type");
  op.record_id = r.String("record_id");
  op.field = r.String("field");
  op.value = r.Any("value");
  op.base_hlc = r.Int("base_hlc");
  op.base_device = r.String("base_device");
  op.hlc = r.Int("hlc");
  op.author = r.OptionalString("author").value_or("");
  op.seen_hlc = r.OptionalInt("seen_hlc").value_or(0);
  op.seen_device = r.OptionalString("seen_device").value_or("");
  return op;
}

// A message that read without error still has to pass Validate().
template <typename T>
Result<T> Checked(const JsonReader& r, T m) {
  if (!r.ok()) return r.status();
  if (Status s = Validate(m); !s) return s;
  return m;
}

template <typename T>
Result<T> DecodeText(std::string_view text, size_t max_bytes, Result<T> (*from_json)(const json&)) {
  Result<json> j = ParseBody(text, max_bytes);
  if (!j) return j.error();
  return from_json(*j);
}

}  // namespace

std::string_view OutcomeName(Outcome o) { return kOutcomeNames[static_cast<size_t>(o)]; }

std::optional<Outcome> ParseOutcome(std::string_view name) {
  for (size_t i = 0; i < kOutcomeNames.size(); ++i)
    if (kOutcomeNames[i] == name) return static_cast<Outcome>(i);
  return std::nullopt;
}

// ---- Encoding ----

json ToJson(const Op& m) {
  json j = {{"origin_device", m.origin_device},
            {"seq", m.seq},
            {"record_type", m.record_type},
            {"record_id", m.record_id},
            {"field", m.field},
            {"value", m.value},
            {"base_hlc", m.base_hlc},
            {"base_device", m.base_device},
            {"hlc", m.hlc}};
  // Optional fields are left out when empty: older receivers never see them.
  if (!m.author.empty()) j["author"] = m.author;
  if (m.seen_hlc != 0 || !m.seen_device.empty()) {
    j["seen_hlc"] = m.seen_hlc;
    j["seen_device"] = m.seen_device;
  }
  return j;
}

json ToJson(const PushRequest& m) {
  if (m.protocol == kProtocolV2) return json::parse(EncodePushRequestV2(m), nullptr, false);
  json ops = json::array();
  for (const Op& op : m.ops) ops.push_back(ToJson(op));
  return {{"protocol", m.protocol},
          {"device_id", m.device_id},
          {"batch_id", m.batch_id},
          {"ops", std::move(ops)}};
}

json ToJson(const PushResponse& m) {
  json results = json::array();
  for (const OpResult& r : m.results) {
    json j = {{"seq", r.seq}, {"outcome", OutcomeName(r.outcome)}};
    if (!r.reason.empty()) j["reason"] = r.reason;
    results.push_back(std::move(j));
  }
  return {
      {"results", std::move(results)}, {"acked_seq", m.acked_seq}, {"server_time", m.server_time}};
}

json ToJson(const PullResponse& m) {
  json ops = json::array();
  for (const PulledOp& p : m.ops) {
    json j = ToJson(p.op);
    j["server_seq"] = p.server_seq;
    ops.push_back(std::move(j));
  }
  json out = {{"ops", std::move(ops)},
              {"next_cursor", m.next_cursor},
              {"has_more", m.has_more},
              {"server_time", m.server_time}};
  if (!m.devices.empty()) {
    json devices = json::array();
    for (const DeviceSeen& d : m.devices)
      devices.push_back({{"device_id", d.device_id}, {"name", d.name}, {"last_seen", d.last_seen}});
    out["devices"] = std::move(devices);
  }
  return out;
}

json ToJson(const EnrollRequest& m) {
  return {{"protocol", m.protocol},
          {"code", m.code},
          {"device_id", m.device_id},
          {"device_name", m.device_name}};
}

json ToJson(const EnrollResponse& m) {
  json j = {{"device_id", m.device_id},
            {"token", m.token},
            {"commune_id", m.commune_id},
            {"server_time", m.server_time}};
  if (!m.role.empty()) j["role"] = m.role;
  return j;
}

json ToJson(const ErrorBody& m) {
  json e = {{"code", m.code}, {"message", m.message}};
  if (m.expected_seq) e["expected_seq"] = *m.expected_seq;
  if (m.origin_device) e["origin_device"] = *m.origin_device;
  if (!m.supported_versions.empty()) e["supported_versions"] = m.supported_versions;
  return {{"error", std::move(e)}};
}

json ToJson(const HealthResponse& m) {
  return {{"supported_versions", m.supported_versions}, {"server_time", m.server_time}};
}

std::string Encode(const Op& m) { return Dump(ToJson(m)); }
std::string Encode(const PushRequest& m) {
  return m.protocol == kProtocolV2 ? EncodePushRequestV2(m) : Dump(ToJson(m));
}
std::string Encode(const PushResponse& m) { return Dump(ToJson(m)); }
std::string Encode(const PullResponse& m) { return Dump(ToJson(m)); }
std::string Encode(const EnrollRequest& m) { return Dump(ToJson(m)); }
std::string Encode(const EnrollResponse& m) { return Dump(ToJson(m)); }
std::string Encode(const ErrorBody& m) { return Dump(ToJson(m)); }
std::string Encode(const HealthResponse& m) { return Dump(ToJson(m)); }

// ---- Decoding ----

Result<Op> OpFromJson(const json& j) {
  JsonReader r(j, "");
  Op op = ReadOp(r);
  return Checked(r, std::move(op));
}

// Reads a push; `json_bytes` is the size of its text if known (else it is encoded to measure).
static Result<PushRequest> ReadPushRequest(const json& j, std::optional<size_t> json_bytes,
                                           std::span<const int> spoken = kSupportedVersions) {
  JsonReader r(j, "");
  PushRequest m;
  m.protocol = ReadVersion(r, spoken);
  if (r.ok() && m.protocol == kProtocolV2)
    return PushRequestV2FromJson(j, json_bytes ? *json_bytes : Dump(j).size());
  m.device_id = r.String("device_id");
  m.batch_id = r.String("batch_id");
  const json& ops = r.Array("ops", static_cast<size_t>(kMaxOpsPerBatch));
  for (size_t i = 0; i < ops.size() && r.ok(); ++i) {
    JsonReader op_reader(ops[i], "ops", i);
    m.ops.push_back(ReadOp(op_reader));
    if (!op_reader.ok()) return op_reader.status();
  }
  if (!r.ok()) return r.status();
  if (Status s = json_bytes ? Validate(m, *json_bytes) : Validate(m); !s) return s;
  return m;
}

Result<PushRequest> PushRequestFromJson(const json& j) { return ReadPushRequest(j, {}); }

Result<PushResponse> PushResponseFromJson(const json& j) {
  JsonReader r(j, "");
  PushResponse m;
  const json& results = r.Array("results", static_cast<size_t>(kMaxOpsPerBatch));
  for (size_t i = 0; i < results.size() && r.ok(); ++i) {
    JsonReader rr(results[i], "results", i);
    OpResult res;
    res.seq = rr.Int("seq");
    const std::string outcome = rr.String("outcome");
    res.reason = rr.OptionalString("reason").value_or("");
    if (!rr.ok()) return rr.status();
    std::optional<Outcome> o = ParseOutcome(outcome);
    if (!o) {
      return ProtocolError(kErrBadRequest, rr.Path("outcome") + ": unknown outcome " +
                                               Quote(outcome) +
                                               " (expected applied, merged, conflict or "
                                               "quarantined)");
    }
    res.outcome = *o;
    m.results.push_back(std::move(res));
  }
  m.acked_seq = r.Int("acked_seq");
  m.server_time = r.Int("server_time");
  return Checked(r, std::move(m));
}

Result<PullResponse> PullResponseFromJson(const json& j) {
  JsonReader r(j, "");
  PullResponse m;
  const json& ops = r.Array("ops", static_cast<size_t>(kMaxPullLimit));
  for (size_t i = 0; i < ops.size() && r.ok(); ++i) {
    JsonReader op_reader(ops[i], "ops", i);
    PulledOp p;
    p.server_seq = op_reader.Int("server_seq");
    p.op = ReadOp(op_reader);
    if (!op_reader.ok()) return op_reader.status();
    m.ops.push_back(std::move(p));
  }
  m.next_cursor = r.String("next_cursor");
  m.has_more = r.Bool("has_more");
  m.server_time = r.Int("server_time");
  if (!r.ok()) return r.status();
  if (Status s = ReadDevicesSeen(j, &m.devices); !s) return s;
  return Checked(r, std::move(m));
}

Status ReadDevicesSeen(const json& j, std::vector<DeviceSeen>* out) {
  if (!j.is_object() || !j.contains("devices") || j["devices"].is_null()) return Status::Ok();
  JsonReader r(j, "");
  const json& devices = r.Array("devices", kMaxDevicesListed);
  for (size_t i = 0; i < devices.size() && r.ok(); ++i) {
    JsonReader d(devices[i], "devices", i);
    DeviceSeen seen{d.String("device_id"), d.String("name"), d.Int("last_seen")};
    if (!d.ok()) return d.status();
    out->push_back(std::move(seen));
  }
  return r.status();
}

Result<EnrollRequest> EnrollRequestFromJson(const json& j) {
  JsonReader r(j, "");
  EnrollRequest m;
  m.protocol = ReadVersion(r);
  m.code = r.String("code");
  m.device_id = r.String("device_id");
  m.device_name = r.String("device_name");
  return Checked(r, std::move(m));
}

Result<EnrollResponse> EnrollResponseFromJson(const json& j) {
  JsonReader r(j, "");
  EnrollResponse m;
  m.device_id = r.String("device_id");
  m.token = r.String("token");
  m.commune_id = r.String("commune_id");
  m.server_time = r.Int("server_time");
  m.role = r.OptionalString("role").value_or("");
  return Checked(r, std::move(m));
}

Result<ErrorBody> ErrorBodyFromJson(const json& j) {
  JsonReader outer(j, "");
  const json& e = outer.Object("error");
  if (!outer.ok()) return outer.status();
  JsonReader r(e, "error");
  ErrorBody m;
  m.code = r.String("code");
  m.message = r.String("message");
  m.expected_seq = r.OptionalInt("expected_seq");
  m.origin_device = r.OptionalString("origin_device");
  if (auto it = e.find("supported_versions"); r.ok() && it != e.end() && !it->is_null()) {
    const json& versions = r.Array("supported_versions", 16);
    m.supported_versions = ReadVersions(r, versions, "error.supported_versions");
  }
  return Checked(r, std::move(m));
}

Result<HealthResponse> HealthResponseFromJson(const json& j) {
  JsonReader r(j, "");
  HealthResponse m;
  const json& versions = r.Array("supported_versions", 16);
  m.supported_versions = ReadVersions(r, versions, "supported_versions");
  m.server_time = r.Int("server_time");
  return Checked(r, std::move(m));
}

Result<PushRequest> DecodePushRequest(std::string_view text) {
  return DecodePushRequest(text, kSupportedVersions);
}
Result<PushRequest> DecodePushRequest(std::string_view text, std::span<const int> spoken) {
  // A v2 body in the writer's form is read without a tree (wire_v2_text.h); anything else,
  // errors included, through the tree.
  if (std::optional<PushRequest> m = ReadPushRequestV2Text(text, spoken)) return std::move(*m);
  return DecodePushRequestTree(text, spoken);
}
Result<PushRequest> DecodePushRuns(std::string_view text, std::span<const int> spoken,
                                   std::vector<bool>* follows) {
  if (std::optional<PushRequest> m = ReadPushRunsV2Text(text, spoken, follows))
    return std::move(*m);
  follows->clear();
  return DecodePushRequestTree(text, spoken);
}
Result<PushRequest> DecodePushRequestTree(std::string_view text, std::span<const int> spoken) {
  // The size rule is about the text as sent: measured here, not by encoding the request again.
  Result<json> j = ParseBody(text, kMaxBatchBytes);
  if (!j) return j.error();
  JsonReader r(*j, "");
  if (ReadVersion(r, spoken) == kProtocolV2)  // the body is ours: its values are moved out
    return PushRequestV2FromJson(std::move(*j), text.size());
  return ReadPushRequest(*j, text.size(), spoken);
}
Result<PushResponse> DecodePushResponse(std::string_view text) {
  return DecodeText(text, kMaxDecompressedBody, PushResponseFromJson);
}
Result<PullResponse> DecodePullResponse(std::string_view text) {
  return DecodeText(text, kMaxDecompressedBody, PullResponseFromJson);
}
Result<EnrollRequest> DecodeEnrollRequest(std::string_view text) {
  return DecodeText(text, kMaxDecompressedBody, EnrollRequestFromJson);
}
Result<EnrollResponse> DecodeEnrollResponse(std::string_view text) {
  return DecodeText(text, kMaxDecompressedBody, EnrollResponseFromJson);
}
Result<ErrorBody> DecodeErrorBody(std::string_view text) {
  return DecodeText(text, kMaxDecompressedBody, ErrorBodyFromJson);
}
Result<HealthResponse> DecodeHealthResponse(std::string_view text) {
  return DecodeText(text, kMaxDecompressedBody, HealthResponseFromJson);
}

// ---- Pull query ----

std::string EncodePullQuery(const PullRequest& m) {
  return "after=" + m.after + "&limit=" + std::to_string(m.limit) +
         "&protocol=" + std::to_string(m.protocol);
}

Result<PullRequest> DecodePullQuery(std::string_view after, std::string_view limit,
                                    std::string_view protocol) {
  // Decimal digits only, as an int (INT_MAX if larger), or nullopt.
  auto number = [](std::string_view s) -> std::optional<int> {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string_view::npos)
      return std::nullopt;
    int v = 0;
    if (std::from_chars(s.data(), s.data() + s.size(), v).ec == std::errc::result_out_of_range)
      return std::numeric_limits<int>::max();
    return v;
  };
  PullRequest m;
  if (protocol.empty())
    return ProtocolError(kErrBadRequest, "protocol: missing; add protocol=" +
                                             std::to_string(kProtocolVersion) + " to the query");
  std::optional<int> version = number(protocol);
  if (!version)
    return ProtocolError(kErrBadRequest,
                         "protocol: must be a version number, got " + Quote(protocol));
  if (Status s = CheckVersion(*version); !s) return s;
  m.protocol = *version;
  m.after = std::string(after);
  if (!limit.empty()) {
    std::optional<int> n = number(limit);
    if (!n || *n < 1)
      return ProtocolError(kErrBadRequest,
                           "limit: must be a whole number from 1, got " + Quote(limit));
    m.limit = std::min(*n, kMaxPullLimit);
  }
  if (Status s = Validate(m); !s) return s;
  return m;
}

}  // namespace gocua::protocol
