#include "app/core/laptop_words.h"

#include <ctime>

#include "app/core/i18n.h"

namespace gocua::app {
namespace {

std::tm Local(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  const std::tm* local = std::localtime(&t);  // UI thread only: the static buffer is safe here
  return local ? *local : std::tm{};
}

std::string Strf(const std::tm& t, const char* format) {
  char out[32];
  std::strftime(out, sizeof out, format, &t);
  return out;
}

}  // namespace

std::string AgoWords(int64_t then_ms, int64_t now_ms) {
  if (then_ms <= 0) return Tr("laptops.never_synced");
  const int64_t minutes = now_ms > then_ms ? (now_ms - then_ms) / 60000 : 0;
  if (minutes < 1) return Tr("laptops.just_now");
  if (minutes < 60) return Fmt(Tr("laptops.minutes_ago"), {std::to_string(minutes)});
  if (minutes < 24 * 60) return Fmt(Tr("laptops.hours_ago"), {std::to_string(minutes / 60)});
  if (minutes < 30 * 24 * 60)
    return Fmt(Tr("laptops.days_ago"), {std::to_string(minutes / (24 * 60))});
  return Fmt(Tr("laptops.on_date"), {Strf(Local(then_ms), "%d/%m/%Y")});
}

std::string ExpiryWords(int64_t expires_ms, int64_t now_ms) {
  if (expires_ms <= now_ms) return Tr("laptops.code_expired");
  const std::tm at = Local(expires_ms), now = Local(now_ms);
  const std::string time = Strf(at, "%H:%M");
  if (at.tm_year == now.tm_year && at.tm_yday == now.tm_yday)
    return Fmt(Tr("laptops.expires_today"), {time});
  const std::tm tomorrow = Local(now_ms + 24 * 3600 * 1000);
  if (at.tm_year == tomorrow.tm_year && at.tm_yday == tomorrow.tm_yday)
    return Fmt(Tr("laptops.expires_tomorrow"), {time});
  return Fmt(Tr("laptops.expires_on"), {time, Strf(at, "%d/%m/%Y")});
}

std::string GroupCode(const std::string& code) {
  std::string out;
  size_t n = 0;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    if (n > 0 && n % 4 == 0) out += '-';
    out += c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    ++n;
  }
  return out;
}

}  // namespace gocua::app
