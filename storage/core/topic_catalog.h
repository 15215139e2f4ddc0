#pragma once
// The national topic catalog (nội dung hướng dẫn) that every database starts with: the one
// definition of the built-in topic codes and names. Core seeds it when it creates a file
// (migration v1); the device's Topics repository (storage/device/topics.h) reads the catalog
// as the database holds it, which a hub may have extended or renamed since.
#include <vector>

#include "storage/core/database.h"
#include "storage/core/records.h"

namespace gocua {

// The built-in catalog, in display order.
const std::vector<Topic>& BuiltinTopics();

// Writes the built-in catalog with zero stamps (so any edit from a hub wins) and no change-log
// entries: every device has it already. REQUIRES: inside the migration's transaction.
Status SeedTopicCatalog(Database::Impl& d);

}  // namespace gocua
