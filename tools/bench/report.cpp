#include "tools/bench/report.h"

#include "tools/bench/table.h"

namespace gocua::bench {
namespace {

const char* Verdict(bool met, bool quick) {
  if (quick) return met ? "met (quick run)" : "missed (quick run)";
  return met ? "met" : "MISSED";
}

std::string PerTenThousand(int64_t bytes, size_t visits) {
  return Bytes(static_cast<double>(bytes) * 10000.0 / static_cast<double>(visits));
}

}  // namespace

std::string RenderReport(const BenchConfig& config, const Results& r) {
  TextTable t({"Measure", "Result", "Target", "Verdict"});
  const bool quick = config.quick;

  if (r.save.size() > 0) {
    t.AddSection("Save one visit: Visits::Save, 2 members, 2 persons, 2 topics, one transaction");
    t.AddRow({"  median of " + Grouped(static_cast<double>(r.save.size())) + " saves",
              Ms(r.save.MedianMs()), "<= " + Ms(kSaveMedianTargetMs),
              Verdict(r.save.MedianMs() <= kSaveMedianTargetMs, quick)});
    t.AddRow({"  p99 / max", Ms(r.save.PercentileMs(99)) + " / " + Ms(r.save.MaxMs())});
    t.AddRow({"  by CPU time (user + sys), median", Ms(r.save_cpu.MedianMs())});
    t.AddRow({"  change-log entries per save", Grouped(r.entries_per_save, 1)});
    t.AddRow({"  pages written per save (WAL frames; 200 more saves, untimed)",
              Grouped(r.pages_per_save, 1)});
    std::string by_table;  // the largest few, as a line under the table
    for (size_t i = 0; i < r.pages_by_table.size() && i < 12; ++i)
      by_table += (i ? ", " : "") + r.pages_by_table[i].first + " " +
                  Grouped(r.pages_by_table[i].second, 1);
    if (!by_table.empty()) t.AddSection("    by table: " + by_table);
    if (r.raw_commit.size() > 0) {
      t.AddRow({"  raw SQLite one-row commit, median (the disk's floor)",
                Ms(r.raw_commit.MedianMs())});
      t.AddRow({"  save / raw commit", Grouped(r.save.MedianMs() / r.raw_commit.MedianMs(), 2)});
    }
  }
  if (r.imported > 0) {
    t.AddSection("Import " + Grouped(static_cast<double>(r.imported)) +
                 " households: ImportHouseholdsCsv, one transaction");
    const double ours_rate = static_cast<double>(r.imported) / r.import_s;
    const double raw_rate = static_cast<double>(r.imported) / r.raw_s;
    t.AddRow({"  ours, CSV text to commit",
              Grouped(ours_rate) + " households/s (" + Grouped(r.import_s, 2) + " s)",
              ">= " + Grouped(kImportTargetPerSecond) + "/s",
              Verdict(ours_rate >= kImportTargetPerSecond, quick)});
    t.AddRow({"    by CPU time (user + sys)",
              Grouped(static_cast<double>(r.imported) / r.import_cpu_s) + " households/s (" +
                  Grouped(r.import_cpu_s, 2) + " s)"});
    t.AddRow(
        {"    ParseCsv alone (part of it)",
         Grouped(r.parse_s, 3) + " s (" + Bytes(static_cast<double>(r.csv_bytes)) + " of CSV)"});
    t.AddRow({"  raw SQLite INSERT, same rows",
              Grouped(raw_rate) + " rows/s (" + Grouped(r.raw_s, 2) + " s)"});
    t.AddRow({"  ours / raw", Grouped(ours_rate / raw_rate, 3) + " (raw is " +
                                  Grouped(raw_rate / ours_rate, 1) + "x faster)"});
  }
  if (r.persons > 0) {
    t.AddSection("Setup of the search and save database");
    t.AddRow({"  Persons::Add, one transaction each",
              Grouped(static_cast<double>(r.persons) / r.persons_s) + " persons/s (" +
                  Grouped(r.persons_s, 1) + " s)"});
  }
  if (!r.search.empty()) {
    t.AddSection("Search: Households::Search, limit 50, over " +
                 Grouped(static_cast<double>(config.households)) + " households and " +
                 Grouped(static_cast<double>(r.persons)) + " persons");
    Samples all;
    for (const QuerySet& s : r.search) {
      const double runs = static_cast<double>(s.latency.size());
      t.AddRow(
          {"  " + s.name,
           "p50 " + Ms(s.latency.MedianMs()) + ", p99 " + Ms(s.latency.PercentileMs(99)) + "; " +
               Grouped(static_cast<double>(s.hits) / runs, 1) + " hits avg" +
               (s.empty > 0 ? ", " + Grouped(100.0 * static_cast<double>(s.empty) / runs) + "% none"
                            : ""),
           "p99 <= " + Ms(kSearchP99TargetMs),
           Verdict(s.latency.PercentileMs(99) <= kSearchP99TargetMs, quick)});
      all.Append(s.latency);
    }
    t.AddRow({"  all " + Grouped(static_cast<double>(all.size())) + " queries",
              "p50 " + Ms(all.MedianMs()) + ", p99 " + Ms(all.PercentileMs(99)) + ", max " +
                  Ms(all.MaxMs()),
              "p99 <= " + Ms(kSearchP99TargetMs),
              Verdict(all.PercentileMs(99) <= kSearchP99TargetMs, quick)});
  }
  if (r.size_visits > 0) {
    t.AddSection("Database size (page_count * page_size after checkpoint), " +
                 Grouped(static_cast<double>(r.size_visits)) + " visits over " +
                 Grouped(static_cast<double>(config.size_households)) + " households");
    t.AddRow({"  base: households + persons, no log",
              Bytes(static_cast<double>(r.size_base.page_bytes))});
    t.AddRow({"  per 10,000 visits, change log kept",
              PerTenThousand(r.size_with_log.page_bytes - r.size_base.page_bytes, r.size_visits) +
                  " (" + Grouped(static_cast<double>(r.size_log_entries)) + " log entries)"});
    t.AddRow({"  per 10,000 visits, acknowledged + VACUUM",
              PerTenThousand(r.size_compacted.page_bytes - r.size_base.page_bytes, r.size_visits)});
    t.AddRow({"  files on disk (db + wal), log kept / compacted",
              Bytes(static_cast<double>(r.size_with_log.file_bytes)) + " / " +
                  Bytes(static_cast<double>(r.size_compacted.file_bytes))});
  }
  return t.Render();
}

}  // namespace gocua::bench
