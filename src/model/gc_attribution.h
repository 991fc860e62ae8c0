// RunAttribution: one run's requests joined to its GC timeline. Which
// window was measured (whole GC periods, or the bound when the periods
// were too long), how each request's latency depends on the GC phase it
// fell due in, which phase the slow requests met, what each cycle cost,
// the steady-state estimate where the window could not cover enough
// periods, and the live heap's trend. Written by the attribution stage,
// stored with the run, read by the analysis (through RunMetrics' summary
// fields) and the report.
//
// Every time is on the load clock (CLOCK_MONOTONIC ns, see request_log.h);
// GC times were moved onto it with GcTimeline's origin, within
// `alignment_error_ns`.
#ifndef GCPILOT_MODEL_GC_ATTRIBUTION_H_
#define GCPILOT_MODEL_GC_ATTRIBUTION_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace gcpilot {

// Where a request fell due, relative to the GC. The order is the
// precedence when spans touch: a request due in an STW phase is kStw even
// though a cycle's mark follows.
enum class GcPhase : uint8_t {
  kStw = 0,   // during a stop-the-world phase (sweep or mark termination)
  kMark,      // during concurrent mark (Go 1.5-1.6: scan, sync and mark)
  kRecovery,  // after a cycle's end, until the last request due during it was answered
  kOutside,   // none of these: no GC nearby
};
inline constexpr int kGcPhases = 4;
// "stw", "mark", "recovery", "outside" (stored, and in JSON/CSV).
inline const char* GcPhaseName(GcPhase p) {
  static constexpr const char* kNames[kGcPhases] = {"stw", "mark", "recovery", "outside"};
  const auto i = static_cast<unsigned>(p);
  return i < kGcPhases ? kNames[i] : "unknown";
}

// The measured window of a run: [from_ns, to_ns) on the load clock.
struct MeasuredWindow {
  int64_t from_ns = 0, to_ns = 0;
  int64_t periods = 0;      // whole GC periods inside (cycle start to next cycle start)
  int64_t min_periods = 0;  // what the study asked for
  // True when the window starts and ends at a cycle's start and holds at
  // least min_periods periods; false when max_duration ran out first and
  // the window is the whole bound (from the warm-up's end).
  bool whole_periods = false;
  int64_t length_ns() const { return to_ns - from_ns; }
  bool operator==(const MeasuredWindow&) const = default;
};

// Corrected latency of the requests due in one phase (answered or not:
// an error's latency is until the engine saw it).
struct PhaseLatency {
  int64_t requests = 0;
  int64_t p50_ns = 0, p99_ns = 0, max_ns = 0, mean_ns = 0;  // 0 when no request
  bool operator==(const PhaseLatency&) const = default;
};

// Which GC the requests slower than the window's P99 met. Each slow
// request counts once, in this precedence: its time in flight [due, done]
// overlapped an STW phase; else it was due during concurrent mark; else
// during a recovery; else no GC was nearby.
struct SlowRequests {
  int64_t threshold_ns = 0;  // the window's corrected P99
  int64_t slow = 0;          // requests above it
  int64_t met_stw = 0, due_in_mark = 0, in_recovery = 0, no_gc = 0;
  bool operator==(const SlowRequests&) const = default;
};

// What one cycle in the window cost: the requests due during it (STW or
// mark) and their mean latency against the mean outside GC.
struct CycleExcess {
  int64_t cycle = 0;     // gctrace cycle number
  int64_t start_ns = 0;  // load clock
  int64_t requests = 0;
  int64_t mean_ns = 0;
  int64_t excess_ns = 0;    // mean_ns minus the outside-GC mean (may be < 0)
  int64_t recovery_ns = 0;  // from the cycle's end to its recovery's end
  bool operator==(const CycleExcess&) const = default;
};

// The steady-state estimate for a run whose window could not cover
// min_periods periods: the in-GC and out-of-GC latency distributions mixed
// in the proportion of time a cycle runs at the steady state (duty = mark
// duration / period, the period as the run's cycles showed it).
struct SteadyEstimate {
  bool used = false;               // the run's latency figures are this estimate
  double duty = 0;                 // share of time in a cycle (STW + mark), 0..1
  int64_t period_ns = 0;           // estimated GC period; 0 = the GC never runs
  int64_t cycle_ns = 0;            // median cycle wall time (start to mark termination's end)
  double alloc_bytes_per_sec = 0;  // heap growth between cycles
  int64_t in_gc_requests = 0, out_gc_requests = 0;
  int64_t in_gc_p99_ns = 0, out_gc_p99_ns = 0;
  // The mixture's figures.
  int64_t p50_ns = 0, p90_ns = 0, p99_ns = 0, p999_ns = 0, max_ns = 0, mean_ns = 0;
  // True when no request fell due in GC: the figures then assume every
  // in-GC request is slower than all the others (an upper bound).
  bool upper_bound = false;
  std::string basis;  // one line: how the inputs were found
  bool operator==(const SteadyEstimate&) const = default;
};

// The live heap's trend over the window's cycles (least squares of live
// heap on cycle start) and what it reaches within the horizon.
struct HeapTrend {
  int64_t cycles = 0;  // cycles fitted (>= 3 for a slope)
  double slope_bytes_per_sec = 0, slope_stderr_bytes_per_sec = 0;
  int64_t live_bytes = 0;  // the fit's value at the window's end
  // GOMEMLIMIT of the run (-1 none) and when the trend's live heap reaches
  // it (-1: not within the horizon, or the heap is not growing).
  int64_t limit_bytes = -1;
  int64_t limit_reached_in_ns = -1;
  int64_t horizon_ns = 0;
  // "live heap +2.1 MB/s: GOMEMLIMIT=450MiB is reached in ~70 s, then GC
  // runs back to back"; "" when nothing is reached within the horizon.
  std::string warning;
  bool operator==(const HeapTrend&) const = default;
};

struct RunAttribution {
  MeasuredWindow window;
  int64_t alignment_error_ns = -1;               // -1: the clocks could not be aligned (no attribution)
  std::array<PhaseLatency, kGcPhases> phases{};  // by GcPhase
  int64_t recovery_ns = 0;                       // the median recovery length over the window's cycles (N)
  SlowRequests slow;
  std::vector<CycleExcess> cycles;  // the window's cycles, in order
  SteadyEstimate estimate;
  HeapTrend heap;
  bool operator==(const RunAttribution&) const = default;
};

}  // namespace gcpilot

#endif  // GCPILOT_MODEL_GC_ATTRIBUTION_H_
