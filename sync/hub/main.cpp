// gocua-hub: the sync hub (HTTP API) and its administration commands. See cli.h.
#include "storage/core/private_files.h"
#include "sync/hub/cli.h"

int main(int argc, char** argv) {
  gocua::UsePrivateUmask();  // hub.db and its folder: this user's only (0600/0700)
  return gocua::hub::Main(argc, argv);
}
