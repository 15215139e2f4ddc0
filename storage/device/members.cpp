#include "storage/device/members.h"

#include "platform/crypto.h"
#include "storage/core/record_store.h"
#include "storage/core/text.h"
#include "storage/device/places.h"

namespace gocua {
namespace {

constexpr int kPinIterations = 20000;

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

bool VerifyPin(const std::string& pin, const std::string& pin_hash) {
  // Split "pbkdf2-sha256$iter$salt$hash".
  size_t a = pin_hash.find('$'), b = pin_hash.find('$', a + 1), c = pin_hash.find('$', b + 1);
  if (a == std::string::npos || b == std::string::npos || c == std::string::npos) return false;
  int iterations = std::atoi(pin_hash.substr(a + 1, b - a - 1).c_str());
  if (iterations <= 0) return false;
  std::string expected = HashPin(pin, pin_hash.substr(b + 1, c - b - 1), iterations);
  return expected.size() == pin_hash.size() &&
         ConstantTimeEqual(expected.data(), pin_hash.data(), expected.size());
}

Result<Member> Members::Add(const std::string& name, Role role, const std::string& pin) {
  auto commune = Places(db_).LocalCommune();
  if (!commune) return commune.error();
  if (FoldForSearch(name).empty()) return InvalidInput("Cần tên thành viên — name is required");
  bool digits = pin.size() >= 4 && pin.size() <= 8;
  for (char ch : pin) digits = digits && ch >= '0' && ch <= '9';
  if (!digits) return InvalidInput("Mã PIN gồm 4–8 chữ số — the PIN must be 4 to 8 digits");
  Database::Impl& d = db_.impl();
  const std::string id = NewUuidV7(db_.clock().NowMs());
  Status st = d.Transact([&]() -> Status {
    auto w = WriteLocal(d, *FindRecordDef("member"), id,
                        {{"commune_id", commune->id},
                         {"name", name},
                         {"role", RoleName(role)},
                         {"pin_hash", HashPin(pin, RandomHex(16), kPinIterations)}});
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

Result<bool> Members::CheckPin(const std::string& member_id, const std::string& pin) {
  auto m = Get(member_id);
  if (!m) return m.error();
  return VerifyPin(pin, m->pin_hash);
}

}  // namespace gocua
