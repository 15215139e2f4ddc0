// The laptop-management messages (sync/protocol/laptops.h): each round-trips through its codec,
// and a request breaking a rule is refused naming the field.
#include "sync/protocol/laptops.h"

#include <doctest/doctest.h>

#include "sync/protocol/errors.h"

namespace gocua::protocol {
namespace {

const std::string kId = "0190f3a2-5c1e-7b4d-9a6f-2e8c1d4b0001";

template <typename T>
T Must(const Result<T>& r) {
  INFO((r.ok() ? std::string() : r.error().message()));
  REQUIRE(r.ok());
  return r.value();
}

std::string Refused(const Status& s) {
  REQUIRE_FALSE(s.ok());
  CHECK(WireCode(s) == kErrBadRequest);
  return WireMessage(s);
}

TEST_CASE("Protocol laptops: every message round-trips") {
  LaptopInfo l{kId,
               "Laptop tổ 5",
               "member",
               1720000000000,
               1720000300000,
               true,
               "0190f3a2-5c1e-7b4d-9a6f-2e8c1d4b0002"};
  LaptopInfo leader{kId, "Máy trưởng nhóm", "leader", 1, 0, false, ""};
  CHECK(Must(DecodeLaptopListResponse(Encode(LaptopListResponse{{l, leader}, 7}))) ==
        LaptopListResponse{{l, leader}, 7});
  CHECK(Must(DecodeLaptopResponse(Encode(LaptopResponse{l, 9}))) == LaptopResponse{l, 9});
  CHECK(Must(DecodeLaptopCodeRequest(Encode(LaptopCodeRequest{1, 90}))) ==
        LaptopCodeRequest{1, 90});
  CHECK(Must(DecodeLaptopCodeRequest(R"({"protocol": 2})")).ttl_minutes ==
        kDefaultLaptopCodeMinutes);
  const LaptopCodeResponse code{"7K2M9QXP", "c", "member", 10, 5};
  CHECK(Must(DecodeLaptopCodeResponse(Encode(code))) == code);
  const LaptopRenameRequest rename{1, kId, "Laptop tổ 5"};
  CHECK(Must(DecodeLaptopRenameRequest(Encode(rename))) == rename);
  const LaptopRevokeRequest revoke{1, kId};
  CHECK(Must(DecodeLaptopRevokeRequest(Encode(revoke))) == revoke);
  const RetireRequest retire{1, kId};
  CHECK(Must(DecodeRetireRequest(Encode(retire))) == retire);
  const RetireResponse retired{kId, kId, 3};
  CHECK(Must(DecodeRetireResponse(Encode(retired))) == retired);
}

TEST_CASE("Protocol laptops: bad requests are refused naming the field") {
  CHECK(Refused(DecodeLaptopCodeRequest(R"({"protocol": 1, "ttl_minutes": 0})").error())
            .rfind("ttl_minutes:", 0) == 0);
  CHECK(Refused(DecodeLaptopCodeRequest(R"({"protocol": 1, "ttl_minutes": 10081})").error())
            .rfind("ttl_minutes:", 0) == 0);
  CHECK(Refused(
            DecodeLaptopRenameRequest(R"({"protocol": 1, "device_id": "x", "name": "a"})").error())
            .rfind("device_id:", 0) == 0);
  CHECK(Refused(DecodeLaptopRenameRequest(R"({"protocol": 1, "device_id": ")" + kId +
                                          R"(", "name": ""})")
                    .error())
            .rfind("name:", 0) == 0);
  CHECK(Refused(DecodeLaptopRenameRequest(R"({"protocol": 1, "device_id": ")" + kId +
                                          R"(", "name": "a\nb"})")
                    .error())
            .rfind("name:", 0) == 0);
  CHECK(Refused(DecodeLaptopRevokeRequest(R"({"protocol": 1})").error()).find("device_id") !=
        std::string::npos);
  CHECK(Refused(DecodeRetireRequest(R"({"protocol": 1, "replaced_by": "ABC"})").error())
            .rfind("replaced_by:", 0) == 0);
  auto mismatch = DecodeLaptopRevokeRequest(R"({"protocol": 99, "device_id": ")" + kId + "\"}");
  REQUIRE_FALSE(mismatch.ok());
  CHECK(WireCode(mismatch.error()) == kErrProtocolMismatch);
  CHECK(HttpStatusFor(kErrForbidden) == 403);
}

}  // namespace
}  // namespace gocua::protocol
