// A pull reads the SQLite hub's log rows from hub_runs straight into views (sync/hub/store/
// sqlite/hub_log_read.h): for every row, in every form a file may hold (JSON rests whole and
// short, binary forms 0x01 and 0x02, rows of one op, every value tag), the views are the ops
// the hub's own reader (ExpandLogRow, through the view hub_log) gives, value text and byte
// count included.
#include <doctest/doctest.h>

#include "base/json_text.h"
#include "sync/hub/store/pull_page.h"
#include "sync/hub/store/sqlite/hub_internal.h"
#include "sync/hub/store/sqlite/hub_log_read.h"
#include "sync/hub/store/sqlite/hub_schema.h"
#include "tests/sync/hub/store/fixtures/hub_schema12_sql.h"
#include "tests/sync/hub/store/hub_store_fixture.h"

namespace gocua::hub_store_test {
namespace {

std::string Line(const PulledOpView& v) {
  std::string value;
  if (v.value)
    json_text::AppendValueText(value, *v.value);
  else
    value = v.value_text;
  std::string line;
  for (const std::string& s :
       {std::to_string(v.server_seq), std::string(v.origin_device), std::to_string(v.seq),
        std::string(v.record_type), std::string(v.record_id), std::string(v.field), value,
        std::to_string(v.value_bytes), std::to_string(v.base_hlc), std::string(v.base_device),
        std::to_string(v.hlc), std::string(v.author), std::to_string(v.seen_hlc),
        std::string(v.seen_device)})
    line += s + '|';
  return line;
}

struct Read {
  // The ops through hub_runs (LogRowViews) and through hub_log (ExpandLogRow).
  std::vector<std::string> views, expanded;
  int texts = 0;  // values the views gave as text
};

// Every row of the log both ways; `stop_after` ops of a row taken, the reader stops.
Read ReadBoth(const std::string& file, const Clock& clock, size_t stop_after = SIZE_MAX) {
  DatabaseOptions options;
  options.device_schema = false;
  auto db = Database::Open(file, clock, options);
  REQUIRE(db.ok());
  Database::Impl& d = (*db)->impl();
  Status st;
  auto q = d.Prepare(
      std::string("SELECT ") + hub_internal::kLogColumns + " FROM hub_log ORDER BY server_seq",
      &st);
  REQUIRE(q);
  auto runs = d.Prepare(std::string("SELECT ") + hub_internal::kRunColumns +
                            " FROM hub_runs ORDER BY server_seq",
                        &st);
  REQUIRE(runs);
  Read out;
  hub_internal::LogRowViews rows;
  while (q->Step() == SQLITE_ROW) {
    REQUIRE(runs->Step() == SQLITE_ROW);
    size_t taken = 0;
    Status s = rows.Read(d, *runs, [&](const PulledOpView& v) {
      out.views.push_back(Line(v));
      out.texts += v.value ? 0 : 1;
      return ++taken < stop_after;
    });
    REQUIRE_MESSAGE(s.ok(), s.message());
    auto ops = hub_internal::ExpandLogRow(*q, hub_internal::LogRead::kServed);
    REQUIRE(ops.ok());
    for (size_t i = 0; i < ops->size() && i < stop_after; ++i) {
      const hub_internal::LogEntry& e = (*ops)[i];
      out.expanded.push_back(Line(hub_internal::ViewOf(e.server_seq, e.op, e.value_bytes)));
    }
  }
  CHECK(runs->Step() == SQLITE_DONE);
  return out;
}

}  // namespace

TEST_CASE("HubStore: a pull's views of log rows are the ops the hub reads, every form and tag") {
  HubFixture f;
  const std::string file = f.dir.File("hub.db");
  auto a = f.Enroll("a.db", f.commune.id);
  SaveVisitsOfEveryTag(f, *a);
  f.Push(*a);
  const Read read = ReadBoth(file, f.clock);
  CHECK(read.views.size() > 150);
  CHECK(read.texts > 50);  // the tags of strings were written as text
  CHECK(read.views == read.expanded);
  // A reader that stops takes no op more.
  const Read stopped = ReadBoth(file, f.clock, 3);
  CHECK(stopped.views == stopped.expanded);
  CHECK(stopped.views.size() < read.views.size());
}

TEST_CASE("HubStore: a pull's views of the rows an older hub wrote are the ops the hub reads") {
  test::TempDir dir;
  ManualClock clock{kTestNowMs};
  const std::string file = dir.File("hub.db");
  Exec(file, test::kHubSchema12Sql);
  {  // upgraded, its rows as schema 12 wrote them (JSON rests, binary form 0x01)
    DatabaseOptions options;
    options.device_schema = false;
    auto db = Database::Open(file, clock, options);
    REQUIRE(db.ok());
    REQUIRE(hub_internal::MigrateHubSchema((*db)->impl(), false).ok());
  }
  const Read old_rows = ReadBoth(file, clock);
  CHECK(old_rows.views.size() > 100);
  CHECK(old_rows.views == old_rows.expanded);
  {  // and rewritten (form 0x02)
    DatabaseOptions options;
    options.device_schema = false;
    auto db = Database::Open(file, clock, options);
    REQUIRE(db.ok());
    REQUIRE(hub_internal::RewriteLogRows((*db)->impl()).ok());
  }
  const Read rewritten = ReadBoth(file, clock);
  CHECK(rewritten.views == rewritten.expanded);
  CHECK(rewritten.views == old_rows.views);
}

}  // namespace gocua::hub_store_test
