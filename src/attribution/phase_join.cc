#include "attribution/phase_join.h"

#include <algorithm>

namespace gcpilot {
namespace {

bool Holds(const TimeSpan& s, int64_t t) { return t >= s.start_ns && t < s.end_ns; }

TimeSpan Moved(const TimeSpan& s, int64_t by_ns) { return {s.start_ns + by_ns, s.end_ns + by_ns}; }

// The index of the last cycle that starts at or before t, -1 for none.
int LastStartedBy(const std::vector<CycleSpans>& cycles, int64_t t) {
  const auto after = std::upper_bound(cycles.begin(), cycles.end(), t,
                                      [](int64_t v, const CycleSpans& c) { return v < c.start_ns(); });
  return static_cast<int>(after - cycles.begin()) - 1;
}

// Moves each cycle's recovery end to the latest answer of the requests due
// in it, then cuts it at the next cycle's start.
void SetRecoveries(const RequestLog& log, std::vector<CycleSpans>* cycles) {
  for (const RequestRecord& r : log.records) {
    if (r.done_ns == RequestRecord::kNever) continue;
    const int i = LastStartedBy(*cycles, r.due_ns);
    if (i < 0 || r.due_ns >= (*cycles)[i].end_ns()) continue;
    CycleSpans& c = (*cycles)[i];
    c.recovery_end_ns = std::max(c.recovery_end_ns, r.done_ns);
  }
  for (size_t i = 0; i < cycles->size(); ++i) {
    CycleSpans& c = (*cycles)[i];
    if (i + 1 < cycles->size()) c.recovery_end_ns = std::min(c.recovery_end_ns, (*cycles)[i + 1].start_ns());
    c.recovery_end_ns = std::max(c.recovery_end_ns, c.end_ns());
  }
}

}  // namespace

std::vector<CycleSpans> CyclesOnLoadClock(const GcTimeline& gc, const RequestLog& log) {
  std::vector<CycleSpans> out;
  out.reserve(gc.cycles.size());
  for (const GcCycle& c : gc.cycles) {
    CycleSpans s;
    s.cycle = &c;
    s.sweep_term = Moved(c.sweep_term(), gc.load_clock_origin_ns);
    s.mark = Moved(c.mark(), gc.load_clock_origin_ns);
    s.mark_term = Moved(c.mark_term(), gc.load_clock_origin_ns);
    s.recovery_end_ns = s.end_ns();
    out.push_back(s);
  }
  SetRecoveries(log, &out);
  return out;
}

GcPhase PhaseAt(const std::vector<CycleSpans>& cycles, int64_t due_ns, int* cycle) {
  if (cycle) *cycle = -1;
  const int i = LastStartedBy(cycles, due_ns);
  if (i < 0) return GcPhase::kOutside;
  const CycleSpans& c = cycles[i];
  if (due_ns < c.end_ns()) {
    if (cycle) *cycle = i;
    return Holds(c.mark, due_ns) ? GcPhase::kMark : GcPhase::kStw;
  }
  if (due_ns < c.recovery_end_ns) return GcPhase::kRecovery;
  return GcPhase::kOutside;
}

bool MetStw(const std::vector<CycleSpans>& cycles, int64_t due_ns, int64_t done_ns) {
  // Only a cycle that starts by done_ns can overlap, and of those only the
  // ones still running at due_ns: walk back from the last one.
  for (int i = LastStartedBy(cycles, done_ns); i >= 0; --i) {
    const CycleSpans& c = cycles[i];
    if (c.end_ns() <= due_ns) break;
    for (const TimeSpan& s : {c.sweep_term, c.mark_term}) {
      if (s.start_ns < s.end_ns && due_ns < s.end_ns && s.start_ns <= done_ns) return true;
    }
  }
  return false;
}

std::vector<JoinedRequest> JoinRequests(const RequestLog& log, const std::vector<CycleSpans>& cycles,
                                        const MeasuredWindow& window) {
  std::vector<JoinedRequest> out;
  for (const RequestRecord& r : log.records) {
    if (r.done_ns == RequestRecord::kNever || r.due_ns < window.from_ns || r.due_ns >= window.to_ns) continue;
    // Answers only, as the run's own latency figures count them (a
    // timeout's "latency" is the timeout).
    if (r.outcome != RequestOutcome::kOk && r.outcome != RequestOutcome::kNon2xx) continue;
    JoinedRequest j;
    j.due_ns = r.due_ns;
    j.latency_ns = r.corrected_ns();
    j.phase = PhaseAt(cycles, r.due_ns, &j.cycle);
    j.met_stw = MetStw(cycles, r.due_ns, r.done_ns);
    out.push_back(j);
  }
  return out;
}

}  // namespace gcpilot
