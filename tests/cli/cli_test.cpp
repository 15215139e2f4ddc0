// gocua-cli end to end: each test runs the real binary (GOCUA_CLI_PATH) in a fresh data folder
// and checks its exit code, stdout and stderr.
#ifdef GOCUA_CLI_PATH

#include <doctest/doctest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "storage/core/database.h"

extern char** environ;

namespace gocua {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct CliResult {
  int exit_code = -1;  // 128 + signal if the process was killed
  std::string out, err;
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const fs::path& p, const std::string& bytes) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(f.good());
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A temporary folder for one test: the data folder lives in it, and the runs' output files.
// Removed when the test ends.
class Cli {
 public:
  Cli() {
    std::string templ = (fs::temp_directory_path() / "gocua-cli-test-XXXXXX").string();
    REQUIRE(mkdtemp(templ.data()) != nullptr);
    dir_ = templ;
  }
  ~Cli() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  Cli(const Cli&) = delete;
  Cli& operator=(const Cli&) = delete;

  const fs::path& dir() const { return dir_; }
  std::string data() const { return (dir_ / "data").string(); }

  // Runs gocua-cli with exactly `args` (stdin is /dev/null).
  CliResult RunRaw(const std::vector<std::string>& args) {
    const std::string out_path = (dir_ / "stdout").string(), err_path = (dir_ / "stderr").string();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<std::string> argv_s = {GOCUA_CLI_PATH};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, GOCUA_CLI_PATH, &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    REQUIRE(rc == 0);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CliResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = ReadFile(out_path);
    r.err = ReadFile(err_path);
    return r;
  }

  // Runs gocua-cli on this test's data folder.
  CliResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--data", data()});
    return RunRaw(args);
  }

  // Runs a command that must succeed; returns its stdout without the final newline.
  std::string Ok(const std::vector<std::string>& args) {
    CliResult r = Run(args);
    INFO("command: ", Join(args), "\nstderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return Trim(r.out);
  }

  // Runs a command with --json that must succeed; returns its parsed stdout.
  json Json(std::vector<std::string> args) {
    args.push_back("--json");
    CliResult r = Run(args);
    INFO("command: ", Join(args), "\nstderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    json j = json::parse(r.out, nullptr, false);
    INFO("stdout: ", r.out);
    REQUIRE_FALSE(j.is_discarded());
    return j;
  }

  fs::path Write(const std::string& name, const std::string& bytes) {
    WriteFile(dir_ / name, bytes);
    return dir_ / name;
  }

  static std::string Join(const std::vector<std::string>& args) {
    std::string s;
    for (const std::string& a : args) s += (s.empty() ? "" : " ") + a;
    return s;
  }

 private:
  fs::path dir_;
};

constexpr const char* kBom = "\xEF\xBB\xBF";

// A commune with two villages, a member and a leader.
struct Commune {
  std::string member, leader;
};

Commune SetUp(Cli& cli) {
  cli.Ok({"init", "--province", "Quảng Ngãi", "--commune", "Tịnh Khê"});
  cli.Ok({"village", "add", "Thôn", "An", "Phú"});  // words are joined
  cli.Ok({"village", "add", "Thôn 2"});
  Commune c;
  c.member =
      cli.Ok({"member", "add", "--name", "Trần Thị Hoa", "--role", "member", "--pin", "1234"});
  c.leader = cli.Ok({"member", "add", "--name", "Lê Văn Tám", "--role", "leader", "--pin", "9876"});
  return c;
}

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

TEST_CASE("Cli: import a CSV with a BOM, semicolons and CRLF") {
  Cli cli;
  SetUp(cli);
  const std::string csv = std::string(kBom) +
                          "STT;Thôn;Chủ hộ;Số nhà;SĐT;Số nhân khẩu;Trong độ tuổi lao động;"
                          "Điện thoại thông minh;Internet tại nhà\r\n"
                          "1;Thôn An Phú;Phạm Văn Bình;5;0905 111 222;3;2;1;Có\r\n"
                          "2;thon an phu;Võ Thị Cúc;\"7; hẻm 2\";;2;1;0;Không\r\n"
                          "3;THÔN 2;Hồ Văn Dũng;;;1;1;1;x\r\n";
  const fs::path file = cli.Write("ho-gia-dinh.csv", csv);
  CliResult r = cli.Run({"household", "import", file.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(Contains(r.out, "imported 3"));
  CHECK(r.err.empty());

  json hs = cli.Json({"household", "list", "--village", "Thôn An Phú"});
  REQUIRE(hs.size() == 2);
  CHECK(hs[0]["head_name"] == "Phạm Văn Bình");
  CHECK(hs[0]["phone"] == "0905111222");
  CHECK(hs[0]["members_count"] == 3);
  CHECK(hs[0]["working_age_count"] == 2);
  CHECK(hs[0]["home_internet"] == true);
  CHECK(hs[1]["address"] == "7; hẻm 2");
  CHECK(hs[1]["home_internet"] == false);
  CHECK(cli.Json({"household", "list", "--village", "Thôn 2"}).size() == 1);
  CHECK(cli.Json({"search", "vo thi cuc"}).size() == 1);
}

TEST_CASE("Cli: import with bad lines reports each line and imports nothing") {
  Cli cli;
  SetUp(cli);
  const fs::path file = cli.Write("bad.csv",
                                  "Thôn,Chủ hộ,Số nhân khẩu\n"     // line 1
                                  "Thôn 2,Lý Văn An,4\n"           // 2: good
                                  "Thôn Không Có,Mai Văn Bảo,2\n"  // 3: unknown village
                                  "Thôn 2,Đặng Thị Chi,3\n"        // 4: good
                                  "Thôn 2,,1\n"                    // 5: no head
                                  "Thôn 2,Lê Văn Dần,nhiều\n"      // 6: not a number
                                  "Thôn 2,Lý Văn An,4\n");         // 7: repeated
  CliResult r = cli.Run({"household", "import", file.string()});
  CHECK(r.exit_code == 1);
  for (const char* line : {"line 3: ", "line 5: ", "line 6: ", "line 7: "})
    CHECK_MESSAGE(Contains(r.err, line), line, " missing from:\n", r.err);
  CHECK_FALSE(Contains(r.err, "line 2: "));
  CHECK_FALSE(Contains(r.err, "line 4: "));
  CHECK(Contains(r.err, "--skip-bad-lines"));
  CHECK(cli.Json({"household", "list"}).empty());

  // The same report as JSON, still exit 1.
  CliResult j = cli.Run({"household", "import", file.string(), "--json"});
  CHECK(j.exit_code == 1);
  json report = json::parse(j.out, nullptr, false);
  REQUIRE_FALSE(report.is_discarded());
  CHECK(report["problems"].size() == 4);
  CHECK(report["problems"][0]["line"] == 3);
  CHECK(report["imported"] == 0);
  CHECK(report["stopped"] == true);

  // --skip-bad-lines imports the good lines and still lists the bad ones.
  CliResult skip = cli.Run({"household", "import", file.string(), "--skip-bad-lines"});
  CHECK(skip.exit_code == 0);
  CHECK(Contains(skip.out, "imported 2"));
  CHECK(Contains(skip.err, "line 3: "));
  CHECK(cli.Json({"household", "list"}).size() == 2);

  // Importing the same file again adds nothing, with or without --skip-bad-lines.
  CHECK(cli.Run({"household", "import", file.string()}).exit_code == 1);
  json again = cli.Json({"household", "import", file.string(), "--skip-bad-lines"});
  CHECK(again["imported"] == 0);
  CHECK(cli.Json({"household", "list"}).size() == 2);

  // A file without the required columns is refused as a whole.
  const fs::path no_head = cli.Write("no-head.csv", "Thôn,Địa chỉ\nThôn 2,5\n");
  CliResult refused = cli.Run({"household", "import", no_head.string()});
  CHECK(refused.exit_code == 1);
  CHECK(Contains(refused.err, "Chủ hộ"));
}

TEST_CASE("Cli: a big import reports progress on stderr") {
  Cli cli;
  SetUp(cli);
  std::string csv = "Thôn,Chủ hộ,Địa chỉ\n";
  for (int i = 0; i < 2500; ++i)
    csv += "Thôn 2,Hộ số " + std::to_string(i) + ",Số " + std::to_string(i) + "\n";
  const fs::path file = cli.Write("big.csv", csv);
  CliResult r = cli.Run({"household", "import", file.string()});
  REQUIRE(r.exit_code == 0);
  CHECK(Contains(r.err, "1000/2500"));
  CHECK(Contains(r.err, "2500/2500"));
  CHECK(Contains(r.out, "imported 2500"));
  CHECK(cli.Json({"household", "list", "--limit", "10000"}).size() == 2500);
}

TEST_CASE("Cli: --help works for the program and every command") {
  Cli cli;
  const std::vector<std::string> commands = {
      "init",       "status",      "topic list",    "village add",    "village list",
      "member add", "member list", "household add", "household list", "household import",
      "person add", "search",      "visit add",     "visit list",     "review add",
      "stats",      "export"};
  const std::string missing = (cli.dir() / "never-created").string();
  for (const std::string& command : commands) {
    std::vector<std::string> args = {"--data", missing};
    std::istringstream words(command);
    for (std::string w; words >> w;) args.push_back(w);
    args.push_back("--help");
    CliResult r = cli.RunRaw(args);
    INFO(command, "\n", r.err);
    CHECK(r.exit_code == 0);
    CHECK(Contains(r.out, "gocua-cli " + command));
    CHECK(Contains(r.out, "usage"));
    CHECK(r.err.empty());
  }
  CHECK_FALSE(fs::exists(missing));  // help never opens the database

  CliResult top = cli.RunRaw({"--help"});
  CHECK(top.exit_code == 0);
  for (const std::string& command : commands) CHECK(Contains(top.out, command));
  CHECK(cli.RunRaw({"help"}).exit_code == 0);
  CliResult help_visit = cli.RunRaw({"help", "visit", "add"});
  CHECK(help_visit.exit_code == 0);
  CHECK(Contains(help_visit.out, "--topic CODE=RESULT"));
  CliResult group = cli.RunRaw({"household", "--help"});
  CHECK(group.exit_code == 0);
  CHECK(Contains(group.out, "household import"));
  CHECK(cli.RunRaw({"visit", "add", "-h"}).exit_code == 0);
}

TEST_CASE("Cli: usage errors exit 2 with a message") {
  Cli cli;
  const std::vector<std::vector<std::string>> bad = {
      {},
      {"frobnicate"},
      {"village"},
      {"village", "rename"},
      {"village", "list", "--bogus"},
      {"--bogus", "status"},
      {"household", "add", "--village", "Thôn 2"},  // --head missing
      {"household", "list", "--limit", "many"},
      {"household", "list", "--limit", "0"},
      {"household", "list", "--limit"},  // no value
      {"member", "add", "--name", "A", "--pin", "1234", "--role", "boss"},
      {"visit", "add", "--household", "h", "--member", "m", "--topic", "vneid", "--minutes", "5"},
      {"visit", "add", "--household", "h", "--member", "m", "--topic", "vneid=done", "--minutes",
       "5", "--date", "2025-02-30"},
      {"stats", "--from", "yesterday"},
      {"export", "--format", "xml"},
      {"export", "--format", "json", "--table", "visits"},
      {"status", "extra"},
      {"search"},
      {"init", "--province", "A", "--province", "B", "--commune", "C"},
  };
  for (const auto& args : bad) {
    CliResult r = cli.Run(args);
    INFO("command: ", Cli::Join(args), "\nstderr: ", r.err);
    CHECK(r.exit_code == 2);
    CHECK(Contains(r.err, "gocua-cli"));
    CHECK(r.out.empty());
  }
  CliResult unknown = cli.Run({"frobnicate"});
  CHECK(Contains(unknown.err, "unknown command 'frobnicate'"));
  CliResult option = cli.Run({"village", "list", "--bogus"});
  CHECK(Contains(option.err, "unknown option --bogus"));
  CHECK(Contains(option.err, "gocua-cli village list --help"));
}

TEST_CASE("Cli: data errors exit 1 with a Vietnamese then English message") {
  Cli cli;
  CliResult before_init = cli.Run({"village", "add", "Thôn 1"});
  CHECK(before_init.exit_code == 1);
  CHECK(Contains(before_init.err, "gocua-cli init"));
  const Commune c = SetUp(cli);
  auto fails = [&](const std::vector<std::string>& args, const std::string& english) {
    CliResult r = cli.Run(args);
    INFO("command: ", Cli::Join(args), "\nstderr: ", r.err);
    CHECK(r.exit_code == 1);
    CHECK(Contains(r.err, " — "));
    CHECK(Contains(r.err, english));
  };
  fails({"init", "--province", "A", "--commune", "B"}, "already has a commune");
  fails({"village", "add", "thon 2"}, "village already exists");
  fails({"member", "add", "--name", "B", "--pin", "12"}, "PIN must be 4 to 8 digits");
  fails({"household", "add", "--village", "Thôn 9", "--head", "A"}, "no such village");
  fails({"household", "add", "--village", "Thôn 2", "--head", "A", "--phone", "12ab"},
        "digits only");
  fails({"household", "list", "--village", "Thôn 9"}, "no such village");
  fails({"person", "add", "--household", "nope", "--name", "A", "--birth-year", "1990", "--sex",
         "male"},
        "no such household");
  const std::string h = cli.Ok({"household", "add", "--village", "Thôn 2", "--head", "A"});
  fails({"visit", "add", "--household", h, "--member", c.member, "--topic", "nope=done",
         "--minutes", "5"},
        "no topic nope");
  fails({"visit", "add", "--household", h, "--member", c.member, "--topic", "vneid=maybe",
         "--minutes", "5"},
        "result must be");
  fails({"visit", "add", "--household", h, "--member", c.member, "--topic", "vneid=done",
         "--minutes", "5", "--date", "2100-01-01"},
        "in the future");
  fails({"household", "import", (cli.dir() / "missing.csv").string()}, "cannot open");
}

TEST_CASE("Cli: report writes the monthly XLSX or CSV files, target set moves the target") {
  Cli cli;
  const Commune c = SetUp(cli);
  const std::string h = cli.Ok({"household", "add", "--village", "Thôn 2", "--head",
                                "Nguyễn Văn Đức", "--members", "3", "--working-age", "2"});
  cli.Ok({"household", "add", "--village", "Thôn 2", "--head", "Phạm Thị Mai"});
  cli.Ok({"visit", "add", "--household", h, "--member", c.member, "--topic", "dvc=done",
          "--minutes", "30", "--date", "2025-03-10"});
  const std::string out = (cli.dir() / "reports").string();
  fs::create_directories(out);

  json xlsx = cli.Json({"report", "--month", "2025-03", "--out", out, "--today", "2025-03-31"});
  const fs::path file = fs::path(out) / "BaoCao_ToCNSCD_TinhKhe_2025-03.xlsx";
  CHECK(xlsx["files"] == json({file.string()}));
  CHECK(ReadFile(file).substr(0, 2) == "PK");  // a zip: tests/storage reads the sheets

  cli.Ok({"target", "set", "--year", "2025", "--percent", "75"});
  CHECK(Contains(cli.Ok({"target", "list"}), "75"));
  const std::string listed =
      cli.Ok({"report", "--month", "2025-03", "--format", "csv", "--out", out});
  CHECK(Contains(listed, "BaoCao_ToCNSCD_TinhKhe_2025-03_TheoThon.csv"));
  const std::string villages =
      ReadFile(fs::path(out) / "BaoCao_ToCNSCD_TinhKhe_2025-03_TheoThon.csv");
  CHECK(villages.rfind(kBom, 0) == 0);
  CHECK(Contains(villages, "THÁNG 03/2025"));
  CHECK(Contains(villages, "Thôn 2,2,1,50.0,1,0,0,2,0,0.0,75,0,0.0\r\n"));
  CHECK(Contains(villages, "Toàn xã,2,1,50.0,1,0,0,2,0,0.0,75,0,0.0\r\n"));
  CHECK(
      Contains(ReadFile(fs::path(out) / "BaoCao_ToCNSCD_TinhKhe_2025-03_TheoNoiDung.csv"), "dvc,"));

  CHECK(cli.Run({"report", "--month", "2025-3"}).exit_code == 2);
  CHECK(cli.Run({"report", "--month", "2025-03", "--format", "pdf"}).exit_code == 2);
  CliResult missing = cli.Run({"report", "--month", "2025-03", "--out", out + "/nope"});
  CHECK(missing.exit_code == 1);
  CHECK(Contains(missing.err, "Không có thư mục"));
  CHECK(cli.Run({"target", "set", "--year", "2025"}).exit_code == 2);
}

}  // namespace
}  // namespace gocua

#endif  // GOCUA_CLI_PATH
