#pragma once
// The topic catalog (nội dung hướng dẫn) as this database holds it. Seeded with the national
// catalog (storage/core/topic_catalog.h) when a database is created; the hub can later add or
// rename topics through sync.
#include <vector>

#include "storage/core/database.h"
#include "storage/core/records.h"
#include "storage/core/topic_catalog.h"  // BuiltinTopics, the codes

namespace gocua {

class Topics {
 public:
  explicit Topics(Database& db) : db_(db) {}
  // Topics not deleted, by sort order.
  Result<std::vector<Topic>> List();
  Result<Topic> Get(const std::string& id);

 private:
  Database& db_;
};

}  // namespace gocua
