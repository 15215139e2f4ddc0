#pragma once
// A visit being typed survives closing the app: the form writes its state to
// <data_dir>/draft_visit.json (whole file, atomically) whenever a field changes, and removes it
// once the visit is saved or discarded. One draft per laptop.
#include <optional>
#include <string>

#include "storage/core/records.h"
#include "base/result.h"

namespace gocua::app {

struct VisitDraft {
  Visit visit;                  // as typed so far (dates kept as typed, below)
  std::string visited_text;     // dd/mm/yyyy as typed
  std::string followup_text;
  std::string member_id;        // who was typing it
};

bool HasDraft(const std::string& data_dir);
std::optional<VisitDraft> LoadDraft(const std::string& data_dir);
Status SaveDraft(const std::string& data_dir, const VisitDraft& d);
void DeleteDraft(const std::string& data_dir);

}  // namespace gocua::app
