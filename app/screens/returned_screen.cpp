#include "app/screens/returned_screen.h"

#include <imgui.h>

#include "app/dates.h"
#include "app/i18n.h"
#include "app/widgets.h"

namespace gocua::app {

void ReturnedScreen::Draw(AppModel& m) {
  if (fresh_.Stale(m)) {
    rows_.clear();
    error_.clear();
    const std::string me = m.member() ? m.member()->id : "";
    auto visits = m.visits().List({.member_id = me, .status = kStatusReturned, .limit = 200});
    if (!visits) error_ = visits.error().message();
    for (Visit& v : visits ? *visits : std::vector<Visit>{}) {
      Row row{std::move(v), "", "", ""};
      if (auto h = m.households().Get(row.visit.household_id)) {
        row.household = h->head_name + " — " + h->address;
      }
      if (auto reviews = m.reviews().OfVisit(row.visit.id)) {
        for (const Review& r : *reviews) {
          if (r.decision != kStatusReturned) continue;
          row.comment = r.comment;
          if (auto leader = m.members().Get(r.leader_id)) row.leader = leader->name;
        }
      }
      rows_.push_back(std::move(row));
    }
  }
  ui::Heading(Tr("returned.title"));
  if (!error_.empty()) ui::ErrorText(error_);
  if (rows_.empty()) ui::HintText(Tr("returned.none"));
  for (const Row& row : rows_) {
    ImGui::PushID(row.visit.id.c_str());
    ImGui::Text("%s  ·  %s", ShowDate(row.visit.visited_on).c_str(), row.household.c_str());
    ui::ErrorText(Fmt(Tr("returned.comment"), {row.leader, row.comment}));
    if (ui::Button(("returned.fix." + row.visit.id).c_str(), Tr("returned.fix"))) {
      m.Go({Screen::kVisitForm, row.visit.household_id, row.visit.id});
    }
    ImGui::Separator();
    ImGui::PopID();
  }
}

}  // namespace gocua::app
