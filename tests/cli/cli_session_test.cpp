// gocua-cli end to end (cli_fixture.h): a whole session, --json output, and export json that
// is the same bytes on two runs.
#include "tests/cli/cli_fixture.h"

#ifdef GOCUA_CLI_PATH

namespace gocua {
namespace {

using namespace cli_fixture;

TEST_CASE("Cli: a session from init to visit, search, review and stats") {
  Cli cli;
  const Commune c = SetUp(cli);
  CHECK(c.member.size() == 36);
  CHECK(Contains(cli.Ok({"village", "list"}), "Thôn An Phú"));
  CHECK(Contains(cli.Ok({"member", "list"}), "Lê Văn Tám"));

  const std::string h =
      cli.Ok({"household", "add", "--village", "thon an phu", "--head", "Nguyễn Văn Đức",
              "--address", "12 ngõ 3", "--phone", "0912 345 678", "--members", "4", "--working-age",
              "2", "--smartphones", "2", "--internet", "yes"});
  CHECK(h.size() == 36);
  const std::string other =
      cli.Ok({"household", "add", "--village", "Thôn 2", "--head", "Phạm Thị Mai"});
  const std::string p = cli.Ok({"person", "add", "--household", h, "--name", "Nguyễn Thị Lan",
                                "--birth-year", "1968", "--sex", "female"});
  const std::string v =
      cli.Ok({"visit",    "add",           "--household", h,           "--member", c.member,
              "--member", c.leader,        "--person",    p,           "--topic",  "vneid=done",
              "--topic",  "safety=guided", "--minutes",   "45",        "--date",   "2025-03-10",
              "--notes",  "Đã cài VNeID",  "--followup",  "2025-03-20"});
  CHECK(v.size() == 36);

  CHECK(Contains(cli.Ok({"visit", "list"}), v));
  json visits = cli.Json({"visit", "list", "--household", h});
  REQUIRE(visits.size() == 1);
  CHECK(visits[0]["id"] == v);
  CHECK(visits[0]["status"] == "pending");
  CHECK(visits[0]["members"] == json({c.member, c.leader}));
  CHECK(visits[0]["topics"] == json({{"safety", "guided"}, {"vneid", "done"}}));
  CHECK(cli.Json({"visit", "list", "--household", other}).empty());
  CHECK(cli.Json({"visit", "list", "--member", c.leader}).size() == 1);
  CHECK(cli.Json({"visit", "list", "--status", "approved"}).empty());

  // Search ignores case and diacritics, đ included.
  const std::string found = cli.Ok({"search", "nguyen van duc"});
  CHECK(Contains(found, "Nguyễn Văn Đức"));
  CHECK_FALSE(Contains(found, "Phạm Thị Mai"));
  json by_word = cli.Json({"search", "DUC"});
  REQUIRE(by_word.size() == 1);
  CHECK(by_word[0]["id"] == h);
  CHECK(by_word[0]["village_name"] == "Thôn An Phú");
  CHECK(cli.Json({"search", "nguyen", "thi", "lan"}).size() == 1);  // a member's name
  CHECK(cli.Json({"search", "0912"}).size() == 1);
  CHECK(cli.Json({"search", "khong", "co", "ai"}).empty());

  // Only a leader reviews; then the visit is approved.
  CliResult by_member =
      cli.Run({"review", "add", "--visit", v, "--leader", c.member, "--decision", "approved"});
  CHECK(by_member.exit_code == 1);
  CHECK(Contains(by_member.err, "only a leader reviews"));
  CHECK(cli.Run({"review", "add", "--visit", v, "--leader", c.leader, "--decision", "returned"})
            .exit_code == 1);  // returning needs a comment
  cli.Ok({"review", "add", "--visit", v, "--leader", c.leader, "--decision", "approved"});
  CHECK(cli.Json({"visit", "list", "--status", "approved"}).size() == 1);

  json stats = cli.Json({"stats"});
  REQUIRE(stats["villages"].size() == 2);
  CHECK(stats["total"]["households"] == 2);
  CHECK(stats["total"]["households_visited"] == 1);
  CHECK(stats["total"]["persons"] == 1);
  CHECK(stats["total"]["persons_guided"] == 1);
  CHECK(stats["total"]["visits"] == 1);
  CHECK(cli.Json({"stats", "--from", "2025-04-01"})["total"]["visits"] == 0);
  const std::string table = cli.Ok({"stats"});
  CHECK(Contains(table, "Thôn An Phú"));
  CHECK(Contains(table, "Toàn xã"));

  json status = cli.Json({"status"});
  CHECK(status["commune"]["name"] == "Tịnh Khê");
  CHECK(status["schema_version"] == kSchemaVersion);
  CHECK(status["device_id"].get<std::string>().size() == 36);
  CHECK(status["unsynced_changes"].get<int>() > 0);
  CHECK(Contains(cli.Ok({"status"}), "Tịnh Khê"));
}

TEST_CASE("Cli: --json output parses, and adds print the record") {
  Cli cli;
  json commune = cli.Json({"init", "--province", "Quảng Ngãi", "--commune", "Tịnh Khê"});
  CHECK(commune["name"] == "Tịnh Khê");
  CHECK(commune["province_name"] == "Quảng Ngãi");
  json village = cli.Json({"village", "add", "Thôn 1"});
  CHECK(village["name"] == "Thôn 1");
  CHECK(village["commune_id"] == commune["id"]);
  json member = cli.Json({"member", "add", "--name", "Trần Thị Hoa", "--pin", "1234"});
  CHECK(member["role"] == "member");
  CHECK_FALSE(member.contains("pin_hash"));  // never printed
  json h = cli.Json({"household", "add", "--village", "Thôn 1", "--head", "Đỗ Văn Hùng", "--phone",
                     "090-111-2222", "--members", "3", "--internet", "no"});
  CHECK(h["phone"] == "0901112222");
  CHECK(h["members_count"] == 3);
  CHECK(h["home_internet"] == false);
  CHECK(h["village_id"] == village["id"]);
  json p = cli.Json({"person", "add", "--household", h["id"], "--name", "Đỗ Thị Hà", "--birth-year",
                     "2001", "--sex", "female"});
  CHECK(p["skills"]["public_services"] == "none");
  json v = cli.Json({"visit", "add", "--household", h["id"], "--member", member["id"], "--person",
                     p["id"], "--topic", "dvc=done", "--minutes", "30"});
  CHECK(v["status"] == "pending");
  CHECK(v["created_by"] == member["id"]);
  CHECK(v["visited_on"].get<std::string>().size() == 10);  // today
  CHECK(v["persons"] == json({p["id"]}));

  json topics = cli.Json({"topic", "list"});
  REQUIRE(topics.is_array());
  CHECK(topics.size() >= 9);
  CHECK(topics[0]["id"] == "vneid");
  CHECK(cli.Json({"village", "list"}).size() == 1);
  CHECK(cli.Json({"member", "list"})[0]["name"] == "Trần Thị Hoa");
  json households = cli.Json({"household", "list"});
  REQUIRE(households.size() == 1);
  CHECK(households[0]["head_name"] == "Đỗ Văn Hùng");
  CHECK(cli.Json({"household", "list", "--offset", "1"}).empty());
  // The global option also works before the command.
  CliResult before = cli.Run({"--json", "village", "list"});
  CHECK(before.exit_code == 0);
  CHECK_FALSE(json::parse(before.out, nullptr, false).is_discarded());
}

TEST_CASE("Cli: export json is byte-identical on two runs, to stdout and to a file") {
  Cli cli;
  const Commune c = SetUp(cli);
  const std::string h =
      cli.Ok({"household", "add", "--village", "Thôn 2", "--head", "Nguyễn Văn Đức"});
  cli.Ok({"household", "add", "--village", "Thôn 2", "--head", "Vũ Thị Ngọc", "--address", "9"});
  cli.Ok({"visit", "add", "--household", h, "--member", c.member, "--topic", "cashless=guided",
          "--minutes", "20", "--date", "2025-05-02"});

  CliResult first = cli.Run({"export", "--format", "json"});
  CliResult second = cli.Run({"export", "--format", "json"});
  REQUIRE(first.exit_code == 0);
  CHECK(first.out.size() > 100);
  CHECK(first.out == second.out);
  json parsed = json::parse(first.out, nullptr, false);
  REQUIRE_FALSE(parsed.is_discarded());
  CHECK(parsed["format"] == "gocua-export");
  CHECK(parsed["records"]["household"].size() == 2);

  const std::string out = (cli.dir() / "xa.json").string();
  json wrote = cli.Json({"export", "--format", "json", "--out", out});
  CHECK(wrote["bytes"] == first.out.size());
  CHECK(ReadFile(out) == first.out);

  // The households CSV reads back through the importer on another device.
  const std::string csv_path = (cli.dir() / "ho.csv").string();
  cli.Ok({"export", "--format", "csv", "--table", "households", "--out", csv_path});
  Cli other;
  other.Ok({"init", "--province", "Quảng Ngãi", "--commune", "Tịnh Khê"});
  other.Ok({"village", "add", "Thôn 2"});
  CHECK(other.Json({"household", "import", csv_path})["imported"] == 2);
  CHECK(Contains(cli.Ok({"export", "--format", "csv", "--table", "visits"}), "cashless=guided"));
  CHECK(Contains(cli.Ok({"export", "--format", "csv", "--table", "persons"}), "Họ tên"));
}

}  // namespace
}  // namespace gocua

#endif  // GOCUA_CLI_PATH
