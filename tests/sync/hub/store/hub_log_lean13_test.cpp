// The SQLite hub's schema 13 (sqlite/hub_schema.h): a hub.db that the schema-12 binary wrote
// (fixtures/hub_schema12_sql.h) upgrades in committed batches, and a process SIGKILLed half way
// leaves a hub that reads the same ops and scopes and that the next open finishes; the views
// hub_ops, hub_log and hub_scope show on a plain connection what the hub's own reader reads,
// for every tag and form of log_binary.h; hub_words is the C++ word list.
#include <doctest/doctest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/json_text.h"
#include "sync/hub/store/log_words.h"
#include "sync/hub/store/sqlite/hub_dump.h"
#include "sync/hub/store/sqlite/hub_schema.h"
#include "sync/hub/store/sqlite/sqlite_hub_store.h"
#include "tests/sync/hub/store/fixtures/hub_schema12_sql.h"
#include "tests/sync/hub/store/hub_store_fixture.h"

namespace gocua::hub_store_test {
namespace {

// The rows of `sql` on a plain read-only connection, one text line each.
std::vector<std::string> Lines(const std::string& file, const std::string& sql) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  INFO(sql);
  REQUIRE(sqlite3_prepare_v2(raw, sql.c_str(), -1, &q, nullptr) == SQLITE_OK);
  std::vector<std::string> out;
  while (sqlite3_step(q) == SQLITE_ROW) {
    std::string line;
    for (int c = 0; c < sqlite3_column_count(q); ++c) {
      const unsigned char* t = sqlite3_column_text(q, c);
      line += (t ? reinterpret_cast<const char*>(t) : "NULL");
      line += '|';
    }
    out.push_back(line);
  }
  sqlite3_finalize(q);
  sqlite3_close(raw);
  return out;
}

std::vector<std::string> OpsOf(const std::string& file) {
  return Lines(file,
               "SELECT server_seq, origin_device, seq, record_type, record_id, field, value, "
               "base_hlc, base_device, hlc, orig_hlc, commune_id, served, outcome, reason, "
               "pushed_by, received_at, author, seen_hlc, seen_device FROM hub_ops ORDER BY "
               "server_seq");
}

std::vector<std::string> ScopesOf(const std::string& file) {
  return Lines(file, "SELECT record_type, record_id, commune_id FROM hub_scope ORDER BY 1, 2, 3");
}

// The log as the hub's own reader reads it (ExpandLogRow, through migrate's source), in the
// lines OpsOf gives.
std::vector<std::string> ReadByHub(const std::string& file, const Clock& clock) {
  auto src = SqliteHubSource::Open(file, clock);
  REQUIRE_MESSAGE(src.ok(), src.error().message());
  std::vector<hub_internal::LogEntry> log;
  REQUIRE((*src)->LogAfter(0, 1 << 30, &log).ok());
  std::vector<std::string> out;
  for (const hub_internal::LogEntry& e : log) {
    const RemoteOp& op = e.op;
    std::string value;
    json_text::AppendValueText(value, op.value);
    std::string line;
    for (const std::string& s : {std::to_string(e.server_seq),
                                 op.origin_device,
                                 std::to_string(op.seq),
                                 op.record_type,
                                 op.record_id,
                                 op.field,
                                 value,
                                 std::to_string(op.base.hlc),
                                 op.base.device,
                                 std::to_string(op.hlc),
                                 std::to_string(e.orig_hlc),
                                 e.commune_id,
                                 std::string(e.served ? "1" : "0"),
                                 e.outcome,
                                 e.reason,
                                 e.pushed_by,
                                 std::to_string(e.received_at),
                                 op.author,
                                 std::to_string(op.seen.hlc),
                                 op.seen.device})
      line += s + '|';
    out.push_back(line);
  }
  return out;
}

int64_t HeadRuns(const std::string& file) {
  return Count(file,
               "SELECT count(*) FROM hub_runs WHERE typeof(rest) = 'blob' AND substr(rest, 1, 1) "
               "= x'02'");
}

TEST_CASE(
    "HubStore: a hub.db written by hub schema 12 upgrades to 13 in batches, a kill half way "
    "loses nothing") {
  test::TempDir dir;
  ManualClock clock{kTestNowMs};
  const std::string file = dir.File("hub.db");
  Exec(file, test::kHubSchema12Sql);
  REQUIRE(Count(file, "SELECT value FROM meta WHERE key = 'hub_schema'") == 12);
  const std::vector<std::string> ops = OpsOf(file);  // through schema 12's own views
  const std::vector<std::string> scopes = ScopesOf(file);
  REQUIRE(ops.size() > 100);
  REQUIRE(scopes.size() > 30);
  const int64_t uuid_scopes =
      Count(file, "SELECT count(*) FROM hub_scope WHERE length(record_id) = 36");
  REQUIRE(uuid_scopes > 20);
  const int64_t runs = Count(file, "SELECT count(*) FROM hub_runs WHERE n > 1");
  const int64_t bytes12 =
      Count(file, "SELECT sum(length(rest) + length(field) + length(value)) FROM hub_runs");
  REQUIRE(HeadRuns(file) == 0);

  // A process upgrades it: one batch of 5 rows committed, a second half written, SIGKILL.
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    DatabaseOptions options;
    options.device_schema = false;
    auto db = Database::Open(file, clock, options);
    if (!db) _exit(2);
    Database::Impl& d = (*db)->impl();
    if (!hub_internal::MigrateHubSchema(d, false)) _exit(3);
    if (!hub_internal::RewriteLogRows(d, 1, 5)) _exit(4);
    if (!d.Exec("BEGIN IMMEDIATE")) _exit(5);
    if (!d.Exec("UPDATE hub_runs SET rest = x'02ff', field = '', value = ''")) _exit(6);
    if (!d.Exec("UPDATE meta SET value = 'done' WHERE key = 'hub_rest_rewrite'")) _exit(7);
    kill(getpid(), SIGKILL);
    _exit(8);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  INFO("child status ", status);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(WTERMSIG(status) == SIGKILL);

  // Schema 13, scopes lean, the first batch kept with how far it got, the second gone.
  CHECK(Count(file, "SELECT value FROM meta WHERE key = 'hub_schema'") == 13);
  CHECK(Count(file, "SELECT count(*) FROM hub_runs WHERE rest = x'02ff'") == 0);
  const int64_t first = HeadRuns(file);
  CHECK(first > 0);
  CHECK(first <= 5);
  CHECK(Count(file, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'hub_rest_rewrite'") >=
        Count(file,
              "SELECT max(server_seq) FROM hub_runs WHERE substr(rest, 1, 1) = x'02' AND "
              "typeof(rest) = 'blob'"));
  CHECK(Count(file, "SELECT count(*) FROM sqlite_master WHERE name = 'hub_scopes'") == 1);
  CHECK(Count(file, "SELECT count(*) FROM hub_scopes WHERE typeof(id) = 'blob'") == uuid_scopes);
  CHECK(OpsOf(file) == ops);
  CHECK(ScopesOf(file) == scopes);

  // The next open goes on from there: done, every visit's run in form 0x02, leaner, same ops,
  // and the hub's own reader reads what the views show.
  {
    auto opened = OpenSqliteHubStore(file, clock);
    REQUIRE_MESSAGE(opened.ok(), opened.error().message());
  }
  CHECK(Count(file,
              "SELECT count(*) FROM meta WHERE key = 'hub_rest_rewrite' AND value = 'done'") == 1);
  CHECK(HeadRuns(file) > first);
  CHECK(HeadRuns(file) >= Count(file, "SELECT count(*) FROM hub_runs WHERE record_type = 'visit'"));
  CHECK(HeadRuns(file) <= runs);
  CHECK(Count(file, "SELECT sum(length(rest) + length(field) + length(value)) FROM hub_runs") <
        bytes12 * 3 / 4);
  CHECK(OpsOf(file) == ops);
  CHECK(ScopesOf(file) == scopes);
  CHECK(ReadByHub(file, clock) == ops);
}

TEST_CASE(
    "HubStore: hub_ops and hub_log show on a plain connection what the hub reads, every tag") {
  HubFixture f;
  const std::string file = f.dir.File("hub.db");
  auto a = f.Enroll("a.db", f.commune.id);
  SaveVisitsOfEveryTag(f, *a);
  f.Push(*a);
  const std::vector<std::string> ops = OpsOf(file);
  REQUIRE(ops.size() > 150);
  CHECK(HeadRuns(file) >= 12);
  // The values took their tags (none is in a rest as text) and the views decode them.
  for (const std::string& text :
       {std::string("2024-02-29"), std::string("2024-05-01"), std::string("2024-06-30"),
        std::string("needs_followup"), std::string("no_conditions"), std::string("pending"),
        f.member.id, f.leader.id}) {
    INFO(text);
    CHECK(Count(file,
                "SELECT count(*) FROM hub_runs WHERE record_type = 'visit' AND "
                "instr(rest, CAST('" +
                    text + "' AS BLOB)) > 0") == 0);
    CHECK(Count(file, "SELECT count(*) FROM hub_ops WHERE instr(value, '" + text + "') > 0") > 0);
  }
  CHECK(Count(file, "SELECT count(*) FROM hub_ops WHERE value = '{\"other\":\"no_conditions\"}'") ==
        3);
  CHECK(Count(file, "SELECT count(*) FROM hub_ops WHERE value = '[\"" + f.leader.id + "\",\"" +
                        f.member.id + "\"]'") == 3);
  CHECK(ReadByHub(file, f.clock) == ops);
  // hub_log's field and value are op 0's also where they live in the rest.
  CHECK(Count(file,
              "SELECT count(*) FROM hub_log l WHERE l.record_type = 'visit' AND l.field = "
              "'household_id' AND l.value = '\"' || (SELECT household_id FROM visits v WHERE "
              "v.id = l.record_id) || '\"'") == 12);
  // A new laptop gets the same records.
  auto b = f.Enroll("b.db", f.commune.id);
  CHECK(*ExportCanonicalJson(*b->db) == *ExportCanonicalJson(*a->db));
}

TEST_CASE("HubStore: hub_words holds the binary log's word list, code for code") {
  HubFixture f;
  std::vector<std::string> want;
  for (size_t i = 0; i < hub_internal::kLogWordCount; ++i)
    want.push_back(std::to_string(i) + "|" + std::string(hub_internal::kLogWords[i]) + "|");
  CHECK(Lines(f.dir.File("hub.db"), "SELECT code, word FROM hub_words ORDER BY code") == want);
}

}  // namespace
}  // namespace gocua::hub_store_test
