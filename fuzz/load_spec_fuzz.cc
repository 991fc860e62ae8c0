// Fuzzes the load generator's text inputs: the --rate schedule grammar,
// durations, and request templates (compiled, then rendered). Invariants:
// a schedule that parses has a positive length and due times that always
// move forward; a rendered request ends its head with a blank line.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "loadgen/request.h"
#include "loadgen/schedule.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gcpilot;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)ParseDurationNs(in);
  auto s = RateSchedule::Parse(in, 2'000'000'000);
  if (s.ok() && !s->closed_loop()) {
    if (s->duration_ns() <= 0) std::abort();
    int64_t t = 0;
    for (int i = 0; i < 1000 && t < s->duration_ns(); ++i) {
      const int64_t next = s->NextDue(t);
      if (next <= t) std::abort();
      t = next;
    }
    (void)s->Describe();
  }
  // Split the input into path | header value | body at the first two '\n'.
  const size_t a = in.find('\n');
  const size_t b = a == std::string_view::npos ? a : in.find('\n', a + 1);
  RequestKindSpec k;
  k.path = "/" + std::string(in.substr(0, a));
  if (a != std::string_view::npos) {
    k.headers = {{"X-Fuzz", std::string(in.substr(a + 1, b == std::string_view::npos ? b : b - a - 1))}};
  }
  if (b != std::string_view::npos) {
    k.method = "POST";
    k.body = std::string(in.substr(b + 1));
    k.sign_header = "X-Signature";
    k.sign_key = "k";
  }
  auto t = RequestTemplate::Compile(k, "127.0.0.1:1");
  if (t.ok()) {
    Rng rng(size);
    std::string out;
    t->Render(size, rng, &out);
    if (out.find("\r\n\r\n") == std::string::npos) std::abort();
  }
  return 0;
}
