#pragma once
// Which certificate authorities an https hub's certificate is checked against when the commune
// gave no CA file of its own (sync/client/curl_transport.cpp; a file given with --ca-file is
// trusted instead of all of these, on every OS). Implemented in tls_trust_posix.cpp and
// tls_trust_win32.cpp. docs/windows.md, "Certificates on Windows", says why.
#include <string>

namespace gocua {

struct SystemTlsTrust {
  // Also trust the OS certificate store: on Windows the "ROOT" store (public CAs, and a
  // province's own CA that its IT staff installed there), read by libcurl on OpenSSL through
  // CURLSSLOPT_NATIVE_CA.
  bool native_store = false;
  // A PEM bundle of CAs to trust (UTF-8 path), "" = libcurl's compiled-in default (Debian's
  // /etc/ssl/certs/ca-certificates.crt on Linux; nothing on Windows).
  std::string ca_bundle;
};

// The bundle's name beside the executable, as package.sh installs it on Windows.
inline constexpr const char* kBundledCaFile = "certs/ca-certificates.crt";

// POSIX: {false, ""} (the distribution's CA bundle, as libcurl was built). Windows: the ROOT
// store, plus `<ExecutableDir()>\certs\ca-certificates.crt` (Mozilla's CAs from Debian's
// ca-certificates, shipped with the app) when that file exists: Windows adds most public roots
// to its store only when its own TLS code first meets them, so the store alone may lack a
// public CA on a fresh laptop. Reads the file system each call (cheap: one stat).
SystemTlsTrust DefaultTlsTrust();

// What DefaultTlsTrust() says for an executable in `exe_dir` (UTF-8): DefaultTlsTrust() is
// TlsTrustBeside(ExecutableDir()).
SystemTlsTrust TlsTrustBeside(const std::string& exe_dir);

}  // namespace gocua
