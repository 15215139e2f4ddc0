// gocua-cli and gocua-hub as a user runs them, for issue 15's files-and-secrets and recovery
// points: private file modes, the hub token never printed, the PIN lockout across runs,
// reset-device with an unsent outbox reaching the real hub, and a write past `ulimit -f`
// (SIGXFSZ) during household import ending with a Vietnamese message and nothing imported.
#include "tests/cli/cli_fixture.h"

#ifdef GOCUA_CLI_PATH

#include <sqlite3.h>
#include <sys/stat.h>

#include "tests/support/hub_process.h"

namespace gocua {
namespace {

using namespace cli_fixture;

mode_t ModeOf(const fs::path& path) {
  struct stat st {};
  REQUIRE_MESSAGE(::stat(path.string().c_str(), &st) == 0, path.string());
  return st.st_mode & 07777;
}

// One value read with plain SQL from a database file ("" if no row).
std::string ReadOne(const fs::path& db, const std::string& sql) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(db.string().c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(raw);
  return out;
}

// A hub with one commune, a village "Thôn Đông" and a leader (PIN 5678).
struct HubCommune {
  test::HubProcess hub;
  std::string commune, leader;
  HubCommune() {
    commune = hub.Json(
        {"commune", "create", "--province", "Quảng Ngãi", "--commune", "Xã Tịnh Sơn"})["id"];
    hub.Ok({"village", "add", "--commune", commune, "Thôn", "Đông"});
    leader = hub.Json({"member", "add", "--commune", commune, "--name", "Lê Văn Hùng", "--role",
                       "leader", "--pin", "5678"})["id"];
    hub.Start();
  }
  // A one-time code for a device that acts for the leader: `--role leader` where the hub
  // knows roles for codes, a plain code where it does not yet (exit 2: unknown option).
  std::string LeaderCode() {
    test::ProcessResult r = hub.Run({"enroll-code", "--commune", commune, "--role", "leader"});
    if (r.exit_code == 2) return hub.Ok({"enroll-code", "--commune", commune});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return test::TrimEnd(r.out);
  }
  void Enroll(Cli& cli) {
    CliResult r = cli.Run({"enroll", "--hub", hub.url(), "--code", LeaderCode()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
};

TEST_CASE("Cli files: the data folder is 0700, gocua.db and a report 0600") {
  Cli cli;
  SetUp(cli);
  CHECK(ModeOf(cli.data()) == 0700);
  CHECK(ModeOf(fs::path(cli.data()) / "gocua.db") == 0600);
  const fs::path reports = cli.dir() / "bao-cao";
  fs::create_directories(reports);
  cli.Ok({"report", "--month", "2026-11", "--format", "csv", "--out", reports.string()});
  int files = 0;
  for (const auto& entry : fs::directory_iterator(reports)) {
    INFO(entry.path().string());
    CHECK(ModeOf(entry.path()) == 0600);
    ++files;
  }
  CHECK(files > 0);
  // An older build's 0755 folder and 0644 file are tightened by the next command.
  REQUIRE(::chmod(cli.data().c_str(), 0755) == 0);
  REQUIRE(::chmod((fs::path(cli.data()) / "gocua.db").string().c_str(), 0644) == 0);
  cli.Ok({"status"});
  CHECK(ModeOf(cli.data()) == 0700);
  CHECK(ModeOf(fs::path(cli.data()) / "gocua.db") == 0600);
}

TEST_CASE("Hub files: the hub's data folder is 0700 and hub.db 0600") {
  HubCommune h;
  CHECK(ModeOf(h.hub.data()) == 0700);
  CHECK(ModeOf(h.hub.db_path()) == 0600);
  CHECK(ModeOf(h.hub.db_path() + "-wal") == 0600);
}

TEST_CASE("Cli token: kept out of meta and never printed by any command") {
  HubCommune h;
  Cli cli;
  CliResult enrolled = cli.Run({"enroll", "--hub", h.hub.url(), "--code", h.LeaderCode()});
  REQUIRE(enrolled.exit_code == 0);
  const fs::path db = fs::path(cli.data()) / "gocua.db";
  const std::string token = ReadOne(db, "SELECT value FROM secret WHERE key = 'hub_token'");
  REQUIRE(token.size() >= 16);
  CHECK(ReadOne(db, "SELECT count(*) FROM meta WHERE key = 'hub_token' OR value = '" + token +
                        "'") == "0");
  const std::string household =
      cli.Ok({"household", "add", "--village", "Thôn Đông", "--head", "Nguyễn Văn Đức"});
  const fs::path csv = cli.Write("h.csv", "Thôn;Chủ hộ\nThôn Đông;Võ Thị Cúc\n");
  const std::vector<std::vector<std::string>> commands = {
      {"status"},
      {"topic", "list"},
      {"village", "list"},
      {"member", "list"},
      {"household", "list"},
      {"household", "import", csv.string()},
      {"person", "add", "--household", household, "--name", "Nguyễn Thị Lan"},
      {"search", "duc"},
      {"visit", "list"},
      {"stats"},
      {"export", "--format", "json"},
      {"target", "list"},
      {"sync"},
      {"enroll", "--hub", h.hub.url(), "--code", "WRONG-CODE"},
      {"reset-device", "--leader", h.leader, "--pin", "0000"},
      {"help"},
      {"--help"}};
  std::string everything = enrolled.out + enrolled.err;
  for (const auto& c : commands) {
    for (bool json : {false, true}) {
      std::vector<std::string> args = c;
      if (json) args.push_back("--json");
      CliResult r = cli.Run(args);
      INFO(Cli::Join(args));
      CHECK_FALSE(Contains(r.out + r.err, token));
      everything += r.out + r.err;
    }
  }
  CHECK(Contains(everything, "Nguyễn Văn Đức"));  // the commands did run and print
  CHECK_FALSE(Contains(h.hub.ServerLog(), token));
}

TEST_CASE("Cli lockout: five wrong PINs lock reset-device across runs, even for the right PIN") {
  HubCommune h;
  Cli cli;
  h.Enroll(cli);
  for (int i = 0; i < 4; ++i) {
    CliResult r = cli.Run({"reset-device", "--leader", h.leader, "--pin", "0000"});
    CHECK(r.exit_code == 1);
    CHECK(Contains(r.err, "Sai mã PIN"));
  }
  CliResult fifth = cli.Run({"reset-device", "--leader", h.leader, "--pin", "0000"});
  CHECK(fifth.exit_code == 1);
  CHECK(Contains(fifth.err, "Sai mã PIN quá nhiều lần. Thử lại sau 30 giây."));
  const std::string id_before = cli.Json({"status"})["device_id"];
  CliResult right = cli.Run({"reset-device", "--leader", h.leader, "--pin", "5678"});
  CHECK(right.exit_code == 1);
  CHECK(Contains(right.err, "Sai mã PIN quá nhiều lần. Thử lại sau"));
  CHECK(cli.Json({"status"})["device_id"] == id_before);  // nothing reset
}

TEST_CASE(
    "Cli reset-device: only a leader, and the unsent outbox reaches the hub under the new id") {
  HubCommune h;
  h.hub.Ok({"member", "add", "--commune", h.commune, "--name", "Trần Thị Mai", "--role", "member",
            "--pin", "1234"});
  Cli cli;
  h.Enroll(cli);
  cli.Ok({"household", "add", "--village", "Thôn Đông", "--head", "Nguyễn Văn Đức"});
  cli.Ok({"sync"});
  cli.Ok({"household", "add", "--village", "Thôn Đông", "--head", "Phạm Thị Mai"});  // unsent
  const json before = cli.Json({"status"});
  REQUIRE(before["unsynced_changes"].get<int>() > 0);

  json members = cli.Json({"member", "list"});
  std::string member_id;
  for (const json& m : members)
    if (m["role"] == "member") member_id = m["id"];
  REQUIRE_FALSE(member_id.empty());
  CliResult not_leader = cli.Run({"reset-device", "--leader", member_id, "--pin", "1234"});
  CHECK(not_leader.exit_code == 1);
  CHECK(Contains(not_leader.err, "Chỉ trưởng nhóm"));

  const json reset = cli.Json({"reset-device", "--leader", h.leader, "--pin", "5678"});
  CHECK(reset["old_device_id"] == before["device_id"]);
  CHECK(reset["device_id"] != before["device_id"]);
  CHECK(reset["kept_changes"] == before["unsynced_changes"]);
  const json after = cli.Json({"status"});
  CHECK(after["device_id"] == reset["device_id"]);
  CHECK(after["unsynced_changes"] == before["unsynced_changes"]);
  CliResult unenrolled = cli.Run({"sync"});  // the old token is gone with the old id
  CHECK(unenrolled.exit_code == 1);

  h.Enroll(cli);  // a new code: the kept changes go out with the enrollment's sync
  CHECK(cli.Json({"status"})["unsynced_changes"] == 0);
  const std::string exported = h.hub.Export();
  CHECK(Contains(exported, "Nguyễn Văn Đức"));
  CHECK(Contains(exported, "Phạm Thị Mai"));
  const json devices = h.hub.Json({"devices"});
  CHECK(Contains(devices.dump(), reset["device_id"].get<std::string>()));

  Cli other;  // another laptop sees both households
  h.Enroll(other);
  CHECK(other.Json({"household", "list"}).size() == 2);
}

TEST_CASE("Cli import past ulimit -f: a Vietnamese message, exit 1 not SIGXFSZ, nothing imported") {
  Cli cli;
  SetUp(cli);
  std::string csv = "STT;Thôn;Chủ hộ;Số nhà;Số nhân khẩu\n";
  for (int i = 0; i < 3000; ++i)
    csv += std::to_string(i) + ";Thôn 2;Nguyễn Văn Hộ Số " + std::to_string(i) + ";" +
           std::to_string(i) + " đường làng;3\n";
  const fs::path file = cli.Write("lon.csv", csv);
  const json pending = cli.Json({"status"})["unsynced_changes"];
  // The shell sets the limit (512-byte blocks) and execs the real binary.
  const std::string cmd = "ulimit -f 200; exec '" + std::string(GOCUA_CLI_PATH) + "' --data '" +
                          cli.data() + "' household import '" + file.string() + "'";
  CliResult r = cli.RunWith({"/bin/sh", "-c", cmd});
  INFO(r.err);
  CHECK(r.exit_code == 1);  // not 128 + SIGXFSZ (153)
  CHECK(Contains(r.err,
                 "Không ghi được dữ liệu: ổ đĩa đã đầy hoặc tệp quá lớn; không có gì "
                 "được lưu"));
  CHECK(cli.Json({"household", "list"}).empty());
  CHECK(cli.Json({"status"})["unsynced_changes"] == pending);  // no change-log entry either
  // Without the limit the same file imports whole.
  CliResult again = cli.Run({"household", "import", file.string()});
  CHECK(again.exit_code == 0);
  CHECK(cli.Json({"household", "list", "--village", "Thôn 2", "--limit", "5000"}).size() == 3000);
}

}  // namespace
}  // namespace gocua

#endif  // GOCUA_CLI_PATH
