#pragma once
// The command line of gocua-hub, taken apart: words and --options, in any order.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"

namespace gocua::hub {

struct Args {
  std::vector<std::string> words;              // everything that is not an option, in order
  std::map<std::string, std::string> options;  // "--data" → "DIR" (the last one given wins)
  std::set<std::string> flags;                 // "--json", "--insecure-http", "--help"

  bool Has(const std::string& flag) const { return flags.count(flag) > 0; }
  // The value of `option`, or `fallback` if it was not given.
  std::string Get(const std::string& option, const std::string& fallback = "") const {
    auto it = options.find(option);
    return it == options.end() ? fallback : it->second;
  }
};

// Splits argv[1..]. Options take their value as the next word or after '='; "-h" is "--help";
// "--" ends the options. An unknown option or a missing value is kInvalidInput.
Result<Args> ParseArgs(int argc, const char* const* argv);

}  // namespace gocua::hub
