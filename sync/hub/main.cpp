// gocua-hub: the sync hub (HTTP API) and its administration commands. See cli.h.
#include "sync/hub/cli.h"

int main(int argc, char** argv) { return gocua::hub::Main(argc, argv); }
