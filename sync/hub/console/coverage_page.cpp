// /console/coverage: per commune, households visited and working-age people able to use online
// public services, against the province's target line; a chart (inline SVG), sortable columns,
// and /console/coverage.xlsx. Computed from the hub's own tables (HubStore::CoverageByCommune),
// never from the dashboard library, which the hub does not link.
#include <algorithm>
#include <ctime>

#include "sync/hub/console/context.h"
#include "sync/hub/console/coverage.h"

namespace gocua::hub::console {
namespace {

constexpr const char* kTargetsKey = "coverage_targets";  // "2025:70,2030:90"

int CurrentYear(const Clock& clock) {
  const std::time_t t = static_cast<std::time_t>(clock.NowMs() / 1000 + 7 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

std::vector<std::pair<int, int>> ParseTargets(const std::string& text) {
  std::vector<std::pair<int, int>> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = text.substr(start, comma - start);
    const size_t colon = item.find(':');
    try {
      if (colon != std::string::npos)
        out.emplace_back(std::stoi(item.substr(0, colon)), std::stoi(item.substr(colon + 1)));
    } catch (...) {
    }
    start = comma + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string TargetsText(const std::vector<std::pair<int, int>>& lines) {
  std::string s;
  for (const auto& [y, p] : lines)
    s += (s.empty() ? "" : ",") + std::to_string(y) + ":" + std::to_string(p);
  return s;
}

// How the rows are ordered: ?sort= one of these, ?dir=asc|desc.
const char* const kSortKeys[] = {"name",        "households", "visited",
                                 "visited_pct", "online",     "online_pct"};

double Ratio(int64_t a, int64_t b) { return b > 0 ? static_cast<double>(a) / b : -1; }

void SortRows(std::vector<CommuneCoverage>& rows, const std::string& key, bool desc) {
  auto value = [&](const CommuneCoverage& r) -> double {
    if (key == "households") return static_cast<double>(r.households);
    if (key == "visited") return static_cast<double>(r.households_visited);
    if (key == "visited_pct") return Ratio(r.households_visited, r.households);
    if (key == "online") return static_cast<double>(r.working_age_online);
    if (key == "online_pct") return Ratio(r.working_age_online, r.working_age);
    return 0;
  };
  std::stable_sort(
      rows.begin(), rows.end(), [&](const CommuneCoverage& a, const CommuneCoverage& b) {
        if (key == "name")
          return desc ? a.commune_name > b.commune_name : a.commune_name < b.commune_name;
        return desc ? value(a) > value(b) : value(a) < value(b);
      });
}

std::string Chart(const Ctx& c, const std::vector<CommuneCoverage>& rows, int target) {
  const int label_w = 220, bar_w = 640, row_h = 34, top = 28;
  const int height = top + row_h * static_cast<int>(rows.size()) + 24;
  auto x = [&](double pct) { return label_w + static_cast<int>(pct * bar_w / 100.0 + 0.5); };
  std::string s = "<svg id=\"chart\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                  std::to_string(label_w + bar_w + 90) + "\" height=\"" + std::to_string(height) +
                  "\" font-family=\"sans-serif\" font-size=\"13\"><title>" +
                  Esc(c.T("coverage.chart")) + "</title>";
  for (int p = 0; p <= 100; p += 25)
    s += "<line x1=\"" + std::to_string(x(p)) + "\" y1=\"" + std::to_string(top - 6) + "\" x2=\"" +
         std::to_string(x(p)) + "\" y2=\"" + std::to_string(height - 20) +
         "\" stroke=\"#ddd\"/><text x=\"" + std::to_string(x(p)) + "\" y=\"" +
         std::to_string(height - 6) + "\" text-anchor=\"middle\" fill=\"#555\">" +
         std::to_string(p) + "%</text>";
  int y = top;
  for (const CommuneCoverage& r : rows) {
    const double visited = std::max(0.0, Ratio(r.households_visited, r.households) * 100);
    const double online = std::max(0.0, Ratio(r.working_age_online, r.working_age) * 100);
    const bool meets = online >= target;
    s += "<text x=\"" + std::to_string(label_w - 8) + "\" y=\"" + std::to_string(y + 20) +
         "\" text-anchor=\"end\">" + Esc(r.commune_name) + "</text>";
    s += "<rect class=\"bar-visited\" x=\"" + std::to_string(label_w) + "\" y=\"" +
         std::to_string(y + 3) + "\" width=\"" +
         std::to_string(x(std::min(visited, 100.0)) - label_w) +
         "\" height=\"12\" fill=\"#8fb3d9\"><title>" + Esc(c.T("coverage.visited_pct")) + " " +
         Percent(r.households_visited, r.households) + "</title></rect>";
    s += "<rect class=\"bar-online\" x=\"" + std::to_string(label_w) + "\" y=\"" +
         std::to_string(y + 16) + "\" width=\"" +
         std::to_string(x(std::min(online, 100.0)) - label_w) + "\" height=\"12\" fill=\"" +
         (meets ? "#2e7d32" : "#e08a00") + "\"><title>" + Esc(c.T("coverage.online_pct")) + " " +
         Percent(r.working_age_online, r.working_age) + "</title></rect>";
    s += "<text x=\"" + std::to_string(x(std::min(online, 100.0)) + 6) + "\" y=\"" +
         std::to_string(y + 27) + "\" fill=\"#333\">" +
         Percent(r.working_age_online, r.working_age) + "</text>";
    y += row_h;
  }
  s += "<line id=\"target-line\" x1=\"" + std::to_string(x(target)) + "\" y1=\"" +
       std::to_string(top - 10) + "\" x2=\"" + std::to_string(x(target)) + "\" y2=\"" +
       std::to_string(height - 20) +
       "\" stroke=\"#c62828\" stroke-width=\"2\" "
       "stroke-dasharray=\"6 4\"/><text x=\"" +
       std::to_string(x(target)) + "\" y=\"14\" text-anchor=\"middle\" fill=\"#c62828\">" +
       Esc(c.T("coverage.target")) + " " + std::to_string(target) + "%</text></svg>";
  s += "<p class=\"legend\"><span class=\"sw visited\"></span>" +
       std::string(c.T("coverage.visited_pct")) + " <span class=\"sw online\"></span>" +
       c.T("coverage.online_pct") + "</p>";
  return s;
}

}  // namespace

Result<CoverageTable> LoadCoverage(HubStore& store, const Clock& clock) {
  CoverageTable t;
  t.year = CurrentYear(clock);
  auto text = store.ConsoleSetting(kTargetsKey);
  if (!text) return text.error();
  t.lines = ParseTargets(text->empty() ? "2025:70,2030:90" : *text);
  if (t.lines.empty()) t.lines = {{2025, 70}, {2030, 90}};
  t.target = t.lines.back().second;
  t.target_year = t.lines.back().first;
  for (const auto& [year, pct] : t.lines)
    if (year >= t.year) {
      t.target = pct;
      t.target_year = year;
      break;
    }
  auto rows = store.CoverageByCommune(t.year - kWorkingAgeMax, t.year - kWorkingAgeMin);
  if (!rows) return rows.error();
  t.rows = std::move(rows).value();
  return t;
}

http::Response CoverageGet(Ctx& c) {
  auto t = LoadCoverage(c.store, c.clock);
  if (!t) return ErrorPage(c, 500, StoreMessage(c, t.error()));
  std::string key = c.Q("sort");
  if (std::find(std::begin(kSortKeys), std::end(kSortKeys), key) == std::end(kSortKeys))
    key = "name";
  const bool desc = c.Q("dir") == "desc";
  SortRows(t->rows, key, desc);
  std::string b;
  if (c.Q("done") == "target")
    b += "<p class=\"notice\" id=\"notice\">" + std::string(c.T("done.saved")) + "</p>";
  b += "<p>" + std::string(c.T("coverage.help")) + " <strong id=\"target\">" +
       std::to_string(t->target) + " %</strong> (" + c.T("coverage.by") + " " +
       std::to_string(t->target_year) + ").</p>";
  b += "<p><a class=\"button\" id=\"download\" href=\"/console/coverage.xlsx\">" +
       std::string(c.T("coverage.download")) + "</a></p>";
  b += Chart(c, t->rows, t->target);
  b += "<table id=\"coverage\"><thead><tr>";
  const char* const labels[] = {"coverage.commune", "coverage.households",
                                "coverage.visited", "coverage.visited_pct",
                                "coverage.online",  "coverage.online_pct"};
  for (size_t i = 0; i < std::size(kSortKeys); ++i) {
    const bool here = key == kSortKeys[i];
    const std::string next = here && !desc ? "desc" : "asc";
    b += "<th><a class=\"sort\" id=\"sort-" + std::string(kSortKeys[i]) +
         "\" href=\"/console/coverage?sort=" + kSortKeys[i] + "&amp;dir=" + next + "\">" +
         c.T(labels[i]) + (here ? (desc ? " ▼" : " ▲") : "") + "</a></th>";
    if (i == 4) b += "<th>" + std::string(c.T("coverage.working_age")) + "</th>";
  }
  b += "<th>" + std::string(c.T("coverage.meets")) + "</th></tr></thead><tbody>";
  for (const CommuneCoverage& r : t->rows) {
    const bool meets = r.working_age > 0 && r.working_age_online * 100 >= t->target * r.working_age;
    b += "<tr data-commune=\"" + Esc(r.commune_id) + "\"><td class=\"name\">" +
         Esc(r.commune_name) + "</td><td class=\"num\">" + std::to_string(r.households) +
         "</td><td class=\"num\">" + std::to_string(r.households_visited) +
         "</td><td class=\"num\">" + Percent(r.households_visited, r.households) +
         "</td><td class=\"num\">" + std::to_string(r.working_age_online) +
         "</td><td class=\"num\">" + std::to_string(r.working_age) + "</td><td class=\"num\">" +
         Percent(r.working_age_online, r.working_age) + "</td><td>" +
         (meets ? c.T("coverage.yes") : c.T("coverage.no")) + "</td></tr>";
  }
  b += "</tbody></table>";
  b += "<section><h2>" + std::string(c.T("coverage.settarget")) +
       "</h2><form method=\"post\" action=\"/console/coverage/target\" class=\"row\">" +
       CsrfField(c) + "<label>" + c.T("coverage.year") +
       "<input name=\"year\" type=\"number\" min=\"2000\" "
       "max=\"2100\" value=\"" +
       std::to_string(t->target_year) + "\"></label><label>" + c.T("coverage.percent") +
       "<input name=\"percent\" id=\"target-percent\" type=\"number\" "
       "min=\"1\" max=\"100\" value=\"" +
       std::to_string(t->target) + "\"></label><button id=\"save-target\">" + c.T("save") +
       "</button></form><p class=\"hint\">" + c.T("coverage.band") + "</p></section>";
  return HtmlPage(c, c.T("nav.coverage"), "/console/coverage", b);
}

http::Response CoveragePost(Ctx& c, const std::string& action) {
  if (action != "target") return ErrorPage(c, 404, c.T("error.notfound"));
  int year = 0, pct = 0;
  try {
    year = std::stoi(c.F("year"));
    pct = std::stoi(c.F("percent"));
  } catch (...) {
  }
  if (year < 2000 || year > 2100 || pct < 1 || pct > 100)
    return ErrorPage(c, 400, c.T("coverage.badtarget"));
  auto text = c.store.ConsoleSetting(kTargetsKey);
  if (!text) return ErrorPage(c, 500, StoreMessage(c, text.error()));
  auto lines = ParseTargets(text->empty() ? "2025:70,2030:90" : *text);
  bool found = false;
  for (auto& [y, p] : lines)
    if (y == year) p = pct, found = true;
  if (!found) lines.emplace_back(year, pct);
  std::sort(lines.begin(), lines.end());
  if (Status s = c.store.SetConsoleSetting(kTargetsKey, TargetsText(lines)); !s)
    return ErrorPage(c, 500, StoreMessage(c, s));
  if (Status a =
          Audit(c, "coverage.target", std::to_string(year) + ": " + std::to_string(pct) + " %");
      !a)
    return ErrorPage(c, 500, StoreMessage(c, a));
  return Redirect(c, "/console/coverage?done=target");
}

}  // namespace gocua::hub::console
