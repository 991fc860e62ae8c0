// The join of a run's requests to its GC cycles: each cycle's phases on the
// load clock, each request's phase by the time it fell due, and whether its
// time in flight met a stop-the-world pause. The first step of
// AttributeRun (attribute_run.h); the figures are computed from its output.
//
// Definitions (docs/glossary.md, "GC phases of a request"):
// - A cycle's spans are its GcCycle sweep_term(), mark() and mark_term()
//   moved onto the load clock by the timeline's load_clock_origin_ns, each
//   half-open [start, end): a request due at a span's end is not in it.
// - A cycle's recovery runs from its end to the latest done_ns of the
//   requests due during the cycle (STW or mark), cut at the next cycle's
//   start; it is empty when no answered request fell due in the cycle.
// - A request's phase by its due time: in either STW span -> kStw; in mark
//   -> kMark; in a recovery -> kRecovery; else kOutside.
#ifndef GCPILOT_ATTRIBUTION_PHASE_JOIN_H_
#define GCPILOT_ATTRIBUTION_PHASE_JOIN_H_

#include <cstdint>
#include <vector>

#include "model/gc_attribution.h"
#include "model/gc_cycle.h"
#include "model/gc_timeline.h"
#include "model/request_log.h"

namespace gcpilot {

// One cycle on the load clock. Spans are half-open [start_ns, end_ns).
struct CycleSpans {
  const GcCycle* cycle = nullptr;  // the timeline's cycle (borrowed)
  TimeSpan sweep_term, mark, mark_term;
  // [mark_term.end_ns, recovery_end_ns); recovery_end_ns == mark_term.end_ns
  // when empty.
  int64_t recovery_end_ns = 0;

  int64_t start_ns() const { return sweep_term.start_ns; }
  int64_t end_ns() const { return mark_term.end_ns; }
  int64_t recovery_ns() const { return recovery_end_ns - end_ns(); }
};

// The cycles of `gc` (which must be aligned(): gc.aligned()) on the load
// clock, in the timeline's order, each recovery set from the answered
// requests of `log`. The result borrows gc.cycles: it is valid while `gc`
// lives and is not changed.
std::vector<CycleSpans> CyclesOnLoadClock(const GcTimeline& gc, const RequestLog& log);

// A measured request joined to the GC.
struct JoinedRequest {
  int64_t due_ns = 0;
  int64_t latency_ns = 0;  // corrected: done - due
  GcPhase phase = GcPhase::kOutside;
  // The cycle it fell due in (STW or mark), an index into the spans; -1
  // where it fell due in none.
  int cycle = -1;
  // [due, done] overlapped an STW span (of any cycle).
  bool met_stw = false;
};

// The phase of a request due at `due_ns`, and the index of the cycle whose
// STW or mark holds it (-1 for none) in *cycle when not null.
GcPhase PhaseAt(const std::vector<CycleSpans>& cycles, int64_t due_ns, int* cycle);

// Whether [due_ns, done_ns] overlaps a non-empty STW span of `cycles`.
bool MetStw(const std::vector<CycleSpans>& cycles, int64_t due_ns, int64_t done_ns);

// The requests of `log` due in [window.from_ns, window.to_ns) that have a
// done_ns (the others count nowhere), in due order, joined to `cycles`.
std::vector<JoinedRequest> JoinRequests(const RequestLog& log, const std::vector<CycleSpans>& cycles,
                                        const MeasuredWindow& window);

}  // namespace gcpilot

#endif  // GCPILOT_ATTRIBUTION_PHASE_JOIN_H_
