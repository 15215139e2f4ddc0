#include "storage/device/members.h"

#include "platform/crypto.h"
#include "storage/core/record_store.h"
#include "storage/core/text.h"
#include "storage/device/places.h"

namespace gocua {
namespace {

Result<Member> FromRow(const std::string& id, const StoredRow& row) {
  if (!row.exists || row.values["deleted"] != 0)
    return NotFound("Không có thành viên " + id + " — no such member");
  Member m;
  m.id = id;
  m.commune_id = row.values["commune_id"];
  m.name = row.values["name"];
  m.role = row.values["role"] == "leader" ? Role::kLeader : Role::kMember;
  m.pin_hash = row.values["pin_hash"];
  return m;
}

Status CheckPinDigits(const std::string& pin) {
  bool digits = pin.size() >= 4 && pin.size() <= 8;
  for (char ch : pin) digits = digits && ch >= '0' && ch <= '9';
  if (!digits) return InvalidInput("Mã PIN gồm 4–8 chữ số — the PIN must be 4 to 8 digits");
  return Status::Ok();
}

}  // namespace

const char* RoleName(Role r) { return r == Role::kLeader ? "leader" : "member"; }

std::string HashPin(const std::string& pin, const std::string& salt_hex, int iterations) {
  unsigned char out[32];
  Pbkdf2HmacSha256(pin, salt_hex, static_cast<uint32_t>(iterations), out, sizeof out);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : out) {
    hex.push_back(kHex[c >> 4]);
    hex.push_back(kHex[c & 15]);
  }
  return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + salt_hex + "$" + hex;
}

std::string NewPinHash(const std::string& pin) {
  return HashPin(pin, RandomHex(16), kPinIterations);
}

namespace {

bool IsLowerHex(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// Whether `pin_hash` is "pbkdf2-sha256$<iterations>$<32 hex>$<64 hex>" for exactly
// `iterations` (its decimal text, no sign or leading zero).
bool HasShape(std::string_view pin_hash, int iterations) {
  const std::string head = "pbkdf2-sha256$" + std::to_string(iterations) + "$";
  if (pin_hash.substr(0, head.size()) != head) return false;
  std::string_view rest = pin_hash.substr(head.size());
  return rest.size() == 32 + 1 + 64 && rest[32] == '$' && IsLowerHex(rest.substr(0, 32), 32) &&
         IsLowerHex(rest.substr(33), 64);
}

}  // namespace

bool IsCurrentPinHash(std::string_view pin_hash) { return HasShape(pin_hash, kPinIterations); }
bool IsLegacyPinHash(std::string_view pin_hash) { return HasShape(pin_hash, kLegacyPinIterations); }

bool VerifyPin(const std::string& pin, const std::string& pin_hash) {
  int iterations;
  if (IsCurrentPinHash(pin_hash))
    iterations = kPinIterations;
  else if (IsLegacyPinHash(pin_hash))
    iterations = kLegacyPinIterations;
  else
    return false;  // only the schemes this build writes or wrote: never a cheaper one
  const size_t salt_at = pin_hash.find('$', 14) + 1;
  std::string expected = HashPin(pin, pin_hash.substr(salt_at, 32), iterations);
  return expected.size() == pin_hash.size() &&
         ConstantTimeEqual(expected.data(), pin_hash.data(), expected.size());
}

Status SaveDeviceRole(Database& db, const std::string& role) {
  Database::Impl& d = db.impl();
  return d.Transact([&] { return d.SetMeta("device_role", role); });
}

Result<std::string> DeviceRole(Database& db) { return db.impl().ReadMeta("device_role"); }

Result<bool> DeviceMayLead(Database& db) {
  auto role = DeviceRole(db);
  if (!role) return role.error();
  return *role != "member";
}

Result<Member> Members::Add(const std::string& name, Role role, const std::string& pin) {
  auto commune = Places(db_).LocalCommune();
  if (!commune) return commune.error();
  if (FoldForSearch(name).empty()) return InvalidInput("Cần tên thành viên — name is required");
  if (Status st = CheckPinDigits(pin); !st) return st;
  Database::Impl& d = db_.impl();
  const std::string id = NewUuidV7(db_.clock().NowMs());
  Status st = d.Transact([&]() -> Status {
    auto w = WriteLocal(d, *FindRecordDef("member"), id,
                        {{"commune_id", commune->id},
                         {"name", name},
                         {"role", RoleName(role)},
                         {"pin_hash", NewPinHash(pin)}});
    return w ? Status::Ok() : w.error();
  });
  if (!st) return st;
  return Get(id);
}

Result<Member> Members::Get(const std::string& id) {
  auto row = ReadRow(db_.impl(), *FindRecordDef("member"), id);
  if (!row) return row.error();
  return FromRow(id, *row);
}

Result<std::vector<Member>> Members::List() {
  auto commune = Places(db_).LocalCommune();
  if (!commune) return commune.error();
  Status st;
  auto q = db_.impl().Prepare(
      "SELECT id FROM members WHERE commune_id = ? AND deleted = 0 ORDER BY name, id", &st);
  if (!q) return st;
  q->Bind(1, commune->id);
  std::vector<std::string> ids;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) ids.push_back(q->Text(0));
  if (rc != SQLITE_DONE) return db_.impl().Error("members", rc);
  q.reset();
  std::vector<Member> out;
  for (const std::string& id : ids) {
    auto m = Get(id);
    if (!m) return m.error();
    out.push_back(std::move(*m));
  }
  return out;
}

Result<std::vector<MemberStatus>> Members::ListAll() {
  auto commune = Places(db_).LocalCommune();
  if (!commune) return commune.error();
  Status st;
  auto q = db_.impl().Prepare(
      "SELECT id, name, role, pin_hash, deleted FROM members WHERE commune_id = ? "
      "ORDER BY name, id",
      &st);
  if (!q) return st;
  q->Bind(1, commune->id);
  std::vector<MemberStatus> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) {
    MemberStatus s;
    s.member.id = q->Text(0);
    s.member.commune_id = commune->id;
    s.member.name = q->Text(1);
    s.member.role = q->Text(2) == "leader" ? Role::kLeader : Role::kMember;
    s.member.pin_hash = q->Text(3);
    s.active = q->Int(4) == 0;
    out.push_back(std::move(s));
  }
  if (rc != SQLITE_DONE) return db_.impl().Error("members", rc);
  return out;
}

Result<bool> Members::IsDeactivated(const std::string& member_id) {
  auto row = ReadRow(db_.impl(), *FindRecordDef("member"), member_id);
  if (!row) return row.error();
  if (!row->exists) return NotFound("Không có thành viên " + member_id + " — no such member");
  return row->values["deleted"] != 0;
}

Status Members::SetPin(const std::string& member_id, const std::string& pin) {
  auto m = Get(member_id);
  if (!m) return m.error();
  if (Status st = CheckPinDigits(pin); !st) return st;
  Database::Impl& d = db_.impl();
  return d.Transact([&]() -> Status {
    auto w = WriteLocal(d, *FindRecordDef("member"), member_id, {{"pin_hash", NewPinHash(pin)}});
    return w ? Status::Ok() : w.error();
  });
}

namespace {

Status SetDeleted(Database& db, const std::string& member_id, int deleted) {
  Database::Impl& d = db.impl();
  return d.Transact([&]() -> Status {
    auto row = ReadRow(d, *FindRecordDef("member"), member_id);
    if (!row) return row.error();
    if (!row->exists) return NotFound("Không có thành viên " + member_id + " — no such member");
    if (row->values["deleted"] == deleted) return Status::Ok();
    auto w = WriteLocal(d, *FindRecordDef("member"), member_id, {{"deleted", deleted}});
    return w ? Status::Ok() : w.error();
  });
}

}  // namespace

Status Members::Deactivate(const std::string& member_id) { return SetDeleted(db_, member_id, 1); }
Status Members::Reactivate(const std::string& member_id) { return SetDeleted(db_, member_id, 0); }

Result<bool> Members::CheckPin(const std::string& member_id, const std::string& pin) {
  auto m = Get(member_id);
  if (!m) return m.error();
  if (!VerifyPin(pin, m->pin_hash)) return false;
  if (!IsLegacyPinHash(m->pin_hash)) return true;
  // A legacy hash that matched: re-hashed in the current scheme, by the member themself.
  Database::Impl& d = db_.impl();
  if (m->role == Role::kLeader) {
    auto device_role = d.ReadMeta("device_role");
    if (!device_role) return device_role.error();
    if (*device_role != "leader") return true;
  }
  Status st = d.Transact([&]() -> Status {
    AuthorScope as(d, member_id);
    auto w = WriteLocal(d, *FindRecordDef("member"), member_id, {{"pin_hash", NewPinHash(pin)}});
    return w ? Status::Ok() : w.error();
  });
  if (!st) return st;
  return true;
}

}  // namespace gocua
