// Helpers over the SQLite hub store's tables (sync/hub/store/sqlite/hub_internal.h): scopes,
// origins, the hub's own record writes.

#include "sync/hub/store/sqlite/hub_internal.h"

namespace gocua::hub_internal {

Status Transact(Database::Impl& d, const std::function<Status()>& body) {
  return d.Transact([&body]() -> Status {
    try {
      return body();
    } catch (const std::exception& e) {
      return Status(ErrorCode::kInternal, std::string("the hub store failed: ") + e.what());
    } catch (...) {
      return Status(ErrorCode::kInternal, "the hub store failed (an unknown exception)");
    }
  });
}

// Runs one statement that returns nothing.
Status Run(Database::Impl& d, std::unique_ptr<Stmt> q, const Status& prepare_error,
           const char* what) {
  if (!q) return prepare_error;
  int rc = q->Step();
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? Status::Ok() : d.Error(what, rc);
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
  // A type hub_ids does not number has no scoped record (not yet: a miss is not kept).
  auto type_id = TypeId(d, type, false);
  if (!type_id) return type_id.error();
  std::string key(id);
  *found = false;
  int64_t commune = 0;
  if (*type_id != 0) {
    auto scope = ScopeIdOf(d, *type_id, key, found);
    if (!scope) return scope.error();
    commune = *scope;
  }
  if (!*found) {
    unseen_type_ = type;
    unseen_id_ = id;
    return std::string_view();
  }
  auto text = CommuneText(d, commune);
  if (!text) return text.error();
  return std::string_view(ids.emplace(std::move(key), std::move(*text)).first->second);
}

Status ScopeCache::Set(Database::Impl& d, const std::string& type, const std::string& id,
                       const std::string& commune) {
  auto type_id = TypeId(d, type, true);
  if (!type_id) return type_id.error();
  auto commune_id = TextId(d, commune, &ids_);
  if (!commune_id) return commune_id.error();
  if (Status s = AddScopeIds(d, *type_id, id, *commune_id); !s) return s;
  ForgetUnseen();
  OfType(type).insert_or_assign(id, commune);
  return Status::Ok();
}

Result<int64_t> ScopeCache::TypeId(Database::Impl& d, std::string_view type, bool add) {
  if (auto it = ids_.find(std::string(type)); it != ids_.end()) return it->second;
  auto id = add ? TextId(d, std::string(type), nullptr) : FindTextId(d, type);
  if (!id) return id.error();
  if (*id != 0) ids_.emplace(std::string(type), *id);
  return *id;
}

Result<std::string> ScopeCache::CommuneText(Database::Impl& d, int64_t commune) {
  if (commune == 0) return std::string();  // everyone's
  if (auto it = texts_.find(commune); it != texts_.end()) return it->second;
  auto text = IdText(d, commune);
  if (!text) return text.error();
  texts_.emplace(commune, *text);
  return text;
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
  auto logged_seq = d.ReadMetaInt("hub_logged_seq");
  if (!logged_seq) return logged_seq.error();
  const int64_t logged = *logged_seq;
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

}  // namespace gocua::hub_internal
