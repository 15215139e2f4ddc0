#pragma once
// gocua-hub's command line: `serve` and the administration commands (admin.h), with --help
// for the program and for every command. Exit codes: 0 done, 1 failed, 2 usage error.
namespace gocua::hub {

int Main(int argc, const char* const* argv);

}  // namespace gocua::hub
