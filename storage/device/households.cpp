#include "storage/device/households.h"

#include <optional>

#include "storage/core/record_store.h"
#include "storage/core/text.h"
#include "storage/device/derived_bulk.h"
#include "storage/device/places.h"

namespace gocua {
namespace {

const RecordDef& Def() {
  static const RecordDef& def = *FindRecordDef("household");  // RecordDefs() lives for good
  return def;
}

// From this many households on, AddAll keeps the derived tables in bulk
// (storage/device/derived_bulk.h).
constexpr size_t kBulkFrom = 2;

json ToFields(const Household& h) {
  return {{"village_id", h.village_id},       {"address", h.address},
          {"head_name", h.head_name},         {"phone", h.phone},
          {"members_count", h.members_count}, {"working_age_count", h.working_age_count},
          {"smartphones", h.smartphones},     {"home_internet", h.home_internet ? 1 : 0}};
}

Household FromValues(const std::string& id, const json& v) {
  Household h;
  h.id = id;
  h.village_id = v["village_id"];
  h.address = v["address"];
  h.head_name = v["head_name"];
  h.phone = v["phone"];
  h.members_count = v["members_count"].get<int>();
  h.working_age_count = v["working_age_count"].get<int>();
  h.smartphones = v["smartphones"].get<int>();
  h.home_internet = v["home_internet"] != 0;
  return h;
}

Status InRange(const char* what_vi, const char* what_en, int v, int lo, int hi) {
  if (v >= lo && v <= hi) return Status::Ok();
  return InvalidInput(std::string(what_vi) + " phải từ " + std::to_string(lo) + " đến " +
                      std::to_string(hi) + " — " + what_en + " must be " + std::to_string(lo) +
                      ".." + std::to_string(hi));
}

// Keeps digits and a leading '+'; spaces, dots and dashes are dropped.
Result<std::string> NormalisePhone(const std::string& raw) {
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c >= '0' && c <= '9')
      out.push_back(c);
    else if (c == '+' && out.empty())
      out.push_back(c);
    else if (c != ' ' && c != '.' && c != '-')
      return InvalidInput("Số điện thoại chỉ gồm chữ số — phone may hold digits only: '" + raw +
                          "'");
  }
  if (!out.empty() && (out.size() < 9 || out.size() > 15))
    return InvalidInput("Số điện thoại phải có 9–15 chữ số — phone must have 9 to 15 digits: '" +
                        raw + "'");
  return out;
}

// FTS5 query from user text: every folded word as a quoted prefix term, all required.
std::string MatchExpression(const std::string& text) {
  std::string folded = FoldForSearch(text), out;
  size_t i = 0;
  while (i < folded.size()) {
    size_t j = folded.find(' ', i);
    if (j == std::string::npos) j = folded.size();
    if (j > i) out += (out.empty() ? "" : " ") + ("\"" + folded.substr(i, j - i) + "\"*");
    i = j + 1;
  }
  return out;
}

}  // namespace

Result<Household> Households::Validate(const Household& in, bool village_known) {
  Household h = in;
  if (!village_known) {
    auto village = Places(db_).FindVillage(h.village_id);
    if (!village) return village.error();
    h.village_id = village->id;
  }
  if (FoldForSearch(h.head_name).empty())
    return InvalidInput("Cần tên chủ hộ — head of household is required");
  auto phone = NormalisePhone(h.phone);
  if (!phone) return phone.error();
  h.phone = *phone;
  if (Status st = InRange("Số nhân khẩu", "members_count", h.members_count, 0, 99); !st) return st;
  if (Status st = InRange("Số người trong độ tuổi lao động", "working_age_count",
                          h.working_age_count, 0, std::max(h.members_count, 0));
      !st)
    return st;
  if (Status st = InRange("Số điện thoại thông minh", "smartphones", h.smartphones, 0, 50); !st)
    return st;
  // Text limits, UTF-8, NFC: what WriteLocal's CheckValue would say, so AddAll need not ask
  // again. In the order of the field names (the first failure is the one reported); the
  // integers are ints already.
  for (const auto& [name, text] : {std::pair<const char*, std::string*>{"address", &h.address},
                                   {"head_name", &h.head_name},
                                   {"phone", &h.phone},
                                   {"village_id", &h.village_id}}) {
    json value = std::move(*text);
    if (Status st = CheckValueInPlace(Def(), *Def().Field(name), value); !st) return st;
    *text = std::move(value.get_ref<std::string&>());
  }
  return h;
}

Result<Household> Households::Add(const Household& h) {
  auto ids = AddAll({h});
  if (!ids) return ids.error();
  return Get(ids->front());
}

Result<std::vector<std::string>> Households::AddAll(
    const std::vector<Household>& hs, const std::function<void(size_t, size_t)>& progress,
    bool validated) {
  std::vector<Household> checked;
  if (validated) checked = hs;
  for (size_t i = 0; !validated && i < hs.size(); ++i) {
    auto v = Validate(hs[i]);
    if (!v) return v.error();
    checked.push_back(std::move(*v));
  }
  Database::Impl& d = db_.impl();
  std::vector<std::string> ids;
  ids.reserve(hs.size());
  Status st = d.Transact([&]() -> Status {
    // Many households: the derived tables once at the end instead of by triggers per row.
    // One (Add) keeps the triggers: turning them off and on costs more than it saves.
    std::optional<BulkDerived> derived;
    if (checked.size() >= kBulkFrom) {
      derived.emplace(d);
      if (Status s = derived->Begin(); !s) return s;
    }
    for (size_t i = 0; i < checked.size(); ++i) {
      std::string id = NewUuidV7(db_.clock().NowMs());  // new: no row has it; checked above
      auto w = WriteLocal(d, Def(), id, ToFields(checked[i]), /*fresh_checked=*/true);
      if (!w) return w.error();
      ids.push_back(std::move(id));
      if (progress && (i + 1) % 1000 == 0) progress(i + 1, checked.size());
    }
    return derived ? derived->Finish() : Status::Ok();
  });
  if (!st) return st;
  if (progress) progress(checked.size(), checked.size());
  return ids;
}

Result<Household> Households::Update(const Household& h) {
  auto current = Get(h.id);
  if (!current) return current.error();
  auto v = Validate(h);
  if (!v) return v.error();
  Database::Impl& d = db_.impl();
  Status st = d.Transact([&]() -> Status {
    auto w = WriteLocal(d, Def(), h.id, ToFields(*v));
    return w ? Status::Ok() : w.error();
  });
  if (!st) return st;
  return Get(h.id);
}

Status Households::Remove(const std::string& id) {
  auto current = Get(id);
  if (!current) return current.error();
  Database::Impl& d = db_.impl();
  return d.Transact([&]() -> Status {
    auto w = WriteLocal(d, Def(), id, {{"deleted", 1}});
    return w ? Status::Ok() : w.error();
  });
}

Result<Household> Households::Get(const std::string& id) {
  auto row = ReadRow(db_.impl(), Def(), id);
  if (!row) return row.error();
  if (!row->exists || row->values["deleted"] != 0)
    return NotFound("Không có hộ " + id + " — no such household");
  return FromValues(id, row->values);
}

namespace {

Result<std::vector<Household>> Collect(Database::Impl& d, Stmt& q) {
  std::vector<Household> out;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
    Household h;
    h.id = q.Text(0);
    h.village_id = q.Text(1);
    h.address = q.Text(2);
    h.head_name = q.Text(3);
    h.phone = q.Text(4);
    h.members_count = static_cast<int>(q.Int(5));
    h.working_age_count = static_cast<int>(q.Int(6));
    h.smartphones = static_cast<int>(q.Int(7));
    h.home_internet = q.Int(8) != 0;
    out.push_back(std::move(h));
  }
  if (rc != SQLITE_DONE) return d.Error("households", rc);
  return out;
}

constexpr const char* kColumns =
    "h.id, h.village_id, h.address, h.head_name, h.phone, h.members_count, "
    "h.working_age_count, h.smartphones, h.home_internet";

}  // namespace

// Walks household_order's index (village, sort key): a page costs its offset and its rows,
// never a sort of the village. Two statements, so the planner sees the village equality.
Result<std::vector<Household>> Households::List(const HouseholdQuery& hq) {
  Status st;
  const std::string from = std::string("SELECT ") + kColumns +
                           " FROM household_order o JOIN households h ON h.id = o.household_id ";
  const std::string order = "ORDER BY o.village_id, o.sort_key, o.household_id LIMIT ?2 OFFSET ?3";
  auto q = db_.impl().Prepare(hq.village_id.empty() ? from + "WHERE ?1 = '' " + order
                                                    : from + "WHERE o.village_id = ?1 " + order,
                              &st);
  if (!q) return st;
  q->Bind(1, hq.village_id).Bind(2, hq.limit).Bind(3, hq.offset);
  return Collect(db_.impl(), *q);
}

Result<int64_t> Households::Count(const std::string& village_id) {
  Status st;
  auto q = db_.impl().Prepare(
      "SELECT count(*) FROM households WHERE deleted = 0 AND (?1 = '' OR village_id = ?1)", &st);
  if (!q) return st;
  q->Bind(1, village_id);
  if (int rc = q->Step(); rc != SQLITE_ROW) return db_.impl().Error("count", rc);
  return q->Int(0);
}

Result<std::vector<Household>> Households::Search(const std::string& text, int limit, int offset) {
  const std::string match = MatchExpression(text);
  if (match.empty()) return List({"", limit, offset});
  Status st;
  // DISTINCT streams, so LIMIT stops the scan early even for a one-letter prefix.
  auto q = db_.impl().Prepare(
      std::string("SELECT ") + kColumns +
          " FROM (SELECT DISTINCT s.household_id AS hid FROM search s "
          "JOIN households h ON h.id = s.household_id AND h.deleted = 0 "
          "WHERE search MATCH ?1 LIMIT ?2 OFFSET ?3) m JOIN households h ON h.id = m.hid",
      &st);
  if (!q) return st;
  q->Bind(1, match).Bind(2, limit).Bind(3, offset);
  return Collect(db_.impl(), *q);
}

}  // namespace gocua
