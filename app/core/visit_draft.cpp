#include "app/core/visit_draft.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/core/file_io.h"
#include "platform/utf8_path.h"

namespace gocua::app {
namespace {

std::filesystem::path DraftPath(const std::string& data_dir) {
  return PathFromUtf8(JoinPathUtf8(data_dir, "draft_visit.json"));
}

}  // namespace

bool HasDraft(const std::string& data_dir) {
  std::error_code ec;
  return std::filesystem::exists(DraftPath(data_dir), ec);
}

std::optional<VisitDraft> LoadDraft(const std::string& data_dir) {
  const std::optional<std::string> text = ReadWholeFile(PathToUtf8(DraftPath(data_dir)));
  if (!text) return std::nullopt;
  const auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  VisitDraft d;
  Visit& v = d.visit;
  v.id = j.value("id", "");
  v.household_id = j.value("household_id", "");
  v.minutes = j.value("minutes", 0);
  v.notes = j.value("notes", "");
  if (j.contains("members") && j["members"].is_array()) {
    for (const auto& x : j["members"]) if (x.is_string()) v.members.push_back(x);
  }
  if (j.contains("persons") && j["persons"].is_array()) {
    for (const auto& x : j["persons"]) if (x.is_string()) v.persons.push_back(x);
  }
  if (j.contains("topics") && j["topics"].is_object()) {
    for (const auto& [k, x] : j["topics"].items()) if (x.is_string()) v.topics[k] = x;
  }
  d.visited_text = j.value("visited_text", "");
  d.followup_text = j.value("followup_text", "");
  d.member_id = j.value("member_id", "");
  return d;
}

Status SaveDraft(const std::string& data_dir, const VisitDraft& d) {
  const Visit& v = d.visit;
  nlohmann::json j = {{"id", v.id},           {"household_id", v.household_id},
                      {"minutes", v.minutes}, {"notes", v.notes},
                      {"members", v.members}, {"persons", v.persons},
                      {"topics", v.topics},   {"visited_text", d.visited_text},
                      {"followup_text", d.followup_text}, {"member_id", d.member_id}};
  return WriteFileAtomically(DraftPath(data_dir).string(), j.dump(), "bản nháp");
}

void DeleteDraft(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::remove(DraftPath(data_dir), ec);
}

}  // namespace gocua::app
