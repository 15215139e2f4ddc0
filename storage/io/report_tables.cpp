// BuildMonthlyReport: the report's sheets as cells, from the leader's dashboard.
#include <cstdio>

#include "storage/device/places.h"
#include "storage/io/monthly_report.h"
#include "storage/core/text.h"

namespace gocua {
namespace {

ReportCell Text(std::string s) { return {std::move(s), 0, false, false}; }
ReportCell Count(int64_t n) { return {"", static_cast<double>(n), true, false}; }
ReportCell Percent(int64_t part, int64_t whole) { return {"", PercentOf(part, whole), true, true}; }

// "01/11/2026" from "2026-11-01".
std::string Vn(const std::string& day) {
  return day.size() == 10 ? day.substr(8, 2) + "/" + day.substr(5, 2) + "/" + day.substr(0, 4)
                          : day;
}

std::string TimeText(int64_t ms) {
  if (ms == 0) return "chưa đồng bộ";
  return Vn(LocalDate(ms));
}

ReportSheet Summary(const Dashboard& d, const std::vector<std::string>& title) {
  ReportSheet s{"Tổng hợp", "TongHop", title, {"Chỉ tiêu", "Giá trị"}, {}};
  const VillageIndicators& c = d.commune;
  auto row = [&](const std::string& label, ReportCell v) { s.rows.push_back({Text(label), v}); };
  row("Số hộ trong danh sách", Count(c.households));
  row("Số hộ đã được thăm trong kỳ", Count(c.households_visited));
  row("Tỉ lệ hộ đã được thăm (%)", Percent(c.households_visited, c.households));
  row("Số lượt thăm trong kỳ", Count(c.visits));
  row("Số người được hướng dẫn trong kỳ", Count(c.persons_guided));
  row("Số lượt người được hướng dẫn trong kỳ", Count(c.guidance_sessions));
  row("Số người trong độ tuổi lao động (theo danh sách hộ)", Count(c.working_age));
  row("Số người trong độ tuổi lao động sử dụng được dịch vụ công trực tuyến",
      Count(c.working_age_online));
  row("Tỉ lệ người trong độ tuổi lao động sử dụng được dịch vụ công trực tuyến (%)",
      Percent(c.working_age_online, c.working_age));
  row("Chỉ tiêu đến năm " + std::to_string(d.target.year) + " (%)", Count(d.target.percent));
  row("Đánh giá so với chỉ tiêu",
      Text(PercentOf(c.working_age_online, c.working_age) >= d.target.percent ? "Đạt"
                                                                              : "Chưa đạt"));
  row("Số hộ có ít nhất một người thành thạo 5 kỹ năng số cơ bản", Count(c.households_five_skills));
  row("Tỉ lệ hộ có người thành thạo 5 kỹ năng (%)",
      Percent(c.households_five_skills, c.households));
  row("Lượt thăm chờ duyệt", Count(d.pending_reviews));
  row("Lượt thăm bị trả lại chưa sửa", Count(d.returned_visits));
  row("Hẹn quay lại đã quá hạn (đến ngày lập báo cáo)", Count(d.overdue_followups));
  row("Xung đột dữ liệu chưa giải quyết", Count(d.open_conflicts));
  for (const DeviceSyncInfo& dev : d.devices)
    row(dev.this_device ? std::string("Lần đồng bộ gần nhất của máy lập báo cáo")
                        : "Lần đồng bộ gần nhất của máy " + dev.name,
        Text(TimeText(dev.last_sync_ms)));
  return s;
}

ReportSheet Villages(const Dashboard& d, const std::vector<std::string>& title) {
  ReportSheet s{"Theo thôn",
                "TheoThon",
                title,
                {"Thôn/Ấp/Bản", "Số hộ trong danh sách", "Số hộ đã thăm", "Tỉ lệ hộ đã thăm (%)",
                 "Số lượt thăm", "Số người được hướng dẫn", "Số lượt người được hướng dẫn",
                 "Người trong độ tuổi lao động", "Người trong độ tuổi LĐ dùng được DVC trực tuyến",
                 "Tỉ lệ dùng được DVC trực tuyến (%)", "Chỉ tiêu (%)",
                 "Hộ có người thành thạo 5 kỹ năng", "Tỉ lệ hộ có người thành thạo 5 kỹ năng (%)"},
                {}};
  auto add = [&](const VillageIndicators& r) {
    s.rows.push_back({Text(r.village_name), Count(r.households), Count(r.households_visited),
                      Percent(r.households_visited, r.households), Count(r.visits),
                      Count(r.persons_guided), Count(r.guidance_sessions), Count(r.working_age),
                      Count(r.working_age_online), Percent(r.working_age_online, r.working_age),
                      Count(d.target.percent), Count(r.households_five_skills),
                      Percent(r.households_five_skills, r.households)});
  };
  for (const VillageIndicators& r : d.villages) add(r);
  add(d.commune);
  return s;
}

ReportSheet Topics(const Dashboard& d, const std::vector<std::string>& title) {
  ReportSheet s{"Theo nội dung",
                "TheoNoiDung",
                title,
                {"Mã", "Nội dung hướng dẫn", "Đã hướng dẫn", "Đã thực hiện được", "Cần hỗ trợ thêm",
                 "Chưa có điều kiện", "Tổng lượt"},
                {}};
  for (const TopicIndicators& t : d.topics)
    s.rows.push_back({Text(t.topic_id), Text(t.name_vi), Count(t.guided), Count(t.done),
                      Count(t.needs_followup), Count(t.no_conditions),
                      Count(t.guided + t.done + t.needs_followup + t.no_conditions)});
  return s;
}

ReportSheet Members(const Dashboard& d, const std::vector<std::string>& title) {
  ReportSheet s{"Theo thành viên",
                "TheoThanhVien",
                title,
                {"Thành viên", "Vai trò", "Số lượt thăm trong kỳ", "Hẹn quay lại đã quá hạn"},
                {}};
  for (const MemberIndicators& m : d.members)
    s.rows.push_back({Text(m.name), Text(m.leader ? "Tổ trưởng/lãnh đạo" : "Thành viên"),
                      Count(m.visits_period), Count(m.overdue_followups)});
  return s;
}

}  // namespace

std::string ReportFileStem(const std::string& commune_name, const std::string& month) {
  std::string folded = FoldForSearch(commune_name), name;
  bool word_start = true;
  for (char ch : folded) {
    if (ch == ' ') {
      word_start = true;
      continue;
    }
    name.push_back(word_start && ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 32) : ch);
    word_start = false;
  }
  if (name.empty()) name = "Xa";
  return "BaoCao_ToCNSCD_" + name + "_" + month;
}

Result<std::vector<ReportSheet>> BuildMonthlyReport(Database& db,
                                                    const MonthlyReportRequest& request) {
  const auto [from, to] = MonthOf(request.month + "-01");
  if (request.month.size() != 7 || from.empty())
    return InvalidInput("Tháng '" + request.month +
                        "' không hợp lệ, cần dạng YYYY-MM — month must be YYYY-MM");
  auto commune = Places(db).LocalCommune();
  if (!commune) return commune.error();
  auto d = ComputeDashboard(db, {from, to, request.today, request.approved_only});
  if (!d) return d.error();
  const std::vector<std::string> title = {
      "BÁO CÁO KẾT QUẢ HOẠT ĐỘNG TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG — " + commune->name + " — THÁNG " +
          request.month.substr(5, 2) + "/" + request.month.substr(0, 4),
      "Kỳ báo cáo: " + Vn(from) + " – " + Vn(to) + "; lập ngày " + Vn(d->query.today) +
          (request.approved_only ? "; chỉ tính lượt thăm đã duyệt"
                                 : "; tính lượt thăm đã duyệt và chờ duyệt")};
  return std::vector<ReportSheet>{Summary(*d, title), Villages(*d, title), Topics(*d, title),
                                  Members(*d, title)};
}

}  // namespace gocua
