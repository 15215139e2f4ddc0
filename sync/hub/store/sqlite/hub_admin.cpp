// The SQLite hub store's administration: communes, villages, members, enrollment codes,
// quarantine and conflicts (sync/hub/store/hub_store.h).
#include "storage/core/record_store.h"
#include "storage/core/text.h"
#include "storage/device/members.h"
#include "storage/io/export.h"
#include "sync/hub/store/admin_rules.h"
#include "sync/hub/store/sqlite/hub_internal.h"
#include "sync/hub/store/sqlite/hub_store_impl.h"

namespace gocua {
using namespace hub_internal;

namespace {

// The id of the live record of `sql`'s first row ("" if none). A database error is an error:
// never "none", which would make a duplicate.
Result<std::string> FindId(Database::Impl& d, const char* sql, const std::string& a,
                           const std::string* b, const char* what) {
  Status s;
  auto q = d.Prepare(sql, &s);
  if (!q) return s;
  q->Bind(1, a);
  if (b) q->Bind(2, *b);
  const int rc = q->Step();
  if (rc == SQLITE_ROW) return q->Text(0);
  if (rc != SQLITE_DONE) return d.Error(what, rc);
  return std::string();
}

}  // namespace

Result<Commune> SqliteHubStore::CreateCommune(const std::string& province_name,
                                              const std::string& commune_name) {
  auto province_nfc = NfcName(province_name, "tỉnh (province)");
  if (!province_nfc) return province_nfc.error();
  auto commune_nfc = NfcName(commune_name, "xã (commune)");
  if (!commune_nfc) return commune_nfc.error();
  if (FoldForSearch(*province_nfc).empty() || FoldForSearch(*commune_nfc).empty())
    return InvalidInput("Cần tên tỉnh và tên xã — province and commune names are required");
  Database::Impl& d = db_->impl();
  Commune c;
  Status st = Transact(d, [&]() -> Status {
    auto province_id = FindId(d, "SELECT id FROM provinces WHERE name = ? AND deleted = 0",
                              *province_nfc, nullptr, "province");
    if (!province_id) return province_id.error();
    if (province_id->empty()) {
      *province_id = NewUuidV7(d.NowMs());
      if (Status w = HubWrite(d, "province", *province_id, {{"name", province_name}}, ""); !w)
        return w;
    }
    auto existing =
        FindId(d, "SELECT id FROM communes WHERE province_id = ? AND name = ? AND deleted = 0",
               *province_id, &*commune_nfc, "commune");
    if (!existing) return existing.error();
    if (!existing->empty()) {
      c = {*existing, *province_id, *commune_nfc};
      return Status::Ok();
    }
    c = {NewUuidV7(d.NowMs()), *province_id, *commune_nfc};
    return HubWrite(d, "commune", c.id, {{"province_id", *province_id}, {"name", commune_name}},
                    c.id);
  });
  if (!st) return st;
  return c;
}

Result<std::vector<Commune>> SqliteHubStore::Communes() {
  Status st;
  auto q = db_->impl().Prepare(
      "SELECT id, province_id, name FROM communes WHERE deleted = 0 ORDER BY name, id", &st);
  if (!q) return st;
  std::vector<Commune> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) out.push_back({q->Text(0), q->Text(1), q->Text(2)});
  if (rc != SQLITE_DONE) return db_->impl().Error("communes", rc);
  return out;
}

namespace {

Status CheckCommune(Database::Impl& d, const std::string& commune_id) {
  auto row = ReadRow(d, *FindRecordDef("commune"), commune_id);
  if (!row) return row.error();
  if (!row->exists || row->values["deleted"] != 0)
    return NotFound("Không có xã " + commune_id + " — no such commune");
  return Status::Ok();
}

}  // namespace

Result<Village> SqliteHubStore::AddVillage(const std::string& commune_id, const std::string& name) {
  Database::Impl& d = db_->impl();
  if (Status s = CheckCommune(d, commune_id); !s) return s;
  if (FoldForSearch(name).empty()) return InvalidInput("Cần tên thôn — village name is required");
  auto nfc = NfcName(name, "thôn (village)");
  if (!nfc) return nfc.error();
  Village v{NewUuidV7(d.NowMs()), commune_id, *nfc};
  Status st = Transact(d, [&] {
    return HubWrite(d, "village", v.id, {{"commune_id", commune_id}, {"name", name}}, commune_id);
  });
  if (!st) return st;
  return v;
}

Result<Member> SqliteHubStore::AddMember(const std::string& commune_id, const std::string& name,
                                         Role role, const std::string& pin) {
  Database::Impl& d = db_->impl();
  if (Status s = CheckCommune(d, commune_id); !s) return s;
  if (FoldForSearch(name).empty()) return InvalidInput("Cần tên thành viên — name is required");
  if (Status s = CheckNewPin(pin); !s) return s;
  auto nfc = NfcName(name, "thành viên (member)");
  if (!nfc) return nfc.error();
  Member m{NewUuidV7(d.NowMs()), commune_id, *nfc, role,
           HashPin(pin, RandomHex(16), kPinIterations)};
  Status st = Transact(d, [&] {
    return HubWrite(d, "member", m.id,
                    {{"commune_id", commune_id},
                     {"name", name},
                     {"role", RoleName(role)},
                     {"pin_hash", m.pin_hash}},
                    commune_id);
  });
  if (!st) return st;
  return m;
}

Result<std::string> SqliteHubStore::IssueEnrollmentCode(const std::string& commune_id,
                                                        int64_t ttl_ms, Role role) {
  Database::Impl& d = db_->impl();
  if (Status s = CheckCommune(d, commune_id); !s) return s;
  const std::string code = NewEnrollmentCode();
  Status st = Transact(d, [&]() -> Status {
    Status s;
    auto q = d.Prepare(
        "INSERT INTO hub_codes(code_hash, commune_id, expires_at, role) "
        "VALUES(?, ?, ?, ?)",
        &s);
    if (q)
      q->Bind(1, Sha256Hex(NormaliseCode(code)))
          .Bind(2, commune_id)
          .Bind(3, d.clock->NowMs() + ttl_ms)
          .Bind(4, RoleName(role));
    return Run(d, std::move(q), s, "enrollment code");
  });
  if (!st) return st;
  return code;
}

Result<std::vector<QuarantinedOp>> SqliteHubStore::Quarantined() {
  Database::Impl& d = db_->impl();
  Status st;
  auto q = d.Prepare(
      std::string("SELECT ") + kLogColumns + " FROM hub_log WHERE served = 0 ORDER BY server_seq",
      &st);
  if (!q) return st;
  std::vector<QuarantinedOp> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) {
    auto ops = ExpandLogRow(*q);
    if (!ops) return ops.error();
    for (LogEntry& e : *ops) {
      QuarantinedOp o;
      o.op = std::move(e.op);
      o.op.hlc = e.orig_hlc;
      o.op.seen = {};
      o.device_id = e.pushed_by;
      o.reason = e.reason;
      o.received_at = e.received_at;
      out.push_back(std::move(o));
    }
  }
  if (rc != SQLITE_DONE) return d.Error("quarantine", rc);
  return out;
}

Result<std::string> SqliteHubStore::ExportCanonicalJson() {
  return gocua::ExportCanonicalJson(*db_);
}

Result<std::vector<ConflictRecord>> SqliteHubStore::Conflicts() {
  Status st;
  auto q = db_->impl().Prepare(
      "SELECT id, record_type, record_id, field, value_a, value_b, device_a, device_b, hlc_a, "
      "hlc_b, winner, status FROM conflicts WHERE deleted = 0 ORDER BY id",
      &st);
  if (!q) return st;
  std::vector<ConflictRecord> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW)
    out.push_back({q->Text(0), q->Text(1), q->Text(2), q->Text(3), q->Text(4), q->Text(5),
                   q->Text(6), q->Text(7), q->Int(8), q->Int(9), q->Text(10), q->Text(11)});
  if (rc != SQLITE_DONE) return db_->impl().Error("conflicts", rc);
  return out;
}

}  // namespace gocua
