#include "platform/tls_trust.h"

namespace gocua {

SystemTlsTrust TlsTrustBeside(const std::string&) { return {}; }

SystemTlsTrust DefaultTlsTrust() { return {}; }

}  // namespace gocua
