#include "app/ui/screens/dashboard_screen.h"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "app/core/dates.h"
#include "app/core/i18n.h"
#include "app/ui/charts.h"
#include "app/ui/ui_probe.h"
#include "app/ui/widgets.h"
#include "platform/utf8_path.h"
#include "storage/io/monthly_report.h"

namespace gocua::app {
namespace {

std::string Ratio(int64_t a, int64_t b) { return std::to_string(a) + "/" + std::to_string(b); }

// The village table's indicator columns after the name, and one village's values for them.
constexpr const char* kVillageColumns[] = {"dashboard.households", "dashboard.visited",
                                           "dashboard.persons_guided",
                                           "dashboard.working_age_online", "dashboard.five_skills"};
constexpr int kVillageValues = 5;

std::vector<std::string> VillageValues(const VillageIndicators& v) {
  return {std::to_string(v.households), std::to_string(v.households_visited),
          std::to_string(v.persons_guided), Ratio(v.working_age_online, v.working_age),
          std::to_string(v.households_five_skills)};
}

// A village's probe name: its id, or "commune" for the commune row.
std::string VillageKey(const VillageIndicators& v) {
  return v.village_id.empty() ? std::string("commune") : v.village_id;
}

// The first day of the month before the one holding `day` (YYYY-MM-DD).
std::string PreviousMonthDay(const std::string& day) {
  int y = std::stoi(day.substr(0, 4)), mo = std::stoi(day.substr(5, 2));
  if (--mo == 0) mo = 12, --y;
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02d-01", y, mo);
  return out;
}

}  // namespace

void DashboardScreen::Reload(AppModel& m) {
  error_.clear();
  const std::string today = m.Today();
  DashboardQuery q;
  q.today = today;
  if (period_ == 0) {
    std::tie(q.from, q.to) = MonthOf(today);
  } else if (period_ == 1) {
    std::tie(q.from, q.to) = MonthOf(PreviousMonthDay(today));
  } else if (period_ == 2) {
    q.from = today.substr(0, 4) + "-01-01";
    q.to = today.substr(0, 4) + "-12-31";
  }
  const auto start = std::chrono::steady_clock::now();
  auto d = ComputeDashboard(m.db(), q);
  compute_ms_ =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!d) {
    error_ = d.error().message();
    dash_.reset();
    return;
  }
  dash_ = std::move(*d);
}

void DashboardScreen::Draw(AppModel& m) {
  bool reload = fresh_.Stale(m);
  ui::Heading(Tr("dashboard.title"));
  ImGui::PushItemWidth(220);
  if (ui::Combo("dashboard.period", Tr("dashboard.period"), &period_,
                {Tr("dashboard.this_month"), Tr("dashboard.last_month"), Tr("dashboard.this_year"),
                 Tr("dashboard.all_time")})) {
    reload = true;
  }
  ImGui::PopItemWidth();
  if (reload) Reload(m);
  if (!error_.empty()) ui::ErrorText(error_);
  if (!dash_) return;
  const Dashboard& d = *dash_;
  ImGui::SameLine();
  ui::HintText(d.query.from.empty() ? std::string(Tr("dashboard.all_time"))
                                    : ShowDate(d.query.from) + " – " + ShowDate(d.query.to));
  DrawExport(m, d);
  DrawCharts(d);
  DrawTables(d);
}

void DashboardScreen::DrawExport(AppModel& m, const Dashboard& d) {
  // The monthly report is of one calendar month: this one, or last one when that is shown.
  const std::string month = (period_ == 1 ? d.query.from : d.query.today).substr(0, 7);
  const std::string label =
      Fmt(Tr("dashboard.export"), {month.substr(5, 2) + "/" + month.substr(0, 4)});
  if (!ui::Button("dashboard.export", label.c_str())) return;
  const std::string dir = JoinPathUtf8(m.settings().data_dir, "reports");
  std::error_code ec;
  std::filesystem::create_directories(PathFromUtf8(dir), ec);
  MonthlyReportRequest request{month, dir, false, d.query.today};
  auto xlsx = WriteMonthlyReportXlsx(m.db(), request);
  auto csv = xlsx ? WriteMonthlyReportCsv(m.db(), request)
                  : Result<std::vector<std::string>>(xlsx.error());
  if (!xlsx || !csv) {
    m.Error(std::string(Tr("dashboard.export_failed")) + "\n" +
            (xlsx ? csv.error().message() : xlsx.error().message()));
    return;
  }
  m.Info(Fmt(Tr("dashboard.exported"), {*xlsx, dir}));
}

void DashboardScreen::DrawCharts(const Dashboard& d) {
  const VillageIndicators& c = d.commune;
  ImGui::Spacing();
  // Chart captions wrap: the online one was cut at the right at 1024x600 with the largest text.
  ui::NamedText("dashboard.visited_chart", Tr("dashboard.visited_chart"), false);
  for (const VillageIndicators& v : d.villages) {
    ui::PercentBar(v.village_name, PercentOf(v.households_visited, v.households), 0,
                   Ratio(v.households_visited, v.households));
  }
  ui::PercentBar(Tr("dashboard.commune"), PercentOf(c.households_visited, c.households), 0,
                 Ratio(c.households_visited, c.households));
  ImGui::Spacing();
  ui::NamedText("dashboard.online_chart",
                Fmt(Tr("dashboard.online_chart"),
                    {std::to_string(d.target.percent), std::to_string(d.target.year)}),
                false);
  for (const VillageIndicators& v : d.villages) {
    ui::PercentBar(v.village_name, PercentOf(v.working_age_online, v.working_age), d.target.percent,
                   Ratio(v.working_age_online, v.working_age));
  }
  ui::PercentBar(Tr("dashboard.commune"), PercentOf(c.working_age_online, c.working_age),
                 d.target.percent, Ratio(c.working_age_online, c.working_age));
}

void DashboardScreen::DrawVillages(const Dashboard& d) {
  std::vector<const VillageIndicators*> rows;
  std::vector<std::string> names;
  for (const VillageIndicators& v : d.villages) rows.push_back(&v), names.push_back(v.village_name);
  rows.push_back(&d.commune);
  names.push_back(Tr("dashboard.commune"));
  // Each column's width with its header on one line, and the table's.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float pad = 2 * style.CellPadding.x + style.ItemSpacing.x;
  float table_w = ImGui::CalcTextSize(Tr("household.village")).x;
  for (const std::string& n : names) table_w = std::max(table_w, ImGui::CalcTextSize(n.c_str()).x);
  table_w += pad;
  for (int c = 0; c < kVillageValues; ++c) {
    float w = ImGui::CalcTextSize(Tr(kVillageColumns[c])).x;
    for (const VillageIndicators* v : rows) {
      w = std::max(w, ImGui::CalcTextSize(VillageValues(*v)[c].c_str()).x);
    }
    table_w += w + pad;
  }
  const float avail = ImGui::GetContentRegionAvail().x;
  if (table_w <= avail) {
    const ImGuiTableFlags flags =
        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("villages", 1 + kVillageValues, flags)) return;
    ImGui::TableSetupColumn(Tr("household.village"));
    for (const char* key : kVillageColumns) ImGui::TableSetupColumn(Tr(key));
    ImGui::TableHeadersRow();
    for (size_t i = 0; i < rows.size(); ++i) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ui::CellText("dashboard.village." + VillageKey(*rows[i]), names[i]);
      const std::vector<std::string> values = VillageValues(*rows[i]);
      for (int c = 0; c < kVillageValues; ++c) {
        ImGui::TableNextColumn();
        ui::CellText("dashboard.value." + VillageKey(*rows[i]) + "." + std::to_string(c),
                     values[c]);
      }
    }
    ImGui::EndTable();
    return;
  }
  // Blocks: as wide as their longest line (or the window), side by side while they fit.
  float block_w = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    block_w = std::max(block_w, ImGui::CalcTextSize(names[i].c_str()).x);
    const std::vector<std::string> values = VillageValues(*rows[i]);
    for (int c = 0; c < kVillageValues; ++c) {
      const std::string line = std::string(Tr(kVillageColumns[c])) + ": " + values[c];
      block_w = std::max(block_w, ImGui::CalcTextSize(line.c_str()).x);
    }
  }
  const float frame = style.FramePadding.x;
  block_w = std::min(block_w, avail - 2 * frame - 2);
  const float gap = style.ItemSpacing.x * 3;
  ImGui::Indent(frame + 1);
  const float line_start = ImGui::GetCursorPosX();
  ImGui::Dummy(ImVec2(0, frame));  // room for the first row's frames
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) ui::SameLineIfFits(block_w + gap);
    if (i > 0 && ImGui::GetCursorPosX() > line_start) {  // beside the previous block
      ImGui::SetCursorPosX(ImGui::GetCursorPosX() + gap - style.ItemSpacing.x);
    } else if (i > 0) {
      ImGui::Dummy(ImVec2(0, frame));  // below: room for the frames
    }
    const std::string key = VillageKey(*rows[i]);
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + block_w);
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.10f, 0.30f, 0.55f, 1.0f));
    ImGui::TextWrapped("%s", names[i].c_str());
    ImGui::PopStyleColor();
    probe::Note("dashboard.village." + key);
    const std::vector<std::string> values = VillageValues(*rows[i]);
    for (int c = 0; c < kVillageValues; ++c) {
      ImGui::TextWrapped("%s: %s", Tr(kVillageColumns[c]), values[c].c_str());
      probe::Note("dashboard.value." + key + "." + std::to_string(c));
    }
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    // A light frame around the block, just outside it.
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ImGui::GetWindowDrawList()->AddRect(ImVec2(a.x - frame, a.y - frame),
                                        ImVec2(a.x + block_w + frame, b.y + frame),
                                        ImGui::GetColorU32(ImGuiCol_Border), 4.0f);
  }
  ImGui::Unindent(frame + 1);
  ImGui::Dummy(ImVec2(0, frame));
}

void DashboardScreen::DrawTables(const Dashboard& d) {
  ImGui::Spacing();
  ui::NamedText("dashboard.attention",
                Fmt(Tr("dashboard.attention"),
                    {std::to_string(d.overdue_followups), std::to_string(d.pending_reviews),
                     std::to_string(d.open_conflicts)}),
                false);
  const ImGuiTableFlags flags =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
  DrawVillages(d);
  ImGui::Spacing();
  if (ImGui::BeginTable("topics", 4, flags)) {
    ImGui::TableSetupColumn(Tr("dashboard.topic"), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(Tr("result.guided"), ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn(Tr("result.done"), ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn(Tr("result.needs_followup"), ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableHeadersRow();
    for (const TopicIndicators& t : d.topics) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ui::CellText("dashboard.topic." + t.topic_id,
                   CurrentLanguage() == "en" ? t.name_en : t.name_vi);
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(t.guided));
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(t.done));
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(t.needs_followup));
    }
    ImGui::EndTable();
  }
  ImGui::Spacing();
  if (ImGui::BeginTable("members", 4, flags)) {
    ImGui::TableSetupColumn(Tr("dashboard.member"), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(Tr("dashboard.week"), ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn(Tr("dashboard.month"), ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn(Tr("dashboard.overdue"), ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableHeadersRow();
    for (const MemberIndicators& mi : d.members) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ui::CellText("dashboard.member." + mi.member_id, mi.name);
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(mi.visits_week));
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(mi.visits_month));
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(mi.overdue_followups));
    }
    ImGui::EndTable();
  }
  ImGui::Spacing();
  if (ImGui::BeginTable("devices", 3, flags)) {
    ImGui::TableSetupColumn(Tr("dashboard.device"), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(Tr("dashboard.last_sync"), ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn(Tr("dashboard.unsent"), ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableHeadersRow();
    for (const DeviceSyncInfo& dev : d.devices) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const std::string name = dev.name.empty() ? dev.device_id.substr(0, 8) : dev.name;
      ui::CellText("dashboard.device." + dev.device_id,
                   dev.this_device ? Fmt(Tr("dashboard.this_device"), {name}) : name);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(dev.last_sync_ms ? ShowTime(dev.last_sync_ms).c_str()
                                              : Tr("today.never_synced"));
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(dev.unsynced < 0 ? "—" : std::to_string(dev.unsynced).c_str());
    }
    ImGui::EndTable();
  }
  ui::HintText(Tr("dashboard.computed_in"));  // the compute time is for benchmarks, not people
}

}  // namespace gocua::app
