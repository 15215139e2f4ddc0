#include "app/core/settings.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "app/core/file_io.h"
#include "platform/utf8_path.h"

namespace gocua::app {

Settings LoadSettings(const std::string& data_dir, const std::string& assets_dir, Status* error) {
  Settings s;
  s.data_dir = data_dir;
  s.assets_dir = assets_dir;
  *error = Status::Ok();
  const std::string path = JoinPathUtf8(data_dir, "settings.json");
  const std::optional<std::string> text = ReadWholeFile(path);
  if (!text) return s;
  const auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    *error = Status(ErrorCode::kCorrupt,
                    "Tệp cài đặt bị hỏng, đang dùng cài đặt mặc định: " + path);
    return s;
  }
  if (j.contains("language") && j["language"].is_string()) {
    const std::string lang = j["language"];
    if (lang == "vi" || lang == "en") s.language = lang;
  }
  if (j.contains("text_scale") && j["text_scale"].is_number()) {
    s.text_scale = std::clamp(j["text_scale"].get<float>(), 0.8f, 2.0f);
  }
  if (j.contains("lock_after_min") && j["lock_after_min"].is_number_integer()) {
    s.lock_after_min = std::clamp(j["lock_after_min"].get<int>(), 0, 240);
  }
  if (j.contains("visit_minutes") && j["visit_minutes"].is_number_integer()) {
    s.visit_minutes = std::clamp(j["visit_minutes"].get<int>(), 1, 600);
  }
  if (j.contains("last_village_id") && j["last_village_id"].is_string()) {
    s.last_village_id = j["last_village_id"];
  }
  return s;
}

Status SaveSettings(const Settings& s) {
  nlohmann::json j = {{"language", s.language},
                      {"text_scale", s.text_scale},
                      {"lock_after_min", s.lock_after_min},
                      {"visit_minutes", s.visit_minutes},
                      {"last_village_id", s.last_village_id}};
  return WriteFileAtomically(JoinPathUtf8(s.data_dir, "settings.json"), j.dump(2) + "\n",
                             "cài đặt");
}

}  // namespace gocua::app
