// The report fixture's request logs and attributions: 3000 requests/s
// over a run's measured window, each due 1/3 ms after the last, answered in
// p99/10 ms (x 1.0-1.6) outside GC but for one in 997 (2 x p99: a hiccup
// with no GC nearby), in 1.0-1.9 x p99 when due during a cycle
// (stop-the-world or mark) and in 0.6 x p99 when due in the recovery after
// it (from the cycle's end until its last request was answered: 1.9 x p99). The
// attribution is worked out from the log as model/gc_attribution.h
// defines it, by sorting (nearest-rank percentiles), so the tables agree
// with the figure. Test support only: the real join is the attribution
// stage's.
#ifndef GCPILOT_REPORT_REPORT_FIXTURE_REQUESTS_H_
#define GCPILOT_REPORT_REPORT_FIXTURE_REQUESTS_H_

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "model/gc_attribution.h"
#include "model/gc_timeline.h"
#include "model/request_log.h"

namespace gcpilot {

namespace fixture {

inline PhaseLatency Latencies(std::vector<int64_t> v) {
  PhaseLatency p;
  p.requests = static_cast<int64_t>(v.size());
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  const auto rank = [&](int pct) { return v[(v.size() * pct + 99) / 100 - 1]; };
  int64_t sum = 0;
  for (int64_t x : v) sum += x;
  p.p50_ns = rank(50);
  p.p99_ns = rank(99);
  p.max_ns = v.back();
  p.mean_ns = sum / p.requests;
  return p;
}

struct Span {
  int64_t from, to;
  bool Has(int64_t t) const { return t >= from && t < to; }
};

}  // namespace fixture

// Fills `log` and `a` for a run whose cycles are `gc` (aligned) and whose
// window is [from_ns, to_ns) on the load clock.
inline void FixtureRequests(const GcTimeline& gc, double p99_ms, int64_t from_ns, int64_t to_ns, RequestLog* log,
                            RunAttribution* a) {
  using fixture::Span;
  const auto ms = [](double v) { return static_cast<int64_t>(std::llround(v * 1e6)); };
  std::vector<Span> stw, busy, recovery;  // load clock
  std::vector<int64_t> numbers;
  for (const GcCycle& c : gc.cycles) {
    const int64_t end = gc.ToLoadClock(c.end_ns());
    if (end < from_ns || gc.ToLoadClock(c.start_ns) >= to_ns) continue;
    stw.push_back({gc.ToLoadClock(c.sweep_term().start_ns), gc.ToLoadClock(c.sweep_term().end_ns)});
    stw.push_back({gc.ToLoadClock(c.mark_term().start_ns), end});
    busy.push_back({gc.ToLoadClock(c.start_ns), end});
    recovery.push_back({end, end + ms(1.9 * p99_ms)});  // the last due in the cycle is answered then
    numbers.push_back(c.number);
  }
  const auto in = [](const std::vector<Span>& spans, int64_t t) {
    for (size_t i = 0; i < spans.size(); ++i) {
      if (spans[i].Has(t)) return static_cast<int>(i);
    }
    return -1;
  };
  log->kinds = {"payment"};
  std::array<std::vector<int64_t>, kGcPhases> by_phase;
  std::vector<int64_t> all;
  std::vector<std::vector<int64_t>> per_cycle(busy.size());
  std::vector<GcPhase> phase_of;
  for (int64_t i = 0, due = from_ns; due < to_ns; ++i, due = from_ns + i * 1'000'000 / 3) {
    GcPhase ph = in(stw, due) >= 0        ? GcPhase::kStw
                 : in(busy, due) >= 0     ? GcPhase::kMark
                 : in(recovery, due) >= 0 ? GcPhase::kRecovery
                                          : GcPhase::kOutside;
    const int64_t lat = ph == GcPhase::kStw || ph == GcPhase::kMark ? ms(p99_ms * (1 + (i % 10) / 10.0))
                        : ph == GcPhase::kRecovery                  ? ms(0.6 * p99_ms)
                        : i % 997 == 0                              ? ms(2 * p99_ms)
                                                                    : ms(p99_ms / 10 * (1 + (i % 7) / 10.0));
    log->records.push_back({due, due + 20'000, due + lat, 0, 200, RequestOutcome::kOk});
    by_phase[static_cast<int>(ph)].push_back(lat);
    all.push_back(lat);
    phase_of.push_back(ph);
    if (const int c = in(busy, due); c >= 0) per_cycle[c].push_back(lat);
  }
  a->window = {from_ns, to_ns, 0, 3, false};
  a->alignment_error_ns = gc.origin_error_ns;
  for (int i = 0; i < kGcPhases; ++i) a->phases[i] = fixture::Latencies(by_phase[i]);
  a->slow.threshold_ns = fixture::Latencies(all).p99_ns;
  for (size_t i = 0; i < log->records.size(); ++i) {
    const RequestRecord& r = log->records[i];
    if (r.corrected_ns() <= a->slow.threshold_ns) continue;
    ++a->slow.slow;
    const bool met_stw =
        std::any_of(stw.begin(), stw.end(), [&](const Span& s) { return r.due_ns < s.to && s.from <= r.done_ns; });
    if (met_stw) {
      ++a->slow.met_stw;
    } else if (phase_of[i] == GcPhase::kMark) {
      ++a->slow.due_in_mark;
    } else if (phase_of[i] == GcPhase::kRecovery) {
      ++a->slow.in_recovery;
    } else {
      ++a->slow.no_gc;
    }
  }
  const int64_t outside = a->phases[static_cast<int>(GcPhase::kOutside)].mean_ns;
  for (size_t c = 0; c < busy.size(); ++c) {
    if (busy[c].from < from_ns) continue;  // the window's cycles only
    const PhaseLatency p = fixture::Latencies(per_cycle[c]);
    a->cycles.push_back({numbers[c], busy[c].from, p.requests, p.mean_ns, p.requests ? p.mean_ns - outside : 0,
                         p.requests ? ms(1.9 * p99_ms) : 0});
  }
  a->recovery_ns = ms(1.9 * p99_ms);
}

}  // namespace gcpilot

#endif  // GCPILOT_REPORT_REPORT_FIXTURE_REQUESTS_H_
