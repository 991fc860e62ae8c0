// A blocking one-shot HTTP/1.1 GET for readiness probes and scrapes
// (/healthz, /metrics); not for load, see loadgen/.
#ifndef GCPILOT_NET_HTTP_GET_H_
#define GCPILOT_NET_HTTP_GET_H_

#include <chrono>
#include <string>

#include "base/status.h"
#include "net/url.h"

namespace gcpilot {

struct HttpReply {
  int status = 0;
  std::string body;
};

// GETs url.path with "Connection: close" and reads the reply to its end
// (Content-Length, chunked, or close). The whole exchange is bounded by
// `timeout`; the reply by `max_bytes`. Errors: kIoError naming the URL and
// the step ("connect: Connection refused", "timed out after 2000 ms"),
// kCorruption for a reply that is not HTTP.
StatusOr<HttpReply> HttpGet(const LoopbackUrl& url, std::chrono::milliseconds timeout, size_t max_bytes = 64 << 20);

}  // namespace gcpilot

#endif  // GCPILOT_NET_HTTP_GET_H_
