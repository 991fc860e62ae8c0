#include "attribution/steady_estimate.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "attribution/attribution_text.h"
#include "attribution/median.h"
#include "hdr/hdr_histogram.h"

namespace gcpilot {
namespace {

// The next goal: the last goal scaled by how the live heap last grew.
int64_t NextGoal(const GcCycle& last, const GcCycle* previous) {
  if (!previous || previous->heap_live_bytes <= 0) return last.heap_goal_bytes;
  return std::llround(static_cast<double>(last.heap_goal_bytes) * last.heap_live_bytes / previous->heap_live_bytes);
}

// The median heap growth between consecutive cycles, bytes/s (0: no pair).
double AllocationRate(const std::vector<const CycleSpans*>& run) {
  std::vector<double> rates;
  for (size_t i = 1; i < run.size(); ++i) {
    const int64_t gap_ns = run[i]->start_ns() - run[i - 1]->end_ns();
    if (gap_ns <= 0) continue;
    // After a cycle the heap is what it marked live (sweeping frees the
    // rest; what was allocated during marking is marked); it grows from
    // there to the next cycle's start.
    const int64_t grown = run[i]->cycle->heap_start_bytes - run[i - 1]->cycle->heap_live_bytes;
    rates.push_back(static_cast<double>(grown) / gap_ns * 1e9);
  }
  return MedianOf(rates);
}

// The median time from one cycle's start to the next's.
int64_t ObservedPeriod(const std::vector<const CycleSpans*>& run) {
  std::vector<int64_t> gaps;
  for (size_t i = 1; i < run.size(); ++i) gaps.push_back(run[i]->start_ns() - run[i - 1]->start_ns());
  return MedianOf(gaps);
}

// Mixes one quantile q (0..1): the first bucket where the mixed CDF
// reaches q. `in`/`out` are NonZeroCounts of histograms of one shape.
int64_t MixedQuantile(const HdrHistogram& in, const HdrHistogram& out, double w, double q) {
  const auto a = in.NonZeroCounts(), b = out.NonZeroCounts();
  const double n_in = static_cast<double>(in.total_count()), n_out = static_cast<double>(out.total_count());
  const int64_t cap = std::max(in.max(), out.max());
  double cum_in = 0, cum_out = 0;
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    const int64_t v = j == b.size() || (i < a.size() && a[i].first <= b[j].first) ? a[i].first : b[j].first;
    if (i < a.size() && a[i].first == v) cum_in += static_cast<double>(a[i++].second);
    if (j < b.size() && b[j].first == v) cum_out += static_cast<double>(b[j++].second);
    const double f = (n_in ? w * cum_in / n_in : 0) + (n_out ? (1 - w) * cum_out / n_out : 0);
    if (f >= q - 1e-12) return std::min(out.HighestEquivalent(v), cap);
  }
  return cap;
}

HdrHistogram HistogramOf(const std::vector<int64_t>& ns) {
  HdrHistogram h = HdrHistogram::ForLatencyNs();
  for (int64_t v : ns) h.Record(v);
  return h;
}

double ExactMean(const std::vector<int64_t>& ns) {
  if (ns.empty()) return 0;
  int64_t sum = 0;
  for (int64_t v : ns) sum += v;
  return static_cast<double>(sum) / static_cast<double>(ns.size());
}

// No in-GC request: each one is taken as slower than every other.
void MixUpperBound(const HdrHistogram& out, double mean_out, double w, SteadyEstimate* est) {
  const auto quantile = [&](double q) { return q < 1 - w ? out.ValueAtPercentile(100 * q / (1 - w)) : out.max(); };
  est->p50_ns = quantile(0.5);
  est->p90_ns = quantile(0.9);
  est->p99_ns = quantile(0.99);
  est->p999_ns = quantile(0.999);
  est->max_ns = out.max();
  est->mean_ns = std::llround((1 - w) * mean_out + w * static_cast<double>(out.max()));
  est->upper_bound = w > 0;
}

std::string PeriodBasis(const PeriodFigures& p, int64_t bound_ns) {
  if (p.cycles == 0 && !p.lower_bound) {
    return fmt::format("no GC cycle within the {} bound or before it: duty 0, the latency outside GC",
                       FormatDuration(bound_ns));
  }
  if (p.cycles == 0) {
    return fmt::format(
        "no GC cycle within the {} bound (the GC ran before it): period over {}; cycle {} (the earlier cycles'); "
        "duty under {}",
        FormatDuration(bound_ns), FormatDuration(p.period_ns), FormatDuration(p.cycle_ns), FormatShare(p.duty));
  }
  if (p.lower_bound) {
    return fmt::format("no period within the {} bound ({} cycle{}): period over {}; cycle {}; duty under {}",
                       FormatDuration(bound_ns), p.cycles, p.cycles == 1 ? "" : "s", FormatDuration(p.period_ns),
                       FormatDuration(p.cycle_ns), FormatShare(p.duty));
  }
  return fmt::format("period {} as observed between {} cycles; cycle {}; duty {}", FormatDuration(p.period_ns),
                     p.cycles, FormatDuration(p.cycle_ns), FormatShare(p.duty));
}

}  // namespace

PeriodFigures EstimatePeriod(const std::vector<CycleSpans>& cycles, int64_t first_due_ns, int64_t end_ns,
                             int64_t bound_ns) {
  std::vector<const CycleSpans*> run;
  std::vector<int64_t> walls;
  for (const CycleSpans& c : cycles) {
    if (c.start_ns() < first_due_ns || c.start_ns() >= end_ns) continue;
    run.push_back(&c);
    walls.push_back(c.end_ns() - c.start_ns());
  }
  PeriodFigures p;
  p.cycles = static_cast<int64_t>(run.size());
  if (run.empty()) {
    // No cycle in the bound. Cycles before it (start-up, warm-up) show the
    // GC runs at this setting: its period is longer than the bound, so the
    // duty is under their wall time over it. None at all: it never ran.
    std::vector<int64_t> earlier;
    for (const CycleSpans& c : cycles) {
      if (c.start_ns() < first_due_ns) earlier.push_back(c.end_ns() - c.start_ns());
    }
    if (earlier.empty()) return p;
    p.cycle_ns = MedianOf(earlier);
    p.period_ns = std::max(bound_ns, p.cycle_ns);
    p.lower_bound = true;
    p.duty = std::min(1.0, static_cast<double>(p.cycle_ns) / p.period_ns);
    return p;
  }
  p.cycle_ns = MedianOf(walls);
  p.alloc_bytes_per_sec = AllocationRate(run);
  p.goal_bytes = NextGoal(*run.back()->cycle, run.size() > 1 ? run[run.size() - 2]->cycle : nullptr);
  // Two or more cycles: the run saw its period; that measurement beats
  // the heap-growth model, whose inputs gctrace prints in whole MiB.
  if (run.size() >= 2) {
    p.period_ns = ObservedPeriod(run);
    p.observed = true;
  } else {
    p.period_ns = std::max(bound_ns, p.cycle_ns);
    p.lower_bound = true;
  }
  if (p.observed) {
    // The cycles that have a next one: a wall and a period each.
    walls.pop_back();
    p.cycle_ns = MedianOf(walls);
  }
  p.duty = p.period_ns > 0 ? std::min(1.0, static_cast<double>(p.cycle_ns) / p.period_ns) : 0;
  return p;
}

void MixLatency(const std::vector<int64_t>& in_gc_ns, const std::vector<int64_t>& out_gc_ns, double duty,
                SteadyEstimate* est) {
  const HdrHistogram in = HistogramOf(in_gc_ns), out = HistogramOf(out_gc_ns);
  est->in_gc_requests = in.total_count();
  est->out_gc_requests = out.total_count();
  est->in_gc_p99_ns = in.ValueAtPercentile(99);
  est->out_gc_p99_ns = out.ValueAtPercentile(99);
  const double w = out_gc_ns.empty() ? 1 : duty;
  if (in_gc_ns.empty()) {
    MixUpperBound(out, ExactMean(out_gc_ns), w, est);
    return;
  }
  est->p50_ns = MixedQuantile(in, out, w, 0.5);
  est->p90_ns = MixedQuantile(in, out, w, 0.9);
  est->p99_ns = MixedQuantile(in, out, w, 0.99);
  est->p999_ns = MixedQuantile(in, out, w, 0.999);
  est->max_ns = std::max(in.max(), w < 1 ? out.max() : 0);
  est->mean_ns = std::llround(w * ExactMean(in_gc_ns) + (1 - w) * ExactMean(out_gc_ns));
  est->upper_bound = false;
}

SteadyEstimate EstimateSteadyState(const std::vector<CycleSpans>& cycles, const std::vector<JoinedRequest>& requests,
                                   int64_t first_due_ns, int64_t end_ns, int64_t bound_ns) {
  const PeriodFigures p = EstimatePeriod(cycles, first_due_ns, end_ns, bound_ns);
  SteadyEstimate est;
  est.used = true;
  est.duty = p.duty;
  est.period_ns = p.period_ns;
  est.cycle_ns = p.cycle_ns;
  est.alloc_bytes_per_sec = p.alloc_bytes_per_sec;
  std::vector<int64_t> in, out;
  for (const JoinedRequest& r : requests) {
    (r.phase == GcPhase::kStw || r.phase == GcPhase::kMark ? in : out).push_back(r.latency_ns);
  }
  MixLatency(in, out, p.duty, &est);
  est.basis = PeriodBasis(p, bound_ns);
  if (est.upper_bound) est.basis += "; no request fell due in a cycle: an upper bound";
  return est;
}

}  // namespace gcpilot
