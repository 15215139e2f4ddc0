// gocua-cli end to end (cli_fixture.h): --help for every command, usage errors (exit 2) and
// data errors (exit 1) with their messages.
#include "tests/cli/cli_fixture.h"

#ifdef GOCUA_CLI_PATH

namespace gocua {
namespace {

using namespace cli_fixture;

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

}  // namespace
}  // namespace gocua

#endif  // GOCUA_CLI_PATH
