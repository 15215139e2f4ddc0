// gocua-cli: the headless Gõ Cửa client. See docs/cli.md.
#include <iostream>
#include <string>
#include <vector>

#include "platform/command_line.h"
#include "storage/core/private_files.h"
#include "tools/cli/cli.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  gocua::UsePrivateUmask();       // everything written is this user's only (0600/0700)
  gocua::IgnoreFileSizeSignal();  // a write past `ulimit -f` fails with a message instead
  gocua::UseUtf8Console();
  std::vector<std::string> args = gocua::Utf8Arguments(argc, argv);  // UTF-8 on every Windows
  if (!args.empty()) args.erase(args.begin());
  return gocua::cli::Run(args, std::cout, std::cerr);
}
