#include <filesystem>
#include <system_error>

#include "platform/paths.h"
#include "platform/tls_trust.h"
#include "platform/utf8_path.h"

namespace gocua {

SystemTlsTrust TlsTrustBeside(const std::string& exe_dir) {
  SystemTlsTrust trust;
  trust.native_store = true;
  if (!exe_dir.empty()) {
    const std::string bundle = JoinPathUtf8(exe_dir, kBundledCaFile);
    std::error_code ec;
    if (std::filesystem::is_regular_file(PathFromUtf8(bundle), ec)) trust.ca_bundle = bundle;
  }
  return trust;
}

SystemTlsTrust DefaultTlsTrust() { return TlsTrustBeside(ExecutableDir()); }

}  // namespace gocua
