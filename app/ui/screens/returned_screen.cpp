#include "app/ui/screens/returned_screen.h"

#include <imgui.h>

#include "app/core/dates.h"
#include "app/core/i18n.h"
#include "app/ui/widgets.h"

namespace gocua::app {

void ReturnedScreen::Draw(AppModel& m) {
  if (fresh_.Stale(m)) {
    error_.clear();
    auto page = ReviewQueue(m.db()).ReturnedTo(m.member() ? m.member()->id : "", 200);
    if (page) {
      rows_ = std::move(page->items);
    } else {
      rows_.clear();
      error_ = page.error().message();
    }
  }
  ui::Heading(Tr("returned.title"));
  if (!error_.empty()) ui::ErrorText(error_);
  if (rows_.empty()) ui::HintText(Tr("returned.none"));
  for (const ReviewQueueItem& row : rows_) {
    ImGui::PushID(row.visit.id.c_str());
    ui::CellText("returned.row." + row.visit.id,
                 ShowDate(row.visit.visited_on) + "  ·  " + row.head_name + " — " + row.address);
    ui::ErrorText(
        Fmt(Tr("returned.comment"), {row.last_review.leader_name, row.last_review.review.comment}));
    if (ui::Button(("returned.fix." + row.visit.id).c_str(), Tr("returned.fix"))) {
      m.Go({Screen::kVisitForm, row.visit.household_id, row.visit.id});
    }
    ImGui::Separator();
    ImGui::PopID();
  }
}

}  // namespace gocua::app
