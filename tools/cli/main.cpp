// gocua-cli: the headless Gõ Cửa client. See docs/cli.md.
#include <iostream>
#include <string>
#include <vector>

#include "tools/cli/cli.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return gocua::cli::Run(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
