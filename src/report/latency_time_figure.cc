#include "report/latency_time_figure.h"

#include <algorithm>
#include <map>

#include "report/svg.h"

namespace gcpilot {
namespace {

constexpr const char* kWindowBand = "#e6f0fb";
constexpr const char* kMarkBand = "#f6d7a7";
constexpr const char* kRecoveryBand = "#cfe8c9";
constexpr const char* kStwBand = "#b00020";

// floor(a / b) for b > 0, also for a < 0.
int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// What the figure draws on: the load-clock span of the buckets and the
// window's start, where its time axis is 0.
struct Span {
  int64_t origin_ns, lo_ns, hi_ns;
  double Seconds(int64_t load_ns) const { return static_cast<double>(load_ns - origin_ns) / 1e9; }
};

// [from, to) on the load clock as a band, cut to the figure's span.
void AddClipped(const Span& s, int64_t from, int64_t to, Band b, XyPlot* p) {
  from = std::max(from, s.lo_ns);
  to = std::min(to, s.hi_ns);
  if (to <= from) return;
  b.x0 = s.Seconds(from);
  b.x1 = s.Seconds(to);
  p->AddBand(std::move(b));
}

// Each cycle's mark, recovery and stop-the-world phases (drawn last, on
// top: they are the shortest), moved onto the load clock. A phase far
// under a pixel still shows: mark at least 3 px wide, the others 1 px.
void AddCycleBands(const GcTimeline& gc, const RunAttribution& a, const Span& s, XyPlot* p) {
  std::map<int64_t, int64_t> recovery;  // by cycle number
  for (const CycleExcess& c : a.cycles) recovery[c.cycle] = c.recovery_ns;
  for (const GcCycle& c : gc.cycles) {
    const TimeSpan mark = c.mark();
    AddClipped(s, gc.ToLoadClock(mark.start_ns), gc.ToLoadClock(mark.end_ns),
               {0, 0, kMarkBand, "", "concurrent mark (at least 3 px wide)", 3}, p);
    const auto r = recovery.find(c.number);
    if (r == recovery.end() || r->second <= 0) continue;
    const int64_t end = gc.ToLoadClock(c.end_ns());
    AddClipped(s, end, end + r->second, {0, 0, kRecoveryBand, "", "recovery", 1}, p);
  }
  for (const GcCycle& c : gc.cycles) {
    for (const TimeSpan& stw : {c.sweep_term(), c.mark_term()}) {
      // A pause of 0 ns (printed as 0) still happened: drawn at its moment.
      AddClipped(s, gc.ToLoadClock(stw.start_ns), gc.ToLoadClock(std::max(stw.end_ns, stw.start_ns + 1)),
                 {0, 0, kStwBand, "", "stop-the-world (at least 1 px wide)", 1}, p);
    }
  }
}

}  // namespace

std::vector<LatencyBucket> LatencyBuckets(const RequestLog& log, int64_t origin_ns, int64_t bucket_ns) {
  std::map<int64_t, std::vector<int64_t>> by_bucket;
  for (const RequestRecord& r : log.records) {
    if (r.corrected_ns() < 0) continue;
    by_bucket[FloorDiv(r.due_ns - origin_ns, bucket_ns)].push_back(r.corrected_ns());
  }
  std::vector<LatencyBucket> out;
  for (auto& [k, v] : by_bucket) {
    std::sort(v.begin(), v.end());
    const size_t rank = (v.size() * 99 + 99) / 100;  // ceil(0.99 n), >= 1
    out.push_back({origin_ns + k * bucket_ns, static_cast<int64_t>(v.size()), v[rank - 1]});
  }
  return out;
}

std::string LatencyTimeFigure(const std::string& title, const RequestLog& log, const GcTimeline& gc,
                              const RunAttribution& a, const char* color) {
  const bool has_window = a.window.to_ns > a.window.from_ns;
  const int64_t origin = has_window ? a.window.from_ns : log.records.empty() ? 0 : log.records.front().due_ns;
  const std::vector<LatencyBucket> buckets = LatencyBuckets(log, origin, kLatencyBucketNs);
  std::string shown = title;
  if (buckets.empty()) shown += ": no answered request logged";
  if (!buckets.empty() && !gc.aligned()) shown += ": GC not drawn (its clock is not aligned with the load's)";
  XyPlot p(shown, 1000, 320);
  p.x().label = "time from the measured window's start (s)";
  p.y().label = "P99 latency (ms)";
  p.y().nonnegative = true;
  Series line{"P99 of corrected latency per 100 ms of due time", color};
  for (const LatencyBucket& b : buckets) {
    line.x.push_back(static_cast<double>(b.from_ns - origin + kLatencyBucketNs / 2) / 1e9);
    line.y.push_back(static_cast<double>(b.p99_ns) / 1e6);
  }
  if (!buckets.empty()) {
    const Span s{origin, buckets.front().from_ns, buckets.back().from_ns + kLatencyBucketNs};
    if (has_window) {
      AddClipped(s, a.window.from_ns, a.window.to_ns, {0, 0, kWindowBand, "measured window", "measured window"}, &p);
    }
    if (gc.aligned()) AddCycleBands(gc, a, s, &p);
  }
  p.Add(std::move(line));
  p.FitAxes();
  return p.Render();
}

}  // namespace gcpilot
