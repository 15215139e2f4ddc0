#pragma once
// The client's address behind a reverse proxy (tools/deploy/nginx/, docs/deploy.md). Behind
// nginx every connection comes from nginx's address, so the hub's per-address limits (the
// connection cap, enrollment's rate limit) would lump every laptop of a province together. A
// proxy named with `--trusted-proxy` says who its client is in "X-Real-IP" (or, failing that,
// "X-Forwarded-For"); the hub believes those headers only from such a peer. From any other peer
// they are ignored: a laptop cannot pick the address its limits are counted under.
//
// Threading: the functions are pure; a TrustedProxies is read-only once made.
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "sync/hub/http/request_parser.h"

struct sockaddr_storage;

namespace gocua::hub::http {

// The peer addresses whose forwarding headers are believed, in the front's text form
// (PeerAddress: "127.0.0.1", "::1"; an IPv4-mapped IPv6 address as IPv4).
using TrustedProxies = std::vector<std::string>;

// The addresses of `list` ("127.0.0.1,10.0.0.5", IPv4 or IPv6, no ranges), normalised;
// kInvalidInput naming the entry that is not an IP address.
Result<TrustedProxies> ParseTrustedProxies(std::string_view list);

// The text form of an accepted connection's peer (IPv4 or IPv6); "?" for another family.
std::string PeerAddress(const sockaddr_storage& a);

// `text` as the front writes an address (PeerAddress), or "" if it is not one IP address.
std::string NormalAddress(std::string_view text);

bool IsTrusted(const TrustedProxies& trusted, const std::string& peer);

// Whom `req` came from: `peer` itself unless `peer` is trusted and the request names a client:
// X-Real-IP if it holds an IP address; else the last X-Forwarded-For entry that is not itself a
// trusted proxy. A header that is not an IP address is ignored (it never becomes a key).
std::string ClientAddress(const std::string& peer, const Request& req,
                          const TrustedProxies& trusted);

}  // namespace gocua::hub::http
