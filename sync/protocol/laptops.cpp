#include "sync/protocol/laptops.h"

#include <nlohmann/json.hpp>

#include "sync/protocol/errors.h"
#include "sync/protocol/json_reader.h"
#include "sync/protocol/validate.h"

namespace gocua::protocol {
namespace {

using nlohmann::json;

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

Status Bad(std::string_view path, std::string_view text) {
  return ProtocolError(kErrBadRequest, std::string(path) + ": " + std::string(text));
}

Status CheckId(std::string_view path, const std::string& id) {
  if (IsDeviceId(id)) return Status::Ok();
  return Bad(path, "must be a device id (a lower-case UUID), got " + Quote(id));
}

// A laptop's name as people see it: 1..kMaxDeviceNameBytes bytes, no control characters.
Status CheckLaptopName(std::string_view path, const std::string& name) {
  if (name.empty()) return Bad(path, "must not be empty");
  if (name.size() > kMaxDeviceNameBytes)
    return Bad(path, "is longer than " + std::to_string(kMaxDeviceNameBytes) + " bytes");
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return Bad(path, "must not contain control characters");
  return Status::Ok();
}

int ReadVersion(JsonReader& r) {
  const int64_t v = r.Int("protocol");
  if (!r.ok()) return 0;
  if (Status s = CheckVersion(v); !s) {
    r.Fail(WireCode(s), WireMessage(s));
    return 0;
  }
  return static_cast<int>(v);
}

template <typename T>
Result<T> Decode(std::string_view text, T (*read)(JsonReader&, Status*)) {
  Result<json> j = ParseBody(text, kMaxDecompressedBody);
  if (!j) return j.error();
  JsonReader r(*j, "");
  Status check;
  T m = read(r, &check);
  if (!r.ok()) return r.status();
  if (!check) return check;
  return m;
}

json ToJson(const LaptopInfo& l) {
  json j = {{"device_id", l.device_id},     {"name", l.name},           {"role", l.role},
            {"enrolled_at", l.enrolled_at}, {"last_seen", l.last_seen}, {"revoked", l.revoked}};
  if (!l.replaced_by.empty()) j["replaced_by"] = l.replaced_by;
  return j;
}

LaptopInfo ReadLaptop(JsonReader& r, Status* check, std::string_view path) {
  LaptopInfo l;
  l.device_id = r.String("device_id");
  l.name = r.String("name");
  l.role = r.String("role");
  l.enrolled_at = r.Int("enrolled_at");
  l.last_seen = r.Int("last_seen");
  l.revoked = r.Bool("revoked");
  l.replaced_by = r.OptionalString("replaced_by").value_or("");
  if (!r.ok() || !*check) return l;
  const std::string at = path.empty() ? "" : std::string(path) + ".";
  if (Status s = CheckId(at + "device_id", l.device_id); !s)
    *check = s;
  else if (l.role != "member" && l.role != "leader")
    *check = Bad(at + "role", "must be member or leader, got " + Quote(l.role));
  else if (!l.replaced_by.empty() && !IsDeviceId(l.replaced_by))
    *check = CheckId(at + "replaced_by", l.replaced_by);
  return l;
}

}  // namespace

std::string Encode(const LaptopCodeRequest& m) {
  return Dump({{"protocol", m.protocol}, {"ttl_minutes", m.ttl_minutes}});
}
std::string Encode(const LaptopCodeResponse& m) {
  return Dump({{"code", m.code},
               {"commune_id", m.commune_id},
               {"role", m.role},
               {"expires_at", m.expires_at},
               {"server_time", m.server_time}});
}
std::string Encode(const LaptopListResponse& m) {
  json list = json::array();
  for (const LaptopInfo& l : m.laptops) list.push_back(ToJson(l));
  return Dump({{"laptops", std::move(list)}, {"server_time", m.server_time}});
}
std::string Encode(const LaptopRenameRequest& m) {
  return Dump({{"protocol", m.protocol}, {"device_id", m.device_id}, {"name", m.name}});
}
std::string Encode(const LaptopRevokeRequest& m) {
  return Dump({{"protocol", m.protocol}, {"device_id", m.device_id}});
}
std::string Encode(const LaptopResponse& m) {
  return Dump({{"laptop", ToJson(m.laptop)}, {"server_time", m.server_time}});
}
std::string Encode(const RetireRequest& m) {
  return Dump({{"protocol", m.protocol}, {"replaced_by", m.replaced_by}});
}
std::string Encode(const RetireResponse& m) {
  return Dump(
      {{"device_id", m.device_id}, {"replaced_by", m.replaced_by}, {"server_time", m.server_time}});
}

Result<LaptopCodeRequest> DecodeLaptopCodeRequest(std::string_view text) {
  return Decode<LaptopCodeRequest>(text, [](JsonReader& r, Status* check) {
    LaptopCodeRequest m;
    m.protocol = ReadVersion(r);
    m.ttl_minutes = r.OptionalInt("ttl_minutes").value_or(kDefaultLaptopCodeMinutes);
    if (r.ok() && (m.ttl_minutes < 1 || m.ttl_minutes > kMaxLaptopCodeMinutes))
      *check = Bad("ttl_minutes", "must be from 1 to " + std::to_string(kMaxLaptopCodeMinutes) +
                                      ", got " + std::to_string(m.ttl_minutes));
    return m;
  });
}

Result<LaptopCodeResponse> DecodeLaptopCodeResponse(std::string_view text) {
  return Decode<LaptopCodeResponse>(text, [](JsonReader& r, Status* check) {
    LaptopCodeResponse m;
    m.code = r.String("code");
    m.commune_id = r.String("commune_id");
    m.role = r.String("role");
    m.expires_at = r.Int("expires_at");
    m.server_time = r.Int("server_time");
    if (r.ok() && !IsEnrollCode(m.code))
      *check = Bad("code", "is not an enrollment code: " + Quote(m.code));
    return m;
  });
}

Result<LaptopListResponse> DecodeLaptopListResponse(std::string_view text) {
  return Decode<LaptopListResponse>(text, [](JsonReader& r, Status* check) {
    LaptopListResponse m;
    const json& list = r.Array("laptops", kMaxLaptopsListed);
    for (size_t i = 0; r.ok() && *check && i < list.size(); ++i) {
      JsonReader item(list[i], "laptops", i);
      m.laptops.push_back(ReadLaptop(item, check, "laptops[" + std::to_string(i) + "]"));
      if (!item.ok()) *check = item.status();
    }
    m.server_time = r.Int("server_time");
    return m;
  });
}

Result<LaptopRenameRequest> DecodeLaptopRenameRequest(std::string_view text) {
  return Decode<LaptopRenameRequest>(text, [](JsonReader& r, Status* check) {
    LaptopRenameRequest m;
    m.protocol = ReadVersion(r);
    m.device_id = r.String("device_id");
    m.name = r.String("name");
    if (!r.ok()) return m;
    if (Status s = CheckId("device_id", m.device_id); !s)
      *check = s;
    else if (Status n = CheckLaptopName("name", m.name); !n)
      *check = n;
    return m;
  });
}

Result<LaptopRevokeRequest> DecodeLaptopRevokeRequest(std::string_view text) {
  return Decode<LaptopRevokeRequest>(text, [](JsonReader& r, Status* check) {
    LaptopRevokeRequest m;
    m.protocol = ReadVersion(r);
    m.device_id = r.String("device_id");
    if (r.ok()) *check = CheckId("device_id", m.device_id);
    return m;
  });
}

Result<LaptopResponse> DecodeLaptopResponse(std::string_view text) {
  return Decode<LaptopResponse>(text, [](JsonReader& r, Status* check) {
    LaptopResponse m;
    const json& laptop = r.Object("laptop");
    if (r.ok()) {
      JsonReader item(laptop, "laptop");
      m.laptop = ReadLaptop(item, check, "laptop");
      if (!item.ok()) *check = item.status();
    }
    m.server_time = r.Int("server_time");
    return m;
  });
}

Result<RetireRequest> DecodeRetireRequest(std::string_view text) {
  return Decode<RetireRequest>(text, [](JsonReader& r, Status* check) {
    RetireRequest m;
    m.protocol = ReadVersion(r);
    m.replaced_by = r.String("replaced_by");
    if (r.ok()) *check = CheckId("replaced_by", m.replaced_by);
    return m;
  });
}

Result<RetireResponse> DecodeRetireResponse(std::string_view text) {
  return Decode<RetireResponse>(text, [](JsonReader& r, Status* check) {
    RetireResponse m;
    m.device_id = r.String("device_id");
    m.replaced_by = r.String("replaced_by");
    m.server_time = r.Int("server_time");
    if (r.ok()) *check = CheckId("device_id", m.device_id);
    return m;
  });
}

}  // namespace gocua::protocol
