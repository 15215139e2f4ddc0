#pragma once
// Puts the app on a named screen for a screenshot or a benchmark (`gocua --screen NAME`):
// signs in the first leader (or the first member) without a PIN and opens the screen on the
// first household when the screen needs one. Only main.cpp's --screenshot/--bench modes call
// it; the interactive app always asks for the PIN.
#include <string>
#include <vector>

#include "app/model.h"

namespace gocua::app {

// The names --screen accepts.
const std::vector<std::string>& StageNames();
// False (with *error) for an unknown name or a database without what the screen needs.
bool Stage(AppModel& m, const std::string& screen, std::string* error);

}  // namespace gocua::app
