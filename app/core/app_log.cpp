#include "app/core/app_log.h"

#include <filesystem>
#include <fstream>

#include "app/core/i18n.h"
#include "platform/utf8_path.h"
#include "storage/core/private_files.h"

namespace gocua::app {

std::string LogPath(const std::string& data_dir) {
  return JoinPathUtf8(data_dir, "logs/gocua.log");
}

void AppendLog(const std::string& data_dir, int64_t now_ms, std::string_view where,
               std::string_view detail) {
  (void)MakePrivateDir(JoinPathUtf8(data_dir, "logs"));  // best effort: a log line is never worth failing
  std::ofstream out(PathFromUtf8(LogPath(data_dir)), std::ios::app | std::ios::binary);
  if (!out) return;
  (void)MakePrivateFile(LogPath(data_dir));  // 0600 (a log may name households)
  std::string line(detail);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  out << now_ms << ' ' << where << ": " << line << '\n';
}

std::string PlainText(const std::string& message) {
  static constexpr std::string_view kSeparator = " — ";
  const size_t at = message.find(kSeparator);
  if (at == std::string::npos) return message;
  if (CurrentLanguage() == "en") return message.substr(at + kSeparator.size());
  return message.substr(0, at);
}

}  // namespace gocua::app
