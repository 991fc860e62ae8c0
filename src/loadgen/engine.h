// The open-loop load engine: requests are due at the times the rate
// schedule says, whatever the server does, and each latency is measured
// twice: from the time the request was due (corrected: includes any time it
// waited for a connection, which is what a user of a stalled service feels)
// and from the time its first byte was written (uncorrected, what
// closed-loop tools like wrk report). One thread, epoll, HTTP/1.1 keep-alive,
// one request in flight per connection; connections are opened up to
// max_connections when requests queue, so a stalled server does not slow
// the schedule down.
#ifndef GCPILOT_LOADGEN_ENGINE_H_
#define GCPILOT_LOADGEN_ENGINE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "hdr/hdr_histogram.h"
#include "loadgen/request.h"
#include "loadgen/schedule.h"
#include "model/request_log.h"
#include "model/run_result.h"
#include "net/url.h"

namespace gcpilot {

struct LoadSpec {
  LoopbackUrl target;  // host and port; paths come from the request kinds
  std::vector<RequestKindSpec> kinds;
  RateSchedule schedule;
  int64_t warmup_ns = 0;               // at the schedule's initial rate, kept apart
  int connections = 64;                // opened before the first request
  int max_connections = 512;           // opened on demand while requests queue
  int64_t timeout_ns = 5'000'000'000;  // per request, from its due time
  // A target that refuses every connection for this long ends the run.
  int64_t dead_after_ns = 2'000'000'000;
  uint64_t seed = 1;
  // Keep every measured request in LoadResult::requests (32 bytes each:
  // 3.2 MB per 100k requests); a caller that only wants the summaries
  // turns it off.
  bool keep_requests = true;
  // Ends the schedule early: polled every kStopPollNs or so during the
  // measured phase (never in the warm-up) with the load clock
  // (CLOCK_MONOTONIC ns). Once it returns true, no request falls due after
  // that moment; those queued or in flight are waited for (up to
  // timeout_ns) as at the schedule's own end. The schedule is the bound.
  // Called on the engine's thread; it must return quickly.
  std::function<bool(int64_t now_ns)> stop;
  // Told the measured phase's start (load clock) once, as the warm-up ends
  // is scheduled, before any request of the run falls due.
  std::function<void(int64_t measured_start_ns)> measured_start;
  static constexpr int64_t kStopPollNs = 10'000'000;
};

enum class LoadError {
  kConnectRefused,  // connect(): ECONNREFUSED (count of attempts)
  kConnectFailed,   // connect(): any other error
  kReset,           // ECONNRESET / EPIPE while a request was in flight
  kTimeout,         // no complete response within timeout of its due time
  kClosed,          // the server closed the connection mid-response
  kMalformed,       // the response is not valid HTTP/1.x
  kNon2xx,          // a complete response with a status outside 200..299
  kAborted,         // due or in flight when a dead target ended the run
};
inline constexpr int kLoadErrorKinds = 8;
const char* LoadErrorName(LoadError e);  // "connect_refused", ...

struct PhaseStats {
  HdrHistogram corrected = HdrHistogram::ForLatencyNs();
  HdrHistogram uncorrected = HdrHistogram::ForLatencyNs();
  int64_t due = 0;        // requests the schedule made due
  int64_t sent = 0;       // requests written to a connection
  int64_t responses = 0;  // complete responses (any status)
  int64_t ok = 0;         // 2xx responses
  std::array<int64_t, kLoadErrorKinds> errors{};
  std::map<int, int64_t> status_codes;
  int64_t duration_ns = 0;
  double asked_rps = 0;            // mean offered rate
  int64_t request_errors() const;  // all kinds except connect attempts
  double achieved_rps() const { return duration_ns ? responses / (duration_ns / 1e9) : 0; }
};

struct KindStats {
  std::string name;
  int64_t responses = 0, ok = 0, errors = 0;
  HdrHistogram corrected = HdrHistogram::ForLatencyNs();
};

struct LoadResult {
  PhaseStats warmup, measured;
  std::vector<KindStats> kinds;      // measured phase, by request kind
  std::vector<LoadSecond> timeline;  // one per second of the measured phase, by completion time
  int connections_opened = 0;
  int max_open_connections = 0;
  int64_t closed_while_idle = 0;    // the server closed a kept-alive connection
  int64_t closed_after_answer = 0;  // the answer said close (or had extra bytes)
  int64_t max_backlog = 0;          // most requests due but waiting for a connection
  bool aborted = false;             // the target went away; see abort_reason
  std::string abort_reason;
  // The first measured-phase answer that was not valid HTTP/1.x: its first
  // bytes as received (at most kMalformedExcerptBytes, unescaped) and the
  // parser's reason with the byte offset where it stopped ("byte 0: not an
  // HTTP/1.x status line: ..."). Both empty when there was none.
  std::string first_malformed_bytes;
  std::string first_malformed_error;
  static constexpr size_t kMalformedExcerptBytes = 80;
  std::string schedule;  // RateSchedule::Describe()
  // The stop predicate ended the schedule at measured_start_ns +
  // measured.duration_ns (the measured phase's real length) rather than
  // the schedule's end.
  bool stopped_early = false;
  // Load clock (CLOCK_MONOTONIC ns) at the start of the measured phase:
  // timeline second k covers [measured_start_ns + k s, + (k+1) s).
  int64_t measured_start_ns = 0;
  // Every measured-phase request (warm-up ones are not kept), in due order,
  // kinds indexed as in LoadSpec::kinds; empty if !keep_requests. Each
  // record's outcome matches the phase's counts: kOk for `ok`, and one
  // request error of that kind otherwise. done_ns is set on every record:
  // the answer's completion, or the moment the engine saw (or declared, for
  // timeouts and aborts) the error. sent_ns is kNever for a request that
  // never got a connection. A closed-loop (`max`) request is due when sent.
  RequestLog requests;
};

struct LoadProgress {
  int64_t elapsed_ns, total_ns;
  bool warmup;
  int64_t responses, errors;  // so far, both phases
  double last_second_rps;
  int64_t last_second_p99_ns;
};
using LoadProgressFn = std::function<void(const LoadProgress&)>;

// Runs `spec` to its end (warm-up + schedule + at most timeout_ns for the
// last answers). Errors: kInvalidArgument for a bad request kind, kIoError
// when no connection to the target can be opened at all. A target that
// dies mid-run ends the run early with result.aborted set.
StatusOr<LoadResult> RunLoad(const LoadSpec& spec, const LoadProgressFn& progress = nullptr);

}  // namespace gcpilot

#endif  // GCPILOT_LOADGEN_ENGINE_H_
