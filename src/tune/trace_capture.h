// An execution trace captured from the target during a run's measured
// window (spec `[trace] seconds = N`, `gcpilot tune --trace-seconds N`):
// a GET of the target's /debug/pprof/trace?seconds=N (net/http/pprof's
// handler, on the load URL's address) on a thread of its own, started when
// the load's warm-up ends, then the bytes summarized (exectrace's
// SummarizeTrace) into the run's RunData. A capture that fails is noted on
// the run (RunData::trace_note) and never fails the run.
#ifndef GCPILOT_TUNE_TRACE_CAPTURE_H_
#define GCPILOT_TUNE_TRACE_CAPTURE_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "base/status.h"
#include "model/trace_summary.h"
#include "net/url.h"
#include "store/study_store.h"

namespace gcpilot {

// Bytes to a summary; SummarizeCapturedTrace (trace_summary_link.h) in tune.
using TraceSummarizer = std::function<StatusOr<TraceSummary>(std::string_view bytes)>;

// The trace URL on `load`'s address: /debug/pprof/trace?seconds=N.
LoopbackUrl TraceUrl(const LoopbackUrl& load, int seconds);

class TraceCapture {
 public:
  // The reply may take the trace's seconds plus this long, and hold at
  // most kMaxBytes (a busy service writes ~10 MB/s of trace).
  static constexpr std::chrono::milliseconds kSlack{10'000};
  static constexpr size_t kMaxBytes = size_t{256} << 20;

  // `url`: the trace URL (TraceUrl); seconds >= 1: what it asks for.
  TraceCapture(LoopbackUrl url, int seconds, TraceSummarizer summarize);
  TraceCapture(const TraceCapture&) = delete;
  TraceCapture& operator=(const TraceCapture&) = delete;
  // Waits for a fetch still under way (bounded by seconds + kSlack).
  ~TraceCapture();

  // Fetches from `at_ns` on (CLOCK_MONOTONIC: the load clock's measured
  // start, which the load announces ahead); any thread, any number of
  // times (the first counts).
  void Start(int64_t at_ns);
  // Calls off a fetch not begun yet, waits for one under way, then sets
  // data->trace to the summary, or data->trace_note to why there is none
  // ("trace: not captured: ...").
  void Finish(RunData* data);

 private:
  void Fetch(int64_t at_ns);

  LoopbackUrl url_;
  int seconds_;
  TraceSummarizer summarize_;
  std::once_flag started_;
  std::thread fetcher_;
  std::mutex mu_;
  std::condition_variable finishing_;
  bool finished_ = false;                       // guarded by mu_
  std::optional<StatusOr<std::string>> bytes_;  // set by the fetcher before it ends
};

}  // namespace gcpilot

#endif  // GCPILOT_TUNE_TRACE_CAPTURE_H_
