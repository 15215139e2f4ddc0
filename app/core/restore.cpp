#include "app/core/restore.h"

#include <cstdio>
#include <ctime>

#include "app/core/dates.h"
#include "app/core/i18n.h"
#include "platform/utf8_path.h"
#include "storage/device/backup.h"
#include "storage/device/replica.h"

namespace gocua::app {

Result<RestoreDone> RestoreFromBackup(AppModel& m, const std::string& backup_path) {
  if (m.sync_view().running || (m.sync_worker() && m.sync_worker()->busy())) {
    return Status(ErrorCode::kConflict, Tr("restore.sync_running"));
  }
  RestoreDone done;
  Status st = RestoreBackup(m.db(), backup_path, JoinPathUtf8(m.settings().data_dir, "backups"), &done.kept);
  if (!st.ok()) {
    m.LogDetail("restore", st.message());
    return Status(st.code(), st.code() == ErrorCode::kCorrupt ? Tr("restore.not_a_backup")
                                                              : Tr("restore.failed"));
  }
  m.LogDetail("restore", "restored " + backup_path + "; the content before kept in " + done.kept);
  m.ReloadCommune();
  m.SignOut();  // the restored members may differ; bumps version(): every screen reloads
  auto state = Replica(m.db()).State();
  if (state && !state->token.empty() && m.sync_worker()) {
    m.sync_worker()->SyncNow();
    done.syncing = true;
  }
  return done;
}

std::string BackupLabel(const std::string& name) {
  int y, mo, d, h, mi, s;
  if (std::sscanf(name.c_str(), "gocua-%4d%2d%2d-%2d%2d%2d", &y, &mo, &d, &h, &mi, &s) != 6) {
    return name;
  }
  std::tm t{};
  t.tm_year = y - 1900;
  t.tm_mon = mo - 1;
  t.tm_mday = d;
  t.tm_hour = h;
  t.tm_min = mi;
  t.tm_sec = s;
#ifdef _WIN32
  const long long secs = _mkgmtime(&t);
#else
  const long long secs = timegm(&t);
#endif
  return ShowTime(secs * 1000);
}

}  // namespace gocua::app
