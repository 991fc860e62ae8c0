// Target addresses. gcpilot only ever talks to services on this machine,
// so a URL must name a loopback host; anything else is refused up front.
#ifndef GCPILOT_NET_URL_H_
#define GCPILOT_NET_URL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace gcpilot {

struct LoopbackUrl {
  std::string host;   // as written: "127.0.0.1", "localhost", ...
  uint32_t ipv4 = 0;  // host byte order, within 127.0.0.0/8
  uint16_t port = 0;
  std::string path;                // starts with '/', includes any query
  std::string HostHeader() const;  // "127.0.0.1:8080"
};

// Parses "http://HOST:PORT/PATH" (PATH optional, default "/"; PORT optional,
// default 80). HOST must be "localhost" or an IPv4 address in 127.0.0.0/8.
// Errors are kInvalidArgument naming what is wrong, e.g.
// `URL "http://10.0.0.1/": host 10.0.0.1 is not loopback (127.0.0.0/8)`.
StatusOr<LoopbackUrl> ParseLoopbackUrl(std::string_view url);

}  // namespace gcpilot

#endif  // GCPILOT_NET_URL_H_
