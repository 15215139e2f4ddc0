#pragma once
// The app's settings, kept in <data_dir>/settings.json (written whole, atomically). The hub
// address is not here: it lives in the database with the enrollment (storage/device/replica.h).
#include <string>

#include "base/result.h"

namespace gocua::app {

struct Settings {
  std::string data_dir;    // not saved: where this file lives
  std::string assets_dir;  // not saved
  std::string language = "vi";  // "vi" | "en"
  float text_scale = 1.0f;      // 1.0 = 18 px
  int lock_after_min = 10;      // sign out after this many idle minutes (0 = never)
  // Remembered from the last use: a new visit starts with the usual length, a new household
  // in the village last chosen.
  int visit_minutes = 20;
  std::string last_village_id;
};

// Reads <data_dir>/settings.json over the defaults; a missing file gives the defaults, a
// damaged one too (with the error returned beside, for the message band).
Settings LoadSettings(const std::string& data_dir, const std::string& assets_dir, Status* error);
Status SaveSettings(const Settings& s);

}  // namespace gocua::app
