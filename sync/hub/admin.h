#pragma once
// The administration commands of gocua-hub: each runs on an open HubStore, prints its result
// to `out` (JSON with --json) and returns the process exit code: 0 done, 1 the store refused
// or failed (the message, on `err`, says why and what to do), 2 a usage error.
// Words are the command line's words after the command's own name(s).
#include <cstdio>
#include <string>
#include <vector>

#include "sync/hub/store/hub_store.h"
#include "sync/hub/args.h"

namespace gocua::hub {

struct AdminIo {
  std::FILE* out;
  std::FILE* err;
  bool json = false;
};

int CommuneCreate(HubStore& store, const Args& args, AdminIo& io);
int CommuneList(HubStore& store, const Args& args, AdminIo& io);
int VillageAdd(HubStore& store, const Args& args, const std::vector<std::string>& words,
               AdminIo& io);
int MemberAdd(HubStore& store, const Args& args, AdminIo& io);
int EnrollCode(HubStore& store, const Args& args, AdminIo& io);
int DeviceList(HubStore& store, AdminIo& io);
int Revoke(HubStore& store, const std::string& device_id, AdminIo& io);
int DeviceRole(HubStore& store, const std::string& device_id, const std::string& role,
               AdminIo& io);
int QuarantineList(HubStore& store, AdminIo& io);
int ConflictList(HubStore& store, AdminIo& io);
int Export(HubStore& store, const Args& args, AdminIo& io);

}  // namespace gocua::hub
