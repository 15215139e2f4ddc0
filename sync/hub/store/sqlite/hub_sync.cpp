// The SQLite hub store's side of sync (sync/hub/store/hub_store.h): Push runs the push
// policy (push_policy.h) in one transaction through SqliteTxn. (Pull: hub_pull.cpp.)
#include "sync/hub/store/push_policy.h"
#include "sync/hub/store/sqlite/hub_internal.h"
#include "sync/hub/store/sqlite/hub_store_impl.h"
#include "sync/hub/store/sqlite/sqlite_txn.h"

namespace gocua {
using namespace hub_internal;
namespace {

// PRAGMA data_version: it changes when another connection (an admin command, another
// process) commits to the file, and only then.
Result<int64_t> DataVersion(Database::Impl& d) {
  Status st;
  static const std::string kSql = "PRAGMA data_version";
  auto q = d.Prepare(kSql, &st);
  if (!q) return st;
  if (int rc = q->Step(); rc != SQLITE_ROW) return d.Error("data version", rc);
  return q->Int(0);
}

}  // namespace

ScopeCache& SqliteHubStore::KeptScopes(int64_t data_version) {
  if (!scopes_ || data_version != scopes_version_ || scopes_->size() > kMaxKeptScopes)
    scopes_ = std::make_unique<ScopeCache>();
  scopes_version_ = data_version;
  scopes_->ForgetUnseen();
  return *scopes_;
}

Result<HubPushResult> SqliteHubStore::Push(const HubDevice& device, PushOps ops) {
  Database::Impl& d = db_->impl();
  HubPushResult result;
  Status st = Transact(d, [&]() -> Status {
    auto version = DataVersion(d);
    if (!version) return version.error();
    SqliteTxn txn(d, KeptScopes(*version));
    if (Status s = ApplyPush(txn, device, std::move(ops), &result); !s) return s;
    return txn.Finish();
  });
  if (!st) {
    scopes_.reset();  // it may hold scopes that the rollback took back
    if (result.rejection.kind != PushRejection::Kind::kNone) {
      result.outcomes.clear();
      return result;
    }
    return st;
  }
  return result;
}

}  // namespace gocua
