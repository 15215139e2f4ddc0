#include "tools/cli/cli.h"

#include <algorithm>
#include <exception>
#include <ostream>

#include "platform/paths.h"
#include "tools/cli/commands.h"

namespace gocua::cli {
namespace {

std::string ProgramHelp() {
  std::string h =
      "gocua-cli — Gõ Cửa không giao diện — the headless Gõ Cửa client\n\n"
      "Cách dùng — usage: gocua-cli [--data DIR] [--json] COMMAND [ARGS...]\n\n"
      "Lệnh — commands:\n";
  for (const CommandSpec& c : AllCommands()) {
    std::string name = c.FullName();
    name.resize(std::max<size_t>(name.size() + 2, 18), ' ');
    h += "  " + name + c.summary + "\n";
  }
  h += "\nTuỳ chọn chung — global options (mọi lệnh — every command):\n"
       "  --data DIR        thư mục dữ liệu (tệp DIR/gocua.db) — data folder; default " +
       DefaultDataDir() +
       "\n"
       "  --json            in kết quả dạng JSON — machine-readable output on stdout\n"
       "  --help, -h        hướng dẫn — help; 'gocua-cli COMMAND --help' for one command\n\n"
       "Mã thoát — exit codes: 0 thành công — ok; 1 lỗi dữ liệu — data error; "
       "2 sai cú pháp — usage error\n";
  return h;
}

std::string GroupHelp(const std::string& group) {
  std::string h = "Lệnh con của '" + group + "' — subcommands of " + group + ":\n";
  for (const CommandSpec& c : AllCommands())
    if (c.group == group) {
      std::string name = c.FullName();
      name.resize(std::max<size_t>(name.size() + 2, 20), ' ');
      h += "  gocua-cli " + name + c.summary + "\n";
    }
  return h;
}

bool HasHelpFlag(const std::vector<std::string>& args, size_t from) {
  for (size_t i = from; i < args.size() && args[i] != "--"; ++i)
    if (args[i] == "--help" || args[i] == "-h") return true;
  return false;
}

int RunCommand(const CommandSpec& c, const std::vector<std::string>& rest, const ParsedArgs& lead,
               std::ostream& out, std::ostream& err) {
  ParsedArgs args;
  std::string error;
  if (!ParseArgs(rest, c.options, c.positionals, &args, &error))
    return Context(out, err, "", false).Usage(error, c.FullName());
  if (args.help) {
    out << CommandHelp(c);
    return kExitOk;
  }
  const std::string data = args.Get("data", lead.Get("data", DefaultDataDir()));
  if (data.empty())
    return Context(out, err, "", false).Usage("--data: cần thư mục — needs a folder");
  Context ctx(out, err, data, args.Has("json") || lead.Has("json"));
  try {
    return c.run(ctx, args);
  } catch (const std::exception& e) {
    return ctx.Fail(
        {ErrorCode::kInternal, std::string("lỗi nội bộ — internal error: ") + e.what()});
  }
}

}  // namespace

int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Context usage(out, err, "", false);
  // Global options before the command word.
  std::vector<std::string> lead_words;
  size_t i = 0;
  for (; i < args.size() && args[i].size() > 1 && args[i][0] == '-' && args[i] != "--"; ++i) {
    lead_words.push_back(args[i]);
    if (args[i] == "--data" && i + 1 < args.size()) lead_words.push_back(args[++i]);
  }
  ParsedArgs lead;
  std::string error;
  if (!ParseArgs(lead_words, {}, {}, &lead, &error)) return usage.Usage(error);
  if (i < args.size() && args[i] == "--") ++i;

  if (i >= args.size() || args[i] == "help") {
    const bool asked = lead.help || (i < args.size() && args[i] == "help");
    if (!asked) {
      err << ProgramHelp();
      return kExitUsage;
    }
    // "help household add" is "household add --help".
    if (i + 1 < args.size()) {
      std::vector<std::string> again(args.begin() + static_cast<long>(i) + 1, args.end());
      again.push_back("--help");
      return Run(again, out, err);
    }
    out << ProgramHelp();
    return kExitOk;
  }

  const std::string& word = args[i];
  std::vector<const CommandSpec*> group;
  for (const CommandSpec& c : AllCommands())
    if (c.group == word) group.push_back(&c);
  if (group.empty())
    return usage.Usage("không có lệnh '" + word + "' — unknown command '" + word + "'");
  if (group.size() == 1 && group.front()->name.empty()) {
    std::vector<std::string> rest(args.begin() + static_cast<long>(i) + 1, args.end());
    if (lead.help) rest.push_back("--help");
    return RunCommand(*group.front(), rest, lead, out, err);
  }
  // A group: the next word names the subcommand.
  const bool has_sub = i + 1 < args.size() && !args[i + 1].empty() && args[i + 1][0] != '-';
  if (!has_sub) {
    if (lead.help || HasHelpFlag(args, i + 1)) {
      out << GroupHelp(word);
      return kExitOk;
    }
    err << GroupHelp(word);
    return usage.Usage("'" + word + "' cần một lệnh con — needs a subcommand", word);
  }
  const std::string& sub = args[i + 1];
  for (const CommandSpec* c : group)
    if (c->name == sub) {
      std::vector<std::string> rest(args.begin() + static_cast<long>(i) + 2, args.end());
      if (lead.help) rest.push_back("--help");
      return RunCommand(*c, rest, lead, out, err);
    }
  return usage.Usage(
      "không có lệnh '" + word + " " + sub + "' — unknown command '" + word + " " + sub + "'",
      word);
}

}  // namespace gocua::cli
