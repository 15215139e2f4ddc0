#pragma once
// Province administrators' accounts for the web console: made by `gocua-hub admin add NAME`,
// the password read from the terminal without echo (or from stdin's first line when it is not
// a terminal, for scripts) and kept only as the PIN KDF's hash (storage/device/members.h:
// PBKDF2-HMAC-SHA256, 300,000 iterations, a random salt).
#include <cstdio>
#include <string>

#include "base/result.h"
#include "sync/hub/store/hub_store.h"

namespace gocua::hub::console {

inline constexpr size_t kMinPasswordLength = 10;

// The new password: asked twice on a terminal (echo off, prompts on `prompt`), else stdin's
// first line. kInvalidInput if too short, if the two differ, or if nothing was read.
Result<std::string> ReadNewPassword(std::FILE* prompt);
// Hashes `password` and adds the account. kConflict if the name is taken.
Status AddAdmin(HubStore& store, const std::string& name, const std::string& password);

}  // namespace gocua::hub::console
