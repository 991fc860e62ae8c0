#include "attribution/attribution_summary.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "base/plural.h"
#include "base/units.h"

namespace gcpilot {
namespace {

std::string PhaseTable(const RunAttribution& a, const std::string& indent) {
  static constexpr const char* kLabels[kGcPhases] = {"STW", "concurrent mark", "recovery", "outside GC"};
  std::string s = fmt::format("{}{:<16} {:>9} {:>9} {:>9} {:>9} {:>9}\n", indent, "due during", "requests", "p50 ms",
                              "p99 ms", "max ms", "mean ms");
  for (int i = 0; i < kGcPhases; ++i) {
    const PhaseLatency& p = a.phases[i];
    if (p.requests == 0) {
      s += fmt::format("{}{:<16} {:>9} {:>9} {:>9} {:>9} {:>9}\n", indent, kLabels[i], 0, "-", "-", "-", "-");
      continue;
    }
    s += fmt::format("{}{:<16} {:>9} {:>9} {:>9} {:>9} {:>9}\n", indent, kLabels[i], p.requests, Ms(p.p50_ns),
                     Ms(p.p99_ns), Ms(p.max_ns), Ms(p.mean_ns));
  }
  return s;
}

// "recovery after a cycle: 38.000 ms (median of 9 cycles); GC excess per
// cycle: median 1.900 ms, worst 6.100 ms (cycle 14), over 9 cycles".
std::string CyclesLine(const RunAttribution& a) {
  const std::string excess = CycleExcessText(a.cycles);
  if (excess.empty()) {
    return fmt::format("no request fell due during a GC cycle ({} in the window)",
                       CountOf(static_cast<int64_t>(a.cycles.size()), "cycle"));
  }
  return fmt::format("recovery after a cycle: {} (median); GC excess per cycle: {}", MsWithUnit(a.recovery_ns), excess);
}

std::string EstimateLine(const SteadyEstimate& e) {
  return fmt::format("steady-state estimate{}: p99 ~{} (in GC p99 {} over {}, outside p99 {} over {}); {}",
                     e.upper_bound ? " (an upper bound)" : "", MsWithUnit(e.p99_ns), MsWithUnit(e.in_gc_p99_ns),
                     CountOf(e.in_gc_requests, "request"), MsWithUnit(e.out_gc_p99_ns),
                     CountOf(e.out_gc_requests, "request"), e.basis);
}

nlohmann::ordered_json PhaseJson(const PhaseLatency& p) {
  return {{"requests", p.requests},
          {"p50_ns", p.p50_ns},
          {"p99_ns", p.p99_ns},
          {"max_ns", p.max_ns},
          {"mean_ns", p.mean_ns}};
}

nlohmann::ordered_json EstimateJson(const SteadyEstimate& e) {
  return {{"used", e.used},
          {"duty", e.duty},
          {"period_ns", e.period_ns},
          {"cycle_ns", e.cycle_ns},
          {"alloc_bytes_per_sec", e.alloc_bytes_per_sec},
          {"in_gc_requests", e.in_gc_requests},
          {"out_gc_requests", e.out_gc_requests},
          {"in_gc_p99_ns", e.in_gc_p99_ns},
          {"out_gc_p99_ns", e.out_gc_p99_ns},
          {"p50_ns", e.p50_ns},
          {"p90_ns", e.p90_ns},
          {"p99_ns", e.p99_ns},
          {"p999_ns", e.p999_ns},
          {"max_ns", e.max_ns},
          {"mean_ns", e.mean_ns},
          {"upper_bound", e.upper_bound},
          {"basis", e.basis}};
}

nlohmann::ordered_json HeapJson(const HeapTrend& h) {
  nlohmann::ordered_json j = {
      {"cycles", h.cycles},
      {"slope_bytes_per_sec", h.slope_bytes_per_sec},
      {"slope_stderr_bytes_per_sec", h.slope_stderr_bytes_per_sec},
      {"live_bytes", h.live_bytes},
      {"limit_bytes", h.limit_bytes >= 0 ? nlohmann::ordered_json(h.limit_bytes) : nullptr},
      {"limit_reached_in_ns", h.limit_reached_in_ns >= 0 ? nlohmann::ordered_json(h.limit_reached_in_ns) : nullptr},
      {"horizon_ns", h.horizon_ns}};
  if (!h.warning.empty()) j["warning"] = h.warning;
  return j;
}

}  // namespace

std::array<int64_t, 4> SlowShares(const SlowRequests& s) {
  const std::array<int64_t, 4> n = {s.met_stw, s.due_in_mark, s.in_recovery, s.no_gc};
  std::array<int64_t, 4> pct{}, rem{};
  const int64_t total = n[0] + n[1] + n[2] + n[3];
  if (total <= 0) return pct;
  int64_t left = 100;
  for (int i = 0; i < 4; ++i) {
    pct[i] = n[i] * 100 / total;
    rem[i] = n[i] * 100 % total;
    left -= pct[i];
  }
  for (; left > 0; --left) {  // at most 3 points to hand out
    int best = 0;
    for (int i = 1; i < 4; ++i) best = rem[i] > rem[best] ? i : best;
    ++pct[best];
    rem[best] = -1;
  }
  return pct;
}

std::string SlowRequestsSentence(const SlowRequests& s) {
  if (s.slow <= 0) return fmt::format("No request was above the P99 ({} ms).", Ms(s.threshold_ns));
  const auto p = SlowShares(s);
  return fmt::format(
      "Of the {} above the P99 ({} ms), {}% were due during concurrent mark, {}% met a stop-the-world pause, {}% "
      "were due in a recovery, {}% had no GC nearby.",
      CountOf(s.slow, "request"), Ms(s.threshold_ns), p[1], p[0], p[2], p[3]);
}

std::string CycleExcessText(const std::vector<CycleExcess>& cycles) {
  std::vector<const CycleExcess*> with;
  for (const CycleExcess& c : cycles) {
    if (c.requests > 0) with.push_back(&c);
  }
  if (with.empty()) return "";
  std::sort(with.begin(), with.end(), [](auto* x, auto* y) { return x->excess_ns < y->excess_ns; });
  const CycleExcess& worst = *with.back();
  return fmt::format("median {} ms, worst {} ms (cycle {}), over {}", Ms(with[(with.size() - 1) / 2]->excess_ns),
                     Ms(worst.excess_ns), worst.cycle, CountOf(static_cast<int64_t>(with.size()), "cycle"));
}

std::string AttributionText(const RunAttribution& a, const std::string& indent) {
  if (a.alignment_error_ns < 0) {
    return indent +
           "no attribution: the requests were not joined to the GC cycles (the clocks could not be aligned, or the "
           "study was recorded before gcpilot kept it)\n";
  }
  const MeasuredWindow& w = a.window;
  const std::string asked = w.min_periods == 0 ? "a fixed window"
                            : w.whole_periods  ? fmt::format("{} asked", w.min_periods)
                                               : fmt::format("{} asked: the bound ran out first", w.min_periods);
  std::string s = fmt::format(
      "{}window {:.1f} s, {} ({}); clocks aligned within {} (a request that close to a phase's edge, or to a pause "
      "shorter than that, may be placed on the wrong side of it)\n",
      indent, w.length_ns() / 1e9, CountOf(w.periods, "whole GC period"), asked, MsWithUnit(a.alignment_error_ns));
  s += PhaseTable(a, indent);
  s += indent + SlowRequestsSentence(a.slow) + "\n";
  s += indent + CyclesLine(a) + "\n";
  if (a.estimate.used) s += indent + EstimateLine(a.estimate) + "\n";
  if (!a.heap.warning.empty()) s += indent + a.heap.warning + "\n";
  return s;
}

nlohmann::ordered_json AttributionJson(const RunAttribution& a) {
  nlohmann::ordered_json j;
  const MeasuredWindow& w = a.window;
  j["window"] = {{"from_ns", w.from_ns},
                 {"to_ns", w.to_ns},
                 {"periods", w.periods},
                 {"min_periods", w.min_periods},
                 {"whole_periods", w.whole_periods}};
  j["alignment_error_ns"] = a.alignment_error_ns >= 0 ? nlohmann::ordered_json(a.alignment_error_ns) : nullptr;
  nlohmann::ordered_json phases;
  for (int i = 0; i < kGcPhases; ++i) phases[GcPhaseName(static_cast<GcPhase>(i))] = PhaseJson(a.phases[i]);
  j["phases"] = phases;
  j["recovery_ns"] = a.recovery_ns;
  const SlowRequests& s = a.slow;
  j["slow"] = {{"threshold_ns", s.threshold_ns}, {"requests", s.slow},           {"met_stw", s.met_stw},
               {"due_in_mark", s.due_in_mark},   {"in_recovery", s.in_recovery}, {"no_gc", s.no_gc}};
  nlohmann::ordered_json cycles = nlohmann::ordered_json::array();
  for (const CycleExcess& c : a.cycles) {
    cycles.push_back({{"cycle", c.cycle},
                      {"start_ns", c.start_ns},
                      {"requests", c.requests},
                      {"mean_ns", c.mean_ns},
                      {"excess_ns", c.excess_ns},
                      {"recovery_ns", c.recovery_ns}});
  }
  j["cycles"] = cycles;
  j["estimate"] = EstimateJson(a.estimate);
  j["heap"] = HeapJson(a.heap);
  return j;
}

}  // namespace gcpilot
