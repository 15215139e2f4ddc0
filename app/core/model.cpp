#include "app/core/model.h"

#include "app/core/app_log.h"
#include "app/core/i18n.h"
#include "app/core/pin_lockout.h"
#include "app/core/restore.h"
#include "platform/utf8_path.h"

namespace gocua::app {

AppModel::AppModel(std::unique_ptr<Database> db, const Clock& clock, Settings settings,
                   MainQueue& queue, std::optional<SyncWorkerOptions> worker)
    : db_(std::move(db)),
      clock_(clock),
      settings_(std::move(settings)),
      households_(*db_),
      persons_(*db_),
      visits_(*db_),
      reviews_(*db_),
      members_(*db_),
      places_(*db_),
      topics_(*db_),
      queue_(queue) {
  ReloadCommune();
  route_.screen = commune_ ? Screen::kSignIn : Screen::kFirstRun;
  last_input_ms_ = clock_.NowMs();
  if (worker) {
    SyncWorkerOptions options = *worker;
    options.db_path = db_path();
    worker_ = std::make_unique<SyncWorker>(options, clock_, queue,
                                           [this](const SyncEvent& e) { OnSyncEvent(e); });
  }
}

AppModel::~AppModel() {
  *alive_ = false;        // reports still queued are dropped (Drain runs on this thread)
  restore_task_.reset();  // waits for a restore's copy to end
  worker_.reset();        // joins the worker before the model goes
}

void AppModel::LogDetail(std::string_view where, std::string_view detail) {
  AppendLog(settings_.data_dir, clock_.NowMs(), where, detail);
}

std::string AppModel::db_path() const { return JoinPathUtf8(settings_.data_dir, "gocua.db"); }

Status AppModel::UpdateSettings(const Settings& s) {
  Settings next = s;
  next.data_dir = settings_.data_dir;
  next.assets_dir = settings_.assets_dir;
  if (next.language != settings_.language) {
    if (Status st = LoadLanguage(next.assets_dir, next.language); !st.ok()) return st;
  }
  settings_ = next;
  Touch();
  return SaveSettings(settings_);
}

void AppModel::ReloadCommune() {
  auto role = DeviceRole(*db_);
  device_is_leader_ = role && *role == "leader";
  auto c = places_.LocalCommune();
  if (c) {
    commune_ = *c;
  } else {
    commune_.reset();
  }
}

Status AppModel::SignIn(const std::string& member_id, const std::string& pin) {
  // A leader's work is done on a leader's laptop (docs/security.md): on a member's laptop a
  // leader has no PIN hash (the hub sends it to leaders' laptops only), and if one is left from
  // before, the leader signs in as a member would, told why.
  auto may_lead = DeviceMayLead(*db_);
  if (!may_lead) return may_lead.error();
  auto m = members_.Get(member_id);
  if (!m) {
    // Deactivated by a leader (a tombstone, storage/device/members.h): said plainly.
    if (auto off = members_.IsDeactivated(member_id); off && *off)
      return InvalidInput(Tr("signin.deactivated"));
    return m.error();
  }
  if (m->role == Role::kLeader && !*may_lead && m->pin_hash.empty())
    return InvalidInput(kNotLeaderDevice);
  // Wrong PINs are counted per member and lock the member out for a while (pin_lockout.h).
  // CheckPinWithLockout goes through Members::CheckPin, which may re-hash a legacy PIN hash.
  auto check = CheckPinWithLockout(*db_, clock_, member_id, pin);
  if (!check) return check.error();
  if (check->verdict == PinVerdict::kLocked || check->wait_ms > 0)
    return InvalidInput(LockoutMessage(check->wait_ms));
  if (check->verdict != PinVerdict::kRight) return InvalidInput(Tr("signin.wrong_pin"));
  m = members_.Get(member_id);
  if (!m) return m.error();
  member_ = *m;
  db_->SetAuthor(member_->id);  // every write from now on is this member's
  last_input_ms_ = clock_.NowMs();
  route_ = Route{Screen::kToday};
  ClearMessage();
  if (member_->role == Role::kLeader && !*may_lead) {
    member_->role = Role::kMember;  // no leader's screens: the hub would refuse their changes
    Info(kNotLeaderDevice);
  }
  Touch();
  return Status::Ok();
}

void AppModel::SignInWithoutPin(const Member& member) {
  member_ = member;
  db_->SetAuthor(member_->id);
  last_input_ms_ = clock_.NowMs();
  route_ = Route{Screen::kToday};
  Touch();
}

void AppModel::SignOut() {
  member_.reset();
  db_->SetAuthor("");
  route_ = Route{Screen::kSignIn};
  Touch();
}

void AppModel::NoteInput() { last_input_ms_ = clock_.NowMs(); }

bool AppModel::LockIfIdle() {
  if (!member_ || settings_.lock_after_min <= 0) return false;
  if (clock_.NowMs() - last_input_ms_ < int64_t{settings_.lock_after_min} * 60000) return false;
  SignOut();
  Info(Tr("signin.locked_idle"));
  return true;
}

std::string AppModel::Today() const { return LocalDate(clock_.NowMs()); }

void AppModel::OnSyncEvent(const SyncEvent& e) {
  switch (e.kind) {
    case SyncEvent::Kind::kStarted:
      sync_view_.running = true;
      sync_view_.enrolling = e.enroll;
      sync_view_.done = sync_view_.total = 0;
      sync_view_.started_ms = clock_.NowMs();
      if (!e.automatic && message_from_sync_) ClearMessage();
      break;
    case SyncEvent::Kind::kProgress:
      sync_view_.phase = e.phase;
      sync_view_.done = e.done;
      sync_view_.total = e.total;
      ++sync_view_.progress_reports;
      break;
    case SyncEvent::Kind::kFinished: {
      sync_view_.running = false;
      ++sync_view_.runs_finished;
      const bool quiet_failure = e.automatic && !e.result.ok();
      if (!e.result.ok()) {
        LogDetail(
            e.enroll ? "enroll" : (e.automatic ? "sync.auto" : "sync"),
            std::string(client::FailureName(e.result.failure)) + ": " + e.result.error.message());
      }
      if (!quiet_failure) {
        sync_view_.last = e.result;
        sync_view_.last_finished_ms = clock_.NowMs();
      }
      if (e.enroll && e.result.ok()) {
        ReloadCommune();
        route_ = Route{Screen::kSignIn};
      }
      if (e.result.pulled > 0 || e.result.pushed > 0 || e.enroll) Touch();
      if (!e.automatic) {
        if (e.result.ok() && e.result.quarantined == 0) {
          Info(DescribeSyncResult(e.result));
        } else {
          Error(DescribeSyncResult(e.result));
        }
        message_from_sync_ = true;
      }
      break;
    }
  }
}

std::string DescribeSyncResult(const client::SyncResult& r) {
  if (r.ok()) {
    std::string text =
        Fmt(Tr("sync.result_ok"),
            {std::to_string(r.pushed), std::to_string(r.pulled), std::to_string(r.conflicts)});
    // Changes the hub refused (a leader's work sent from a member's laptop, ...): kept by the
    // hub for its admin, never applied. The reasons are the hub's; the person is told what to do.
    if (r.quarantined > 0)
      text += " " + Fmt(Tr("sync.quarantined"), {std::to_string(r.quarantined)});
    return text;
  }
  // The headline says what to do; the engine's detail (library text, addresses) is logged.
  const std::string key = "sync.failure." + std::string(client::FailureName(r.failure));
  return Tr(key.c_str());
}

}  // namespace gocua::app
