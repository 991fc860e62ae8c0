// Fuzzes the v1 execution trace reader. The first byte picks the version
// (1.11, 1.19, 1.21) and a chunk size; the rest is the trace body. Checks:
// no crash or UB in strict or lenient mode; the events come in time order;
// a chunked (copied) feed gives the same events and verdict as one stable
// chunk; the text form of what dumps is a fixed point of encode-then-dump.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include "exectrace/trace_reader.h"
#include "exectrace/trace_text.h"

namespace {

class Digest final : public gcpilot::TraceSink {
 public:
  void OnEvent(const gcpilot::TraceEvent& e) override {
    if (e.ns < last_ns_) std::abort();  // the contract: ns never decreases
    last_ns_ = e.ns;
    sum_ = sum_ * 31 + static_cast<uint64_t>(e.kind) + static_cast<uint64_t>(e.g) * 7 + static_cast<uint64_t>(e.ns) +
           static_cast<uint64_t>(e.offset) + e.text.size() + e.function.size();
  }
  uint64_t sum_ = 0;
  int64_t last_ns_ = 0;
};

struct Verdict {
  uint64_t sum;
  std::string error;
  int64_t events, batches, skipped;
  bool truncated;
  int64_t truncated_at;
  bool operator==(const Verdict&) const = default;
};

Verdict Read(std::string_view trace, bool lenient, size_t step) {
  Digest d;
  gcpilot::TraceReadOptions options;
  options.lenient = lenient;
  gcpilot::TraceReader reader(options, &d);
  if (step == 0) {
    (void)reader.Feed(trace, /*stable=*/true);
  } else {
    for (size_t at = 0; at < trace.size(); at += step) (void)reader.Feed(trace.substr(at, step));
  }
  gcpilot::TraceReadResult r;
  const gcpilot::Status s = reader.Finish(&r);
  return {d.sum_, s.message(), r.events, r.batches, r.skipped_batches, r.truncated, r.truncated_at};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr const char* kHeaders[] = {"go 1.11 trace", "go 1.19 trace", "go 1.21 trace"};
  std::string trace = kHeaders[data[0] % 3];
  trace.resize(gcpilot::kTraceHeaderBytes, '\0');
  trace.append(reinterpret_cast<const char*>(data + 1), size - 1);
  const size_t step = 1 + (data[0] >> 2);
  for (bool lenient : {false, true}) {
    if (!(Read(trace, lenient, 0) == Read(trace, lenient, step))) std::abort();
  }
  std::ostringstream text;
  if (gcpilot::DumpTraceText(trace, text).ok()) {
    const gcpilot::StatusOr<std::string> bytes = gcpilot::EncodeTraceText(text.str());
    if (!bytes.ok()) std::abort();
    std::ostringstream again;
    if (!gcpilot::DumpTraceText(*bytes, again).ok() || again.str() != text.str()) std::abort();
  }
  return 0;
}
