#pragma once
// The command-line grammar of gocua-cli: what a command accepts (CommandSpec) and the parse of
// one command's arguments against it. Pure; knows nothing of storage. A parse failure is a
// usage error (exit 2); the message is Vietnamese first, then English.
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace gocua::cli {

enum class ValueKind {
  kFlag,    // no value: --json
  kText,    // any text
  kInt,     // a whole number in [min, max]
  kDate,    // YYYY-MM-DD, a real calendar date
  kChoice,  // one of `choices`
};

struct OptionSpec {
  std::string name;  // without the dashes: "village"
  ValueKind kind = ValueKind::kText;
  std::string value_name;  // shown in help: "V", "N", "YYYY-MM-DD"
  std::string help;        // "tên hoặc mã thôn — village name or id"
  bool required = false;
  bool repeatable = false;
  std::vector<std::string> choices = {};  // for kChoice
  long long min = 0, max = 1000000;       // for kInt
};

// Spec builders, so command tables read as a list of options.
OptionSpec Flag(std::string name, std::string help);
OptionSpec Text(std::string name, std::string value_name, std::string help, bool required = false,
                bool repeatable = false);
OptionSpec Int(std::string name, std::string value_name, std::string help, long long min,
               long long max, bool required = false);
OptionSpec Date(std::string name, std::string help);
// The value name is the choices joined with '|'.
OptionSpec Choice(std::string name, std::vector<std::string> choices, std::string help,
                  bool required = false);

struct PositionalSpec {
  std::string name;  // "NAME", "FILE"
  std::string help;
  bool required = true;
  bool rest = false;  // takes every remaining word, joined with spaces ("Thôn 1" unquoted)
};

// The options and positionals a parse produced. Values are already checked against the spec.
struct ParsedArgs {
  std::map<std::string, std::vector<std::string>> options;  // flags hold one "" value
  std::vector<std::string> positionals;
  bool help = false;

  bool Has(const std::string& name) const { return options.count(name) > 0; }
  // The last value given for `name`, or `fallback`.
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  // Every value given for a repeatable option, in order.
  std::vector<std::string> All(const std::string& name) const;
  // REQUIRES: `name` is a kInt option (so the value was checked) or absent.
  long long GetInt(const std::string& name, long long fallback) const;
};

// The options every command accepts, wherever they appear: --data DIR, --json, --help.
const std::vector<OptionSpec>& GlobalOptions();

// True when `s` is a calendar date written YYYY-MM-DD, years 1900..2200 (as storage accepts).
bool IsDate(const std::string& s);

// Parses `args` (the words after the command name) against `options` + GlobalOptions() and
// `positionals`. Accepts "--name value", "--name=value" and "--" (the rest are positionals).
// If --help (or -h) appears, returns with help = true and no further checks.
// On a usage error returns false and sets *error.
bool ParseArgs(const std::vector<std::string>& args, const std::vector<OptionSpec>& options,
               const std::vector<PositionalSpec>& positionals, ParsedArgs* out, std::string* error);

}  // namespace gocua::cli
