// RequestLog: every measured request of a load run, as the load engine saw
// it: when it fell due, when its first byte was written, when its answer
// (or its error) came, its kind and its outcome. The steady-state and
// attribution stages join it with a GcTimeline, so times are on one named
// clock: the load clock, CLOCK_MONOTONIC nanoseconds of the machine that
// ran the load (the same clock a target process started on that machine
// is anchored to, see gc_timeline.h).
//
// Compact by design: one record is 32 bytes, so a run of 100k requests
// costs 3.2 MB in memory and in the study database.
#ifndef GCPILOT_MODEL_REQUEST_LOG_H_
#define GCPILOT_MODEL_REQUEST_LOG_H_

#include <cstdint>
#include <string>
#include <vector>

namespace gcpilot {

// How a request ended. Mirrors the load engine's error kinds that belong to
// a request (connection attempts are not requests and are not logged).
enum class RequestOutcome : uint8_t {
  kOk = 0,     // a complete 2xx answer
  kNon2xx,     // a complete answer with another status
  kTimeout,    // no complete answer within the timeout of its due time
  kReset,      // ECONNRESET / EPIPE while in flight
  kClosed,     // the server closed the connection mid-answer
  kMalformed,  // the answer was not valid HTTP/1.x
  kAborted,    // due or in flight when a dead target ended the run
};
inline constexpr int kRequestOutcomes = 7;
// "ok", "non_2xx", "timeout", "reset", "closed", "malformed", "aborted".
inline const char* RequestOutcomeName(RequestOutcome o) {
  static constexpr const char* kNames[kRequestOutcomes] = {"ok",     "non_2xx",   "timeout", "reset",
                                                           "closed", "malformed", "aborted"};
  const auto i = static_cast<unsigned>(o);
  return i < kRequestOutcomes ? kNames[i] : "unknown";
}

struct RequestRecord {
  static constexpr int64_t kNever = -1;
  int64_t due_ns = 0;        // load clock: when the schedule made it due
  int64_t sent_ns = kNever;  // first byte written; kNever if never sent
  int64_t done_ns = kNever;  // answer complete or error seen; kNever if neither
  uint16_t kind = 0;         // index into RequestLog::kinds
  uint16_t http_status = 0;  // 0 where no complete answer came
  RequestOutcome outcome = RequestOutcome::kOk;

  // Latency as a user waits it (from due) and as a closed-loop tool reports
  // it (from sent); -1 where the request has no completion time.
  int64_t corrected_ns() const { return done_ns == kNever ? -1 : done_ns - due_ns; }
  int64_t uncorrected_ns() const { return done_ns == kNever || sent_ns == kNever ? -1 : done_ns - sent_ns; }
  bool operator==(const RequestRecord&) const = default;
};
static_assert(sizeof(RequestRecord) == 32, "a request record stays compact");

struct RequestLog {
  std::string clock = "CLOCK_MONOTONIC";  // the load clock's name
  std::vector<std::string> kinds;         // request kind names, by index
  std::vector<RequestRecord> records;     // in due order
  bool operator==(const RequestLog&) const = default;
};

}  // namespace gcpilot

#endif  // GCPILOT_MODEL_REQUEST_LOG_H_
