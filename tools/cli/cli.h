#pragma once
// gocua-cli as a function: main() is Run() on argv. Exit codes are in context.h.
#include <iosfwd>
#include <string>
#include <vector>

namespace gocua::cli {

// Runs one command line (`args` excludes the program name), writing results to `out` and
// messages to `err`. Never throws.
int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace gocua::cli
