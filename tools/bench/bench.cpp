#include "tools/bench/bench.h"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <random>

#include "platform/clock.h"
#include "storage/core/change_log.h"
#include "storage/io/csv.h"
#include "storage/core/database.h"
#include "storage/core/sqlite_db.h"
#include "storage/io/household_import.h"
#include "storage/device/households.h"
#include "storage/core/ids.h"
#include "storage/device/members.h"
#include "storage/device/persons.h"
#include "storage/device/places.h"
#include "storage/core/text.h"
#include "storage/device/topics.h"
#include "storage/device/visits.h"
#include "tools/bench/fake_data.h"
#include "tools/bench/raw_sqlite.h"
#include "tools/bench/report.h"
#include "tools/bench/visit_maker.h"
#include "tools/bench/wal_frames.h"

namespace gocua::bench {
namespace {


Status Wrap(const std::string& step, const Status& st) {
  return st ? st : Status{st.code(), step + ": " + st.message()};
}

void RemoveDatabase(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
}

// A fresh database with a commune, its villages and a two-member team.
struct Commune {
  std::string path;
  std::unique_ptr<Database> db;
  std::map<std::string, std::string> village_ids;  // name → id
  std::vector<std::string> member_ids;
};

Result<Commune> NewCommune(const std::string& path, const Clock& clock) {
  RemoveDatabase(path);
  Commune c;
  c.path = path;
  auto db = Database::Open(path, clock);
  if (!db) return Wrap("open " + path, db.error());
  c.db = std::move(*db);
  if (auto r = Places(*c.db).SetUpCommune("Tuyên Quang", "Xã Kim Bình"); !r)
    return Wrap("set up commune", r.error());
  for (const std::string& name : FakeData::VillageNames()) {
    auto v = Places(*c.db).AddVillage(name);
    if (!v) return Wrap("add village", v.error());
    c.village_ids[name] = v->id;
  }
  for (const char* name : {"Nguyễn Thị Lan", "Hoàng Văn Sơn"}) {
    auto m = Members(*c.db).Add(name, Role::kMember, "2468");
    if (!m) return Wrap("add member", m.error());
    c.member_ids.push_back(m->id);
  }
  return c;
}

Status Reopen(Commune& c, const Clock& clock) {
  c.db.reset();
  auto db = Database::Open(c.path, clock);
  if (!db) return Wrap("reopen " + c.path, db.error());
  c.db = std::move(*db);
  return Status::Ok();
}

Result<std::vector<Household>> AllHouseholds(Database& db) {
  std::vector<Household> out;
  Households households(db);
  for (int offset = 0;; offset += 5000) {
    auto page = households.List({"", 5000, offset});
    if (!page) return Wrap("list households", page.error());
    out.insert(out.end(), page->begin(), page->end());
    if (page->size() < 5000) return out;
  }
}

// Adds `n` persons through Persons::Add (one transaction each), one to three per household,
// to households in random order. Returns the households that got at least two.
Result<std::vector<GuidedHousehold>> AddPersons(Database& db, std::vector<Household> households,
                                                size_t n, FakeData& fake,
                                                std::vector<std::string>* names) {
  if (households.empty()) return Status{ErrorCode::kInternal, "no households to add persons to"};
  std::mt19937_64 shuffle_rng(7);
  std::shuffle(households.begin(), households.end(), shuffle_rng);
  std::vector<GuidedHousehold> out;
  Persons persons(db);
  size_t added = 0;
  for (size_t i = 0; added < n; i = (i + 1) % households.size()) {
    GuidedHousehold g{households[i].id, {}};
    const int k = std::min<int>(fake.Uniform(1, 3), static_cast<int>(n - added));
    for (int j = 0; j < k; ++j) {
      FakePerson fp = fake.PersonOf(households[i].head_name);
      Person p;
      p.household_id = g.id;
      p.name = fp.name;
      p.birth_year = fp.birth_year;
      p.sex = fp.sex;
      auto r = persons.Add(p);
      if (!r) return Wrap("add person", r.error());
      g.person_ids.push_back(r->id);
      if (names) names->push_back(fp.name);
      ++added;
    }
    if (g.person_ids.size() >= 2) out.push_back(std::move(g));
  }
  return out;
}

Status RunImport(const BenchConfig& config, FakeData& fake, Commune& commune, Results& r,
                 std::ostream& log) {
  log << "import: generating " << config.households << " households\n";
  const std::vector<FakeHousehold> rows = fake.Households(config.households);
  const std::string csv = HouseholdsCsv(rows);
  r.csv_bytes = csv.size();

  auto start = BenchClock::now();
  auto parsed = ParseCsv(csv);
  r.parse_s = ToSeconds(BenchClock::now() - start);
  if (!parsed) return Wrap("parse CSV", parsed.error());

  log << "import: ImportHouseholdsCsv\n";
  start = BenchClock::now();
  const std::clock_t cpu_start = std::clock();
  auto report = ImportHouseholdsCsv(*commune.db, csv, ImportOptions{});
  r.import_cpu_s = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  r.import_s = ToSeconds(BenchClock::now() - start);
  if (!report) return Wrap("import", report.error());
  if (report->imported != rows.size())
    return Status{ErrorCode::kInternal,
                  "import wrote " + std::to_string(report->imported) + " of " +
                      std::to_string(rows.size()) + " rows; first problem: " +
                      (report->problems.empty() ? "none" : report->problems[0].reason)};
  r.imported = report->imported;

  log << "import: raw SQLite baseline\n";
  std::vector<RawHousehold> raw;
  raw.reserve(rows.size());
  SystemClock wall;
  for (const FakeHousehold& h : rows)
    raw.push_back({NewUuidV7(wall.NowMs()), commune.village_ids.at(h.village), h.address,
                   h.head_name, PhoneDigits(h.phone), h.members_count, h.working_age_count,
                   h.smartphones, h.home_internet});
  const std::string raw_path = config.dir + "/raw.db";
  RemoveDatabase(raw_path);
  auto raw_time = RawInsertHouseholds(raw_path, raw);
  if (!raw_time) return Wrap("raw insert", raw_time.error());
  r.raw_s = ToSeconds(*raw_time);
  if (!config.keep) RemoveDatabase(raw_path);
  return Status::Ok();
}

// Query sets as people search: typing a name letter by letter, whole names with and without
// diacritics, NFD text, and phone numbers digit by digit.
QuerySet Named(std::string name) {
  QuerySet s;
  s.name = std::move(name);
  return s;
}

std::vector<QuerySet> MakeQueries(const std::vector<std::string>& names,
                                  const std::vector<Household>& households) {
  std::mt19937_64 rng(11);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  std::vector<QuerySet> sets;

  QuerySet typing = Named("typing a name (n, ng, ... nguyen van duc)");
  for (const char* target : {"nguyen van duc", "tran thi thu huong", "le minh tuan", "pham ngoc"})
    for (size_t len = 1; target[len - 1] != '\0'; ++len)
      if (target[len - 1] != ' ') typing.queries.emplace_back(target, len);
  sets.push_back(std::move(typing));

  QuerySet plain = Named("full name, no diacritics"), nfc = Named("full name, NFC"),
           nfd = Named("full name, NFD input");
  for (int i = 0; i < 100; ++i) {
    const std::string& name = names[pick(names.size())];
    plain.queries.push_back(FoldForSearch(name));
    nfc.queries.push_back(name);
    nfd.queries.push_back(ToNfd(names[pick(names.size())]));
  }
  sets.push_back(std::move(plain));
  sets.push_back(std::move(nfc));
  sets.push_back(std::move(nfd));

  QuerySet phone = Named("phone prefix (2, 3, 4, 6, 10 digits)");
  for (int tries = 0, taken = 0; taken < 40 && tries < 4000; ++tries) {
    const std::string& p = households[pick(households.size())].phone;
    if (p.size() < 10) continue;  // households without a phone
    for (size_t len : {2, 3, 4, 6, 10}) phone.queries.push_back(p.substr(0, len));
    ++taken;
  }
  if (!phone.queries.empty()) sets.push_back(std::move(phone));
  return sets;
}

Status RunSearch(const BenchConfig& config, Database& db, std::vector<QuerySet> sets, Results& r,
                 std::ostream& log) {
  Households households(db);
  for (int round = -1; round < config.search_rounds; ++round) {  // round -1 warms the cache
    for (QuerySet& set : sets) {
      for (const std::string& q : set.queries) {
        const auto start = BenchClock::now();
        auto found = households.Search(q, 50);
        const auto elapsed = BenchClock::now() - start;
        if (!found) return Wrap("search '" + q + "'", found.error());
        if (round < 0) continue;
        set.latency.Add(elapsed);
        set.hits += found->size();
        if (found->empty()) ++set.empty;
      }
    }
    if (round >= 0) log << "search: round " << round + 1 << " of " << config.search_rounds << "\n";
  }
  r.search = std::move(sets);
  return Status::Ok();
}

Status RunSaves(const BenchConfig& config, const Clock& clock, FakeData& fake, Commune& commune,
                const std::vector<GuidedHousehold>& guided, Results& r, std::ostream& log) {
  Visits visits(*commune.db);
  ChangeLog change_log(*commune.db);
  VisitMaker maker(commune.member_ids, clock, fake);
  constexpr size_t kWarmup = 20;
  // After the timed saves, untimed ones count the pages each writes: WalFrames reads every
  // commit's frame headers back from the -wal file inside the commit, which the timed saves
  // must not pay for.
  const size_t counted = std::min<size_t>(config.saves, 200);
  auto seq_before = change_log.LastSeq();
  if (!seq_before) return Wrap("change log", seq_before.error());
  auto seq_timed_end = seq_before;
  std::optional<WalFrames> wal;
  const size_t timed_end = kWarmup + config.saves;
  for (size_t i = 0; i < timed_end + counted; ++i) {
    if (i == kWarmup) {
      seq_before = change_log.LastSeq();
      if (!seq_before) return Wrap("change log", seq_before.error());
    }
    if (i == timed_end) {
      seq_timed_end = change_log.LastSeq();
      if (!seq_timed_end) return Wrap("change log", seq_timed_end.error());
      // Frames only grow from the last count: checkpoint first, so the first save counts whole.
      sqlite3_wal_checkpoint_v2(commune.db->impl().db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                nullptr);
      wal.emplace(commune.db->impl().db);
    }
    // Households are spread over the file, as a day's visits are.
    Visit v = maker.Make(guided[(i * 7919) % guided.size()], i);
    const std::clock_t cpu_start = std::clock();
    const auto start = BenchClock::now();
    auto saved = visits.Save(v);
    const auto elapsed = BenchClock::now() - start;
    const std::clock_t cpu = std::clock() - cpu_start;
    if (!saved) return Wrap("save visit", saved.error());
    if (i >= kWarmup && i < timed_end) {
      r.save.Add(elapsed);
      r.save_cpu.Add(std::chrono::duration_cast<BenchClock::duration>(
          std::chrono::duration<double>(static_cast<double>(cpu) / CLOCKS_PER_SEC)));
    }
    if ((i + 1) % 500 == 0) log << "save: " << i + 1 << " visits\n";
  }
  if (wal && wal->commits > 0) {
    r.pages_per_save = static_cast<double>(wal->frames) / static_cast<double>(counted);
    for (const auto& [name, n] : wal->ByTable())
      r.pages_by_table.emplace_back(name, static_cast<double>(n) / static_cast<double>(counted));
  }
  wal.reset();
  r.entries_per_save =
      static_cast<double>(*seq_timed_end - *seq_before) / static_cast<double>(config.saves);
  // Right after, on the same disk: what a durable commit costs there without Gõ Cửa.
  log << "save: raw SQLite commits beside it\n";
  const std::string raw_path = config.dir + "/raw_commits.db";
  auto raw = RawCommits(raw_path, config.saves);
  RemoveDatabase(raw_path);
  if (!raw) return Wrap("raw commits", raw.error());
  r.raw_commit = std::move(*raw);
  return Status::Ok();
}

Status AcknowledgeAll(Database& db) {
  ChangeLog log(db);
  auto last = log.LastSeq();
  if (!last) return Wrap("change log", last.error());
  return Wrap("acknowledge", log.Acknowledge(*last));
}

Status RunSize(const BenchConfig& config, const Clock& clock, std::ostream& log, Results& r) {
  log << "size: building a database of " << config.size_households << " households\n";
  FakeData fake(2024);
  auto commune = NewCommune(config.dir + "/size.db", clock);
  if (!commune) return commune.error();
  Commune& c = *commune;
  auto report =
      ImportHouseholdsCsv(*c.db, HouseholdsCsv(fake.Households(config.size_households)), {});
  if (!report) return Wrap("size import", report.error());
  auto households = AllHouseholds(*c.db);
  if (!households) return households.error();
  auto guided = AddPersons(*c.db, *households, config.size_households * 2, fake, nullptr);
  if (!guided) return guided.error();
  if (Status st = AcknowledgeAll(*c.db); !st) return st;
  c.db.reset();
  auto base = CompactAndMeasure(c.path, /*vacuum=*/true);
  if (!base) return Wrap("measure", base.error());
  r.size_base = *base;

  if (Status st = Reopen(c, clock); !st) return st;
  log << "size: saving " << config.size_visits << " visits\n";
  Visits visits(*c.db);
  VisitMaker maker(c.member_ids, clock, fake);
  for (size_t i = 0; i < config.size_visits; ++i)
    if (auto v = visits.Save(maker.Make((*guided)[i % guided->size()], i)); !v)
      return Wrap("size save", v.error());
  auto pending = ChangeLog(*c.db).PendingCount();
  if (!pending) return Wrap("change log", pending.error());
  r.size_log_entries = *pending;
  c.db.reset();
  auto with_log = CompactAndMeasure(c.path, /*vacuum=*/false);
  if (!with_log) return Wrap("measure", with_log.error());
  r.size_with_log = *with_log;

  if (Status st = Reopen(c, clock); !st) return st;
  if (Status st = AcknowledgeAll(*c.db); !st) return st;
  c.db.reset();
  auto compacted = CompactAndMeasure(c.path, /*vacuum=*/true);
  if (!compacted) return Wrap("measure", compacted.error());
  r.size_compacted = *compacted;
  r.size_visits = config.size_visits;
  if (!config.keep) RemoveDatabase(c.path);
  return Status::Ok();
}

}  // namespace

BenchConfig FullConfig(std::string dir) {
  BenchConfig c;
  c.dir = std::move(dir);
  return c;
}

BenchConfig QuickConfig(std::string dir) {
  BenchConfig c;
  c.dir = std::move(dir);
  c.households = 5000;
  c.persons = 5000;
  c.saves = 200;
  c.size_visits = 1000;
  c.size_households = 200;
  c.search_rounds = 2;
  c.quick = true;
  return c;
}

Result<std::string> RunBenchmarks(const BenchConfig& config, std::ostream& log) {
  SystemClock clock;
  FakeData fake(1);
  Results r;
  auto wanted = [&](const char* name) { return config.only.empty() || config.only == name; };
  if (wanted("import") || wanted("search") || wanted("save")) {
    auto commune = NewCommune(config.dir + "/bench.db", clock);
    if (!commune) return commune.error();
    if (Status st = RunImport(config, fake, *commune, r, log); !st) return st;

    if (wanted("search") || wanted("save")) {
      auto households = AllHouseholds(*commune->db);
      if (!households) return households.error();
      log << "setup: adding " << config.persons << " persons with Persons::Add\n";
      std::vector<std::string> names;
      for (const Household& h : *households) names.push_back(h.head_name);
      auto start = BenchClock::now();
      auto guided = AddPersons(*commune->db, *households, config.persons, fake, &names);
      if (!guided) return guided.error();
      r.persons = config.persons;
      r.persons_s = ToSeconds(BenchClock::now() - start);
      if (guided->empty())
        return Status{ErrorCode::kInternal, "no household got two persons; add more persons"};

      if (wanted("search"))
        if (Status st = RunSearch(config, *commune->db, MakeQueries(names, *households), r, log);
            !st)
          return st;
      if (wanted("save"))
        if (Status st = RunSaves(config, clock, fake, *commune, *guided, r, log); !st) return st;
    }
    commune->db.reset();
    if (!config.keep) RemoveDatabase(commune->path);
  }
  if (wanted("size"))
    if (Status st = RunSize(config, clock, log, r); !st) return st;
  return RenderReport(config, r);
}

}  // namespace gocua::bench
