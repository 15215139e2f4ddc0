#include "storage/dashboard/indicator_settings.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "storage/core/sqlite_db.h"

namespace gocua {
namespace {

constexpr const char* kKey = "indicator_settings";

Status Check(const IndicatorSettings& s) {
  if (s.online_services.empty())
    return InvalidInput("Cần ít nhất một mốc chỉ tiêu — at least one target line is required");
  for (size_t i = 0; i < s.online_services.size(); ++i) {
    const TargetLine& t = s.online_services[i];
    if (t.year < 2000 || t.year > 2100)
      return InvalidInput("Năm chỉ tiêu " + std::to_string(t.year) +
                          " không hợp lệ (2000–2100) — target year out of range");
    if (t.percent < 1 || t.percent > 100)
      return InvalidInput("Chỉ tiêu " + std::to_string(t.percent) +
                          "% không hợp lệ (1–100) — target percent out of range");
    for (size_t j = 0; j < i; ++j)
      if (s.online_services[j].year == t.year)
        return InvalidInput("Năm " + std::to_string(t.year) +
                            " có hai chỉ tiêu — two targets for one year");
  }
  if (s.working_age_min < 0 || s.working_age_min > s.working_age_max || s.working_age_max > 120)
    return InvalidInput(
        "Độ tuổi lao động không hợp lệ — working-age band must be 0 <= min <= "
        "max <= 120");
  return Status::Ok();
}

}  // namespace

Result<IndicatorSettings> LoadIndicatorSettings(Database& db) {
  IndicatorSettings s;
  auto read = db.impl().ReadMeta(kKey);
  if (!read) return read.error();  // not the defaults: they would be shown as the settings
  const std::string& text = *read;
  if (text.empty()) return s;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Status{ErrorCode::kCorrupt,
                  "Cài đặt chỉ tiêu bị hỏng, hãy đặt lại — indicator settings are corrupt"};
  IndicatorSettings loaded;
  loaded.online_services.clear();
  for (const auto& line : j.value("online_services", nlohmann::json::array()))
    if (line.is_object() && line.value("year", nlohmann::json()).is_number_integer() &&
        line.value("percent", nlohmann::json()).is_number_integer())
      loaded.online_services.push_back({line["year"].get<int>(), line["percent"].get<int>()});
  loaded.working_age_min = j.value("working_age_min", s.working_age_min);
  loaded.working_age_max = j.value("working_age_max", s.working_age_max);
  if (!Check(loaded))
    return Status{ErrorCode::kCorrupt,
                  "Cài đặt chỉ tiêu bị hỏng, hãy đặt lại — indicator settings are corrupt"};
  return loaded;
}

Status SaveIndicatorSettings(Database& db, const IndicatorSettings& in) {
  if (Status st = Check(in); !st) return st;
  IndicatorSettings s = in;
  std::sort(s.online_services.begin(), s.online_services.end(),
            [](const TargetLine& a, const TargetLine& b) { return a.year < b.year; });
  nlohmann::json lines = nlohmann::json::array();
  for (const TargetLine& t : s.online_services)
    lines.push_back({{"year", t.year}, {"percent", t.percent}});
  const nlohmann::json j = {{"online_services", lines},
                            {"working_age_min", s.working_age_min},
                            {"working_age_max", s.working_age_max}};
  Database::Impl& d = db.impl();
  return d.Transact([&]() { return d.SetMeta(kKey, j.dump()); });
}

const TargetLine* TargetFor(const IndicatorSettings& s, int year) {
  if (s.online_services.empty()) return nullptr;
  for (const TargetLine& t : s.online_services)
    if (t.year >= year) return &t;
  return &s.online_services.back();
}

}  // namespace gocua
