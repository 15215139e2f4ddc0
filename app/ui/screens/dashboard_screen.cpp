#include "app/ui/screens/dashboard_screen.h"

#include <imgui.h>

#include <chrono>
#include <filesystem>

#include "app/core/dates.h"
#include "app/core/i18n.h"
#include "app/ui/charts.h"
#include "app/ui/widgets.h"
#include "platform/utf8_path.h"
#include "storage/io/monthly_report.h"

namespace gocua::app {
namespace {

std::string Ratio(int64_t a, int64_t b) { return std::to_string(a) + "/" + std::to_string(b); }

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
  compute_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
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
  const std::string label = Fmt(Tr("dashboard.export"), {month.substr(5, 2) + "/" + month.substr(0, 4)});
  if (!ui::Button("dashboard.export", label.c_str())) return;
  const std::string dir = JoinPathUtf8(m.settings().data_dir, "reports");
  std::error_code ec;
  std::filesystem::create_directories(PathFromUtf8(dir), ec);
  MonthlyReportRequest request{month, dir, false, d.query.today};
  auto xlsx = WriteMonthlyReportXlsx(m.db(), request);
  auto csv = xlsx ? WriteMonthlyReportCsv(m.db(), request) : Result<std::vector<std::string>>(xlsx.error());
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
  ImGui::TextUnformatted(Tr("dashboard.visited_chart"));
  for (const VillageIndicators& v : d.villages) {
    ui::PercentBar(v.village_name, PercentOf(v.households_visited, v.households), 0,
                   Ratio(v.households_visited, v.households));
  }
  ui::PercentBar(Tr("dashboard.commune"), PercentOf(c.households_visited, c.households), 0,
                 Ratio(c.households_visited, c.households));
  ImGui::Spacing();
  ImGui::TextUnformatted(
      Fmt(Tr("dashboard.online_chart"), {std::to_string(d.target.percent), std::to_string(d.target.year)})
          .c_str());
  for (const VillageIndicators& v : d.villages) {
    ui::PercentBar(v.village_name, PercentOf(v.working_age_online, v.working_age), d.target.percent,
                   Ratio(v.working_age_online, v.working_age));
  }
  ui::PercentBar(Tr("dashboard.commune"), PercentOf(c.working_age_online, c.working_age),
                 d.target.percent, Ratio(c.working_age_online, c.working_age));
}

void DashboardScreen::DrawTables(const Dashboard& d) {
  ImGui::Spacing();
  ImGui::Text("%s", Fmt(Tr("dashboard.attention"), {std::to_string(d.overdue_followups),
                                                     std::to_string(d.pending_reviews),
                                                     std::to_string(d.open_conflicts)})
                        .c_str());
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                ImGuiTableFlags_SizingStretchProp;
  if (ImGui::BeginTable("villages", 6, flags)) {
    ImGui::TableSetupColumn(Tr("household.village"));
    ImGui::TableSetupColumn(Tr("dashboard.households"));
    ImGui::TableSetupColumn(Tr("dashboard.visited"));
    ImGui::TableSetupColumn(Tr("dashboard.persons_guided"));
    ImGui::TableSetupColumn(Tr("dashboard.working_age_online"));
    ImGui::TableSetupColumn(Tr("dashboard.five_skills"));
    ImGui::TableHeadersRow();
    auto row = [](const VillageIndicators& v, const char* name) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(name);
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(v.households));
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(v.households_visited));
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(v.persons_guided));
      ImGui::TableNextColumn();
      ImGui::Text("%lld/%lld", static_cast<long long>(v.working_age_online),
                  static_cast<long long>(v.working_age));
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(v.households_five_skills));
    };
    for (const VillageIndicators& v : d.villages) row(v, v.village_name.c_str());
    row(d.commune, Tr("dashboard.commune"));
    ImGui::EndTable();
  }
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
      ImGui::TextUnformatted(CurrentLanguage() == "en" ? t.name_en.c_str() : t.name_vi.c_str());
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
      ImGui::TextUnformatted(mi.name.c_str());
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
      ImGui::TextUnformatted(
          (dev.this_device ? Fmt(Tr("dashboard.this_device"), {name}) : name).c_str());
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
