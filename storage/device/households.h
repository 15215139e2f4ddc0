#pragma once
// Households (hộ gia đình) of this device's commune, and search over them.
#include <functional>
#include <vector>

#include "storage/core/database.h"
#include "storage/core/records.h"

namespace gocua {

struct HouseholdQuery {
  std::string village_id;  // "" = all villages
  int limit = 100;
  int offset = 0;
};

class Households {
 public:
  explicit Households(Database& db) : db_(db) {}

  // Checks `h` (village exists, head named, counts in range, phone digits) and returns it
  // normalised (phone digits only, text NFC). Writes nothing. `village_known`: the caller
  // read h.village_id from Places::Villages() in the same transaction (an import), so it is
  // not looked up again.
  Result<Household> Validate(const Household& h, bool village_known = false);
  // Adds `h` (its id is ignored; a new UUIDv7 is made). One transaction with its change log.
  Result<Household> Add(const Household& h);
  // Adds many households in one transaction: all or none. Ids are made here. Keeps the
  // dashboard's derived tables in bulk (storage/device/derived_bulk.h), not by triggers per row.
  // `progress(done, total)`, if given, is called every 1,000 rows. Rows that came out of
  // Validate() may skip the second check with `validated`.
  Result<std::vector<std::string>> AddAll(const std::vector<Household>& hs,
                                          const std::function<void(size_t, size_t)>& progress = {},
                                          bool validated = false);
  // Writes the changed fields of an existing household.
  Result<Household> Update(const Household& h);
  Status Remove(const std::string& id);
  Result<Household> Get(const std::string& id);
  // Households not deleted, by village then head name as read (case and marks ignored first,
  // Đ with D: HouseholdSortKey), through an index; paged.
  Result<std::vector<Household>> List(const HouseholdQuery& q);
  Result<int64_t> Count(const std::string& village_id = "");

  // Households whose head, address, phone or any member's name contains words starting with
  // each word of `text`, ignoring case and diacritics ("nguyen van duc", "DUC", "0912").
  // Paged; an empty query lists like List().
  Result<std::vector<Household>> Search(const std::string& text, int limit = 50, int offset = 0);

 private:
  Database& db_;
};

}  // namespace gocua
