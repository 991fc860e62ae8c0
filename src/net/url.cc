#include "net/url.h"

#include <charconv>

#include <fmt/format.h>

namespace gcpilot {
namespace {

bool ParseIpv4(std::string_view s, uint32_t* out) {
  uint32_t ip = 0;
  for (int i = 0; i < 4; ++i) {
    unsigned octet = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), octet);
    if (ec != std::errc() || octet > 255 || p == s.data()) return false;
    ip = ip << 8 | octet;
    s.remove_prefix(p - s.data());
    if (i < 3) {
      if (s.empty() || s[0] != '.') return false;
      s.remove_prefix(1);
    }
  }
  *out = ip;
  return s.empty();
}

}  // namespace

std::string LoopbackUrl::HostHeader() const { return fmt::format("{}:{}", host, port); }

StatusOr<LoopbackUrl> ParseLoopbackUrl(std::string_view url) {
  auto bad = [&](std::string_view why) { return Status::InvalidArgument(fmt::format("URL \"{}\": {}", url, why)); };
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return bad("must start with http:// (https is not supported)");
  }
  std::string_view rest = url.substr(kScheme.size());
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  LoopbackUrl u;
  u.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  u.port = 80;
  const size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    const std::string_view port = authority.substr(colon + 1);
    unsigned v = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    if (port.empty() || ec != std::errc() || p != port.data() + port.size() || v == 0 || v > 65535) {
      return bad(fmt::format("port \"{}\" is not a number 1..65535", port));
    }
    u.port = static_cast<uint16_t>(v);
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) return bad("no host");
  u.host = std::string(authority);
  if (authority == "localhost") {
    u.ipv4 = 0x7f000001;
  } else if (!ParseIpv4(authority, &u.ipv4)) {
    return bad(fmt::format("host {} is not an IPv4 address or localhost", authority));
  } else if ((u.ipv4 >> 24) != 127) {
    return bad(fmt::format("host {} is not loopback (127.0.0.0/8)", authority));
  }
  for (char c : u.path) {
    if (c <= ' ' || c == 0x7f) return bad("path has a space or control byte");
  }
  return u;
}

}  // namespace gcpilot
