// The PostgreSQL hub store's record stamps (PostgreSQL hub schema 4, postgresql/pg_records.h):
// the record store's binary column in a bytea; a database of schema 3 (stamps as JSON text)
// upgrades in place and reads the same. Linux only, like the PostgreSQL store.
#ifndef _WIN32
#include <doctest/doctest.h>

#include "storage/core/schema.h"
#include "sync/hub/store/postgresql/pg_records.h"
#include "sync/hub/store/postgresql/pg_schema.h"
#include "tests/sync/hub/store/hub_store_factories.h"
#include "tests/sync/hub/store/hub_store_fixture.h"

namespace gocua::hub_store_test {
namespace {

// The database the PostgreSQL store of the fixture in `dir` uses (hub_store_factories.h).
std::unique_ptr<pg::Conn> ConnOf(const test::TempDir& dir) {
  test::PgCluster& cluster = test::PgCluster::Shared();
  const std::string db =
      "h" + std::to_string(std::hash<std::string>{}(dir.path().string()) % 1000000007);
  auto c = pg::Conn::Open(cluster.Uri(db));
  REQUIRE_MESSAGE(c.ok(), c.error().message());
  return std::move(c).value();
}

int64_t IntOf(pg::Conn& c, const std::string& sql) {
  auto r = c.Query(sql, {}, "test");
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  return r->Int(0, 0);
}

TEST_CASE("PgHubStore: record stamps are the binary column, a schema 3 database upgrades to 4") {
  HubFixture f(&test::PostgresStore::Open);
  auto a = f.Enroll("a.db", f.commune.id);
  Household h = f.AddHousehold(*a, "Nguyễn Văn Đức");
  auto saved = Visits(*a->db).Save(MakeVisit(f, h));
  REQUIRE_MESSAGE(saved.ok(), saved.error().message());
  f.Push(*a);
  auto c = ConnOf(f.dir);
  // Binary (kBinaryStamps first), a tenth of the JSON or so.
  CHECK(IntOf(*c, "SELECT count(*) FROM visits WHERE get_byte(stamps, 0) = 1") == 1);
  const RecordDef& visit_def = *FindRecordDef("visit");
  auto before = pg::ReadRecord(*c, visit_def, saved->id);
  REQUIRE(before.ok());
  const std::string json_stamps = before->stamps.dump();
  CHECK(IntOf(*c, "SELECT octet_length(stamps) FROM visits") * 4 <
        static_cast<int64_t>(json_stamps.size()));

  // Back to schema 3: every stamps column text, the visit's the JSON it stood for.
  f.hub.reset();
  REQUIRE(c->Simple("DO $$ DECLARE t text; BEGIN FOR t IN SELECT table_name FROM "
                    "information_schema.columns WHERE table_schema = current_schema() AND "
                    "column_name = 'stamps' LOOP EXECUTE format('ALTER TABLE %I ALTER COLUMN "
                    "stamps DROP DEFAULT, ALTER COLUMN stamps TYPE text USING ''{}'', ALTER "
                    "COLUMN stamps SET DEFAULT ''{}''', t); END LOOP; END $$; "
                    "UPDATE hub_meta SET value = '3' WHERE key = 'hub_schema'",
                    "back to schema 3")
              .ok());
  REQUIRE(c->Exec("UPDATE visits SET stamps = $1", {json_stamps}, "old stamps").ok());
  REQUIRE(IntOf(*c,
                "SELECT count(*) FROM information_schema.columns WHERE column_name = "
                "'stamps' AND data_type = 'bytea'") == 0);

  auto opened = test::PostgresStore::Open(f.dir.path().string(), f.clock);
  REQUIRE_MESSAGE(opened.ok(), opened.error().message());
  f.hub = std::move(opened).value();
  CHECK(IntOf(*c, "SELECT value::bigint FROM hub_meta WHERE key = 'hub_schema'") ==
        pg::kPgHubSchema);
  CHECK(IntOf(*c,
              "SELECT count(*) FROM information_schema.columns WHERE column_name = "
              "'stamps' AND table_schema = current_schema() AND data_type <> 'bytea'") == 0);
  // The old row keeps its JSON bytes and reads the same.
  CHECK(IntOf(*c, "SELECT get_byte(stamps, 0) FROM visits") == '{');
  auto after = pg::ReadRecord(*c, visit_def, saved->id);
  REQUIRE(after.ok());
  CHECK(after->stamps == before->stamps);
  // A new laptop gets the same records; an edit merged by the hub writes the row binary.
  auto b = f.Enroll("b.db", f.commune.id);
  CHECK(*ExportCanonicalJson(*b->db) == *ExportCanonicalJson(*a->db));
  Visit edit = *saved;
  edit.minutes = 45;
  REQUIRE(Visits(*a->db).Save(edit).ok());
  f.Push(*a);
  CHECK(IntOf(*c, "SELECT get_byte(stamps, 0) FROM visits") == 1);
  f.Pull(*b);
  CHECK(*ExportCanonicalJson(*b->db) == *ExportCanonicalJson(*a->db));
}

}  // namespace
}  // namespace gocua::hub_store_test
#endif
