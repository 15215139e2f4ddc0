#pragma once
// A hub store in a temp dir with two communes of one province and a village in each — what
// the hub-store tests start from.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "platform/clock.h"
#include "sync/hub/store/hub_store.h"
#include "tests/support/fixture.h"
#include "tests/sync/hub/store/hub_store_factories.h"

namespace gocua::test {

struct HubCommunes {
  TempDir dir;
  ManualClock clock{kTestNowMs};
  std::unique_ptr<HubStore> hub;
  Commune commune, other;
  Village village, other_village;

  // On the store that `open` makes: a factory of hub_store_factories.h (the conformance
  // suite's list).
  explicit HubCommunes(OpenHubStore open = &DefaultStore::Open) {
    auto h = open(dir.path().string(), clock);
    REQUIRE_MESSAGE(h.ok(), h.error().message());
    hub = std::move(h).value();
    commune = *hub->CreateCommune("Quảng Ngãi", "Xã Tịnh Sơn");
    other = *hub->CreateCommune("Quảng Ngãi", "Xã Tịnh Hà");
    village = *hub->AddVillage(commune.id, "Thôn Đông");
    other_village = *hub->AddVillage(other.id, "Thôn Bắc");
  }

  // Enrolls a device named and numbered `id` into the commune.
  HubDevice Enroll(const std::string& id, const std::string& commune_id) {
    auto code = hub->IssueEnrollmentCode(commune_id, 3600000);
    REQUIRE(code.ok());
    auto e = hub->Enroll(*code, id, id);
    REQUIRE_MESSAGE(e.ok(), e.error().message());
    return e->first;
  }
};

}  // namespace gocua::test
