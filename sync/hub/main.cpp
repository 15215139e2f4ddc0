// gocua-hub: the sync hub (HTTP API) and its administration commands. See cli.h.
#include "storage/core/private_files.h"
#include "sync/hub/cli.h"

int main(int argc, char** argv) {
  gocua::UsePrivateUmask();  // hub.db and its folder: this user's only (0600/0700)
  // A write past `ulimit -f` fails with EFBIG instead of killing the hub silently: the request
  // that wrote answers 500 with the disk-full message, its transaction rolls back, and the hub
  // goes on serving (tests/sync/hub/hub_file_limit_test.cpp).
  gocua::IgnoreFileSizeSignal();
  return gocua::hub::Main(argc, argv);
}
