#include "sync/hub/store/hub_store.h"

#include <openssl/evp.h>

#include <map>

#include "sync/hub/store/sqlite/hub_internal.h"
#include "storage/device/members.h"
#include "storage/core/record_store.h"
#include "storage/core/text.h"

namespace gocua {
namespace {

// The hub's own tables, beside the record tables of storage/core/migrations.cpp. Created on open;
// a change here is a new entry (meta "hub_schema" counts them).
const char* const kHubMigrations[] = {R"SQL(
CREATE TABLE hub_devices(
  device_id TEXT PRIMARY KEY,
  commune_id TEXT NOT NULL,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  enrolled_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE hub_codes(
  code_hash TEXT PRIMARY KEY,
  commune_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_by TEXT NOT NULL DEFAULT '');
-- Highest contiguous seq processed per origin device.
CREATE TABLE hub_origins(origin_device TEXT PRIMARY KEY, max_seq INTEGER NOT NULL) WITHOUT ROWID;
-- Every op processed, in server order. served = 0 for quarantined ops (never pulled).
CREATE TABLE hub_log(
  server_seq INTEGER PRIMARY KEY,
  origin_device TEXT NOT NULL,
  seq INTEGER NOT NULL,
  record_type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  base_hlc INTEGER NOT NULL,
  base_device TEXT NOT NULL,
  hlc INTEGER NOT NULL,
  orig_hlc INTEGER NOT NULL,
  commune_id TEXT NOT NULL,
  served INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  pushed_by TEXT NOT NULL DEFAULT '',
  received_at INTEGER NOT NULL DEFAULT 0,
  UNIQUE(origin_device, seq));
CREATE INDEX hub_log_scope ON hub_log(commune_id, server_seq) WHERE served = 1;
-- The commune each record belongs to; '' = every commune (provinces, topics).
CREATE TABLE hub_scope(
  record_type TEXT NOT NULL, record_id TEXT NOT NULL, commune_id TEXT NOT NULL,
  PRIMARY KEY(record_type, record_id)) WITHOUT ROWID;
)SQL",
                                      // 2: an op's author and, for a delete, what it had seen.
                                      R"SQL(
ALTER TABLE hub_log ADD COLUMN author TEXT NOT NULL DEFAULT '';
ALTER TABLE hub_log ADD COLUMN seen_hlc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hub_log ADD COLUMN seen_device TEXT NOT NULL DEFAULT '';
)SQL",
                                      // 3: the hub keeps no derived data (HubStore::Open);
                                      // what hubs of schema 1-2 kept is emptied.
                                      R"SQL(
DELETE FROM search; DELETE FROM household_order;
DELETE FROM visit_members; DELETE FROM visit_persons; DELETE FROM visit_topics;
DELETE FROM visit_latest; DELETE FROM visit_latest_members; DELETE FROM person_online;
DELETE FROM topic_day; DELETE FROM member_day; DELETE FROM household_span; DELETE FROM person_span;
)SQL",
                                      // 4: a row of hub_log holds a run of ops (hub_internal.h).
                                      R"SQL(
ALTER TABLE hub_log ADD COLUMN n INTEGER NOT NULL DEFAULT 1;
ALTER TABLE hub_log ADD COLUMN rest TEXT NOT NULL DEFAULT '[]';
CREATE VIEW hub_ops AS
  SELECT server_seq, origin_device, seq, record_type, record_id, field, value, base_hlc,
    base_device, hlc, orig_hlc, commune_id, served, outcome, reason, pushed_by, received_at,
    author, seen_hlc, seen_device FROM hub_log
  UNION ALL
  SELECT l.server_seq + 1 + r.key, l.origin_device, l.seq + 1 + r.key, l.record_type,
    l.record_id, r.value ->> 0, r.value -> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4,
    r.value ->> 5, l.commune_id, l.served, r.value ->> 6, r.value ->> 7, l.pushed_by,
    l.received_at, r.value ->> 8, r.value ->> 9, r.value ->> 10
  FROM hub_log l, json_each(l.rest) r WHERE l.n > 1;
)SQL",
                                      // 5: no index that only a device's lists and dashboard
                                      // read (every record write paid for them).
                                      R"SQL(
DROP INDEX IF EXISTS households_village; DROP INDEX IF EXISTS households_by_id;
DROP INDEX IF EXISTS households_register; DROP INDEX IF EXISTS persons_household;
DROP INDEX IF EXISTS persons_online; DROP INDEX IF EXISTS visits_household;
DROP INDEX IF EXISTS visits_visited_on; DROP INDEX IF EXISTS visits_followup;
DROP INDEX IF EXISTS visits_status; DROP INDEX IF EXISTS visits_period;
DROP INDEX IF EXISTS visits_review; DROP INDEX IF EXISTS reviews_visit;
DROP INDEX IF EXISTS conflicts_open;
)SQL"};

}  // namespace

namespace hub_internal {

std::string Sha256Hex(const std::string& s) {
  unsigned char out[32];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), out, &n, EVP_sha256(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned i = 0; i < n; ++i) {
    hex.push_back(kHex[out[i] >> 4]);
    hex.push_back(kHex[out[i] & 15]);
  }
  return hex;
}

std::string NormaliseCode(const std::string& code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    out.push_back(static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c));
  }
  return out;
}

const char* OutcomeText(MergeOutcome o) {
  return o == MergeOutcome::kApplied  ? "applied"
         : o == MergeOutcome::kMerged ? "merged"
                                      : "conflict";
}

MergeOutcome OutcomeOf(const std::string& s) {
  return s == "applied"  ? MergeOutcome::kApplied
         : s == "merged" ? MergeOutcome::kMerged
                         : MergeOutcome::kConflict;
}

// Runs one statement that returns nothing.
Status Run(Database::Impl& d, std::unique_ptr<Stmt> q, const Status& prepare_error,
           const char* what) {
  if (!q) return prepare_error;
  int rc = q->Step();
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? Status::Ok() : d.Error(what, rc);
}

Result<std::string> ScopeOf(Database::Impl& d, const std::string& type, const std::string& id,
                            bool* found) {
  Status st;
  auto q =
      d.Prepare("SELECT commune_id FROM hub_scope WHERE record_type = ? AND record_id = ?", &st);
  if (!q) return st;
  BindStatic(*q, 1, type);
  BindStatic(*q, 2, id);
  int rc = q->Step();
  *found = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW) return q->Text(0);
  if (rc != SQLITE_DONE) return d.Error("scope", rc);
  return std::string();
}

Status SetScope(Database::Impl& d, const std::string& type, const std::string& id,
                const std::string& commune) {
  Status st;
  auto q = d.Prepare(
      "INSERT OR IGNORE INTO hub_scope(record_type, record_id, commune_id) VALUES(?, ?, ?)", &st);
  if (q) {
    BindStatic(*q, 1, type);
    BindStatic(*q, 2, id);
    BindStatic(*q, 3, commune);
  }
  return Run(d, std::move(q), st, "scope");
}

size_t ScopeCache::TypeIndex(std::string_view type) {
  for (size_t i = 0; i < types_.size(); ++i)
    if (types_[i].first == type) return i;
  last_ = nullptr;  // the maps may move (or be copied) as the vector grows
  types_.emplace_back(type, Ids());
  return types_.size() - 1;
}

ScopeCache::Ids& ScopeCache::OfType(std::string_view type) {
  return types_[TypeIndex(type)].second;
}

Result<std::string_view> ScopeCache::Of(Database::Impl& d, std::string_view type,
                                        std::string_view id, bool* found) {
  if (last_ && last_->first == id && types_[last_type_].first == type) {
    *found = true;
    return std::string_view(last_->second);
  }
  const size_t t = TypeIndex(type);
  Ids& ids = types_[t].second;
  if (auto it = ids.find(id); it != ids.end()) {
    *found = true;
    last_type_ = t;
    last_ = &*it;
    return std::string_view(it->second);
  }
  if (!unseen_type_.empty() && unseen_type_ == type && unseen_id_ == id) {
    *found = false;
    return std::string_view();
  }
  auto scope = ScopeOf(d, std::string(type), std::string(id), found);
  if (!scope) return scope.error();
  if (!*found) {
    unseen_type_ = type;
    unseen_id_ = id;
    return std::string_view();
  }
  return std::string_view(ids.emplace(std::string(id), std::move(*scope)).first->second);
}

Status ScopeCache::Set(Database::Impl& d, const std::string& type, const std::string& id,
                       const std::string& commune) {
  if (Status s = SetScope(d, type, id, commune); !s) return s;
  ForgetUnseen();
  OfType(type).insert_or_assign(id, commune);
  return Status::Ok();
}

Status SetOrigin(Database::Impl& d, const std::string& origin, int64_t max_seq) {
  Status st;
  auto q = d.Prepare(
      "INSERT INTO hub_origins(origin_device, max_seq) VALUES(?, ?) "
      "ON CONFLICT(origin_device) DO UPDATE SET max_seq = excluded.max_seq",
      &st);
  if (q) q->Bind(1, origin).Bind(2, max_seq);
  return Run(d, std::move(q), st, "origin");
}

Result<int64_t> OriginMax(Database::Impl& d, const std::string& origin) {
  Status st;
  auto q = d.Prepare("SELECT max_seq FROM hub_origins WHERE origin_device = ?", &st);
  if (!q) return st;
  q->Bind(1, origin);
  int rc = q->Step();
  if (rc == SQLITE_ROW) return q->Int(0);
  if (rc != SQLITE_DONE) return d.Error("origin", rc);
  return int64_t{0};
}

// Moves the hub's own new change-log entries (admin edits, conflict records) into the server
// log, scoped like their records. The outbox keeps them for an upstream hub.
Status FlushOwnOps(Database::Impl& d) {
  const int64_t logged = std::stoll(d.GetMeta("hub_logged_seq", "0"));
  Status st;
  std::vector<LogEntry> entries;
  {
    auto q = d.Prepare(
        "SELECT seq, record_type, record_id, field, value, base_hlc, base_device, hlc "
        "FROM outbox WHERE seq > ? ORDER BY seq",
        &st);
    if (!q) return st;
    q->Bind(1, logged);
    int rc;
    while ((rc = q->Step()) == SQLITE_ROW) {
      LogEntry e;
      e.op = {d.device_id,
              q->Int(0),
              q->Text(1),
              q->Text(2),
              q->Text(3),
              json::parse(q->Text(4), nullptr, false),
              {q->Int(5), q->Text(6)},
              q->Int(7)};
      e.orig_hlc = e.op.hlc;
      e.outcome = "applied";
      e.pushed_by = d.device_id;
      entries.push_back(std::move(e));
    }
    if (rc != SQLITE_DONE) return d.Error("outbox", rc);
  }
  if (entries.empty()) return Status::Ok();
  for (LogEntry& e : entries) {
    bool found = false;
    auto scope = ScopeOf(d, e.op.record_type, e.op.record_id, &found);
    if (!scope) return scope.error();
    e.commune_id = *scope;
    if (Status s = AppendLog(d, {e}); !s) return s;
  }
  if (Status s = SetOrigin(d, d.device_id, entries.back().op.seq); !s) return s;
  return d.SetMeta("hub_logged_seq", std::to_string(entries.back().op.seq));
}

// A hub-made record write: stamped, change-logged, scoped and put in the server log.
Status HubWrite(Database::Impl& d, const char* type, const std::string& id, const json& fields,
                const std::string& scope) {
  auto w = WriteLocal(d, *FindRecordDef(type), id, fields);
  if (!w) return w.error();
  if (Status s = SetScope(d, type, id, scope); !s) return s;
  return FlushOwnOps(d);
}

}  // namespace hub_internal

using namespace hub_internal;

HubStore::HubStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
HubStore::~HubStore() = default;

Result<std::unique_ptr<HubStore>> HubStore::Open(const std::string& path, const Clock& clock) {
  auto db = Database::Open(path, clock);
  if (!db) return db.error();
  Database::Impl& d = (*db)->impl();
  // The hub serves records and never a dashboard: the search index and the dashboard's tables
  // (kept by RefreshDerived and by triggers) would cost more than half of a push's CPU.
  d.derived = false;
  if (sqlite3_db_config(d.db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr) != SQLITE_OK)
    return d.Error("triggers off", sqlite3_errcode(d.db));
  // Checkpoints every 4,000 WAL frames (~16 MB), not SQLite's 1,000: a push's hot pages (the
  // log's and the indexes' right edges) are copied to the database once per checkpoint, and
  // each checkpoint syncs. Commits still sync the WAL (synchronous = FULL): an acknowledged
  // op survives a power cut either way.
  sqlite3_wal_autocheckpoint(d.db, 4000);
  Status st = d.Transact([&]() -> Status {
    int have = std::stoi(d.GetMeta("hub_schema", "0"));
    const int want = static_cast<int>(std::size(kHubMigrations));
    for (int v = have; v < want; ++v)
      if (Status s = d.Exec(kHubMigrations[v]); !s) return s;
    if (have < want) {
      if (Status s = d.SetMeta("hub_schema", std::to_string(want)); !s) return s;
    }
    if (d.GetMeta("hub_secret").empty()) {
      if (Status s = d.SetMeta("hub_secret", RandomHex(32)); !s) return s;
    }
    if (d.GetMeta("hub_log_id").empty()) {
      if (Status s = d.SetMeta("hub_log_id", RandomHex(4)); !s) return s;
      // The topic catalog is everyone's.
      for (const char* t : {"vneid", "dvc", "cashless", "health", "ecommerce", "safety",
                            "smartphone", "elearning", "other"})
        if (Status s = SetScope(d, "topic", t, ""); !s) return s;
    }
    return Status::Ok();
  });
  if (!st) return st;
  return std::unique_ptr<HubStore>(new HubStore(std::move(db).value()));
}

Result<Commune> HubStore::CreateCommune(const std::string& province_name,
                                        const std::string& commune_name) {
  if (FoldForSearch(province_name).empty() || FoldForSearch(commune_name).empty())
    return InvalidInput("Cần tên tỉnh và tên xã — province and commune names are required");
  Database::Impl& d = db_->impl();
  Commune c;
  Status st = d.Transact([&]() -> Status {
    Status s;
    std::string province_id;
    {
      auto q = d.Prepare("SELECT id FROM provinces WHERE name = ? AND deleted = 0", &s);
      if (!q) return s;
      q->Bind(1, *ToNfc(province_name));
      if (q->Step() == SQLITE_ROW) province_id = q->Text(0);
    }
    if (province_id.empty()) {
      province_id = NewUuidV7(d.NowMs());
      if (Status w = HubWrite(d, "province", province_id, {{"name", province_name}}, ""); !w)
        return w;
    }
    {
      auto q = d.Prepare(
          "SELECT id FROM communes WHERE province_id = ? AND name = ? AND deleted = 0", &s);
      if (!q) return s;
      q->Bind(1, province_id).Bind(2, *ToNfc(commune_name));
      if (q->Step() == SQLITE_ROW) c = {q->Text(0), province_id, *ToNfc(commune_name)};
    }
    if (!c.id.empty()) return Status::Ok();
    c = {NewUuidV7(d.NowMs()), province_id, *ToNfc(commune_name)};
    return HubWrite(d, "commune", c.id, {{"province_id", province_id}, {"name", commune_name}},
                    c.id);
  });
  if (!st) return st;
  return c;
}

Result<std::vector<Commune>> HubStore::Communes() {
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

Result<Village> HubStore::AddVillage(const std::string& commune_id, const std::string& name) {
  Database::Impl& d = db_->impl();
  if (Status s = CheckCommune(d, commune_id); !s) return s;
  if (FoldForSearch(name).empty()) return InvalidInput("Cần tên thôn — village name is required");
  Village v{NewUuidV7(d.NowMs()), commune_id, *ToNfc(name)};
  Status st = d.Transact([&] {
    return HubWrite(d, "village", v.id, {{"commune_id", commune_id}, {"name", name}}, commune_id);
  });
  if (!st) return st;
  return v;
}

Result<Member> HubStore::AddMember(const std::string& commune_id, const std::string& name,
                                   Role role, const std::string& pin) {
  Database::Impl& d = db_->impl();
  if (Status s = CheckCommune(d, commune_id); !s) return s;
  if (FoldForSearch(name).empty()) return InvalidInput("Cần tên thành viên — name is required");
  bool digits = pin.size() >= 4 && pin.size() <= 8;
  for (char ch : pin) digits = digits && ch >= '0' && ch <= '9';
  if (!digits) return InvalidInput("Mã PIN gồm 4–8 chữ số — the PIN must be 4 to 8 digits");
  Member m{NewUuidV7(d.NowMs()), commune_id, *ToNfc(name), role,
           HashPin(pin, RandomHex(16), 20000)};
  Status st = d.Transact([&] {
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

Result<std::string> HubStore::IssueEnrollmentCode(const std::string& commune_id, int64_t ttl_ms) {
  Database::Impl& d = db_->impl();
  if (Status s = CheckCommune(d, commune_id); !s) return s;
  static const char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";  // no 0/O, 1/I
  const std::string random = RandomHex(8);
  std::string code;
  for (size_t i = 0; i < 8; ++i) {
    if (i == 4) code.push_back('-');
    code.push_back(kAlphabet[std::stoi(random.substr(i * 2, 2), nullptr, 16) % 32]);
  }
  Status st = d.Transact([&]() -> Status {
    Status s;
    auto q =
        d.Prepare("INSERT INTO hub_codes(code_hash, commune_id, expires_at) VALUES(?, ?, ?)", &s);
    if (q)
      q->Bind(1, Sha256Hex(NormaliseCode(code)))
          .Bind(2, commune_id)
          .Bind(3, d.clock->NowMs() + ttl_ms);
    return Run(d, std::move(q), s, "enrollment code");
  });
  if (!st) return st;
  return code;
}

Result<std::pair<HubDevice, std::string>> HubStore::Enroll(const std::string& code,
                                                           const std::string& device_id,
                                                           const std::string& device_name) {
  Database::Impl& d = db_->impl();
  HubDevice dev;
  // The token is derived from a hub secret, the code and the device: a repeated request (a
  // lost or duplicated reply) gets the same token back, never one that locks the first out.
  const std::string code_hash = Sha256Hex(NormaliseCode(code));
  const std::string token = Sha256Hex(d.GetMeta("hub_secret") + "|" + code_hash + "|" + device_id);
  bool retry = false;
  Status st = d.Transact([&]() -> Status {
    Status s;
    const int64_t now = d.clock->NowMs();
    {
      auto q = d.Prepare(
          "SELECT commune_id, expires_at, used_by FROM hub_codes WHERE code_hash = ?", &s);
      if (!q) return s;
      q->Bind(1, Sha256Hex(NormaliseCode(code)));
      // A code already used by this same device may be used again while it is valid: the
      // first reply may have been lost on the way back (the same token is given again).
      const std::string used_by = q->Step() == SQLITE_ROW ? q->Text(2) : "-";
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
      if (q->Step() == SQLITE_ROW) {
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

Result<std::vector<HubDevice>> HubStore::CommuneDevices(const std::string& commune_id) {
  return QueryDevices(db_->impl(), "WHERE commune_id = ? AND revoked = 0", commune_id);
}

Status HubStore::NoteContact(const std::string& device_id) {
  Database::Impl& d = db_->impl();
  return d.Transact([&]() -> Status {
    Status s;
    auto q = d.Prepare("UPDATE hub_devices SET last_seen = ? WHERE device_id = ?", &s);
    if (q) q->Bind(1, d.clock->NowMs()).Bind(2, device_id);
    return Run(d, std::move(q), s, "last seen");
  });
}

Result<HubDevice> HubStore::Authenticate(const std::string& token) {
  auto devs = QueryDevices(db_->impl(), "WHERE token_hash = ?", Sha256Hex(token));
  if (!devs) return devs.error();
  if (devs->empty() || devs->front().revoked)
    return NotFound("Thiết bị chưa đăng ký hoặc đã bị thu hồi — unknown or revoked token");
  return devs->front();
}

Result<std::vector<HubDevice>> HubStore::Devices() { return QueryDevices(db_->impl(), "", ""); }

Status HubStore::RevokeDevice(const std::string& device_id) {
  Database::Impl& d = db_->impl();
  return d.Transact([&]() -> Status {
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

Result<std::vector<QuarantinedOp>> HubStore::Quarantined() {
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

Result<std::vector<ConflictRecord>> HubStore::Conflicts() {
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
