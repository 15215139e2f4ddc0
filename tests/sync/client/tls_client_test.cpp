// The laptop's side of TLS, on Linux and on Windows (under Wine, against the Linux gocua-hub):
// a hub certificate from the CA the laptop is told to trust syncs; one from another CA, a
// self-signed one, or one for another host name is refused before anything is sent, with a
// Vietnamese message and no retries; with no CA file a province's own CA is not trusted. The
// certificates come from tests/support/make_test_certs.sh (tests/support/test_certs.h).
#include <doctest/doctest.h>

#include <filesystem>
#include <random>

#include "platform/utf8_path.h"
#include "storage/device/households.h"
#include "tests/support/test_certs.h"

namespace gocua {
namespace {

TEST_CASE("TLS client: a hub certificate signed by the CA the laptop is told to trust syncs") {
  test::TestCerts certs;
  test::SyncFixture f;
  test::ServeWith(f, certs, "hub");
  test::DeviceOptions trusting;
  trusting.curl.ca_file = test::CaInVietnameseFolder(certs);
  test::SyncDevice& a = f.AddDevice(trusting);
  Household h;
  h.village_id = f.village_id;
  h.head_name = "Hộ qua HTTPS của tỉnh";
  h.members_count = 3;
  REQUIRE(Households(a.db()).Add(h).ok());
  test::SyncDevice& b = f.AddDevice(trusting);
  std::mt19937_64 rng(14);
  f.SyncUntilQuiet(rng);
  f.CheckAllExportsEqualHub();
  CHECK(b.pulled_total() > 0);
  CHECK(f.hub.Export().find("Hộ qua HTTPS của tỉnh") != std::string::npos);
}

TEST_CASE(
    "TLS client: a hub certificate from an unknown CA or self-signed is refused in Vietnamese") {
  test::TestCerts certs;
  test::SyncFixture f;
  const std::string ca = test::CaInVietnameseFolder(certs);
  const std::string code = f.hub.Ok({"enroll-code", "--commune", f.commune_id});
  for (const char* cert : {"stranger", "self"}) {
    INFO("the hub serves ", cert, ".crt");
    test::ServeWith(f, certs, cert);
    test::CheckRefusedForCertificate(test::TryEnroll(f, ca, code, std::string("laptop-") + cert));
  }
  // Nothing reached the hub: the same code still enrolls once the hub shows the province's
  // certificate.
  test::ServeWith(f, certs, "hub");
  const client::SyncResult ok = test::TryEnroll(f, ca, code, "laptop-ok");
  INFO(ok.error.message());
  CHECK(ok.ok());
}

TEST_CASE("TLS client: a certificate of the trusted CA for another host name is refused") {
  test::TestCerts certs;
  test::SyncFixture f;
  const std::string ca = test::CaInVietnameseFolder(certs);
  const std::string code = f.hub.Ok({"enroll-code", "--commune", f.commune_id});
  test::ServeWith(f, certs, "elsewhere");  // hub.tinh-khac.vn, 10.9.8.7; the laptop dials 127.0.0.1
  test::CheckRefusedForCertificate(test::TryEnroll(f, ca, code, "laptop-elsewhere"));
  test::ServeWith(f, certs, "hub");
  const client::SyncResult ok = test::TryEnroll(f, ca, code, "laptop-ok");
  INFO(ok.error.message());
  CHECK(ok.ok());
}

TEST_CASE("TLS client: with no CA file a province's own CA is not trusted") {
  test::TestCerts certs;
  test::SyncFixture f;
  test::ServeWith(f, certs, "hub");
  const std::string code = f.hub.Ok({"enroll-code", "--commune", f.commune_id});
  // The system's CAs (Linux: Debian's bundle; Windows: its store and the shipped bundle).
  test::CheckRefusedForCertificate(test::TryEnroll(f, "", code, "laptop-system"));
  // A CA file that is not a certificate (the hub's key) trusts nothing either.
  test::CheckRefusedForCertificate(test::TryEnroll(f, certs.File("hub.key"), code, "laptop-key"));
}

#ifdef GOCUA_CLI_PATH
TEST_CASE("TLS client: gocua-cli enroll --ca-file from a Vietnamese folder, then sync without it") {
  test::TestCerts certs;
  test::SyncFixture f;
  test::ServeWith(f, certs, "hub");
  const std::string ca = test::CaInVietnameseFolder(certs);
  const std::string data = JoinPathUtf8(PathToUtf8(f.device_dir), "Dữ liệu máy 1");
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {GOCUA_CLI_PATH, "--data", data});
    return test::RunProcess(args, f.device_dir);
  };
  const std::string code = f.hub.Ok({"enroll-code", "--commune", f.commune_id});
  const auto refused = cli({"enroll", "--hub", f.hub.url(), "--code", code});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("chứng chỉ mà máy này tin cậy") != std::string::npos);

  const auto enrolled = cli({"enroll", "--hub", f.hub.url(), "--code", code, "--ca-file", ca});
  INFO(enrolled.err);
  REQUIRE(enrolled.exit_code == 0);
  const auto synced = cli({"sync", "--json"});
  INFO(synced.err);
  CHECK(synced.exit_code == 0);
  // Told to trust another CA for this run, it refuses the hub the province's CA signed.
  const auto other = cli({"sync", "--ca-file", certs.File("stranger_ca.crt")});
  CHECK(other.exit_code == 1);
  CHECK(other.err.find("chứng chỉ mà máy này tin cậy") != std::string::npos);
}
#endif

}  // namespace
}  // namespace gocua
