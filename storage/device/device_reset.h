#pragma once
// Re-identifying a device (gocua-cli reset-device; docs/architecture.md, "Device recovery"):
// the laptop takes a new device id and must enroll again, and its unsent changes go out under
// the new id. Used when the hub no longer accepts the old identity: the database lost changes
// the hub had acknowledged (a lost WAL, an old backup restored) and now reuses their seqs, or
// the token is lost or revoked with the old id refused.
#include <string>

#include "storage/core/database.h"

namespace gocua {

struct DeviceReset {
  std::string old_device_id, new_device_id;
  int64_t kept_changes = 0;  // unsent change-log entries, now seq 1..kept_changes
};

// In one transaction: a new device id (UUIDv7); every unsent change-log entry renumbered from
// seq 1 in its old order and re-stamped as the new device's (the record's field stamp, and a
// later entry's base or seen stamp that named an unsent entry, follow it; stamps the hub
// acknowledged keep the old id, which the hub knows); the hub token forgotten (the hub
// address, commune and pull cursor stay). `db` uses the new id at once; other connections to
// the same file must be reopened (the app restarts). Nothing changes on failure.
Result<DeviceReset> ResetDeviceIdentity(Database& db);

}  // namespace gocua
