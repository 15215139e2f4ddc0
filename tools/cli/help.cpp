#include <algorithm>

#include "tools/cli/commands.h"

namespace gocua::cli {
namespace {

std::string OptionUsage(const OptionSpec& o) {
  std::string s = "--" + o.name;
  if (o.kind != ValueKind::kFlag) s += " " + o.value_name;
  if (o.repeatable) s += " [...]";
  return o.required ? s : "[" + s + "]";
}

std::string Pad(std::string s, size_t width) {
  s.resize(std::max(s.size() + 2, width), ' ');
  return s;
}

}  // namespace

const std::vector<CommandSpec>& AllCommands() {
  static const std::vector<CommandSpec> all = [] {
    std::vector<CommandSpec> v;
    for (auto group : {SetupCommands, PeopleCommands, HouseholdCommands, ImportCommands,
                       VisitCommands, ReportCommands, SyncCommands, DeviceCommands,
                       LaptopsCommands})
      for (CommandSpec& c : group()) v.push_back(std::move(c));
    // Keep a group's subcommands together, groups in order of first appearance.
    std::vector<std::string> order;
    for (const CommandSpec& c : v)
      if (std::find(order.begin(), order.end(), c.group) == order.end()) order.push_back(c.group);
    auto rank = [&](const CommandSpec& c) {
      return std::find(order.begin(), order.end(), c.group) - order.begin();
    };
    std::stable_sort(v.begin(), v.end(),
                     [&](const CommandSpec& x, const CommandSpec& y) { return rank(x) < rank(y); });
    return v;
  }();
  return all;
}

std::string CommandHelp(const CommandSpec& c) {
  std::string h = "gocua-cli " + c.FullName() + " — " + c.summary + "\n\nCách dùng — usage:\n  " +
                  "gocua-cli " + c.FullName();
  for (const PositionalSpec& p : c.positionals) {
    const std::string word = p.name + (p.rest ? "..." : "");
    h += " " + (p.required ? word : "[" + word + "]");
  }
  for (const OptionSpec& o : c.options) h += " " + OptionUsage(o);
  h += "\n";
  if (!c.positionals.empty() || !c.options.empty()) {
    h += "\nĐối số — arguments:\n";
    for (const PositionalSpec& p : c.positionals) h += "  " + Pad(p.name, 24) + p.help + "\n";
    for (const OptionSpec& o : c.options) {
      std::string name = "--" + o.name + (o.kind == ValueKind::kFlag ? "" : " " + o.value_name);
      h += "  " + Pad(name, 24) + o.help + "\n";
    }
  }
  h += "\nTuỳ chọn chung — global options: --data DIR, --json, --help\n";
  if (!c.examples.empty()) {
    h += "\nVí dụ — examples:\n";
    for (const std::string& e : c.examples) h += "  " + e + "\n";
  }
  return h;
}

}  // namespace gocua::cli
