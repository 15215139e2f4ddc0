#include "app/core/i18n.h"

#include <nlohmann/json.hpp>
#include <unordered_map>

#include "app/core/file_io.h"
#include "platform/utf8_path.h"

namespace gocua::app {
namespace {

struct Language {
  std::string code = "vi";
  std::unordered_map<std::string, std::string> text, fallback;
};

Language& Active() {
  static Language lang;
  return lang;
}

Result<std::unordered_map<std::string, std::string>> ReadTable(const std::string& path) {
  const std::optional<std::string> text = ReadWholeFile(path);
  if (!text) return Status(ErrorCode::kIo, "Không đọc được tệp ngôn ngữ " + path);
  const auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status(ErrorCode::kCorrupt, "Tệp ngôn ngữ hỏng: " + path);
  }
  std::unordered_map<std::string, std::string> table;
  for (const auto& [key, value] : doc.items()) {
    if (!value.is_string()) return Status(ErrorCode::kCorrupt, "Tệp ngôn ngữ hỏng: " + path + ": " + key);
    table[key] = value.get<std::string>();
  }
  return table;
}

}  // namespace

Status LoadLanguage(const std::string& assets_dir, const std::string& lang) {
  auto vi = ReadTable(JoinPathUtf8(assets_dir, "lang/vi.json"));
  if (!vi) return vi.error();
  Language next;
  next.code = lang;
  next.fallback = std::move(*vi);
  if (lang != "vi") {
    auto other = ReadTable(JoinPathUtf8(assets_dir, "lang/" + lang + ".json"));
    if (!other) return other.error();
    next.text = std::move(*other);
  }
  Active() = std::move(next);
  return Status::Ok();
}

const std::string& CurrentLanguage() { return Active().code; }

const char* Tr(const char* key) {
  const Language& lang = Active();
  if (auto it = lang.text.find(key); it != lang.text.end()) return it->second.c_str();
  if (auto it = lang.fallback.find(key); it != lang.fallback.end()) return it->second.c_str();
  return key;
}

std::string Fmt(std::string_view pattern, const std::vector<std::string>& args) {
  std::string out;
  out.reserve(pattern.size() + 16);
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
        pattern[i + 1] >= '0' && pattern[i + 1] <= '9') {
      const size_t n = static_cast<size_t>(pattern[i + 1] - '0');
      if (n < args.size()) out += args[n];
      i += 2;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

}  // namespace gocua::app
