#pragma once
// Random commune histories as another device sends them, and the tables that applying them
// writes, compared table by table: for the tests of pulled pages (derived_bulk_test.cpp,
// replica_group_test.cpp). Header-only; for the test's thread.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "storage/core/ids.h"
#include "storage/core/merge.h"
#include "storage/core/record_store.h"
#include "storage/core/schema.h"
#include "storage/core/sqlite_db.h"
#include "tests/support/fixture.h"

namespace gocua::test {

using nlohmann::json;

// The device the histories come from.
inline constexpr char kRemote[] = "01b00000-0000-7000-8000-0000000000aa";

inline std::vector<std::string> Rows(Database& db, const std::string& sql) {
  Status st;
  auto q = db.impl().Prepare(sql, &st);
  REQUIRE_MESSAGE(q, st.message());
  const int cols = sqlite3_column_count(q->raw());
  std::vector<std::string> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) {
    std::string row;
    for (int c = 0; c < cols; ++c) row += (q->IsNull(c) ? "NULL" : q->Text(c)) + "|";
    out.push_back(std::move(row));
  }
  REQUIRE(rc == SQLITE_DONE);
  return out;
}

// Every table the triggers keep (day sums without their n = 0 rows: see derived_bulk.h), the
// visit_* tables RefreshDerived writes, and the visits themselves.
inline const std::vector<std::pair<std::string, std::string>>& Compared() {
  static const std::vector<std::pair<std::string, std::string>> tables = {
      {"visit_latest", "SELECT * FROM visit_latest ORDER BY 1"},
      {"visit_latest_members", "SELECT * FROM visit_latest_members ORDER BY 1, 2"},
      {"person_online", "SELECT * FROM person_online ORDER BY 1"},
      {"household_span", "SELECT * FROM household_span ORDER BY 1, 2"},
      {"person_span", "SELECT * FROM person_span ORDER BY 1, 2"},
      {"topic_day", "SELECT * FROM topic_day WHERE n <> 0 ORDER BY 1, 2, 3, 4"},
      {"member_day", "SELECT * FROM member_day WHERE n <> 0 ORDER BY 1, 2, 3"},
      {"negative day sums",
       "SELECT 'topic', * FROM topic_day WHERE n < 0 UNION ALL "
       "SELECT 'member', *, '' FROM member_day WHERE n < 0"},
      // By text id: the integer keys (migration v13) are each file's own.
      {"visit_members",
       "SELECT v.id, r.id FROM visit_members x JOIN visits v ON v.rowid = x.visit "
       "JOIN ref_keys r ON r.k = x.member ORDER BY 1, 2"},
      {"visit_persons",
       "SELECT v.id, r.id FROM visit_persons x JOIN visits v ON v.rowid = x.visit "
       "JOIN ref_keys r ON r.k = x.person ORDER BY 1, 2"},
      {"visit_topics",
       "SELECT v.id, x.topic_id, x.result FROM visit_topics x "
       "JOIN visits v ON v.rowid = x.visit ORDER BY 1, 2"},
      {"visits",
       "SELECT id, household_id, visited_on, status, deleted, members, persons, topics, "
       "followup_on FROM visits ORDER BY id"},
      {"households", "SELECT id, village_id, head_name, deleted FROM households ORDER BY id"},
      {"persons", "SELECT * FROM persons ORDER BY id"},
  };
  return tables;
}

// Groups [from, to) of a history, each in its own write, the triggers keeping the derived
// tables: the per-row path the bulk path (Replica::ApplyPulled) is compared with.
inline void ApplyOneByOne(Database& db, const std::vector<std::vector<RemoteOp>>& groups,
                          size_t from, size_t to) {
  Database::Impl& d = db.impl();
  for (size_t g = from; g < to; ++g) {
    Status st = d.Transact([&]() -> Status {
      for (RemoteOp op : groups[g]) {
        auto value = CheckRemoteOp(op);
        if (!value) return value.error();
        op.value = std::move(*value);
        auto merged = MergeRemote(d, op);
        if (!merged) return merged.error();
      }
      return Status::Ok();
    });
    REQUIRE_MESSAGE(st.ok(), st.message());
  }
}

inline std::map<std::string, std::vector<std::string>> Snapshot(Database& db) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [name, sql] : Compared()) out[name] = Rows(db, sql);
  return out;
}

// Checks table by table; on a difference, names the table and the first row that differs.
inline void CheckSame(const std::map<std::string, std::vector<std::string>>& bulk,
                      const std::map<std::string, std::vector<std::string>>& triggers,
                      const std::string& when) {
  for (const auto& [name, rows] : bulk) {
    const std::vector<std::string>& want = triggers.at(name);
    if (rows == want) continue;
    size_t i = 0;
    while (i < rows.size() && i < want.size() && rows[i] == want[i]) ++i;
    FAIL_CHECK(when << ", " << name << " differs at row " << i << ": bulk "
                    << (i < rows.size() ? rows[i] : "(none)") << " vs triggers "
                    << (i < want.size() ? want[i] : "(none)") << " (" << rows.size() << " vs "
                    << want.size() << " rows)");
  }
}

// A random history of a commune as another device sends it: groups of ops, each group kept in
// one page (a visit may come before its new household within a page, never across pages, as
// the foreign keys require at each commit).
class History {
 public:
  explicit History(uint32_t seed) : rng_(seed) {}

  // `steps` of every kind, then `growth` steps that are mostly new visits of households and
  // persons already there (a pull's usual page, where the spans widen in place).
  std::vector<std::vector<RemoteOp>> Generate(int steps, int growth) {
    std::vector<RemoteOp> setup;
    Add(&setup, "province", "pr", "name", "Quảng Ngãi");
    Add(&setup, "commune", "co", "province_id", "pr");
    Add(&setup, "commune", "co", "name", "Tịnh Sơn");
    for (const char* v : {"vil0", "vil1", "vil2"}) {
      Add(&setup, "village", v, "commune_id", "co");
      Add(&setup, "village", v, "name", std::string("Thôn ") + v);
    }
    for (const char* m : {"m0", "m1", "m2"}) {
      Add(&setup, "member", m, "commune_id", "co");
      Add(&setup, "member", m, "name", std::string("Member ") + m);
    }
    groups_.push_back(std::move(setup));
    for (int i = 0; i < 3; ++i) NewHousehold(&groups_.emplace_back(), false);
    for (int i = 0; i < steps; ++i) Step(Pick(100));
    for (int i = 0; i < growth; ++i) Step(Chance(0.9) ? 50 : Pick(100));
    return std::move(groups_);
  }

 private:
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <typename T>
  const T& Any(const std::vector<T>& v) {
    return v[static_cast<size_t>(Pick(static_cast<int>(v.size())))];
  }

  void Add(std::vector<RemoteOp>* group, const std::string& type, const std::string& id,
           const std::string& field, json value) {
    RemoteOp op;
    op.origin_device = kRemote;
    op.seq = ++seq_;
    op.record_type = type;
    op.record_id = id;
    op.field = field;
    op.value = std::move(value);
    op.hlc = MakeHlc(test::kTestNowMs + seq_, 0);  // later than everything before: it wins
    group->push_back(std::move(op));
  }

  std::string Village() {
    return Chance(0.1) ? "" : Any(std::vector<std::string>{"vil0", "vil1", "vil2"});
  }
  std::string Day() { return Chance(0.05) ? "" : "2026-03-0" + std::to_string(1 + Pick(5)); }
  std::string Status() {
    return Any(std::vector<std::string>{"", "pending", "approved", "returned"});
  }
  std::string Skill() {
    return Any(std::vector<std::string>{"none", "guided", "proficient", "proficient"});
  }

  json Members() {
    json m = json::array();
    for (int i = Pick(3); i >= 0; --i) m.push_back("m" + std::to_string(Pick(3)));  // repeats too
    if (Chance(0.1)) m.push_back(7);
    if (Chance(0.05)) return json{{"a", "m0"}, {"b", 3}};  // an object: its string values count
    return m;
  }
  json Persons() {
    json p = json::array();
    for (int i = Pick(3); i > 0; --i)
      p.push_back(persons_.empty() || Chance(0.1) ? "ghost" + std::to_string(Pick(3))
                                                  : Any(persons_));
    if (Chance(0.05)) p.push_back(json::array({"x"}));
    return p;
  }
  json Topics() {
    json t = json::object();
    for (int i = Pick(4); i > 0; --i)
      t[Any(std::vector<std::string>{"dvc", "vneid", "cashless", "safety"})] =
          Any(std::vector<std::string>{"done", "guided", "needs_followup"});
    if (Chance(0.1)) t["health"] = 2;  // not a string: no visit_topics row
    return t;
  }

  void NewHousehold(std::vector<RemoteOp>* g, bool deleted) {
    const std::string id = "h" + std::to_string(households_.size());
    households_.push_back(id);
    Add(g, "household", id, "village_id", Village());
    Add(g, "household", id, "head_name", "Chủ hộ " + id);
    if (deleted) Add(g, "household", id, "deleted", 1);
  }
  void NewPerson(std::vector<RemoteOp>* g) {
    const std::string id = "p" + std::to_string(persons_.size());
    persons_.push_back(id);
    Add(g, "person", id, "household_id", Any(households_));
    Add(g, "person", id, "name", "Người " + id);
    Add(g, "person", id, "birth_year", 1950 + Pick(60));
    for (const char* s : kSkillCodes)
      if (Chance(0.7)) Add(g, "person", id, std::string("skill_") + s, Skill());
  }
  void NewVisit(std::vector<RemoteOp>* g, const std::string& household) {
    const std::string id = "v" + std::to_string(visits_.size());
    visits_.push_back(id);
    Add(g, "visit", id, "household_id", household);
    if (Chance(0.9)) Add(g, "visit", id, "visited_on", Day());
    Add(g, "visit", id, "minutes", 30);
    Add(g, "visit", id, "members", Members());
    Add(g, "visit", id, "persons", Persons());
    Add(g, "visit", id, "topics", Topics());
    if (Chance(0.8)) Add(g, "visit", id, "status", Status());
    if (Chance(0.3)) Add(g, "visit", id, "followup_on", Day());
    if (Chance(0.05)) Add(g, "visit", id, "deleted", 1);
  }
  void EditVisit(std::vector<RemoteOp>* g) {
    const std::string& id = Any(visits_);
    switch (Pick(10)) {
      case 0:
        Add(g, "visit", id, "household_id", Any(households_));
        break;
      case 1:
        Add(g, "visit", id, "visited_on", Day());
        break;
      case 2:
        Add(g, "visit", id, "status", Status());
        break;
      case 3:
        Add(g, "visit", id, "deleted", Pick(2));
        break;
      case 4:
        Add(g, "visit", id, "members", Members());
        break;
      case 5:
        Add(g, "visit", id, "persons", Persons());
        break;
      case 6:
        Add(g, "visit", id, "topics", Topics());
        break;
      case 7:
        Add(g, "visit", id, "followup_on", Day());
        break;
      case 8:
        Add(g, "visit", id, "notes", "ghi chú " + std::to_string(seq_));
        break;
      default:  // several fields of one visit at once
        Add(g, "visit", id, "visited_on", Day());
        Add(g, "visit", id, "status", Status());
        Add(g, "visit", id, "topics", Topics());
    }
  }

  // One group of ops; `roll` (0–99) picks its kind.
  void Step(int roll) {
    std::vector<RemoteOp>& g = groups_.emplace_back();
    if (roll < 7) {
      NewHousehold(&g, Chance(0.1));
    } else if (roll < 11) {  // a visit before its new household, in one page
      std::vector<RemoteOp> household;
      NewHousehold(&household, Chance(0.2));
      NewVisit(&g, households_.back());
      g.insert(g.end(), household.begin(), household.end());
    } else if (roll < 16) {
      Add(&g, "household", Any(households_), "village_id", Village());
    } else if (roll < 21) {
      Add(&g, "household", Any(households_), "deleted", Pick(2));
    } else if (roll < 24) {
      Add(&g, "household", Any(households_), "head_name", "Tên mới " + std::to_string(seq_));
    } else if (roll < 32) {
      NewPerson(&g);
    } else if (roll < 40 && !persons_.empty()) {
      const std::string& id = Any(persons_);
      switch (Pick(5)) {
        case 0:
          Add(&g, "person", id, "household_id", Any(households_));
          break;
        case 1:
          Add(&g, "person", id, "skill_public_services", Skill());
          break;
        case 2:
          Add(&g, "person", id,
              std::string("skill_") +
                  Any(std::vector<std::string>{"shopping", "payment", "safety", "platforms"}),
              Skill());
          break;
        case 3:
          Add(&g, "person", id, "birth_year", 1950 + Pick(60));
          break;
        default:
          Add(&g, "person", id, "deleted", Pick(2));
      }
    } else if (roll < 65 || visits_.empty()) {
      NewVisit(&g, Any(households_));
    } else if (roll < 95) {
      EditVisit(&g);
    } else {  // one visit written twice in a group, another record between
      EditVisit(&g);
      Add(&g, "household", Any(households_), "village_id", Village());
      const RemoteOp first = g.front();
      Add(&g, "visit", first.record_id, "visited_on", Day());
      Add(&g, "visit", first.record_id, "deleted", Pick(2));
    }
  }

  std::mt19937 rng_;
  int64_t seq_ = 0;
  std::vector<std::vector<RemoteOp>> groups_;
  std::vector<std::string> households_, persons_, visits_;
};

}  // namespace gocua::test
