#include "app/ui/screens/settings_screen.h"

#include <imgui.h>

#include <algorithm>
#include <filesystem>

#include "app/core/app_log.h"
#include "app/core/dates.h"
#include "app/core/i18n.h"
#include "app/core/restore.h"
#include "app/ui/widgets.h"
#include "platform/open_folder.h"
#include "platform/utf8_path.h"
#include "storage/core/change_log.h"
#include "storage/device/backup.h"
#include "storage/device/device_reset.h"
#include "storage/device/replica.h"

namespace gocua::app {

void SettingsScreen::Draw(AppModel& m) {
  if (!loaded_) {
    edit_ = m.settings();
    if (auto s = Replica(m.db()).State()) hub_url_ = s->hub_url;
    backups_ = ListBackups(JoinPathUtf8(m.settings().data_dir, "backups"));
    loaded_ = true;
  }
  ui::Heading(Tr("settings.title"));
  ImGui::PushItemWidth(240);
  int lang = edit_.language == "en" ? 1 : 0;
  if (ui::Combo("settings.language", Tr("settings.language"), &lang, {"Tiếng Việt", "English"})) {
    edit_.language = lang == 1 ? "en" : "vi";
  }
  int size = edit_.text_scale < 1.05f ? 0 : (edit_.text_scale < 1.3f ? 1 : 2);
  if (ui::Combo(
          "settings.text_size", Tr("settings.text_size"), &size,
          {Tr("settings.size_normal"), Tr("settings.size_large"), Tr("settings.size_larger")})) {
    static const float kScales[] = {1.0f, 1.2f, 1.45f};
    edit_.text_scale = kScales[size];
  }
  ImGui::TextUnformatted(Tr("settings.lock_after"));  // above: "10 Tự khoá…" misreads
  ui::InputInt("settings.lock", "", &edit_.lock_after_min);
  // A shared laptop holds citizens' data: a member cannot turn the lock off or make it
  // negative (= never); a leader may turn it off (0) for a laptop kept in the office.
  const int lowest = m.is_leader() ? 0 : 1;
  ui::NamedText("settings.lock_hint",
                m.is_leader() ? Tr("settings.lock_hint_leader") : Tr("settings.lock_hint"), false);
  ImGui::PopItemWidth();
  if (ui::Button("settings.save", Tr("settings.save_general"))) {
    edit_.lock_after_min = std::clamp(edit_.lock_after_min, lowest, 240);
    Status st = m.UpdateSettings(edit_);
    error_ = st.ok() ? "" : PlainText(st.message());
    if (!st.ok()) m.LogDetail("settings.save", st.message());
    if (st.ok()) m.Info(Tr("settings.saved"));
  }
  if (!error_.empty()) ui::ErrorText(error_);

  ImGui::Separator();
  DrawHub(m);
  ImGui::Text("%s: %s", Tr("settings.data_dir"), m.settings().data_dir.c_str());
  ui::HintText(Tr("settings.data_dir_hint"));
  ImGui::TextWrapped("%s: %s", Tr("settings.log_file"), LogPath(m.settings().data_dir).c_str());
  // The folders a person looks into, each opened in the file manager.
  const auto button_w = [](const char* key) {
    return ImGui::CalcTextSize(Tr(key)).x + ImGui::GetStyle().FramePadding.x * 2;
  };
  OpenFolderButton(m, "settings.open_reports", Tr("settings.open_reports"), "reports");
  ui::SameLineIfFits(button_w("settings.open_backups"));
  OpenFolderButton(m, "settings.open_backups", Tr("settings.open_backups"), "backups");
  ui::SameLineIfFits(button_w("settings.open_logs"));
  OpenFolderButton(m, "settings.open_logs", Tr("settings.open_logs"), "logs");
  ImGui::Separator();
  if (ui::Button("settings.backup", Tr("settings.backup"))) {
    auto path = BackupNow(m.db(), JoinPathUtf8(m.settings().data_dir, "backups"));
    if (path) {
      m.Info(Fmt(Tr("settings.backup_done"), {*path}));
      backups_ = ListBackups(JoinPathUtf8(m.settings().data_dir, "backups"));
    } else {
      m.Error(Tr("settings.backup_failed"));
      m.LogDetail("settings.backup", path.error().message());
    }
  }
  ImGui::SameLine();
  if (m.member() && ui::Button("settings.sign_out", Tr("settings.sign_out"))) m.SignOut();
  DrawRestore(m);
  if (m.is_leader()) DrawAddMember(m);
  if (m.is_leader()) DrawResetDevice(m);  // re-identifying the laptop is a leader's decision
}

void SettingsScreen::DrawRestore(AppModel& m) {
  ImGui::Separator();
  ImGui::TextUnformatted(Tr("restore.title"));
  const RestoreView& rv = m.restore_view();
  if (rv.finished != restores_seen_) {  // a restore ended: its outcome, and the list again
    restores_seen_ = rv.finished;
    backups_ = ListBackups(JoinPathUtf8(m.settings().data_dir, "backups"));
    restore_error_ = rv.error;
    if (rv.error.empty()) restore_pick_.clear();
  }
  if (backups_.empty()) {
    ui::NamedText("settings.restore_none", Tr("restore.none"), false);
    return;
  }
  ui::HintText(Tr("restore.hint"));
  for (const BackupFile& b : backups_) {
    const std::string label =
        BackupLabel(b.name) + "   (" + std::to_string((b.bytes + 1023) / 1024) + " KB)";
    if (ui::Selectable(("settings.restore_pick." + b.name).c_str(), label.c_str(),
                       restore_pick_ == b.path)) {
      restore_pick_ = b.path;
      restore_error_.clear();
    }
  }
  if (!restore_pick_.empty()) {
    ui::NamedText(
        "settings.restore_ask",
        Fmt(Tr("restore.ask"), {BackupLabel(PathToUtf8(PathFromUtf8(restore_pick_).filename()))}),
        true);
    if (ui::Button("settings.restore_yes", Tr("restore.yes"))) {
      restore_error_.clear();
      // Runs on its own thread; the app shows its progress bar until it ends (App::Frame).
      if (Status st = StartRestore(m, restore_pick_); !st.ok()) restore_error_ = st.message();
    }
    ImGui::SameLine();
    if (ui::Button("settings.restore_no", Tr("common.cancel"))) {
      restore_pick_.clear();
      restore_error_.clear();
    }
  }
  if (!restore_error_.empty()) ui::NamedError("settings.restore_error", restore_error_);
}

void SettingsScreen::DrawResetDevice(AppModel& m) {
  auto state = Replica(m.db()).State();
  if (!state || state->hub_url.empty()) return;  // never enrolled: no identity to renew
  ImGui::Separator();
  ImGui::TextUnformatted(Tr("reset.title"));
  ui::HintText(Tr("reset.hint"));
  if (!reset_asking_) {
    if (ui::Button("settings.reset", Tr("reset.button"))) {
      reset_asking_ = true;
      reset_error_.clear();
      auto pending = ChangeLog(m.db()).PendingCount();
      reset_pending_ = pending ? *pending : 0;
    }
  } else {
    ui::NamedText("settings.reset_ask", Fmt(Tr("reset.ask"), {std::to_string(reset_pending_)}),
                  true);
    if (ui::Button("settings.reset_yes", Tr("reset.yes"))) {
      reset_asking_ = false;
      // No sync may run with the old identity while it changes (its connection keeps the old
      // id): held, as a restore holds it.
      if (m.sync_view().running || (m.sync_worker() && !m.sync_worker()->Hold())) {
        reset_error_ = Tr("reset.sync_running");
      } else {
        auto r = ResetDeviceIdentity(m.db());
        if (m.sync_worker()) m.sync_worker()->Release();
        if (r) {
          m.LogDetail("reset-device", "new device id " + r->new_device_id + " (was " +
                                          r->old_device_id + "), kept " +
                                          std::to_string(r->kept_changes) + " unsent changes");
          m.Touch();
          m.Go({Screen::kSync});
          m.Info(Fmt(Tr("reset.done"), {std::to_string(r->kept_changes)}));
          loaded_ = false;
          return;
        }
        reset_error_ = Tr("reset.failed");
        m.LogDetail("reset-device", r.error().message());
      }
    }
    ImGui::SameLine();
    if (ui::Button("settings.reset_no", Tr("common.cancel"))) reset_asking_ = false;
  }
  if (!reset_error_.empty()) ui::NamedError("settings.reset_error", reset_error_);
}

void SettingsScreen::OpenFolderButton(AppModel& m, const char* name, const char* label,
                                      const char* sub) {
  if (!ui::Button(name, label)) return;
  const std::string dir = JoinPathUtf8(m.settings().data_dir, sub);
  std::error_code ec;
  std::filesystem::create_directories(PathFromUtf8(dir), ec);  // not made yet: show it empty
  if (Status st = OpenFolder(dir); !st.ok()) {
    m.Error(Fmt(Tr("settings.open_failed"), {dir}));
    m.LogDetail("settings.open_folder", st.message());
  }
}

void SettingsScreen::DrawHub(AppModel& m) {
  auto state = Replica(m.db()).State();
  if (!state || state->token.empty()) {
    ImGui::Text("%s: %s", Tr("settings.hub"), Tr("settings.no_hub"));
    return;
  }
  ImGui::PushItemWidth(360);
  ui::InputText("settings.hub", Tr("settings.hub"), &hub_url_);
  ImGui::PopItemWidth();
  ImGui::SameLine();
  if (hub_url_ != state->hub_url && ui::Button("settings.save_hub", Tr("settings.save_hub"))) {
    if (hub_url_.rfind("http://", 0) != 0 && hub_url_.rfind("https://", 0) != 0) {
      error_ = Tr("settings.bad_hub");
      return;
    }
    // Same commune, same token: only where the hub is.
    Status st = Replica(m.db()).SaveEnrollment(hub_url_, state->token, state->commune_id);
    if (st.ok()) {
      m.Info(Tr("settings.saved"));
      error_.clear();
    } else {
      error_ = st.message();
    }
  }
}

void SettingsScreen::DrawAddMember(AppModel& m) {
  ImGui::Separator();
  ImGui::TextUnformatted(Tr("settings.add_member"));
  ImGui::PushItemWidth(260);
  ui::InputText("settings.member_name", Tr("person.name"), &new_member_);
  ui::InputText("settings.member_pin", Tr("first_run.pin"), &new_pin_,
                ImGuiInputTextFlags_Password | ImGuiInputTextFlags_CharsDecimal);
  ImGui::PopItemWidth();
  ui::Checkbox("settings.member_leader", Tr("role.leader"), &new_leader_);
  if (ui::Button("settings.member_add", Tr("settings.member_add"))) {
    auto r = m.members().Add(new_member_, new_leader_ ? Role::kLeader : Role::kMember, new_pin_);
    if (r) {
      m.Info(Fmt(Tr("settings.member_added"), {r->name}));
      new_member_.clear();
      new_pin_.clear();
      new_leader_ = false;
      member_error_.clear();
      m.Touch();
    } else {
      member_error_ = PlainText(r.error().message());
    }
  }
  if (!member_error_.empty()) ui::ErrorText(member_error_);
}

}  // namespace gocua::app
