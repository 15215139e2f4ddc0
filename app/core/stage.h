#pragma once
// Puts the app on a named screen for a screenshot or a benchmark (`gocua --screen NAME`).
// Signs in without a PIN: the first leader for the leaders' screens (settings_leader is
// Settings as a leader sees it); otherwise whoever
// recorded the newest returned visit (else the newest visit; else the first leader), so Today
// and Returned have content. A screen that needs a household gets the recently visited one
// with the most persons. Only main.cpp's --screenshot/--bench modes call it; the interactive
// app always asks for the PIN.
#include <string>
#include <vector>

#include "app/core/model.h"

namespace gocua::app {

// The names --screen accepts.
const std::vector<std::string>& StageNames();
// False (with *error) for an unknown name or a database without what the screen needs.
bool Stage(AppModel& m, const std::string& screen, std::string* error);

}  // namespace gocua::app
