// Fuzzes the HTTP response parser: the same bytes fed whole and in chunks
// of a fuzzed size must give the same verdict (state, status, keep-alive,
// body, error), and Feed never consumes more than it is given. The URL
// parser gets the same bytes as a URL.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "net/http_response.h"
#include "net/url.h"

namespace {

struct Verdict {
  gcpilot::HttpResponseParser::State state;
  int status;
  bool keep_alive;
  std::string body;
  std::string error;
  size_t consumed;
  bool operator==(const Verdict&) const = default;
};

Verdict Run(std::string_view in, size_t step, bool head, bool eof) {
  gcpilot::HttpResponseParser p;
  p.Reset(head, /*keep_body=*/true);
  size_t used = 0;
  while (used < in.size() && p.state() == gcpilot::HttpResponseParser::State::kNeedMore) {
    const std::string_view chunk = in.substr(used, step);
    const size_t n = p.Feed(chunk);
    if (n > chunk.size()) std::abort();
    used += n;
    if (n < chunk.size()) break;  // stopped: done or error
  }
  if (eof) p.FinishOnEof();
  return {p.state(), p.status(), p.keep_alive(), p.body(), p.error(), used};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t step = 1 + data[0] % 32;
  const bool head = data[0] & 0x40, eof = data[0] & 0x80;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  const Verdict whole = Run(in, in.size() ? in.size() : 1, head, eof);
  const Verdict pieces = Run(in, step, head, eof);
  if (!(whole == pieces)) std::abort();
  (void)gcpilot::ParseLoopbackUrl(in);
  return 0;
}
