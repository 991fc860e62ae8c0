// Fuzzes the v2 trace decoder and its text form. The input's first byte
// picks the version (Go 1.22, 1.23, 1.25, 1.26) and where to cut; the rest
// is the trace after a v2 header. Read as one mapped chunk and as two
// copied chunks cut at that place, it must give the same events, counts
// and error; lenient reading and the text dump must not fail in any other
// way than by returning an error.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "exectrace/trace_reader.h"
#include "exectrace/trace_text.h"

namespace {

struct Seen final : gcpilot::TraceSink {
  void OnEvent(const gcpilot::TraceEvent& e) override {
    log += std::to_string(static_cast<int>(e.kind)) + ' ' + std::to_string(e.p) + ' ' + std::to_string(e.g) + ' ' +
           std::to_string(e.ns) + ' ' + std::to_string(e.a) + ' ' + std::to_string(e.offset) + ' ';
    log.append(e.text).append("|").append(e.function).append("\n");
    if (e.ns < last_ns) std::abort();
    last_ns = e.ns;
  }
  std::string log;
  int64_t last_ns = 0;
};

struct Outcome {
  std::string log, error;
  int64_t events, batches, truncated_at;
  bool operator==(const Outcome&) const = default;
};

Outcome Read(std::string_view trace, size_t cut, bool lenient) {
  Seen sink;
  gcpilot::TraceReader reader({.lenient = lenient}, &sink);
  gcpilot::Status st;
  if (cut == 0) {
    st = reader.Feed(trace, /*stable=*/true);
  } else {
    const std::string first(trace.substr(0, cut)), second(trace.substr(cut));
    st = reader.Feed(first, false);
    if (st.ok()) st = reader.Feed(second, false);
  }
  gcpilot::TraceReadResult result;
  const gcpilot::Status finished = reader.Finish(&result);
  if (st.ok()) st = finished;
  return {sink.log, st.message(), result.events, result.batches, result.truncated ? result.truncated_at : -1};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  constexpr int kMinors[4] = {22, 23, 25, 26};
  std::string trace = "go 1." + std::to_string(kMinors[data[0] & 3]) + " trace";
  trace.resize(16, '\0');
  trace.append(reinterpret_cast<const char*>(data + 1), size - 1);
  const size_t cut = 1 + (data[0] >> 2) * trace.size() / 64;
  for (bool lenient : {false, true}) {
    if (!(Read(trace, 0, lenient) == Read(trace, cut, lenient))) std::abort();
  }
  std::ostringstream text;
  if (gcpilot::DumpTraceText(trace, text).ok()) {
    // What dumps cleanly encodes back to the same bytes, when minimal.
    gcpilot::StatusOr<std::string> again = gcpilot::EncodeTraceText(text.str());
    if (!again.ok()) std::abort();
  }
  return 0;
}
