#include "app/core/dates.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace gocua::app {
namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysIn(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

std::string ShowDate(const std::string& iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return iso;
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

std::optional<std::string> ParseDate(const std::string& text) {
  size_t b = text.find_first_not_of(' '), e = text.find_last_not_of(' ');
  if (b == std::string::npos) return std::string();
  const std::string t = text.substr(b, e - b + 1);
  int d = 0, m = 0, y = 0;
  char s1 = 0, s2 = 0;
  int used = 0;
  if (std::sscanf(t.c_str(), "%2d%c%2d%c%4d%n", &d, &s1, &m, &s2, &y, &used) != 5 ||
      used != static_cast<int>(t.size()) || s1 != s2 || (s1 != '/' && s1 != '-' && s1 != '.')) {
    return std::nullopt;
  }
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > DaysIn(y, m)) return std::nullopt;
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
  return std::string(out);
}

std::optional<std::string> AddDays(const std::string& iso, int days) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(iso.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m),
                                        std::chrono::day(d)};
  if (!ymd.ok()) return std::nullopt;
  const std::chrono::year_month_day out{std::chrono::sys_days(ymd) + std::chrono::days(days)};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(out.year()),
                static_cast<unsigned>(out.month()), static_cast<unsigned>(out.day()));
  return std::string(text);
}

std::string ShowTime(long long unix_ms) {
  if (unix_ms <= 0) return "";
  const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  const std::tm* local = std::localtime(&t);  // UI thread only: the static buffer is safe here
  if (!local) return "";
  char out[32];
  std::strftime(out, sizeof out, "%d/%m/%Y %H:%M", local);
  return out;
}

}  // namespace gocua::app
