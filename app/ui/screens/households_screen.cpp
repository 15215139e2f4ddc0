#include "app/ui/screens/households_screen.h"

#include <imgui.h>

#include <algorithm>
#include <cstdlib>

#include "app/core/i18n.h"
#include "app/ui/widgets.h"

namespace gocua::app {
namespace {

std::string VillageId(const std::vector<Village>& vs, int index) {
  return index >= 0 && index < static_cast<int>(vs.size()) ? vs[index].id : "";
}

}  // namespace

void HouseholdsScreen::Reload(AppModel& m) {
  error_.clear();
  pages_.clear();
  found_.clear();
  if (auto v = m.places().Villages()) {
    villages_ = std::move(*v);
    village_names_.clear();
    for (const Village& vi : villages_) village_names_[vi.id] = vi.name;
  }
  const std::string village = VillageId(villages_, village_index_);
  if (query_.empty()) {
    auto c = m.households().Count(village);
    if (c) {
      count_ = *c;
    } else {
      error_ = c.error().message();
      count_ = 0;
    }
    return;
  }
  auto r = m.households().Search(query_, kSearchLimit);
  if (!r) {
    error_ = r.error().message();
    return;
  }
  for (Household& h : *r) {
    if (village.empty() || h.village_id == village) found_.push_back(std::move(h));
  }
  count_ = static_cast<int64_t>(found_.size());
}

const Household* HouseholdsScreen::Row(AppModel& m, int index) {
  if (!query_.empty()) return index < static_cast<int>(found_.size()) ? &found_[index] : nullptr;
  const int page = index / kPage;
  auto it = pages_.find(page);
  if (it == pages_.end()) {
    auto r = m.households().List({VillageId(villages_, village_index_), kPage, page * kPage});
    if (!r) {
      error_ = r.error().message();
      return nullptr;
    }
    // Keep the pages near the view only: scrolling through 50,000 rows must not hold them all.
    // The farthest from the view goes, never page 0 (the clipper measures its first row every
    // frame) — evicting by distance from the page asked for would drop the view's own page.
    while (pages_.size() >= kPagesKept) {
      auto far = pages_.end();
      int far_distance = -1;
      for (auto p = pages_.begin(); p != pages_.end(); ++p) {
        const int distance = std::abs(p->first - view_page_);
        if (p->first != 0 && distance > far_distance) far = p, far_distance = distance;
      }
      if (far == pages_.end()) break;
      pages_.erase(far);
    }
    it = pages_.emplace(page, std::move(*r)).first;
  }
  const size_t at = static_cast<size_t>(index % kPage);
  return at < it->second.size() ? &it->second[at] : nullptr;
}

void HouseholdsScreen::Draw(AppModel& m) {
  bool reload = fresh_.Stale(m);
  ui::Heading(Tr("households.title"));

  std::vector<std::string> names{Tr("households.all_villages")};
  for (const Village& v : villages_) names.push_back(v.name);
  int combo = village_index_ + 1;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(Tr("households.village"));
  ImGui::SameLine();
  ImGui::PushItemWidth(220);
  if (ui::Combo("households.village", "", &combo, names)) {
    village_index_ = combo - 1;
    reload = true;
  }
  ImGui::PopItemWidth();
  // The search and "add" go on the same line while they fit (large text: below).
  const float add_w = ImGui::CalcTextSize(Tr("households.add")).x +
                      ImGui::GetStyle().FramePadding.x * 2 + ImGui::GetStyle().ItemSpacing.x;
  ui::SameLineIfFits(200 + add_w);
  ImGui::PushItemWidth(std::min(360.0f, ImGui::GetContentRegionAvail().x - add_w));
  // Coming to this screen puts the keys in the search; Enter opens the one household found.
  const int frame = ImGui::GetFrameCount();
  if (frame - last_frame_ > 1) ImGui::SetKeyboardFocusHere();
  last_frame_ = frame;
  if (ui::InputTextHint("households.search", Tr("households.search"), &query_)) reload = true;
  const bool enter = (ImGui::IsItemActive() || ImGui::IsItemDeactivated()) &&
                     ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false);
  ImGui::PopItemWidth();
  ui::SameLineIfFits(add_w);
  if (ui::Button("households.add", Tr("households.add"))) m.Go({Screen::kHouseholdForm, ""});
  if (reload) Reload(m);
  if (enter && !query_.empty() && found_.size() == 1) {
    m.Go({Screen::kHousehold, found_.front().id});
    return;
  }

  if (!error_.empty()) ui::ErrorText(error_);
  const std::string shown =
      query_.empty() ? Fmt(Tr("households.count"), {std::to_string(count_)})
                     : Fmt(Tr("households.found"), {std::to_string(count_)}) +
                           (count_ >= kSearchLimit ? std::string(" ") + Tr("households.refine")
                                                   : std::string());
  ui::HintText(shown);
  if (count_ == 0 && query_.empty() && village_index_ < 0) {
    // Nothing yet: say what to do.
    ui::NamedText("households.empty", Tr("households.empty"), false);
  } else if (count_ == 0 && !query_.empty()) {
    ui::NamedText("households.none_found", Tr("households.none_found"), false);
  }

  // No alternate row fill: under a software renderer every filled pixel costs frame time.
  const ImGuiTableFlags flags =
      ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_Resizable;
  if (!ImGui::BeginTable("households", 4, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(Tr("household.head"), ImGuiTableColumnFlags_WidthStretch, 2.0f);
  ImGui::TableSetupColumn(Tr("household.address"), ImGuiTableColumnFlags_WidthStretch, 2.0f);
  ImGui::TableSetupColumn(Tr("household.village"), ImGuiTableColumnFlags_WidthStretch, 1.2f);
  ImGui::TableSetupColumn(Tr("household.phone"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableHeadersRow();
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(count_));
  while (clipper.Step()) {
    view_page_ = clipper.DisplayStart / kPage;
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const Household* h = Row(m, i);
      if (!h) continue;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::PushID(h->id.c_str());
      if (ui::Selectable(("households.row." + h->id).c_str(), h->head_name.c_str(), false)) {
        m.Go({Screen::kHousehold, h->id});
      }
      ImGui::PopID();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(h->address.c_str());
      ImGui::TableNextColumn();
      auto vn = village_names_.find(h->village_id);
      ImGui::TextUnformatted(vn == village_names_.end() ? "" : vn->second.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(h->phone.c_str());
    }
  }
  ImGui::EndTable();
}

}  // namespace gocua::app
