#pragma once
// The app model: the UI thread's database connection and repositories, the signed-in member,
// where the app is (route), the message band, settings, and the sync worker's state as last
// reported. Screens read and call it; it never touches ImGui.
//
// Snapshots: screens keep their own copies of what they show and refresh them when
// version() moves (any local write or applied sync bumps it) — never a query per frame.
//
// Threading: UI thread only. The sync worker reports through the MainQueue.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/core/settings.h"
#include "app/core/sync_worker.h"
#include "platform/clock.h"
#include "storage/core/database.h"
#include "storage/device/households.h"
#include "storage/device/members.h"
#include "storage/device/persons.h"
#include "storage/device/places.h"
#include "storage/device/topics.h"
#include "storage/device/visits.h"

namespace gocua::app {

enum class Screen {
  // clang-format off
  kFirstRun, kSignIn, kToday, kHouseholds, kHousehold, kHouseholdForm, kVisitForm, kReturned,
  kSync, kSettings,
  kReview, kDashboard, kConflicts, kMembers, kLaptops,
  // clang-format on
};

struct Route {
  Screen screen = Screen::kToday;
  std::string id;  // the household (kHousehold, kVisitForm) or visit (kVisitForm edit) shown
  std::string visit_id;
};

// What the Sync screen and the status line show; updated from SyncEvents.
struct SyncView {
  bool running = false;
  bool enrolling = false;
  client::SyncPhase phase = client::SyncPhase::kPush;
  int64_t done = 0, total = 0;
  int64_t progress_reports = 0;            // since the app started
  int64_t runs_finished = 0;               // since the app started, automatic ones included
  std::optional<client::SyncResult> last;  // the last manual (or successful automatic) run
  int64_t last_finished_ms = 0;
  int64_t started_ms = 0;  // of the run going on
};

// A restore from a backup (app/core/restore.h) as the screens show it.
struct RestoreView {
  bool running = false;
  int done_pages = 0, total_pages = 0;  // of the copy; 0 total = still checking the backup
  std::string backup_path;
  std::string error;     // why the last restore failed, for the screen ("" = none)
  int64_t finished = 0;  // restores ended since the app started
};

class RestoreTask;  // app/core/restore.h

class AppModel {
 public:
  // `db` is the UI thread's connection to `<settings.data_dir>/gocua.db`. `worker`: how the
  // sync thread runs (its db_path is filled in here); nullopt = no sync thread (screenshots,
  // headless tests that do not sync).
  AppModel(std::unique_ptr<Database> db, const Clock& clock, Settings settings, MainQueue& queue,
           std::optional<SyncWorkerOptions> worker = SyncWorkerOptions{});
  ~AppModel();

  Database& db() { return *db_; }
  const Clock& clock() const { return clock_; }
  Households& households() { return households_; }
  Persons& persons() { return persons_; }
  Visits& visits() { return visits_; }
  Reviews& reviews() { return reviews_; }
  Members& members() { return members_; }
  Places& places() { return places_; }
  Topics& topics() { return topics_; }

  // Settings (saved to <data_dir>/settings.json).
  const Settings& settings() const { return settings_; }
  Status UpdateSettings(const Settings& s);

  // This device's commune; empty before first run / enrollment.
  const std::optional<Commune>& commune() const { return commune_; }
  void ReloadCommune();

  // The signed-in member. The app locks (signs out, keeping drafts) after
  // settings().lock_after_min minutes without input.
  const std::optional<Member>& member() const { return member_; }
  bool is_leader() const { return member_ && member_->role == Role::kLeader; }
  // Whether the hub enrolled this laptop as a leader's (DeviceRole "leader"), as of the last
  // ReloadCommune(): the commune's laptops are managed from such a laptop only (the hub checks).
  bool device_is_leader() const { return device_is_leader_; }
  Status SignIn(const std::string& member_id, const std::string& pin);
  // For app/core/stage.h (screenshots, benchmarks) and tests only: no PIN asked.
  void SignInWithoutPin(const Member& member);
  void SignOut();
  void NoteInput();
  // Signs out if idle too long. True when it just locked.
  bool LockIfIdle();

  const Route& route() const { return route_; }
  void Go(Route r) { route_ = std::move(r); }

  // Bumped by every write the UI makes and every sync that changed something.
  uint64_t version() const { return version_; }
  void Touch() { ++version_; }

  // The message band. A band a sync wrote goes when the next sync someone asked for starts
  // (an old "sync done" must not sit beside a sync that is failing).
  void Info(std::string text) {
    message_ = std::move(text), message_is_error_ = false, message_from_sync_ = false;
  }
  void Error(std::string text) {
    message_ = std::move(text), message_is_error_ = true, message_from_sync_ = false;
  }
  void ClearMessage() { message_.clear(); }
  const std::string& message() const { return message_; }
  bool message_is_error() const { return message_is_error_; }

  // Technical detail for <data>/logs/gocua.log (app/core/app_log.h), never for the screen.
  void LogDetail(std::string_view where, std::string_view detail);

  // Today's date on this laptop, YYYY-MM-DD.
  std::string Today() const;

  // Sync.
  const SyncView& sync_view() const { return sync_view_; }
  SyncWorker* sync_worker() { return worker_.get(); }
  std::string db_path() const;

  // A restore from a backup (app/core/restore.h): while one runs, the app shows only its
  // progress. restore_state() and restore_task() are for restore.cpp.
  const RestoreView& restore_view() const { return restore_view_; }
  RestoreView& restore_state() { return restore_view_; }
  std::unique_ptr<RestoreTask>& restore_task() { return restore_task_; }
  MainQueue& queue() { return queue_; }
  // False once the model is gone: work posted by other threads checks it before touching it.
  std::shared_ptr<bool> alive() const { return alive_; }

 private:
  void OnSyncEvent(const SyncEvent& e);

  std::unique_ptr<Database> db_;
  const Clock& clock_;
  Settings settings_;
  Households households_;
  Persons persons_;
  Visits visits_;
  Reviews reviews_;
  Members members_;
  Places places_;
  Topics topics_;
  std::optional<Commune> commune_;
  std::optional<Member> member_;
  bool device_is_leader_ = false;
  int64_t last_input_ms_ = 0;
  Route route_;
  uint64_t version_ = 1;
  std::string message_;
  bool message_is_error_ = false;
  bool message_from_sync_ = false;
  SyncView sync_view_;
  MainQueue& queue_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  RestoreView restore_view_;
  std::unique_ptr<RestoreTask> restore_task_;
  std::unique_ptr<SyncWorker> worker_;
};

// Text for a sync result a person can act on (Vietnamese or English by the current language):
// what happened and what to do, never the engine's technical text (AppModel logs that).
std::string DescribeSyncResult(const client::SyncResult& r);

}  // namespace gocua::app
