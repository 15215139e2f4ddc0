#include "sync/hub/args.h"

#include <string_view>

namespace gocua::hub {
namespace {

const std::set<std::string>& ValueOptions() {
  static const std::set<std::string> kOptions = {"--data", "--store", "--tls-cert", "--tls-key", "--listen",      "--province",
                                                 "--commune", "--name",        "--role",
                                                 "--pin",     "--ttl-minutes", "--format", "--protocol-versions",
                                                 // serve's HTTP front (serve_limits.h)
                                                 "--max-connections", "--max-connections-per-address",
                                                 "--header-timeout", "--keepalive-timeout",
                                                 "--min-body-rate", "--workers",
                                                 "--trusted-proxy", "--pg-connections",
                                                 "--from", "--to"};
  return kOptions;
}

const std::set<std::string>& FlagOptions() {
  static const std::set<std::string> kFlags = {"--json", "--insecure-http", "--help"};
  return kFlags;
}

}  // namespace

Result<Args> ParseArgs(int argc, const char* const* argv) {
  Args a;
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (options_done || arg.size() < 2 || arg[0] != '-') {
      a.words.push_back(std::move(arg));
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg == "-h") arg = "--help";
    std::string value;
    bool has_value = false;
    if (const size_t eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
      has_value = true;
    }
    if (FlagOptions().count(arg)) {
      if (has_value) return InvalidInput(arg + " takes no value");
      a.flags.insert(arg);
    } else if (ValueOptions().count(arg)) {
      if (!has_value) {
        if (i + 1 >= argc) return InvalidInput(arg + " needs a value");
        value = argv[++i];
      }
      a.options[arg] = value;
    } else {
      return InvalidInput("unknown option " + arg + "; see gocua-hub --help");
    }
  }
  return a;
}

}  // namespace gocua::hub
