#include "app/ui/screens/sync_screen.h"

#include <imgui.h>

#include "app/core/dates.h"
#include "app/core/i18n.h"
#include "app/ui/widgets.h"
#include "storage/core/change_log.h"

namespace gocua::app {

void SyncScreen::Draw(AppModel& m) {
  const SyncView& sv = m.sync_view();
  if (fresh_.Stale(m) || sv.running) {
    if (auto s = Replica(m.db()).State()) state_ = *s;
    if (auto n = ChangeLog(m.db()).PendingCount()) unsynced_ = *n;
  }
  ui::Heading(Tr("sync.title"));
  if (state_.hub_url.empty()) {
    ui::HintText(Tr("sync.not_enrolled"));
    return;
  }
  ImGui::Text("%s: %s", Tr("sync.hub"), state_.hub_url.c_str());
  ImGui::Text("%s", Fmt(Tr("today.unsynced"), {std::to_string(unsynced_)}).c_str());
  ImGui::Text("%s", state_.last_sync_ms
                        ? Fmt(Tr("today.last_sync"), {ShowTime(state_.last_sync_ms)}).c_str()
                        : Tr("today.never_synced"));
  ImGui::Spacing();
  SyncWorker* worker = m.sync_worker();
  if (state_.token.empty() && !sv.running) {
    DrawEnrollAgain(m);
  } else if (sv.running && sv.done == 0 && sv.total == 0) {
    // Nothing moved yet: connecting, and the engine tries again by itself if the link is bad.
    const int64_t seconds = (m.clock().NowMs() - sv.started_ms) / 1000;
    ui::NamedText("sync.connecting", Fmt(Tr("sync.connecting"), {std::to_string(seconds)}), false);
    if (worker && ui::Button("sync.cancel", Tr("common.cancel"))) worker->Cancel();
  } else if (sv.running) {
    const char* phase =
        sv.phase == client::SyncPhase::kPush ? Tr("sync.pushing") : Tr("sync.pulling");
    const std::string overlay = Fmt(phase, {std::to_string(sv.done), std::to_string(sv.total)});
    const float fraction =
        sv.total > 0 ? static_cast<float>(sv.done) / static_cast<float>(sv.total) : 0.0f;
    ImGui::ProgressBar(fraction, ImVec2(420, 0), overlay.c_str());
    if (worker && ui::Button("sync.cancel", Tr("common.cancel"))) worker->Cancel();
  } else if (worker && ui::Button("sync.now", Tr("sync.now"))) {
    worker->SyncNow();
  }
  ImGui::Spacing();
  ui::HintText(Tr("sync.auto_hint"));
  if (sv.last) {
    ImGui::Separator();
    ImGui::Text("%s %s", Tr("sync.last_result"), ShowTime(sv.last_finished_ms).c_str());
    if (sv.last->ok()) {
      ImGui::TextWrapped("%s", DescribeSyncResult(*sv.last).c_str());
    } else {
      ui::ErrorText(DescribeSyncResult(*sv.last));
    }
  }
}

void SyncScreen::DrawEnrollAgain(AppModel& m) {
  ui::NamedText("sync.enroll_again", Tr("sync.enroll_again"), false);
  ImGui::PushItemWidth(280);
  ui::InputText("sync.code", Tr("first_run.code"), &code_);
  ui::InputText("sync.device_name", Tr("first_run.device_name"), &device_name_);
  ImGui::PopItemWidth();
  if (ui::Button("sync.enroll", Tr("first_run.enroll")) && m.sync_worker() && !code_.empty()) {
    m.sync_worker()->Enroll(state_.hub_url, code_, device_name_.empty() ? "gocua" : device_name_);
    code_.clear();
  }
}

}  // namespace gocua::app
