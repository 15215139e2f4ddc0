#pragma once
// The commands of gocua-cli. Each command_*.cpp defines one group; AllCommands() lists them
// in help order. A handler gets the parsed arguments (already checked against its spec) and
// returns an exit code (context.h).
#include <functional>
#include <string>
#include <vector>

#include "tools/cli/args.h"
#include "tools/cli/context.h"

namespace gocua::cli {

struct CommandSpec {
  std::string group;    // "household"; or the command itself when `name` is empty ("init")
  std::string name;     // "add", or "" for a command without subcommands
  std::string summary;  // "thêm hộ gia đình — add a household"
  std::vector<PositionalSpec> positionals;
  std::vector<OptionSpec> options;
  std::vector<std::string> examples;  // full command lines
  std::function<int(Context&, const ParsedArgs&)> run;

  std::string FullName() const { return name.empty() ? group : group + " " + name; }
};

std::vector<CommandSpec> SetupCommands();      // init, status, topic list
std::vector<CommandSpec> PeopleCommands();     // village, member
std::vector<CommandSpec> HouseholdCommands();  // household add/list, person add, search
std::vector<CommandSpec> ImportCommands();     // household import
std::vector<CommandSpec> VisitCommands();      // visit add/list, review add
std::vector<CommandSpec> ReportCommands();     // stats, export, report, target
std::vector<CommandSpec> SyncCommands();       // enroll, sync
std::vector<CommandSpec> DeviceCommands();     // reset-device
std::vector<CommandSpec> LaptopsCommands();    // laptops list/code/rename/revoke

const std::vector<CommandSpec>& AllCommands();

// The usage line, options and examples of `c`.
std::string CommandHelp(const CommandSpec& c);

}  // namespace gocua::cli
