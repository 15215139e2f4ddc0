#pragma once
// A hub store in a temp dir with two communes of one province and a village in each — what
// the hub-store tests start from.
#include <doctest/doctest.h>

#include <memory>

#include "platform/clock.h"
#include "storage/hub_store.h"
#include "tests/storage/fixture.h"

namespace gocua::test {

struct HubCommunes {
  TempDir dir;
  ManualClock clock{kTestNowMs};
  std::unique_ptr<HubStore> hub;
  Commune commune, other;
  Village village, other_village;

  HubCommunes() {
    auto h = HubStore::Open(dir.File("hub.db"), clock);
    REQUIRE_MESSAGE(h.ok(), h.error().message());
    hub = std::move(h).value();
    commune = *hub->CreateCommune("Quảng Ngãi", "Xã Tịnh Sơn");
    other = *hub->CreateCommune("Quảng Ngãi", "Xã Tịnh Hà");
    village = *hub->AddVillage(commune.id, "Thôn Đông");
    other_village = *hub->AddVillage(other.id, "Thôn Bắc");
  }
};

}  // namespace gocua::test
