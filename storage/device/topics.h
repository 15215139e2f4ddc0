#pragma once
// The topic catalog (nội dung hướng dẫn). Seeded with the national catalog when a database
// is created; the hub can later add or rename topics through sync.
#include <vector>

#include "storage/core/database.h"
#include "storage/core/records.h"

namespace gocua {

// The built-in catalog, in display order.
const std::vector<Topic>& BuiltinTopics();

class Topics {
 public:
  explicit Topics(Database& db) : db_(db) {}
  // Topics not deleted, by sort order.
  Result<std::vector<Topic>> List();
  Result<Topic> Get(const std::string& id);

 private:
  Database& db_;
};

// Writes the built-in catalog with zero stamps (so any edit from a hub wins) and no change-log
// entries: every device has it already. REQUIRES: inside the migration's transaction.
Status SeedTopicCatalog(Database::Impl& d);

}  // namespace gocua
