#include "sync/hub/serve_limits.h"

#include <charconv>
#include <cstdint>
#include <utility>

namespace gocua::hub {
namespace {

// `*out` = the value of `option` if given: a whole number in [min, max].
Status Number(const Args& args, const std::string& option, int64_t min, int64_t max, int64_t* out) {
  const std::string text = args.Get(option);
  if (text.empty()) return Status::Ok();
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max)
    return Status(ErrorCode::kInvalidInput, option + " takes a whole number from " +
                                                std::to_string(min) + " to " + std::to_string(max) +
                                                ", not " + text);
  *out = v;
  return Status::Ok();
}

}  // namespace

Result<http::FrontLimits> ServeLimits(const Args& args) {
  http::FrontLimits l;
  int64_t max_conns = static_cast<int64_t>(l.max_connections);
  int64_t per_address = static_cast<int64_t>(l.max_connections_per_address);
  int64_t header = l.header_timeout_s, idle = l.idle_timeout_s;
  int64_t rate = static_cast<int64_t>(l.min_body_rate), workers = l.workers;
  for (const Status& s : {Number(args, "--max-connections", 16, 1000000, &max_conns),
                          Number(args, "--max-connections-per-address", 1, 1000000, &per_address),
                          Number(args, "--header-timeout", 1, 3600, &header),
                          Number(args, "--keepalive-timeout", 1, 3600, &idle),
                          Number(args, "--min-body-rate", 1, 1 << 30, &rate),
                          Number(args, "--workers", 1, 256, &workers)})
    if (!s.ok()) return s;
  l.max_connections = static_cast<size_t>(max_conns);
  l.max_connections_per_address = static_cast<size_t>(per_address);
  l.header_timeout_s = static_cast<int>(header);
  l.idle_timeout_s = static_cast<int>(idle);
  l.min_body_rate = static_cast<size_t>(rate);
  l.workers = static_cast<int>(workers);
  auto trusted = http::ParseTrustedProxies(args.Get("--trusted-proxy"));
  if (!trusted) return trusted.error();
  l.trusted_proxies = std::move(trusted).value();
  return l;
}

}  // namespace gocua::hub
