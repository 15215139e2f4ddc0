#include "app/ui/screens/review_screen.h"

#include <imgui.h>

#include "app/core/dates.h"
#include "app/core/i18n.h"
#include "app/ui/widgets.h"

namespace gocua::app {
namespace {

const char* const kStatuses[] = {kStatusPending, kStatusReturned, kStatusApproved, ""};

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// One decision of the history: "time, leader: approved" or "…: returned. Lời nhắn: …".
std::string HistoryLine(const ReviewEntry& e) {
  const std::string what = Tr(("review.did." + e.review.decision).c_str());
  const std::string time = ShowTime(e.review.decided_at);
  if (e.review.comment.empty()) return Fmt(Tr("review.history_line"), {time, e.leader_name, what});
  return Fmt(Tr("review.history_comment"), {time, e.leader_name, what, e.review.comment});
}

}  // namespace

void ReviewScreen::Reload(AppModel& m) {
  error_.clear();
  if (auto v = m.places().Villages()) villages_ = std::move(*v);
  if (auto mm = m.members().List()) members_ = std::move(*mm);
  if (auto t = m.topics().List()) topics_ = std::move(*t);
  ReviewQueueQuery q;
  q.status = kStatuses[status_];
  if (village_ > 0 && village_ <= static_cast<int>(villages_.size()))
    q.village_id = villages_[village_ - 1].id;
  if (member_ > 0 && member_ <= static_cast<int>(members_.size()))
    q.member_id = members_[member_ - 1].id;
  if (topic_ > 0 && topic_ <= static_cast<int>(topics_.size())) q.topic_id = topics_[topic_ - 1].id;
  auto from = ParseDate(from_text_), to = ParseDate(to_text_);
  date_error_ = (!from || !to) ? Tr("visit.bad_date") : "";
  if (from) q.from = *from;
  if (to) q.to = *to;
  q.limit = kPage;
  q.offset = page_ * kPage;
  auto page = ReviewQueue(m.db()).List(q);
  if (!page) {
    error_ = page.error().message();
    queue_ = {};
    return;
  }
  queue_ = std::move(*page);
  std::set<std::string> still;
  for (const auto& item : queue_.items) {
    if (ticked_.count(item.visit.id)) still.insert(item.visit.id);
  }
  ticked_ = std::move(still);
  if (!open_id_.empty()) {
    if (auto h = ReviewQueue(m.db()).History(open_id_)) history_ = std::move(*h);
  }
}

void ReviewScreen::Draw(AppModel& m) {
  bool reload = fresh_.Stale(m);
  ui::Heading(Tr("review.title"));
  DrawFilters(m, &reload);
  if (reload) Reload(m);
  if (!error_.empty()) ui::ErrorText(error_);
  DrawList(m);
  DrawDetail(m);
}

void ReviewScreen::DrawFilters(AppModel& m, bool* reload) {
  (void)m;
  std::vector<std::string> villages{Tr("review.any_village")}, members{Tr("review.any_member")},
      topics{Tr("review.any_topic")};
  for (const Village& v : villages_) villages.push_back(v.name);
  for (const Member& mm : members_) members.push_back(mm.name);
  for (const Topic& t : topics_)
    topics.push_back(CurrentLanguage() == "en" ? t.name_en : t.name_vi);
  const std::vector<std::string> statuses{Tr("status.pending"), Tr("status.returned"),
                                          Tr("status.approved"), Tr("review.any_status")};
  ImGui::PushItemWidth(170);
  bool changed = ui::Combo("review.status", "##status", &status_, statuses);
  ImGui::SameLine();
  changed |= ui::Combo("review.village", "##village", &village_, villages);
  ImGui::SameLine();
  changed |= ui::Combo("review.member", "##member", &member_, members);
  ImGui::SameLine();
  changed |= ui::Combo("review.topic", "##topic", &topic_, topics);
  ImGui::PopItemWidth();
  ImGui::PushItemWidth(130);
  changed |= ui::InputText("review.from", Tr("review.from"), &from_text_);
  ImGui::SameLine();
  changed |= ui::InputText("review.to", Tr("review.to"), &to_text_);
  ImGui::PopItemWidth();
  if (!date_error_.empty()) ui::ErrorText(date_error_);
  if (changed) {
    page_ = 0;
    *reload = true;
  }
}

void ReviewScreen::DrawList(AppModel& m) {
  ImGui::Text("%s", Fmt(Tr("review.count"), {std::to_string(queue_.total)}).c_str());
  if (queue_.total == 0) ui::NamedText("review.none", Tr("review.none"), false);
  if (!ticked_.empty()) {
    ImGui::SameLine();
    const std::string label = Fmt(Tr("review.approve_ticked"), {std::to_string(ticked_.size())});
    if (ui::Button("review.approve_ticked", label.c_str())) {
      Decide(m, std::vector<std::string>(ticked_.begin(), ticked_.end()), kStatusApproved);
    }
  }
  const float list_height = open_id_.empty() ? 0.0f : ImGui::GetContentRegionAvail().y * 0.45f;
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
  if (ImGui::BeginTable("queue", 5, flags, ImVec2(0, list_height))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    // The tick column is as wide as a check box at the current text size.
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFrameHeight());
    ImGui::TableSetupColumn(Tr("review.date"), 0, 1.2f);
    ImGui::TableSetupColumn(Tr("household.head"), 0, 3.0f);
    ImGui::TableSetupColumn(Tr("visit.members"), 0, 2.5f);
    ImGui::TableSetupColumn(Tr("review.state"), 0, 1.3f);
    ImGui::TableHeadersRow();
    for (const ReviewQueueItem& item : queue_.items) {
      const std::string& id = item.visit.id;
      ImGui::PushID(id.c_str());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      if (item.visit.status == kStatusPending) {
        bool on = ticked_.count(id) > 0;
        if (ui::Checkbox(("review.tick." + id).c_str(), "", &on)) {
          if (on) {
            ticked_.insert(id);
          } else {
            ticked_.erase(id);
          }
        }
      }
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(ShowDate(item.visit.visited_on).c_str());
      ImGui::TableNextColumn();
      const std::string label =
          item.head_name + " — " + item.address + " (" + item.village_name + ")";
      if (ui::Selectable(("review.open." + id).c_str(), label.c_str(), open_id_ == id)) {
        open_id_ = id;
        comment_.clear();
        if (auto h = ReviewQueue(m.db()).History(id)) history_ = std::move(*h);
        if (auto p = m.persons().OfHousehold(item.visit.household_id)) persons_ = std::move(*p);
      }
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(Join(item.member_names).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(Tr(("status." + item.visit.status).c_str()));
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (queue_.total > kPage) {
    if (page_ > 0 && ui::Button("review.prev", Tr("review.prev"))) {
      --page_;
      fresh_.Invalidate();
    }
    ImGui::SameLine();
    ImGui::Text("%d/%lld", page_ + 1, static_cast<long long>((queue_.total + kPage - 1) / kPage));
    ImGui::SameLine();
    if ((page_ + 1) * kPage < queue_.total && ui::Button("review.next", Tr("review.next"))) {
      ++page_;
      fresh_.Invalidate();
    }
  }
}

void ReviewScreen::DrawDetail(AppModel& m) {
  if (open_id_.empty()) return;
  const ReviewQueueItem* item = nullptr;
  for (const auto& it : queue_.items) {
    if (it.visit.id == open_id_) item = &it;
  }
  if (!item) {
    open_id_.clear();
    return;
  }
  const Visit& v = item->visit;
  ImGui::Separator();
  ImGui::Text("%s  ·  %s — %s  ·  %d %s", ShowDate(v.visited_on).c_str(), item->head_name.c_str(),
              item->address.c_str(), v.minutes, Tr("visit.minutes"));
  std::vector<std::string> guided;
  for (const Person& p : persons_) {
    for (const std::string& id : v.persons) {
      if (id == p.id) guided.push_back(p.name);
    }
  }
  ImGui::TextWrapped("%s: %s", Tr("visit.persons"), Join(guided).c_str());
  for (const auto& [topic, result] : v.topics) {
    std::string name = topic;
    for (const Topic& t : topics_) {
      if (t.id == topic) name = CurrentLanguage() == "en" ? t.name_en : t.name_vi;
    }
    ImGui::BulletText("%s — %s", name.c_str(), Tr(("result." + result).c_str()));
  }
  if (!v.notes.empty()) ImGui::TextWrapped("%s: %s", Tr("visit.notes"), v.notes.c_str());
  if (!v.followup_on.empty()) {
    ImGui::Text("%s", Fmt(Tr("visit.followup_on"), {ShowDate(v.followup_on)}).c_str());
  }
  if (!history_.empty()) {
    ImGui::TextUnformatted(Tr("review.history"));
    int n = 0;
    for (const ReviewEntry& e : history_) {
      ImGui::Bullet();
      ui::NamedText(("review.history." + std::to_string(++n)).c_str(), HistoryLine(e), false);
    }
  }
  if (v.status == kStatusApproved) {
    if (ui::Button("review.reopen", Tr("visit.reopen")) && m.member()) {
      if (auto r = m.reviews().Reopen(v.id, m.member()->id); r) {
        m.Touch();
        m.Info(Tr("visit.reopened"));
      } else {
        error_ = Tr("visit.reopen_failed");
        m.LogDetail("review.reopen", r.error().message());
      }
    }
    return;
  }
  if (v.status != kStatusPending) return;
  ImGui::PushItemWidth(500);
  ui::InputText("review.comment", Tr("review.comment"), &comment_);
  ImGui::PopItemWidth();
  if (ui::Button("review.approve", Tr("review.approve"))) Decide(m, {v.id}, kStatusApproved);
  ImGui::SameLine();
  if (ui::Button("review.return", Tr("review.return"))) {
    if (comment_.empty()) {
      error_ = Tr("review.need_comment");
    } else {
      Decide(m, {v.id}, kStatusReturned);
    }
  }
}

void ReviewScreen::Decide(AppModel& m, const std::vector<std::string>& ids,
                          const std::string& decision) {
  if (!m.member()) return;
  auto r = ReviewQueue(m.db()).DecideMany(ids, m.member()->id, decision,
                                          decision == kStatusReturned ? comment_ : "");
  if (!r) {
    error_ = r.error().message();
    return;
  }
  int done = 0;
  std::string failed;
  for (const BatchItemResult& item : *r) {
    if (item.status.ok()) {
      ++done;
    } else {
      failed = item.status.message();
    }
  }
  ticked_.clear();
  comment_.clear();
  m.Touch();
  if (failed.empty()) {
    m.Info(Fmt(Tr("review.decided"), {std::to_string(done)}));
  } else {
    m.Error(Fmt(Tr("review.decided"), {std::to_string(done)}) + "\n" + failed);
  }
}

}  // namespace gocua::app
