#include "storage/device/pin_attempts.h"

#include "storage/core/sqlite_db.h"

namespace gocua {

Result<PinAttempts> PinAttemptsStore::Get(const std::string& member_id) {
  Database::Impl& d = db_.impl();
  Status st;
  auto q = d.Prepare("SELECT failures, last_failure_ms FROM pin_attempts WHERE member_id = ?", &st);
  if (!q) return st;
  q->Bind(1, member_id);
  const int rc = q->Step();
  if (rc == SQLITE_DONE) return PinAttempts{};
  if (rc != SQLITE_ROW) return d.Error("pin_attempts", rc);
  return PinAttempts{static_cast<int>(q->Int(0)), q->Int(1)};
}

Status PinAttemptsStore::Put(const std::string& member_id, const PinAttempts& a) {
  Database::Impl& d = db_.impl();
  return d.Transact([&]() -> Status {
    Status st;
    auto q =
        d.Prepare(a == PinAttempts{} ? "DELETE FROM pin_attempts WHERE member_id = ?1"
                                     : "INSERT OR REPLACE INTO pin_attempts(member_id, failures, "
                                       "last_failure_ms) VALUES(?1, ?2, ?3)",
                  &st);
    if (!q) return st;
    q->Bind(1, member_id);
    if (!(a == PinAttempts{})) q->Bind(2, a.failures).Bind(3, a.last_failure_ms);
    const int rc = q->Step();
    return rc == SQLITE_DONE ? Status::Ok() : d.Error("pin_attempts", rc);
  });
}

}  // namespace gocua
