#include "app/core/restore.h"

#include <cstdio>
#include <ctime>
#include <memory>

#include "app/core/dates.h"
#include "app/core/i18n.h"
#include "platform/utf8_path.h"
#include "storage/device/backup.h"
#include "storage/device/replica.h"

namespace gocua::app {
namespace {

// On the UI thread, once the restore's thread has ended its work.
void Ended(AppModel& m, const std::string& backup_path, const Status& st, const std::string& kept) {
  RestoreView& view = m.restore_state();
  view.running = false;
  ++view.finished;
  if (m.sync_worker()) m.sync_worker()->Release();
  m.restore_task().reset();  // joins: the thread has posted this and returns
  if (!st.ok()) {
    m.LogDetail("restore", st.message());
    view.error =
        st.code() == ErrorCode::kCorrupt ? Tr("restore.not_a_backup") : Tr("restore.failed");
    m.Touch();
    return;
  }
  m.LogDetail("restore", "restored " + backup_path + "; the content before kept in " + kept);
  m.ReloadCommune();
  m.SignOut();  // the restored members may differ; bumps version(): every screen reloads
  const std::string label = BackupLabel(PathToUtf8(PathFromUtf8(backup_path).filename()));
  auto state = Replica(m.db()).State();
  const bool syncing = state && !state->token.empty() && m.sync_worker();
  if (syncing) m.sync_worker()->SyncNow();
  m.Info(Fmt(Tr(syncing ? "restore.done_sync" : "restore.done"), {label, kept}));
}

}  // namespace

Status StartRestore(AppModel& m, const std::string& backup_path) {
  if (m.restore_view().running) return Status(ErrorCode::kConflict, Tr("restore.running"));
  if (m.sync_view().running || (m.sync_worker() && !m.sync_worker()->Hold()))
    return Status(ErrorCode::kConflict, Tr("restore.sync_running"));
  RestoreView& view = m.restore_state();
  const int64_t finished = view.finished;
  view = RestoreView{};
  view.running = true;
  view.backup_path = backup_path;
  view.finished = finished;
  MainQueue& queue = m.queue();
  std::shared_ptr<bool> alive = m.alive();
  const std::string db_path = m.db_path();
  const std::string backups_dir = JoinPathUtf8(m.settings().data_dir, "backups");
  const Clock& clock = m.clock();
  m.restore_task() = std::make_unique<RestoreTask>(std::thread([=, &m, &queue, &clock] {
    std::string kept;
    Status st;
    {
      auto db = Database::Open(db_path, clock);  // this thread's own connection
      if (!db) {
        st = db.error();
      } else {
        int shown = -1;  // per mille last posted: a report per visible step, not per page
        st = RestoreBackup(**db, backup_path, backups_dir, &kept, [&](int done, int total) {
          const int permille = total > 0 ? static_cast<int>(int64_t{done} * 1000 / total) : 0;
          if (permille == shown) return;
          shown = permille;
          queue.Post([alive, &m, done, total] {
            if (!*alive) return;
            m.restore_state().done_pages = done;
            m.restore_state().total_pages = total;
          });
        });
      }
    }  // closed before the UI thread hears of the end
    queue.Post([alive, &m, backup_path, st, kept] {
      if (*alive) Ended(m, backup_path, st, kept);
    });
  }));
  return Status::Ok();
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
