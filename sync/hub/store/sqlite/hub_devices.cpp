// The SQLite hub store's devices: enrollment, tokens, revocation, last contact
// (sync/hub/store/hub_store.h).
#include "sync/hub/store/sqlite/hub_internal.h"
#include "sync/hub/store/sqlite/hub_store_impl.h"

namespace gocua {
using namespace hub_internal;

Result<std::pair<HubDevice, std::string>> SqliteHubStore::Enroll(const std::string& code,
                                                                 const std::string& device_id,
                                                                 const std::string& device_name) {
  Database::Impl& d = db_->impl();
  HubDevice dev;
  // The token is derived from a hub secret, the code and the device: a repeated request (a
  // lost or duplicated reply) gets the same token back, never one that locks the first out.
  const std::string code_hash = Sha256Hex(NormaliseCode(code));
  std::string token;
  bool retry = false;
  Status st = Transact(d, [&]() -> Status {
    Status s;
    const int64_t now = d.clock->NowMs();
    auto secret = d.ReadMeta("hub_secret");
    if (!secret) return secret.error();
    if (secret->empty())
      return Status(ErrorCode::kCorrupt, "the hub has no secret; restore hub.db from a backup");
    token = Sha256Hex(*secret + "|" + code_hash + "|" + device_id);
    {
      auto q = d.Prepare(
          "SELECT commune_id, expires_at, used_by FROM hub_codes WHERE code_hash = ?", &s);
      if (!q) return s;
      q->Bind(1, code_hash);
      // A code already used by this same device may be used again while it is valid: the
      // first reply may have been lost on the way back (the same token is given again).
      const int rc = q->Step();
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) return d.Error("enrollment code", rc);
      const std::string used_by = rc == SQLITE_ROW ? q->Text(2) : "-";
      if (used_by == "-" || (!used_by.empty() && used_by != device_id) || q->Int(1) < now)
        return NotFound(
            "Mã đăng ký không đúng, đã dùng hoặc đã hết hạn; xin tổ trưởng mã mới — "
            "unknown, used or expired enrollment code");
      dev.commune_id = q->Text(0);
      retry = used_by == device_id;
    }
    bool known = false, revoked = false;
    std::string known_commune;
    {
      auto q = d.Prepare("SELECT revoked, commune_id FROM hub_devices WHERE device_id = ?", &s);
      if (!q) return s;
      q->Bind(1, device_id);
      const int rc = q->Step();
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) return d.Error("enrolled device", rc);
      if (rc == SQLITE_ROW) {
        known = true;
        revoked = q->Int(0) != 0;
        known_commune = q->Text(1);
      }
    }
    // An enrolled device needs no code; a revoked one may come back with a fresh code from a
    // leader of the same commune, keeping its id so that its unsent changes still count.
    if (known && !retry && !revoked)
      return {ErrorCode::kConflict,
              "Thiết bị " + device_id + " đã đăng ký — device already enrolled"};
    if (known && known_commune != dev.commune_id)
      return {ErrorCode::kConflict,
              "Thiết bị " + device_id + " thuộc xã khác — device enrolled in another commune"};
    dev.device_id = device_id;
    dev.name = device_name;
    dev.enrolled_at = now;
    auto q = d.Prepare(
        "INSERT INTO hub_devices(device_id, commune_id, name, token_hash, enrolled_at) "
        "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(device_id) DO UPDATE SET name = ?3, "
        "token_hash = ?4, revoked = 0",
        &s);
    if (q)
      q->Bind(1, device_id)
          .Bind(2, dev.commune_id)
          .Bind(3, device_name)
          .Bind(4, Sha256Hex(token))
          .Bind(5, now);
    if (Status r = Run(d, std::move(q), s, "enroll"); !r) return r;
    auto u = d.Prepare("UPDATE hub_codes SET used_by = ? WHERE code_hash = ?", &s);
    if (u) u->Bind(1, device_id).Bind(2, Sha256Hex(NormaliseCode(code)));
    return Run(d, std::move(u), s, "enroll");
  });
  if (!st) return st;
  return std::make_pair(dev, token);
}

namespace {

Result<std::vector<HubDevice>> QueryDevices(Database::Impl& d, const std::string& where,
                                            const std::string& arg) {
  Status st;
  auto q = d.Prepare(
      "SELECT device_id, commune_id, name, enrolled_at, last_seen, revoked, "
      "COALESCE((SELECT max_seq FROM hub_origins o WHERE o.origin_device = device_id), 0) "
      "FROM hub_devices " +
          where + " ORDER BY enrolled_at, device_id",
      &st);
  if (!q) return st;
  if (!arg.empty()) q->Bind(1, arg);
  std::vector<HubDevice> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW)
    out.push_back(
        {q->Text(0), q->Text(1), q->Text(2), q->Int(3), q->Int(4), q->Int(5) != 0, q->Int(6)});
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

}  // namespace gocua
