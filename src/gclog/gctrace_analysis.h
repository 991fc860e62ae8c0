// Summarizes a stream of GcCycles into the numbers a latency engineer asks
// of a GC log: how often, how long the world stopped, where the GC CPU went,
// what the heap did, and a short verdict of what dominates.
//
// Memory is flat in the number of cycles: distributions are exact value
// counts (see stats/value_counts.h), everything else running sums.
#ifndef GCPILOT_GCLOG_GCTRACE_ANALYSIS_H_
#define GCPILOT_GCLOG_GCTRACE_ANALYSIS_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "base/int128.h"
#include "gclog/gctrace_parser.h"
#include "model/gc_cycle.h"
#include "stats/value_counts.h"

namespace gcpilot {

// Distribution digest. Units are those of the source (ns or MB).
struct Digest {
  uint64_t count = 0;
  double mean = 0;
  int64_t p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
};

enum class Severity { kInfo = 0, kWarning = 1, kCritical = 2 };

struct Finding {
  Severity severity = Severity::kInfo;
  std::string code;  // stable identifier, e.g. "assist-heavy"
  std::string text;  // one line for humans
};

struct GctraceSummary {
  GctraceParseStats parse;

  int64_t cycles = 0;
  int64_t forced_cycles = 0;
  int64_t segments = 0;        // process runs: a counter going back starts one
  int64_t missing_cycles = 0;  // numbers skipped within a segment
  int64_t span_ns = 0;         // sum over segments of last @ - first @
  double cycles_per_sec = -1;  // intervals / span; -1 when span is 0 (no meaning)
  // Cycles left out of every figure because their times would push a
  // total (GC CPU, span, missing numbers) past int64 ns (292 years): never
  // a real log, but no total is ever a stand-in. The first one's line. Such
  // a cycle still starts its segment and is no missing number; the
  // intervals on either side of it are in no span, gap or share.
  int64_t unsummed_cycles = 0;
  int64_t first_unsummed_line = 0;

  Digest sweep_term_ns;  // STW sweep termination, per cycle
  Digest mark_term_ns;   // STW mark termination, per cycle
  Digest stw_ns;         // both STW phases, per cycle
  Digest mark_ns;        // concurrent mark wall time, per cycle

  int32_t cpu_percent_last = 0;  // printed cumulative %, last cycle
  int32_t cpu_percent_max = 0;
  int64_t cpu_stw_ns = 0;  // sweep-term + mark-term cpu terms
  int64_t cpu_assist_ns = 0;
  int64_t cpu_background_ns = 0;
  int64_t cpu_idle_ns = 0;
  int64_t cpu_other_ns = 0;  // five-phase scan/sync terms
  // The GC CPU of all cycles as the runtime's % counts it (idle marking
  // excluded), in double: the totals may sit at the int64 limit.
  double gc_cpu_ns() const {
    return static_cast<double>(cpu_stw_ns) + static_cast<double>(cpu_assist_ns) +
           static_cast<double>(cpu_background_ns) + static_cast<double>(cpu_other_ns);
  }
  // GC CPU (idle excluded, as the runtime counts it) of the cycles that fall
  // inside the span, over GOMAXPROCS x span. -1 when the span is empty.
  double gc_cpu_share = -1;
  // assist / (all GC CPU but idle); -1 with no GC CPU.
  double assist_share = -1;
  // Wall time with a cycle running: every cycle's clock terms added up,
  // over each process run's first `@` to its last cycle's end (the span
  // plus each run's last cycle's duration). -1 when the span is empty.
  double gc_wall_share = -1;
  // Gaps between one cycle's end (@ + its clock phases) and the next
  // one's start, within each process run (cycles - segments of them, less
  // the intervals beside a left-out cycle), and
  // how many were under kShortGapNs: the GC ran (nearly) back to back.
  // Gaps are exact up to the printed `@T s`, which has whole milliseconds,
  // so the bound is well above that: a user can check each gap by hand.
  int64_t gaps = 0;
  int64_t short_gaps = 0;
  static constexpr int64_t kShortGapNs = 10'000'000;

  Digest heap_live_mb, heap_start_mb, heap_end_mb, heap_goal_mb;
  int64_t heap_peak_mb = 0;      // max of heap at start and at end
  int64_t overshoot_cycles = 0;  // heap at mark termination > goal
  int64_t overshoot_max_mb = 0;
  // Median goal / previous cycle's live heap (>= 4 MB); -1 with no such pair.
  double goal_over_prev_live_p50 = -1;
  int64_t stacks_mb_max = -1;  // -1 when no line printed stacks
  int64_t globals_mb_max = -1;
  std::set<int32_t> procs_seen;
  std::set<GctraceFormat> formats_seen;

  std::vector<Finding> findings;  // most severe first
};

class GctraceAnalyzer {
 public:
  GctraceAnalyzer();
  // Adds a cycle, in input order; one whose times would push a total past
  // int64 is counted in unsummed_cycles instead (and still advances the
  // segment and cycle-number bookkeeping).
  void Add(const GcCycle& c);
  // Computes the summary; `parse` is copied in for the report.
  GctraceSummary Summarize(const GctraceParseStats& parse) const;

 private:
  bool StartsSegment(const GcCycle& c) const;
  // Whether adding `c` keeps every int64 total within its range.
  bool FitsTotals(const GcCycle& c) const;
  bool CountsInterval(const GcCycle& c) const;
  void LeaveOut(const GcCycle& c);
  void AddInterval(const GcCycle& c);

  // Durations are printed to the microsecond below 10 ms and to the
  // millisecond above: two flat tiers hold every printed value exactly.
  ValueCounts<1000, 1000000> sweep_term_, mark_term_, stw_, mark_;
  ValueCounts<1> live_, start_, end_, goal_, goal_ratio_permille_;
  GctraceSummary acc_;  // running sums; digests filled by Summarize
  bool have_prev_ = false;
  bool prev_left_out_ = false;  // prev_ is a cycle counted in unsummed_cycles
  int32_t last_procs_ = -1;     // skips the set insert when unchanged
  int last_format_ = -1;
  GcCycle prev_;
  Int128 capacity_ns_ = 0;  // sum of P x interval within segments
  Int128 in_span_gc_cpu_ns_ = 0;
  Int128 wall_ns_ = 0;                // every counted cycle's clock terms
  Int128 closed_runs_last_wall_ = 0;  // each finished run's last cycle's clock terms
};

// Human-readable name of a format, e.g. "go1.18+ (stacks/globals)".
const char* GctraceFormatName(GctraceFormat f);

}  // namespace gcpilot

#endif  // GCPILOT_GCLOG_GCTRACE_ANALYSIS_H_
