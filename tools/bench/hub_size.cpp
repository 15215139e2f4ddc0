// gocua-hub-size: the hub's storage per visit, log included (docs/benchmarks.md, "Hub storage
// per visit (issue 17)"), on the SQLite store and on the PostgreSQL store in one run.
//
// For each store: the real gocua-hub on loopback, a commune set up with its admin commands, a
// laptop (a real SQLite file, the sync engine, libcurl) that enrolls, imports H households with
// two persons each and syncs them; then the idle hub's store is measured ("before"), the laptop
// saves N visits of the benchmarks' shape (visit_maker.h) and syncs them, a second laptop enrolls
// and pulls everything (the relay must hold all of it), and the hub is stopped and measured again
// ("after"). Bytes per visit = (after - before) / N.
//  - SQLite: PRAGMA wal_checkpoint(TRUNCATE), VACUUM, the file's size; dbstat per table/index.
//  - PostgreSQL (a private cluster, pg_bench_cluster.h): VACUUM FULL, then the sum of
//    pg_total_relation_size of the hub's tables; pg_relation_size per table, index and TOAST.
//
//   gocua-hub-size [--visits N] [--households H] [--hub PATH] [--dir DIR] [--keep] [--sqlite-only]
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "platform/clock.h"
#include "storage/core/change_log.h"
#include "storage/core/database.h"
#include "storage/core/ids.h"
#include "storage/device/households.h"
#include "storage/device/members.h"
#include "storage/device/persons.h"
#include "storage/device/visits.h"
#include "storage/io/household_import.h"
#include "sync/client/curl_transport.h"
#include "sync/client/sync_engine.h"
#include "tools/bench/fake_data.h"
#include "tools/bench/pg_bench_cluster.h"
#include "tools/bench/sync_bench_hub.h"
#include "tools/bench/visit_maker.h"

namespace gocua::bench {
namespace {

namespace fs = std::filesystem;

constexpr char kUsage[] =
    "usage: gocua-hub-size [--visits N] [--households H] [--hub PATH] [--dir DIR] [--keep]\n"
    "                      [--sqlite-only]\n"
    "  --visits N       visits pushed (default 2000)\n"
    "  --households H   households they go round, two persons each (default 200)\n"
    "  --hub PATH       the gocua-hub to run (default: the one built beside this program)\n"
    "  --dir DIR        where the run's folder goes (default: the temp folder)\n"
    "  --keep           keep the run's folder (hub.db, client files, PostgreSQL's cluster)\n"
    "  --sqlite-only    skip PostgreSQL\n";

// One object's bytes: its name and size (pages or relation size).
using Sizes = std::map<std::string, int64_t>;

struct Measure {
  int64_t total = 0;
  Sizes objects;
};

struct Laptop {
  std::unique_ptr<Database> db;
  std::unique_ptr<client::CurlTransport> curl;
  std::unique_ptr<client::SyncEngine> engine;
};

Result<Laptop> NewLaptop(const std::string& path, const Clock& clock) {
  Laptop l;
  auto db = Database::Open(path, clock);
  if (!db) return db.error();
  l.db = std::move(*db);
  l.curl = std::make_unique<client::CurlTransport>(client::CurlOptions{});
  l.engine = std::make_unique<client::SyncEngine>(*l.db, *l.curl, clock);
  return l;
}

Status Failed(const std::string& what, const client::SyncResult& r) {
  return {ErrorCode::kIo,
          what + ": " + std::string(client::FailureName(r.failure)) + ": " + r.error.message()};
}

Status Enroll(Laptop& l, BenchHub& hub, const std::string& commune, const std::string& name) {
  auto code = hub.Admin({"enroll-code", "--commune", commune});
  if (!code) return code.error();
  client::EnrollResult r = l.engine->Enroll(hub.Url(), *code, name);
  return r.ok() ? Status::Ok() : Failed("enroll " + name, r.sync);
}

// The SQLite hub file after a checkpoint and VACUUM: its size and dbstat's pages per object.
Result<Measure> MeasureSqlite(const std::string& path) {
  sqlite3* db = nullptr;
  Measure m;
  auto fail = [&](const char* what) {
    Status s{ErrorCode::kIo, std::string(what) + ": " + sqlite3_errmsg(db)};
    sqlite3_close(db);
    return s;
  };
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) return fail("open hub.db");
  if (sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE)",
                   nullptr, nullptr, nullptr) != SQLITE_OK)
    return fail("VACUUM");
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT name, sum(pgsize) FROM dbstat GROUP BY name", -1, &q,
                         nullptr) != SQLITE_OK)
    return fail("dbstat");
  while (sqlite3_step(q) == SQLITE_ROW)
    m.objects[reinterpret_cast<const char*>(sqlite3_column_text(q, 0))] =
        sqlite3_column_int64(q, 1);
  sqlite3_finalize(q);
  sqlite3_close(db);
  std::error_code ec;
  m.total = static_cast<int64_t>(fs::file_size(path, ec));
  if (ec) return Status{ErrorCode::kIo, "size of " + path + ": " + ec.message()};
  return m;
}

// The visits in the laptop file `path` (-1 when it cannot be read).
int64_t CountVisits(const std::string& path) {
  sqlite3* db = nullptr;
  int64_t n = -1;
  sqlite3_stmt* q = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
      sqlite3_prepare_v2(db, "SELECT count(*) FROM visits WHERE deleted = 0", -1, &q, nullptr) ==
          SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW)
    n = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(db);
  return n;
}

// The PostgreSQL database after VACUUM FULL: its tables' total size (heap, TOAST, indexes) and
// each relation's own size.
Result<Measure> MeasurePostgres(BenchCluster& cluster, const std::string& db) {
  bool ok = false;
  cluster.Psql(db, "VACUUM FULL", &ok);
  if (!ok) return Status{ErrorCode::kIo, "VACUUM FULL failed (see " + cluster.Log() + ")"};
  const std::string out = cluster.Psql(
      db,
      "SELECT c.relname || CASE c.relkind WHEN 't' THEN ' (toast of ' || "
      "(SELECT o.relname FROM pg_class o WHERE o.reltoastrelid = c.oid) || ')' ELSE '' END, "
      "pg_relation_size(c.oid) FROM pg_class c "
      "WHERE (c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i', 'S')) OR "
      "c.oid IN (SELECT t.reltoastrelid FROM pg_class t WHERE t.relnamespace = "
      "'public'::regnamespace) OR c.oid IN (SELECT i.indexrelid FROM pg_index i JOIN pg_class t "
      "ON t.oid = i.indrelid WHERE t.relkind = 't' AND t.oid IN (SELECT reltoastrelid FROM "
      "pg_class WHERE relnamespace = 'public'::regnamespace))",
      &ok);
  if (!ok) return Status{ErrorCode::kIo, "sizes query failed (see " + cluster.Log() + ")"};
  Measure m;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    const size_t bar = line.rfind('|');
    if (bar == std::string::npos) continue;
    const int64_t bytes = std::stoll(line.substr(bar + 1));
    m.objects[line.substr(0, bar)] += bytes;
    m.total += bytes;
  }
  return m;
}

struct StoreRun {
  std::string name;
  size_t visits = 0;
  Measure before, after;
  int64_t ops = 0;
};

Result<std::vector<GuidedHousehold>> MakeHouseholds(Database& db, FakeData& fake, size_t n) {
  auto report = ImportHouseholdsCsv(db, HouseholdsCsv(fake.Households(n)), {});
  if (!report) return report.error();
  std::vector<GuidedHousehold> out;
  Persons persons(db);
  auto page = Households(db).List({"", static_cast<int>(n) + 10, 0});
  if (!page) return page.error();
  for (const Household& h : *page) {
    GuidedHousehold g{h.id, {}};
    for (int j = 0; j < 2; ++j) {
      FakePerson fp = fake.PersonOf(h.head_name);
      Person p;
      p.household_id = h.id;
      p.name = fp.name;
      p.birth_year = fp.birth_year;
      p.sex = fp.sex;
      auto added = persons.Add(p);
      if (!added) return added.error();
      g.person_ids.push_back(added->id);
    }
    out.push_back(std::move(g));
  }
  return out;
}

// `measure` is called with the hub idle (before the visits) and stopped (after).
template <typename MeasureFn>
Result<StoreRun> RunStore(const std::string& name, const std::string& hub_binary,
                          const fs::path& dir, const std::string& store, size_t visits,
                          size_t households, MeasureFn measure) {
  StoreRun run;
  run.name = name;
  run.visits = visits;
  fs::create_directories(dir / "hub");
  BenchHub hub(hub_binary, (dir / "hub").string());
  if (!store.empty()) hub.UseStore(store);
  auto commune = SetUpCommune(hub);
  if (!commune) return commune.error();
  if (Status s = hub.Start(); !s) return s;
  SystemClock clock;
  auto a = NewLaptop((dir / "a.db").string(), clock);
  if (!a) return a.error();
  if (Status s = Enroll(*a, hub, *commune, "size-a"); !s) return s;
  FakeData fake(3);
  auto guided = MakeHouseholds(*a->db, fake, households);
  if (!guided) return guided.error();
  if (auto r = a->engine->Sync(); !r.ok()) return Failed("first sync", r);
  auto before = measure();  // the hub is idle: VACUUM waits for no transaction of its
  if (!before) return before.error();
  run.before = *before;

  auto members = Members(*a->db).List();
  if (!members || members->empty()) return Status{ErrorCode::kInternal, "no members"};
  std::vector<std::string> member_ids;
  for (const Member& m : *members) member_ids.push_back(m.id);
  a->db->SetAuthor(member_ids.front());
  VisitMaker maker(member_ids, clock, fake);
  Visits saver(*a->db);
  for (size_t i = 0; i < visits; ++i)
    if (auto v = saver.Save(maker.Make((*guided)[(i * 7919) % guided->size()], i)); !v)
      return v.error();
  auto pending = ChangeLog(*a->db).PendingCount();
  if (!pending) return pending.error();
  run.ops = *pending;
  auto pushed = a->engine->Sync();
  if (!pushed.ok()) return Failed("push", pushed);
  if (pushed.pushed != run.ops || pushed.conflicts != 0 || pushed.quarantined != 0)
    return Status{ErrorCode::kInternal, "the hub took " + std::to_string(pushed.pushed) + " of " +
                                            std::to_string(run.ops) + " ops"};
  auto b = NewLaptop((dir / "b.db").string(), clock);
  if (!b) return b.error();
  if (Status s = Enroll(*b, hub, *commune, "size-b"); !s) return s;
  b.value().db.reset();
  const int64_t pulled = CountVisits((dir / "b.db").string());
  if (pulled != static_cast<int64_t>(visits))
    return Status{ErrorCode::kInternal, "the second laptop pulled " + std::to_string(pulled) +
                                            " of " + std::to_string(visits) + " visits"};
  if (Status s = hub.Stop(); !s) return s;
  auto after = measure();
  if (!after) return after.error();
  run.after = *after;
  return run;
}

void Report(const StoreRun& r) {
  const double n = static_cast<double>(r.visits);
  std::cout << "== " << r.name << ": " << r.visits << " visits, " << r.ops << " ops (" << std::fixed
            << std::setprecision(1) << static_cast<double>(r.ops) / n << " per visit)\n";
  std::cout << "before visits " << r.before.total << " B, after " << r.after.total << " B\n";
  std::cout << "BYTES PER VISIT " << r.name << ": " << std::setprecision(0)
            << static_cast<double>(r.after.total - r.before.total) / n << " B\n";
  std::cout << "object                                      after B   per visit\n";
  std::vector<std::pair<int64_t, std::string>> rows;
  for (const auto& [name, bytes] : r.after.objects) {
    auto it = r.before.objects.find(name);
    rows.push_back({bytes - (it == r.before.objects.end() ? 0 : it->second), name});
  }
  std::sort(rows.rbegin(), rows.rend());
  for (const auto& [grown, name] : rows) {
    if (grown == 0 && r.after.objects.at(name) < 16384) continue;
    std::cout << std::left << std::setw(40) << name << std::right << std::setw(12)
              << r.after.objects.at(name) << std::setw(12) << std::setprecision(1)
              << static_cast<double>(grown) / n << "\n";
  }
}

}  // namespace
}  // namespace gocua::bench

int main(int argc, char** argv) {
  using namespace gocua::bench;
  size_t visits = 2000, households = 200;
  bool keep = false, sqlite_only = false;
  std::string dir, hub = DefaultHubBinary();
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--visits" && i + 1 < argc) {
      visits = std::stoul(argv[++i]);
    } else if (a == "--households" && i + 1 < argc) {
      households = std::stoul(argv[++i]);
    } else if (a == "--hub" && i + 1 < argc) {
      hub = argv[++i];
    } else if (a == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    } else if (a == "--keep") {
      keep = true;
    } else if (a == "--sqlite-only") {
      sqlite_only = true;
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << "gocua-hub-size: unknown argument '" << a << "'\n" << kUsage;
      return 2;
    }
  }
  if (visits == 0 || households < 1) {
    std::cerr << kUsage;
    return 2;
  }
  std::error_code ec;
  const fs::path parent = dir.empty() ? fs::temp_directory_path(ec) : fs::path(dir);
  const fs::path run_dir = parent / ("gocua-hub-size-" + gocua::RandomHex(4));
  fs::create_directories(run_dir, ec);
  fs::permissions(run_dir, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec,
                  ec);
  int rc = 0;
  {
    const fs::path sq = run_dir / "sqlite";
    const std::string db_path = (sq / "hub" / "data" / "hub.db").string();
    auto r =
        RunStore("SQLite", hub, sq, "", visits, households, [&] { return MeasureSqlite(db_path); });
    if (r) {
      Report(*r);
    } else {
      std::cerr << "gocua-hub-size: SQLite: " << r.error().message() << "\n";
      rc = 1;
    }
  }
  if (!sqlite_only && rc == 0) {
    BenchCluster cluster(run_dir / "postgres");
    const std::string uri = cluster.Start("hubsize");
    if (uri.empty()) {
      std::cerr << "gocua-hub-size: PostgreSQL did not start (see " << cluster.Log() << ")\n";
      rc = 1;
    } else {
      auto r = RunStore("PostgreSQL", hub, run_dir / "pg", uri, visits, households,
                        [&] { return MeasurePostgres(cluster, "hubsize"); });
      if (r) {
        Report(*r);
      } else {
        std::cerr << "gocua-hub-size: PostgreSQL: " << r.error().message() << "\n";
        rc = 1;
      }
    }
  }
  if (keep)
    std::cerr << "gocua-hub-size: kept " << run_dir.string() << "\n";
  else
    fs::remove_all(run_dir, ec);
  return rc;
}
