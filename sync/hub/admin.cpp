#include "sync/hub/admin.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>

#include "platform/clock.h"

namespace gocua::hub {
namespace {

using nlohmann::json;

constexpr int kExitOk = 0, kExitFailed = 1, kExitUsage = 2;
constexpr int kMaxTtlMinutes = 30 * 24 * 60;

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void Print(AdminIo& io, const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), io.out);
  std::fputc('\n', io.out);
}

int Failed(AdminIo& io, const Status& s) {
  std::fprintf(io.err, "gocua-hub: %s\n", s.message().c_str());
  return kExitFailed;
}

int Usage(AdminIo& io, const std::string& message) {
  std::fprintf(io.err, "gocua-hub: %s\n", message.c_str());
  return kExitUsage;
}

// Unix ms as "2024-07-03 10:00:00Z", or "-" for 0.
std::string Time(int64_t ms) {
  if (ms <= 0) return "-";
  return UtcTime(ms, "%Y-%m-%d %H:%M:%SZ");
}

// A required option's value; "" (after printing why) if missing.
std::string Required(const Args& args, const std::string& option, AdminIo& io) {
  std::string v = args.Get(option);
  if (v.empty()) std::fprintf(io.err, "gocua-hub: %s is required; see --help\n", option.c_str());
  return v;
}

}  // namespace

int CommuneCreate(HubStore& store, const Args& args, AdminIo& io) {
  const std::string province = Required(args, "--province", io);
  const std::string commune = Required(args, "--commune", io);
  if (province.empty() || commune.empty()) return kExitUsage;
  Result<Commune> c = store.CreateCommune(province, commune);
  if (!c) return Failed(io, c.error());
  if (io.json)
    Print(io, Dump({{"id", c->id}, {"province_id", c->province_id}, {"name", c->name}}));
  else
    Print(io, c->id);
  return kExitOk;
}

int CommuneList(HubStore& store, const Args&, AdminIo& io) {
  Result<std::vector<Commune>> list = store.Communes();
  if (!list) return Failed(io, list.error());
  json j = json::array();
  for (const Commune& c : *list) {
    if (io.json)
      j.push_back({{"id", c.id}, {"province_id", c.province_id}, {"name", c.name}});
    else
      Print(io, c.id + "  " + c.name);
  }
  if (io.json) Print(io, Dump(j));
  return kExitOk;
}

int VillageAdd(HubStore& store, const Args& args, const std::vector<std::string>& words,
               AdminIo& io) {
  const std::string commune = Required(args, "--commune", io);
  if (commune.empty()) return kExitUsage;
  std::string name;
  for (const std::string& w : words) name += (name.empty() ? "" : " ") + w;
  if (name.empty()) return Usage(io, "village add needs the village's NAME; see --help");
  Result<Village> v = store.AddVillage(commune, name);
  if (!v) return Failed(io, v.error());
  if (io.json)
    Print(io, Dump({{"id", v->id}, {"commune_id", v->commune_id}, {"name", v->name}}));
  else
    Print(io, v->id);
  return kExitOk;
}

int MemberAdd(HubStore& store, const Args& args, AdminIo& io) {
  const std::string commune = Required(args, "--commune", io);
  const std::string name = Required(args, "--name", io);
  const std::string role_name = Required(args, "--role", io);
  const std::string pin = Required(args, "--pin", io);
  if (commune.empty() || name.empty() || role_name.empty() || pin.empty()) return kExitUsage;
  Role role;
  if (role_name == "member")
    role = Role::kMember;
  else if (role_name == "leader")
    role = Role::kLeader;
  else
    return Usage(io, "--role is member or leader, not " + role_name);
  Result<Member> m = store.AddMember(commune, name, role, pin);
  if (!m) return Failed(io, m.error());
  if (io.json)
    Print(io, Dump({{"id", m->id},
                    {"commune_id", m->commune_id},
                    {"name", m->name},
                    {"role", RoleName(m->role)}}));
  else
    Print(io, m->id);
  return kExitOk;
}

int EnrollCode(HubStore& store, const Args& args, AdminIo& io) {
  const std::string commune = Required(args, "--commune", io);
  if (commune.empty()) return kExitUsage;
  const std::string role_name = args.Get("--role", "member");
  if (role_name != "member" && role_name != "leader")
    return Usage(io, "--role is member or leader, not " + role_name);
  const Role role = role_name == "leader" ? Role::kLeader : Role::kMember;
  const std::string ttl_text = args.Get("--ttl-minutes", "60");
  // Fractions are allowed ("0.5" is 30 seconds): a code for a device in the same room can be
  // short-lived.
  double ttl = 0;
  bool ttl_ok = !ttl_text.empty() && ttl_text.size() <= 12 &&
                ttl_text.find_first_not_of("0123456789.") == std::string::npos;
  if (ttl_ok) {
    char* end = nullptr;
    ttl = std::strtod(ttl_text.c_str(), &end);
    ttl_ok = *end == '\0' && ttl > 0 && ttl <= kMaxTtlMinutes;
  }
  if (!ttl_ok)
    return Usage(io, "--ttl-minutes is a number of minutes above 0 and up to " +
                         std::to_string(kMaxTtlMinutes) + ", not " + ttl_text);
  const int64_t ttl_ms = std::max<int64_t>(1, std::llround(ttl * 60 * 1000));
  Result<std::string> code = store.IssueEnrollmentCode(commune, ttl_ms, role);
  if (!code) return Failed(io, code.error());
  if (io.json)
    Print(
        io,
        Dump({{"code", *code}, {"commune_id", commune}, {"ttl_ms", ttl_ms}, {"role", role_name}}));
  else
    Print(io, *code);
  return kExitOk;
}

int DeviceList(HubStore& store, AdminIo& io) {
  Result<std::vector<HubDevice>> list = store.Devices();
  if (!list) return Failed(io, list.error());
  json j = json::array();
  for (const HubDevice& d : *list) {
    if (io.json) {
      j.push_back({{"device_id", d.device_id},
                   {"commune_id", d.commune_id},
                   {"name", d.name},
                   {"enrolled_at", d.enrolled_at},
                   {"last_seen", d.last_seen},
                   {"revoked", d.revoked},
                   {"role", RoleName(d.role)},
                   {"acked_seq", d.acked_seq}});
      if (!d.replaced_by.empty()) j.back()["replaced_by"] = d.replaced_by;
    } else {
      const std::string state = !d.replaced_by.empty() ? "replaced by " + d.replaced_by
                                : d.revoked            ? "revoked"
                                                       : "active ";
      Print(io, d.device_id + "  " + state + "  " +
                    (d.role == Role::kLeader ? "leader" : "member") + "  commune " + d.commune_id +
                    "  enrolled " + Time(d.enrolled_at) + "  last seen " + Time(d.last_seen) +
                    "  acked " + std::to_string(d.acked_seq) + "  " + d.name);
    }
  }
  if (io.json)
    Print(io, Dump(j));
  else if (list->empty())
    std::fprintf(io.err, "gocua-hub: no devices are enrolled yet; see enroll-code --help\n");
  return kExitOk;
}

int Revoke(HubStore& store, const std::string& device_id, AdminIo& io) {
  if (Status s = store.RevokeDevice(device_id); !s) return Failed(io, s);
  if (io.json)
    Print(io, Dump({{"device_id", device_id}, {"revoked", true}}));
  else
    std::fprintf(io.err, "gocua-hub: device %s is revoked; its token no longer works\n",
                 device_id.c_str());
  return kExitOk;
}

int DeviceRole(HubStore& store, const std::string& device_id, const std::string& role_name,
               AdminIo& io) {
  if (role_name != "member" && role_name != "leader")
    return Usage(io, "the role is member or leader, not " + role_name);
  const Role role = role_name == "leader" ? Role::kLeader : Role::kMember;
  if (Status s = store.SetDeviceRole(device_id, role); !s) return Failed(io, s);
  if (io.json)
    Print(io, Dump({{"device_id", device_id}, {"role", role_name}}));
  else
    std::fprintf(io.err, "gocua-hub: device %s is now a %s's\n", device_id.c_str(),
                 role_name.c_str());
  return kExitOk;
}

int QuarantineList(HubStore& store, AdminIo& io) {
  Result<std::vector<QuarantinedOp>> list = store.Quarantined();
  if (!list) return Failed(io, list.error());
  json j = json::array();
  for (const QuarantinedOp& q : *list) {
    const RemoteOp& op = q.op;
    if (io.json) {
      j.push_back({{"device_id", q.device_id},
                   {"received_at", q.received_at},
                   {"reason", q.reason},
                   {"op",
                    {{"origin_device", op.origin_device},
                     {"seq", op.seq},
                     {"record_type", op.record_type},
                     {"record_id", op.record_id},
                     {"field", op.field},
                     {"value", op.value},
                     {"base_hlc", op.base.hlc},
                     {"base_device", op.base.device},
                     {"hlc", op.hlc},
                     {"author", op.author}}}});
    } else {
      Print(io, Time(q.received_at) + "  from " + q.device_id + "  op " + op.origin_device + "/" +
                    std::to_string(op.seq) + "  " + op.record_type + "/" + op.record_id + "." +
                    op.field + " = " + Dump(op.value) + "\n    " + q.reason);
    }
  }
  if (io.json) Print(io, Dump(j));
  return kExitOk;
}

int ConflictList(HubStore& store, AdminIo& io) {
  Result<std::vector<ConflictRecord>> list = store.Conflicts();
  if (!list) return Failed(io, list.error());
  json j = json::array();
  for (const ConflictRecord& c : *list) {
    if (io.json) {
      j.push_back({{"id", c.id},
                   {"record_type", c.record_type},
                   {"record_id", c.record_id},
                   {"field", c.field},
                   {"value_a", c.value_a},
                   {"value_b", c.value_b},
                   {"device_a", c.device_a},
                   {"device_b", c.device_b},
                   {"hlc_a", c.hlc_a},
                   {"hlc_b", c.hlc_b},
                   {"winner", c.winner},
                   {"status", c.status}});
    } else {
      Print(io, c.id + "  " + c.status + "  " + c.record_type + "/" + c.record_id + "." + c.field +
                    "\n    a: " + c.value_a + " (" + c.device_a + ")\n    b: " + c.value_b + " (" +
                    c.device_b + ")\n    winner: " + c.winner);
    }
  }
  if (io.json) Print(io, Dump(j));
  return kExitOk;
}

int Export(HubStore& store, const Args& args, AdminIo& io) {
  const std::string format = args.Get("--format", "json");
  if (format != "json") return Usage(io, "export speaks --format json only, not " + format);
  Result<std::string> text = store.ExportCanonicalJson();
  if (!text) return Failed(io, text.error());
  std::fwrite(text->data(), 1, text->size(), io.out);
  return kExitOk;
}

}  // namespace gocua::hub
