// TraceSummary: what an execution trace says about the GC's cost beyond
// gctrace: the minimum mutator utilization curve, which goroutines paid in
// mark assists, and which requests the GC slowed and how. Written by the
// exectrace stage (`gcpilot trace`, and tune when a run captured a trace),
// stored with the run, drawn by the report.
//
// Times are nanoseconds on the trace's clock (see GcTimeline's clocks)
// unless a field says otherwise.
#ifndef GCPILOT_MODEL_TRACE_SUMMARY_H_
#define GCPILOT_MODEL_TRACE_SUMMARY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "model/gc_cycle.h"

namespace gcpilot {

// One point of the MMU curve: the lowest share of the CPUs (GOMAXPROCS)
// left to the program in any window of `window_ns`, and where that window
// starts. Go's definition: a stop-the-world takes every P; a mark assist or
// a sweep takes its P; a background mark worker takes its P.
struct MmuPoint {
  int64_t window_ns = 0;
  double utilization = 1.0;    // 0..1
  int64_t worst_start_ns = 0;  // start of a window with that utilization
  bool operator==(const MmuPoint&) const = default;
};

// The goroutines that did mark-assist work, grouped by the function their
// creation stack starts in (the top frame of the stack GoCreate recorded;
// "(unknown)" for goroutines that existed before the trace began).
struct AssistPayer {
  std::string function;
  int64_t goroutines = 0;  // distinct goroutines that assisted
  int64_t assists = 0;     // assist intervals
  int64_t assist_ns = 0;   // wall time in them
  bool operator==(const AssistPayer&) const = default;
};

// Where one request's wall time went, from its start to its end.
struct RequestTimeSplit {
  int64_t running_ns = 0;           // on a P, doing its own work (assists excluded)
  int64_t assist_ns = 0;            // on a P, in its own mark assists
  int64_t runnable_ns = 0;          // ready but waiting for a P (all of it)
  int64_t runnable_in_mark_ns = 0;  // the part of runnable_ns during concurrent mark
  int64_t stw_ns = 0;               // stopped by a GC stop-the-world, whatever its state
  int64_t blocked_ns = 0;           // waiting on the network, a lock, a channel, a sleep
  int64_t syscall_ns = 0;           // in a system call
  bool operator==(const RequestTimeSplit&) const = default;
};

// A request seen in the trace: a runtime/trace task (the bundled gateway
// makes one per request), or without tasks a goroutine's run from its
// creation (or first start) to its end.
struct TracedRequest {
  std::string name;  // the task's name, or the goroutine's start function
  int64_t id = 0;    // task id, or goroutine id
  TimeSpan span;
  RequestTimeSplit split;
  bool operator==(const TracedRequest&) const = default;
};

// The slow requests of one trace and what the GC cost them.
struct TraceAttribution {
  enum class Unit : uint8_t { kTask, kGoroutine };
  Unit unit = Unit::kTask;
  int64_t requests = 0;                // completed within the trace
  double slow_percentile = 99;         // "slow" = above this percentile of duration
  int64_t threshold_ns = 0;            // that percentile
  int64_t slow = 0;                    // requests above it
  int64_t slow_met_stw = 0;            // of those: overlapped a GC stop-the-world
  int64_t slow_assisted = 0;           // did mark-assist work themselves
  int64_t slow_runnable_in_mark = 0;   // waited runnable during concurrent mark
  RequestTimeSplit slow_total;         // the slow ones' time, summed
  RequestTimeSplit all_total;          // every request's time, summed
  std::vector<TracedRequest> slowest;  // the slowest ones, slowest first (at most 20)
  bool operator==(const TraceAttribution&) const = default;
};

// The sum of every part but runnable_in_mark_ns (which is inside
// runnable_ns): the request's wall time when the split is whole. Held at
// INT64_MAX (a corrupt trace's or a hand-edited study's values).
int64_t RequestWallNs(const RequestTimeSplit& s);

// "task" or "goroutine" (JSON, the store).
const char* TraceAttributionUnitName(TraceAttribution::Unit unit);

// "P99", "P99.9".
std::string PercentileLabel(double percentile);

// The sentence that says whether the GC is the cause: "Of the 37 requests
// above the P99 (4.1 ms), 30% overlapped a GC stop-the-world, 62% did
// mark-assist work, 81% waited runnable during mark." ("goroutines" where
// the unit is goroutine runs; percentages rounded half up); when no
// request completed, or none was above the percentile, a sentence saying so.
std::string TraceAttributionSentence(const TraceAttribution& a);

// What a run's captured trace (or a trace read by `gcpilot trace`) adds.
struct TraceSummary {
  std::string version;  // "go 1.19", "go 1.26"
  int64_t bytes = 0;
  TimeSpan span;          // first to last event, trace clock
  int64_t gc_cycles = 0;  // cycles begun inside the trace or already under way at its start (each once)
  int64_t stw_pauses = 0;
  int64_t stw_max_ns = 0;
  int64_t mark_assists = 0;  // assist intervals (begun inside, or active at a generation start)
  int64_t assist_ns = 0;
  std::vector<MmuPoint> mmu;        // by window, ascending
  std::vector<AssistPayer> payers;  // most assist time first (at most 20)
  TraceAttribution attribution;
  bool operator==(const TraceSummary&) const = default;
};

}  // namespace gcpilot

#endif  // GCPILOT_MODEL_TRACE_SUMMARY_H_
