// platform/tls_trust.h: which CAs an https hub is checked against when no CA file was given.
#include "platform/tls_trust.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "platform/utf8_path.h"
#include "tests/support/process.h"

namespace gocua {
namespace {

TEST_CASE(
    "TLS trust: Windows uses its certificate store and the CA bundle shipped beside the exe") {
  const std::filesystem::path tmp = test::MakeTempDir("gocua-tls-trust");
  // Installed for a user named "Nguyễn Thị Hoà": %LOCALAPPDATA%\Programs\GoCua under that name.
  const std::string exe_dir = JoinPathUtf8(PathToUtf8(tmp), "Nguyễn Thị Hoà/Programs/GoCua");
  std::filesystem::create_directories(PathFromUtf8(exe_dir));
  const SystemTlsTrust before = TlsTrustBeside(exe_dir);
  CHECK(before.ca_bundle.empty());

  const std::string bundle = JoinPathUtf8(exe_dir, kBundledCaFile);
  std::filesystem::create_directories(PathFromUtf8(bundle).parent_path());
  std::ofstream(PathFromUtf8(bundle)) << "-----BEGIN CERTIFICATE-----\n";
  const SystemTlsTrust after = TlsTrustBeside(exe_dir);
#ifdef _WIN32
  CHECK(before.native_store);
  CHECK(after.native_store);
  CHECK(after.ca_bundle == bundle);  // the exact UTF-8 path, backslashes and diacritics
  CHECK(after.ca_bundle.find("Nguyễn Thị Hoà\\Programs\\GoCua\\certs\\ca-certificates.crt") !=
        std::string::npos);
#else
  // Linux: libcurl's own default (Debian's /etc/ssl/certs bundle), whatever lies beside the exe.
  CHECK_FALSE(after.native_store);
  CHECK(after.ca_bundle.empty());
  CHECK_FALSE(DefaultTlsTrust().native_store);
#endif
  std::error_code ec;
  std::filesystem::remove_all(tmp, ec);
}

}  // namespace
}  // namespace gocua
