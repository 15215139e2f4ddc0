#include "app/screens/settings_screen.h"

#include <imgui.h>

#include "app/dates.h"
#include "app/i18n.h"
#include "app/widgets.h"
#include "storage/backup.h"
#include "storage/replica.h"

namespace gocua::app {

void SettingsScreen::Draw(AppModel& m) {
  if (!loaded_) {
    edit_ = m.settings();
    if (auto s = Replica(m.db()).State()) hub_url_ = s->hub_url;
    loaded_ = true;
  }
  ui::Heading(Tr("settings.title"));
  ImGui::PushItemWidth(240);
  int lang = edit_.language == "en" ? 1 : 0;
  if (ui::Combo("settings.language", Tr("settings.language"), &lang, {"Tiếng Việt", "English"})) {
    edit_.language = lang == 1 ? "en" : "vi";
  }
  int size = edit_.text_scale < 1.05f ? 0 : (edit_.text_scale < 1.3f ? 1 : 2);
  if (ui::Combo("settings.text_size", Tr("settings.text_size"), &size,
                {Tr("settings.size_normal"), Tr("settings.size_large"), Tr("settings.size_larger")})) {
    static const float kScales[] = {1.0f, 1.2f, 1.45f};
    edit_.text_scale = kScales[size];
  }
  ui::InputInt("settings.lock", Tr("settings.lock_after"), &edit_.lock_after_min);
  ImGui::PopItemWidth();
  if (ui::Button("settings.save", Tr("common.save"))) {
    Status st = m.UpdateSettings(edit_);
    error_ = st.ok() ? "" : st.message();
    if (st.ok()) m.Info(Tr("settings.saved"));
  }
  if (!error_.empty()) ui::ErrorText(error_);

  ImGui::Separator();
  ImGui::Text("%s: %s", Tr("settings.hub"), hub_url_.empty() ? Tr("settings.no_hub") : hub_url_.c_str());
  ImGui::Text("%s: %s", Tr("settings.data_dir"), m.settings().data_dir.c_str());
  ui::HintText(Tr("settings.data_dir_hint"));
  ImGui::Separator();
  if (ui::Button("settings.backup", Tr("settings.backup"))) {
    auto path = BackupNow(m.db(), m.settings().data_dir + "/backups");
    if (path) {
      m.Info(Fmt(Tr("settings.backup_done"), {*path}));
    } else {
      m.Error(std::string(Tr("settings.backup_failed")) + "\n" + path.error().message());
    }
  }
  ImGui::SameLine();
  if (m.member() && ui::Button("settings.sign_out", Tr("settings.sign_out"))) m.SignOut();
}

}  // namespace gocua::app
