#include "app/visit_draft.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace gocua::app {
namespace {

std::filesystem::path DraftPath(const std::string& data_dir) {
  return std::filesystem::path(data_dir) / "draft_visit.json";
}

}  // namespace

bool HasDraft(const std::string& data_dir) {
  std::error_code ec;
  return std::filesystem::exists(DraftPath(data_dir), ec);
}

std::optional<VisitDraft> LoadDraft(const std::string& data_dir) {
  std::ifstream in(DraftPath(data_dir), std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buf;
  buf << in.rdbuf();
  const auto j = nlohmann::json::parse(buf.str(), nullptr, false);
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
  const auto path = DraftPath(data_dir);
  const auto tmp = std::filesystem::path(path.string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << j.dump();
    out.flush();
    if (!out) return Status(ErrorCode::kIo, "Không lưu được bản nháp: " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status(ErrorCode::kIo, "Không lưu được bản nháp: " + path.string());
  return Status::Ok();
}

void DeleteDraft(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::remove(DraftPath(data_dir), ec);
}

}  // namespace gocua::app
