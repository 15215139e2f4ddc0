// gocua-cli: the headless Gõ Cửa client. See docs/cli.md.
#include <iostream>
#include <string>
#include <vector>

#include "storage/core/private_files.h"
#include "tools/cli/cli.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  gocua::UsePrivateUmask();       // everything written is this user's only (0600/0700)
  gocua::IgnoreFileSizeSignal();  // a write past `ulimit -f` fails with a message instead
  return gocua::cli::Run(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
