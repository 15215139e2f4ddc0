// Windows only: with no CA file, the laptop trusts the Windows certificate store (libcurl on
// OpenSSL reads its ROOT store, CURLSSLOPT_NATIVE_CA; platform/tls_trust_win32.cpp). Run under
// Wine: the province's CA is put in the current user's ROOT store, as a province's IT staff would
// put their CA there, then taken out again. (On a real Windows desktop, adding to that store asks
// the user to confirm in a dialog: do not run this test there unattended.)
#ifdef _WIN32
#include <doctest/doctest.h>

#include <string>
#include <vector>

// First: it includes <windows.h> with NOMINMAX and WIN32_LEAN_AND_MEAN (tests/support/process.h),
// which leaves out <wincrypt.h>.
#include "tests/support/test_certs.h"
// clang-format off
#include <wincrypt.h>
// clang-format on

namespace gocua {
namespace {

// A PEM certificate in the current user's ROOT store while this object lives.
class RootStoreEntry {
 public:
  explicit RootStoreEntry(const std::string& pem) {
    DWORD n = 0;
    const auto len = static_cast<DWORD>(pem.size());
    REQUIRE(CryptStringToBinaryA(pem.data(), len, CRYPT_STRING_BASE64HEADER, nullptr, &n, nullptr,
                                 nullptr));
    std::vector<BYTE> der(n);
    REQUIRE(CryptStringToBinaryA(pem.data(), len, CRYPT_STRING_BASE64HEADER, der.data(), &n,
                                 nullptr, nullptr));
    store_ = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, CERT_SYSTEM_STORE_CURRENT_USER, L"Root");
    REQUIRE(store_ != nullptr);
    REQUIRE(CertAddEncodedCertificateToStore(store_, X509_ASN_ENCODING, der.data(), n,
                                             CERT_STORE_ADD_REPLACE_EXISTING, &cert_));
  }
  ~RootStoreEntry() {
    if (cert_) CertDeleteCertificateFromStore(cert_);  // frees cert_
    if (store_) CertCloseStore(store_, 0);
  }
  RootStoreEntry(const RootStoreEntry&) = delete;
  RootStoreEntry& operator=(const RootStoreEntry&) = delete;

 private:
  HCERTSTORE store_ = nullptr;
  PCCERT_CONTEXT cert_ = nullptr;
};

TEST_CASE(
    "TLS client on Windows: with no CA file, a CA in the Windows certificate store is trusted") {
  test::TestCerts certs;
  test::SyncFixture f;
  test::ServeWith(f, certs, "hub");
  const std::string code = f.hub.Ok({"enroll-code", "--commune", f.commune_id});
  test::CheckRefusedForCertificate(test::TryEnroll(f, "", code, "laptop-before"));
  {
    RootStoreEntry entry(test::ReadFile(certs.dir / "ca.crt"));
    const client::SyncResult ok = test::TryEnroll(f, "", code, "laptop-store");
    INFO(ok.error.message());
    CHECK(ok.ok());
    // The store's CA does not make a wrong host name acceptable.
    test::ServeWith(f, certs, "elsewhere");
    test::CheckRefusedForCertificate(test::TryEnroll(
        f, "", f.hub.Ok({"enroll-code", "--commune", f.commune_id}), "laptop-elsewhere"));
    test::ServeWith(f, certs, "hub");
  }
  // Out of the store again: a new laptop is refused.
  test::CheckRefusedForCertificate(
      test::TryEnroll(f, "", f.hub.Ok({"enroll-code", "--commune", f.commune_id}), "laptop-after"));
}

}  // namespace
}  // namespace gocua
#endif
