// Certificates for TLS tests, made by tests/support/make_test_certs.sh (the Linux openssl
// command) in a fresh folder: run directly on Linux, through tests/support/unix_run.sh under
// Wine (as the Windows tests run the Linux hub); and what the client TLS tests share. Header-only;
// needs GOCUA_TEST_CERTS (the script's path) and, on Windows, GOCUA_UNIX_RUN
// (tests/CMakeLists.txt).
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "platform/utf8_path.h"
#include "tests/support/hub_process.h"
#include "tests/support/process.h"
#include "tests/support/sync_fixture.h"

namespace gocua::test {

// The files of make_test_certs.sh in `dir` (see the script for what each one is), as UTF-8
// paths of this OS; the folder is removed with the object.
struct TestCerts {
  std::filesystem::path dir = MakeTempDir("gocua-certs");
  std::string File(const char* name) const { return PathToUtf8(dir / name); }

  TestCerts() {
#ifdef _WIN32
    // A Unix process under Wine: no handles come back, so wait for unix_run.sh's exit-code file.
    const std::string unix_dir = UnixPath(dir);
    const std::vector<std::string> line = {
        WinPathOfUnix(GOCUA_UNIX_RUN), unix_dir, "make", "/bin/sh", GOCUA_TEST_CERTS, unix_dir};
    std::wstring cmd = CommandLine(line);
    STARTUPINFOW si{};
    si.cb = sizeof si;
    PROCESS_INFORMATION pi{};
    REQUIRE(CreateProcessW(nullptr, cmd.data(), nullptr, nullptr, FALSE, 0, nullptr, nullptr, &si,
                           &pi));
    if (pi.hProcess) CloseHandle(pi.hProcess);
    if (pi.hThread) CloseHandle(pi.hThread);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (!std::filesystem::exists(dir / "make.rc") && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    INFO("make_test_certs.sh: ", ReadFile(dir / "make.err"));
    REQUIRE(ReadFile(dir / "make.rc").rfind("0\n", 0) == 0);
#else
    const ProcessResult r = RunProcess({"/bin/sh", GOCUA_TEST_CERTS, dir.string()}, dir);
    INFO("make_test_certs.sh: ", r.err);
    REQUIRE(r.exit_code == 0);
#endif
    for (const char* f :
         {"ca.crt", "hub.crt", "hub.key", "elsewhere.crt", "stranger.crt", "self.crt"})
      REQUIRE_MESSAGE(std::filesystem::exists(dir / f), f);
  }
  ~TestCerts() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  TestCerts(const TestCerts&) = delete;
  TestCerts& operator=(const TestCerts&) = delete;
};

// A copy of the province's CA in a folder named with Vietnamese letters (where a commune keeps
// it: "Chứng chỉ tỉnh" under a user's own folder); its UTF-8 path.
inline std::string CaInVietnameseFolder(const TestCerts& certs) {
  const std::string folder = JoinPathUtf8(PathToUtf8(certs.dir), "Chứng chỉ tỉnh");
  std::filesystem::create_directories(PathFromUtf8(folder));
  const std::string ca = JoinPathUtf8(folder, "ca.crt");
  std::filesystem::copy_file(certs.dir / "ca.crt", PathFromUtf8(ca));
  return ca;
}

inline void ServeWith(SyncFixture& f, const TestCerts& certs, const char* name) {
  if (f.hub.running()) f.hub.Stop();
  const std::string base = name;
  f.hub.Start({"--tls-cert", certs.File((base + ".crt").c_str()), "--tls-key",
               certs.File((base + ".key").c_str())});
  REQUIRE(f.hub.url().rfind("https://127.0.0.1:", 0) == 0);
}

// A new laptop trusting `ca_file` ("" = the system's CAs) tries to enroll with `code`.
inline client::SyncResult TryEnroll(SyncFixture& f, const std::string& ca_file,
                                    const std::string& code, const std::string& name) {
  DeviceOptions options;
  options.curl.ca_file = ca_file;
  SyncDevice laptop(name, f.device_dir, options);
  return laptop.engine().Enroll(f.hub.url(), code, name).sync;
}

// Refused for the certificate: at the first try (no retries), in Vietnamese, saying what to check.
inline void CheckRefusedForCertificate(const client::SyncResult& r) {
  INFO(r.error.message());
  CHECK(r.failure == client::SyncFailure::kNetwork);
  CHECK(r.error.message().find("Máy chủ không có chứng chỉ mà máy này tin cậy") !=
        std::string::npos);
  CHECK(r.error.message().find("kiểm tra địa chỉ, tệp chứng chỉ và đồng hồ máy") !=
        std::string::npos);
  CHECK(r.error.message().find("sau 1 lần thử") != std::string::npos);
}

}  // namespace gocua::test
