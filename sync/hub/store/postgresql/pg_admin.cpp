// The PostgreSQL hub store's administration and devices: communes, villages, members,
// enrollment codes and tokens, revocation, quarantine, conflicts, the export
// (sync/hub/store/hub_store.h). The rules are the SQLite store's (sqlite/hub_admin.cpp,
// sqlite/hub_devices.cpp); the hub's own record writes go through PgTxn::WriteOwn.
#include "storage/core/ids.h"
#include "storage/core/text.h"
#include "storage/device/members.h"
#include "sync/hub/store/admin_rules.h"
#include "sync/hub/store/postgresql/pg_log.h"
#include "sync/hub/store/postgresql/pg_records.h"
#include "sync/hub/store/postgresql/pg_store.h"
#include "sync/hub/store/sha256.h"

namespace gocua::pg {
using namespace hub_internal;

namespace {

Role RoleOf(std::string_view text) { return text == "leader" ? Role::kLeader : Role::kMember; }

const char kNoDevice[] = "Không có thiết bị ";

}  // namespace

Result<Commune> PgHubStore::CreateCommune(const std::string& province_name,
                                          const std::string& commune_name) {
  auto province_nfc = NfcName(province_name, "tỉnh (province)");
  if (!province_nfc) return province_nfc.error();
  auto commune_nfc = NfcName(commune_name, "xã (commune)");
  if (!commune_nfc) return commune_nfc.error();
  if (FoldForSearch(*province_nfc).empty() || FoldForSearch(*commune_nfc).empty())
    return InvalidInput("Cần tên tỉnh và tên xã — province and commune names are required");
  Commune c;
  Status st = Write([&](PgTxn& txn) -> Status {
    auto province = c_->Query("SELECT id FROM provinces WHERE name = $1 AND deleted = 0 LIMIT 1",
                              {*province_nfc}, "province");
    if (!province) return province.error();
    std::string province_id = province->empty() ? "" : province->Text(0, 0);
    if (province_id.empty()) {
      province_id = NewUuidV7(clock_.NowMs());
      if (Status w = txn.WriteOwn("province", province_id, {{"name", province_name}}, ""); !w)
        return w;
    }
    auto existing = c_->Query(
        "SELECT id FROM communes WHERE province_id = $1 AND name = $2 AND deleted = 0 LIMIT 1",
        {province_id, *commune_nfc}, "commune");
    if (!existing) return existing.error();
    if (!existing->empty()) {
      c = {existing->Text(0, 0), province_id, *commune_nfc};
      return Status::Ok();
    }
    c = {NewUuidV7(clock_.NowMs()), province_id, *commune_nfc};
    return txn.WriteOwn("commune", c.id, {{"province_id", province_id}, {"name", commune_name}},
                        c.id);
  });
  if (!st) return st;
  return c;
}

Result<std::vector<Commune>> PgHubStore::Communes() {
  std::vector<Commune> out;
  Status st = Read([&]() -> Status {
    auto r = c_->Query(
        "SELECT id, province_id, name FROM communes WHERE deleted = 0 ORDER BY name COLLATE "
        "\"C\", id COLLATE \"C\"",
        {}, "communes");
    if (!r) return r.error();
    out.clear();
    for (int i = 0; i < r->size(); ++i)
      out.push_back({r->Text(i, 0), r->Text(i, 1), r->Text(i, 2)});
    return Status::Ok();
  });
  if (!st) return st;
  return out;
}

Status PgHubStore::CheckCommune(const std::string& commune_id) {
  bool live = false;
  Status st = Read([&]() -> Status {
    auto r =
        c_->Query("SELECT 1 FROM communes WHERE id = $1 AND deleted = 0", {commune_id}, "commune");
    if (!r) return r.error();
    live = !r->empty();
    return Status::Ok();
  });
  if (!st) return st;
  if (!live) return NotFound("Không có xã " + commune_id + " — no such commune");
  return Status::Ok();
}

Result<Village> PgHubStore::AddVillage(const std::string& commune_id, const std::string& name) {
  if (Status s = CheckCommune(commune_id); !s) return s;
  if (FoldForSearch(name).empty()) return InvalidInput("Cần tên thôn — village name is required");
  auto nfc = NfcName(name, "thôn (village)");
  if (!nfc) return nfc.error();
  Village v{NewUuidV7(clock_.NowMs()), commune_id, *nfc};
  Status st = Write([&](PgTxn& txn) {
    return txn.WriteOwn("village", v.id, {{"commune_id", commune_id}, {"name", name}}, commune_id);
  });
  if (!st) return st;
  return v;
}

Result<Member> PgHubStore::AddMember(const std::string& commune_id, const std::string& name,
                                     Role role, const std::string& pin) {
  if (Status s = CheckCommune(commune_id); !s) return s;
  if (FoldForSearch(name).empty()) return InvalidInput("Cần tên thành viên — name is required");
  if (Status s = CheckNewPin(pin); !s) return s;
  auto nfc = NfcName(name, "thành viên (member)");
  if (!nfc) return nfc.error();
  Member m{NewUuidV7(clock_.NowMs()), commune_id, *nfc, role,
           HashPin(pin, RandomHex(16), kPinIterations)};
  Status st = Write([&](PgTxn& txn) {
    return txn.WriteOwn("member", m.id,
                        {{"commune_id", commune_id},
                         {"name", name},
                         {"role", RoleName(role)},
                         {"pin_hash", m.pin_hash}},
                        commune_id);
  });
  if (!st) return st;
  return m;
}

Result<std::string> PgHubStore::IssueEnrollmentCode(const std::string& commune_id, int64_t ttl_ms,
                                                    Role role) {
  if (Status s = CheckCommune(commune_id); !s) return s;
  const std::string code = NewEnrollmentCode();
  Status st = Write([&](PgTxn&) {
    return c_->Exec(
        "INSERT INTO hub_codes(code_hash, commune_id, expires_at, role) VALUES($1, $2, $3, $4)",
        {Sha256Hex(NormaliseCode(code)), commune_id, Int(clock_.NowMs() + ttl_ms), RoleName(role)},
        "enrollment code");
  });
  if (!st) return st;
  return code;
}

Result<std::vector<QuarantinedOp>> PgHubStore::Quarantined() {
  std::vector<QuarantinedOp> out;
  Status st = Read([&]() -> Status {
    auto r = c_->Query(
        std::string("SELECT ") + kLogColumns + " FROM hub_log WHERE NOT served ORDER BY server_seq",
        {}, "quarantine");
    if (!r) return r.error();
    out.clear();
    std::vector<LogEntry> ops;
    for (int i = 0; i < r->size(); ++i)
      if (Status s = ExpandRow(*r, i, ops); !s) return s;
    for (LogEntry& e : ops) {
      QuarantinedOp o;
      o.op = std::move(e.op);
      o.op.hlc = e.orig_hlc;
      o.op.seen = {};
      o.device_id = e.pushed_by;
      o.reason = e.reason;
      o.received_at = e.received_at;
      out.push_back(std::move(o));
    }
    return Status::Ok();
  });
  if (!st) return st;
  return out;
}

Result<std::string> PgHubStore::ExportCanonicalJson() {
  std::string out;
  Status st = Read([&]() -> Status {
    auto text = ExportRecords(*c_);
    if (!text) return text.error();
    out = std::move(*text);
    return Status::Ok();
  });
  if (!st) return st;
  return out;
}

Result<std::vector<ConflictRecord>> PgHubStore::Conflicts() {
  std::vector<ConflictRecord> out;
  Status st = Read([&]() -> Status {
    auto r = c_->Query(
        "SELECT id, record_type, record_id, field, value_a, value_b, device_a, device_b, hlc_a, "
        "hlc_b, winner, status FROM conflicts WHERE deleted = 0 ORDER BY id COLLATE \"C\"",
        {}, "conflicts");
    if (!r) return r.error();
    out.clear();
    for (int i = 0; i < r->size(); ++i)
      out.push_back({r->Text(i, 0), r->Text(i, 1), r->Text(i, 2), r->Text(i, 3), r->Text(i, 4),
                     r->Text(i, 5), r->Text(i, 6), r->Text(i, 7), r->Int(i, 8), r->Int(i, 9),
                     r->Text(i, 10), r->Text(i, 11)});
    return Status::Ok();
  });
  if (!st) return st;
  return out;
}

// --- Devices ---

Result<std::pair<HubDevice, std::string>> PgHubStore::Enroll(const std::string& code,
                                                             const std::string& device_id,
                                                             const std::string& device_name,
                                                             std::string* code_commune) {
  if (code_commune) code_commune->clear();
  HubDevice dev;
  const std::string code_hash = Sha256Hex(NormaliseCode(code));
  // Random (256 bits) and kept only as its SHA-256: shown once, in this answer.
  const std::string token = RandomHex(32);
  Status st = Write([&](PgTxn&) -> Status {
    dev = HubDevice();
    const int64_t now = clock_.NowMs();
    auto q = c_->Query(
        "SELECT commune_id, expires_at, used_by, role FROM hub_codes WHERE code_hash = $1",
        {code_hash}, "enrollment code");
    if (!q) return q.error();
    if (!q->empty() && code_commune) *code_commune = q->Text(0, 0);
    if (q->empty() || !q->Text(0, 2).empty() || q->Int(0, 1) < now)
      return NotFound(
          "Mã đăng ký không đúng, đã dùng hoặc đã hết hạn; xin tổ trưởng mã mới — "
          "unknown, used or expired enrollment code");
    dev.commune_id = q->Text(0, 0);
    dev.role = RoleOf(q->View(0, 3));
    if (device_id == ids_.hub_id)
      return {ErrorCode::kConflict,
              "Mã thiết bị " + device_id + " là của máy chủ — this device id is the hub's own"};
    auto known =
        c_->Query("SELECT revoked, commune_id, replaced_by FROM hub_devices WHERE device_id = $1",
                  {device_id}, "enrolled device");
    if (!known) return known.error();
    // A retired identity stays retired: the laptop that had it goes on as `replaced_by`, and
    // a copy still holding the old id must re-identify too.
    if (!known->empty() && !known->Text(0, 2).empty())
      return {ErrorCode::kConflict, "Mã thiết bị " + device_id + " đã được thay bằng " +
                                        known->Text(0, 2) +
                                        "; chạy 'gocua-cli reset-device' rồi đăng ký lại — device "
                                        "id retired"};
    if (!known->empty() && !known->Bool(0, 0))
      return {ErrorCode::kConflict,
              "Thiết bị " + device_id + " đã đăng ký — device already enrolled"};
    if (!known->empty() && known->Text(0, 1) != dev.commune_id)
      return {ErrorCode::kConflict,
              "Thiết bị " + device_id + " thuộc xã khác — device enrolled in another commune"};
    if (known->empty()) {
      auto origin =
          c_->Query("SELECT 1 FROM hub_origins WHERE origin_device = $1", {device_id}, "origins");
      if (!origin) return origin.error();
      if (!origin->empty())
        return {ErrorCode::kConflict,
                "Mã thiết bị " + device_id + " đã có dữ liệu trên máy chủ — device id in use"};
    }
    dev.device_id = device_id;
    dev.name = device_name;
    dev.enrolled_at = now;
    if (Status s = c_->Exec(
            "INSERT INTO hub_devices(device_id, commune_id, name, token_hash, enrolled_at, role) "
            "VALUES($1, $2, $3, $4, $5, $6) ON CONFLICT (device_id) DO UPDATE SET name = $3, "
            "token_hash = $4, revoked = false, role = $6",
            {device_id, dev.commune_id, device_name, Sha256Hex(token), Int(now),
             RoleName(dev.role)},
            "enroll");
        !s)
      return s;
    return c_->Exec("UPDATE hub_codes SET used_by = $1 WHERE code_hash = $2",
                    {device_id, code_hash}, "enroll");
  });
  if (!st) return st;
  return std::make_pair(dev, token);
}

Status PgHubStore::SetDeviceRole(const std::string& device_id, Role role) {
  return Write([&](PgTxn&) -> Status {
    int64_t n = 0;
    if (Status s = c_->Exec("UPDATE hub_devices SET role = $1 WHERE device_id = $2",
                            {RoleName(role), device_id}, "device role", &n);
        !s)
      return s;
    if (n == 0) return NotFound(kNoDevice + device_id + " — no such device");
    return Status::Ok();
  });
}

Result<std::vector<HubDevice>> PgHubStore::QueryDevices(const std::string& where,
                                                        const Params& params) {
  std::vector<HubDevice> out;
  Status st = Read([&]() -> Status {
    auto r = c_->Query(
        "SELECT device_id, commune_id, name, enrolled_at, last_seen, revoked, "
        "COALESCE((SELECT max_seq FROM hub_origins o WHERE o.origin_device = d.device_id), 0), "
        "role, replaced_by FROM hub_devices d " +
            where + " ORDER BY enrolled_at, device_id COLLATE \"C\"",
        params, "devices");
    if (!r) return r.error();
    out.clear();
    for (int i = 0; i < r->size(); ++i)
      out.push_back({r->Text(i, 0), r->Text(i, 1), r->Text(i, 2), r->Int(i, 3), r->Int(i, 4),
                     r->Bool(i, 5), r->Int(i, 6), RoleOf(r->View(i, 7)), r->Text(i, 8)});
    return Status::Ok();
  });
  if (!st) return st;
  return out;
}

Result<std::vector<HubDevice>> PgHubStore::CommuneDevices(const std::string& commune_id) {
  return QueryDevices("WHERE commune_id = $1 AND NOT revoked", {commune_id});
}

Result<std::vector<HubDevice>> PgHubStore::Devices() { return QueryDevices("", {}); }

Result<HubDevice> PgHubStore::Authenticate(const std::string& token) {
  auto devs = QueryDevices("WHERE token_hash = $1", {Sha256Hex(token)});
  if (!devs) return devs.error();
  if (devs->empty() || devs->front().revoked)
    return NotFound("Thiết bị chưa đăng ký hoặc đã bị thu hồi — unknown or revoked token");
  return devs->front();
}

Status PgHubStore::NoteContact(const std::string& device_id) {
  return Write([&](PgTxn&) {
    return c_->Exec("UPDATE hub_devices SET last_seen = $1 WHERE device_id = $2",
                    {Int(clock_.NowMs()), device_id}, "last seen");
  });
}

Status PgHubStore::RevokeDevice(const std::string& device_id) {
  return Write([&](PgTxn&) -> Status {
    int64_t n = 0;
    if (Status s = c_->Exec("UPDATE hub_devices SET revoked = true WHERE device_id = $1",
                            {device_id}, "revoke", &n);
        !s)
      return s;
    if (n == 0) return NotFound(kNoDevice + device_id + " — no such device");
    return Status::Ok();
  });
}

// Sets one column of an existing device; kNotFound for an unknown one.
Status PgHubStore::UpdateDevice(const char* sql, const std::string& value,
                                const std::string& device_id, const char* what) {
  return Write([&](PgTxn&) -> Status {
    int64_t n = 0;
    if (Status s = c_->Exec(sql, {value, device_id}, what, &n); !s) return s;
    if (n == 0) return NotFound(kNoDevice + device_id + " — no such device");
    return Status::Ok();
  });
}

Status PgHubStore::RenameDevice(const std::string& device_id, const std::string& name) {
  return UpdateDevice("UPDATE hub_devices SET name = $1 WHERE device_id = $2", name, device_id,
                      "rename device");
}

Status PgHubStore::RetireDevice(const std::string& device_id, const std::string& replaced_by) {
  return UpdateDevice(
      "UPDATE hub_devices SET revoked = true, replaced_by = $1 WHERE device_id = $2", replaced_by,
      device_id, "retire device");
}

}  // namespace gocua::pg
