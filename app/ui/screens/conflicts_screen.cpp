#include "app/ui/screens/conflicts_screen.h"

#include <imgui.h>

#include "app/core/dates.h"
#include "app/core/i18n.h"
#include "app/ui/widgets.h"

namespace gocua::app {

std::string ShowValue(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "—";
  if (v.is_array()) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + ShowValue(x);
    return out;
  }
  return v.dump();
}

namespace {

// The merged text typed by the leader, as a value of the same kind as the conflict's values.
std::optional<nlohmann::json> ParseLike(const nlohmann::json& like, const std::string& text) {
  if (like.is_string()) return nlohmann::json(text);
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

std::string Side(const ConflictView& c, bool a, const std::string& own_device) {
  const std::string& device = a ? c.device_a : c.device_b;
  const std::string& member = a ? c.author_a_name : c.author_b_name;
  const std::string where = device == own_device
                                ? std::string(Tr("conflicts.this_laptop"))
                                : Fmt(Tr("conflicts.laptop"), {device.substr(0, 8)});
  return (member.empty() ? "" : member + "  ·  ") + where + "  ·  " +
         ShowTime(a ? c.time_a_ms : c.time_b_ms);
}

}  // namespace

void ConflictsScreen::Reload(AppModel& m) {
  error_.clear();
  auto list = Conflicts(m.db()).ListOpen(200);
  if (!list) {
    error_ = list.error().message();
    return;
  }
  open_ = std::move(*list);
  if (auto n = Conflicts(m.db()).CountOpen()) total_ = *n;
}

void ConflictsScreen::Draw(AppModel& m) {
  if (fresh_.Stale(m)) Reload(m);
  ui::Heading(Tr("conflicts.title"));
  ui::HintText(Tr("conflicts.hint"));
  if (!error_.empty()) ui::ErrorText(error_);
  if (open_.empty()) {
    ImGui::TextUnformatted(Tr("conflicts.none"));
    return;
  }
  ImGui::Text("%s", Fmt(Tr("conflicts.count"), {std::to_string(total_)}).c_str());
  ImGui::BeginChild("##conflict_list", ImVec2(0, ImGui::GetContentRegionAvail().y * 0.35f), true);
  const ConflictView* chosen = nullptr;
  for (const ConflictView& c : open_) {
    const std::string label = c.record_label + "  ·  " + Tr(("field." + c.field).c_str());
    if (ui::Selectable(("conflicts.open." + c.id).c_str(), label.c_str(), selected_ == c.id)) {
      selected_ = c.id;
      merged_ = ShowValue(c.current);
    }
    if (selected_ == c.id) chosen = &c;
  }
  ImGui::EndChild();
  if (chosen) DrawDetail(m, *chosen);
}

void ConflictsScreen::DrawDetail(AppModel& m, const ConflictView& c) {
  const std::string& own = m.db().device_id();
  const bool deletion = c.field == "deleted";
  ImGui::Text("%s — %s", c.record_label.c_str(), Tr(("field." + c.field).c_str()));
  if (c.value_base && !deletion)
    ui::HintText(Fmt(Tr("conflicts.base"), {ShowValue(*c.value_base)}).c_str());
  if (ImGui::BeginTable("sides", 2, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableSetupColumn(Tr("conflicts.side_a"));
    ImGui::TableSetupColumn(Tr("conflicts.side_b"));
    ImGui::TableHeadersRow();
    ImGui::TableNextRow();
    for (bool a : {true, false}) {
      ImGui::TableNextColumn();
      const nlohmann::json& v = a ? c.value_a : c.value_b;
      if (deletion) {
        ImGui::TextWrapped("%s", v == 1 ? Tr("conflicts.deleted") : Tr("conflicts.kept"));
      } else {
        ImGui::TextWrapped("%s", ShowValue(v).c_str());
      }
      ImGui::TextDisabled("%s", Side(c, a, own).c_str());
      if (c.winner == (a ? "a" : "b")) ImGui::TextUnformatted(Tr("conflicts.holds_now"));
      const char* name = a ? "conflicts.keep_a" : "conflicts.keep_b";
      if (ui::Button(name, Tr("conflicts.keep"))) {
        Done(m, Conflicts(m.db()).Keep(c.id, m.member()->id, a ? "a" : "b"));
        return;
      }
    }
    ImGui::EndTable();
  }
  if (deletion) return;  // a record is kept or deleted: nothing to merge
  ImGui::Spacing();
  ImGui::PushItemWidth(500);
  ui::InputText("conflicts.merged", Tr("conflicts.merged"), &merged_);
  ImGui::PopItemWidth();
  if (ui::Button("conflicts.save_merged", Tr("conflicts.save_merged"))) {
    auto value = ParseLike(c.value_a, merged_);
    if (!value) {
      error_ = Tr("conflicts.bad_value");
      return;
    }
    Done(m, Conflicts(m.db()).Resolve(c.id, m.member()->id, *value));
  }
}

void ConflictsScreen::Done(AppModel& m, const Status& st) {
  if (!st.ok()) {
    error_ = st.message();
    return;
  }
  selected_.clear();
  m.Touch();
  m.Info(Tr("conflicts.resolved"));
}

}  // namespace gocua::app
