// The SQLite hub store's devices: enrollment, tokens, revocation, last contact
// (sync/hub/store/hub_store.h).
#include "sync/hub/store/sqlite/hub_internal.h"
#include "sync/hub/store/sqlite/hub_store_impl.h"

namespace gocua {
using namespace hub_internal;

Result<std::pair<HubDevice, std::string>> SqliteHubStore::Enroll(const std::string& code,
                                                                 const std::string& device_id,
                                                                 const std::string& device_name,
                                                                 std::string* code_commune) {
  Database::Impl& d = db_->impl();
  if (code_commune) code_commune->clear();
  HubDevice dev;
  const std::string code_hash = Sha256Hex(NormaliseCode(code));
  // Random (OpenSSL's RAND_bytes, 256 bits) and kept only as its SHA-256: nothing in the file
  // can make it again. Shown once, in this answer; a lost answer means a new code.
  const std::string token = RandomHex(32);
  Status st = Transact(d, [&]() -> Status {
    Status s;
    const int64_t now = d.clock->NowMs();
    {
      auto q = d.Prepare(
          "SELECT commune_id, expires_at, used_by, role FROM hub_codes WHERE code_hash = ?", &s);
      if (!q) return s;
      q->Bind(1, code_hash);
      const int rc = q->Step();
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) return d.Error("enrollment code", rc);
      if (rc == SQLITE_ROW && code_commune) *code_commune = q->Text(0);
      // Used once, by anyone (the same device too: a replay never gives a token again, so it
      // can never undo a revocation).
      if (rc != SQLITE_ROW || !q->Text(2).empty() || q->Int(1) < now)
        return NotFound(
            "Mã đăng ký không đúng, đã dùng hoặc đã hết hạn; xin tổ trưởng mã mới — "
            "unknown, used or expired enrollment code");
      dev.commune_id = q->Text(0);
      dev.role = q->Text(3) == "leader" ? Role::kLeader : Role::kMember;
    }
    // The hub's own id is the origin of its own ops (villages, members, conflicts): a device
    // using it would take over those seqs.
    if (device_id == d.device_id)
      return {ErrorCode::kConflict, "Mã thiết bị " + device_id +
                                        " là của máy chủ — this device id is the hub's own"};
    bool known = false, revoked = false;
    std::string known_commune, replaced_by;
    {
      auto q = d.Prepare(
          "SELECT revoked, commune_id, replaced_by FROM hub_devices WHERE device_id = ?", &s);
      if (!q) return s;
      q->Bind(1, device_id);
      const int rc = q->Step();
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) return d.Error("enrolled device", rc);
      if (rc == SQLITE_ROW) {
        known = true;
        revoked = q->Int(0) != 0;
        known_commune = q->Text(1);
        replaced_by = q->Text(2);
      }
    }
    // A retired identity stays retired: the laptop that had it goes on as `replaced_by`, and
    // a copy still holding the old id must re-identify too.
    if (!replaced_by.empty())
      return {ErrorCode::kConflict, "Mã thiết bị " + device_id + " đã được thay bằng " +
                                        replaced_by +
                                        "; chạy 'gocua-cli reset-device' rồi đăng ký lại — device "
                                        "id retired"};
    // An enrolled device needs no code; a revoked one may come back with a fresh code from a
    // leader of the same commune, keeping its id so that its unsent changes still count.
    if (known && !revoked)
      return {ErrorCode::kConflict,
              "Thiết bị " + device_id + " đã đăng ký — device already enrolled"};
    if (known && known_commune != dev.commune_id)
      return {ErrorCode::kConflict,
              "Thiết bị " + device_id + " thuộc xã khác — device enrolled in another commune"};
    if (!known) {
      // An id whose ops the hub holds but that no enrollment made (imported, or another
      // hub's): not a new device's.
      auto q = d.Prepare("SELECT 1 FROM hub_origins WHERE origin_device = ?", &s);
      if (!q) return s;
      q->Bind(1, device_id);
      const int rc = q->Step();
      if (rc == SQLITE_ROW)
        return {ErrorCode::kConflict,
                "Mã thiết bị " + device_id + " đã có dữ liệu trên máy chủ — device id in use"};
      if (rc != SQLITE_DONE) return d.Error("origins", rc);
    }
    dev.device_id = device_id;
    dev.name = device_name;
    dev.enrolled_at = now;
    auto q = d.Prepare(
        "INSERT INTO hub_devices(device_id, commune_id, name, token_hash, enrolled_at, role) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(device_id) DO UPDATE SET name = ?3, "
        "token_hash = ?4, revoked = 0, role = ?6",
        &s);
    if (q)
      q->Bind(1, device_id)
          .Bind(2, dev.commune_id)
          .Bind(3, device_name)
          .Bind(4, Sha256Hex(token))
          .Bind(5, now)
          .Bind(6, RoleName(dev.role));
    if (Status r = Run(d, std::move(q), s, "enroll"); !r) return r;
    auto u = d.Prepare("UPDATE hub_codes SET used_by = ? WHERE code_hash = ?", &s);
    if (u) u->Bind(1, device_id).Bind(2, code_hash);
    return Run(d, std::move(u), s, "enroll");
  });
  if (!st) return st;
  return std::make_pair(dev, token);
}

Status SqliteHubStore::SetDeviceRole(const std::string& device_id, Role role) {
  Database::Impl& d = db_->impl();
  return Transact(d, [&]() -> Status {
    Status s;
    auto q = d.Prepare("UPDATE hub_devices SET role = ? WHERE device_id = ?", &s);
    if (!q) return s;
    q->Bind(1, RoleName(role)).Bind(2, device_id);
    if (int rc = q->Step(); rc != SQLITE_DONE) return d.Error("device role", rc);
    if (sqlite3_changes(d.db) == 0)
      return NotFound("Không có thiết bị " + device_id + " — no such device");
    return Status::Ok();
  });
}

namespace {

Result<std::vector<HubDevice>> QueryDevices(Database::Impl& d, const std::string& where,
                                            const std::string& arg) {
  Status st;
  auto q = d.Prepare(
      "SELECT device_id, commune_id, name, enrolled_at, last_seen, revoked, "
      "COALESCE((SELECT max_seq FROM hub_origins o WHERE o.origin_device = device_id), 0), "
      "role, replaced_by "
      "FROM hub_devices " +
          where + " ORDER BY enrolled_at, device_id",
      &st);
  if (!q) return st;
  if (!arg.empty()) q->Bind(1, arg);
  std::vector<HubDevice> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW)
    out.push_back({q->Text(0), q->Text(1), q->Text(2), q->Int(3), q->Int(4), q->Int(5) != 0,
                   q->Int(6), q->Text(7) == "leader" ? Role::kLeader : Role::kMember,
                   q->Text(8)});
  if (rc != SQLITE_DONE) return d.Error("devices", rc);
  return out;
}

}  // namespace

Result<std::vector<HubDevice>> SqliteHubStore::CommuneDevices(const std::string& commune_id) {
  return QueryDevices(db_->impl(), "WHERE commune_id = ? AND revoked = 0", commune_id);
}

Status SqliteHubStore::NoteContact(const std::string& device_id) {
  Database::Impl& d = db_->impl();
  return Transact(d, [&]() -> Status {
    Status s;
    auto q = d.Prepare("UPDATE hub_devices SET last_seen = ? WHERE device_id = ?", &s);
    if (q) q->Bind(1, d.clock->NowMs()).Bind(2, device_id);
    return Run(d, std::move(q), s, "last seen");
  });
}

Result<HubDevice> SqliteHubStore::Authenticate(const std::string& token) {
  auto devs = QueryDevices(db_->impl(), "WHERE token_hash = ?", Sha256Hex(token));
  if (!devs) return devs.error();
  if (devs->empty() || devs->front().revoked)
    return NotFound("Thiết bị chưa đăng ký hoặc đã bị thu hồi — unknown or revoked token");
  return devs->front();
}

Result<std::vector<HubDevice>> SqliteHubStore::Devices() {
  return QueryDevices(db_->impl(), "", "");
}

Status SqliteHubStore::RevokeDevice(const std::string& device_id) {
  Database::Impl& d = db_->impl();
  return Transact(d, [&]() -> Status {
    Status s;
    auto q = d.Prepare("UPDATE hub_devices SET revoked = 1 WHERE device_id = ?", &s);
    if (!q) return s;
    q->Bind(1, device_id);
    if (int rc = q->Step(); rc != SQLITE_DONE) return d.Error("revoke", rc);
    if (sqlite3_changes(d.db) == 0)
      return NotFound("Không có thiết bị " + device_id + " — no such device");
    return Status::Ok();
  });
}

// One UPDATE of `device_id`'s row; kNotFound when no row has that id.
static Status UpdateDevice(Database::Impl& d, const char* sql, const std::string& value,
                    const std::string& device_id, const char* what) {
  return Transact(d, [&]() -> Status {
    Status s;
    auto q = d.Prepare(sql, &s);
    if (!q) return s;
    q->Bind(1, value).Bind(2, device_id);
    if (int rc = q->Step(); rc != SQLITE_DONE) return d.Error(what, rc);
    if (sqlite3_changes(d.db) == 0)
      return NotFound("Không có thiết bị " + device_id + " — no such device");
    return Status::Ok();
  });
}

Status SqliteHubStore::RenameDevice(const std::string& device_id, const std::string& name) {
  return UpdateDevice(db_->impl(), "UPDATE hub_devices SET name = ?1 WHERE device_id = ?2", name,
                      device_id, "rename device");
}

Status SqliteHubStore::RetireDevice(const std::string& device_id, const std::string& replaced_by) {
  return UpdateDevice(db_->impl(),
                      "UPDATE hub_devices SET revoked = 1, replaced_by = ?1 WHERE device_id = ?2",
                      replaced_by, device_id, "retire device");
}

}  // namespace gocua
