#include "gclog/gctrace_analysis.h"

#include <algorithm>
#include <cstdint>
#include <functional>

#include <fmt/format.h>

#include "base/plural.h"
#include "base/units.h"

namespace gcpilot {
namespace {

// Durations are printed with microsecond precision; 20000 slots keep every
// value under 20 ms in the flat array.
constexpr int64_t kDurationSlots = 20000;      // 1 us slots: < 20 ms
constexpr int64_t kDurationMsSlots = 120'000;  // 1 ms slots: < 2 min
constexpr int64_t kHeapSlots = 1 << 16;        // MB values under 64 GiB

template <int64_t kUnit, int64_t kCoarse>
Digest DigestOf(const ValueCounts<kUnit, kCoarse>& v) {
  Digest d;
  d.count = v.count();
  d.mean = v.mean();
  d.p50 = v.Percentile(50);
  d.p90 = v.Percentile(90);
  d.p99 = v.Percentile(99);
  d.p999 = v.Percentile(99.9);
  d.max = v.max();
  return d;
}

std::string Pct(double share) { return fmt::format("{:.0f}%", share * 100); }

}  // namespace

const char* GctraceFormatName(GctraceFormat f) {
  switch (f) {
    case GctraceFormat::kFivePhase:
      return "go1.5-1.6 (five phases)";
    case GctraceFormat::kThreePhase:
      return "go1.7-1.17 (three phases)";
    case GctraceFormat::kStacksGlobals:
      return "go1.18+ (stacks/globals)";
  }
  return "?";
}

GctraceAnalyzer::GctraceAnalyzer()
    : sweep_term_(kDurationSlots, kDurationMsSlots),
      mark_term_(kDurationSlots, kDurationMsSlots),
      stw_(kDurationSlots, kDurationMsSlots),
      mark_(kDurationSlots, kDurationMsSlots),
      live_(kHeapSlots),
      start_(kHeapSlots),
      end_(kHeapSlots),
      goal_(kHeapSlots),
      goal_ratio_permille_(10000) {}

// A cycle number that does not go up means a new process wrote to the
// same log (restarts, or several runs concatenated).
bool GctraceAnalyzer::StartsSegment(const GcCycle& c) const {
  return !have_prev_ || c.number <= prev_.number || c.start_ns < prev_.start_ns;
}

bool GctraceAnalyzer::FitsTotals(const GcCycle& c) const {
  const GctraceSummary& a = acc_;
  int64_t sum;
  bool over = __builtin_add_overflow(a.cpu_stw_ns, c.cpu_sweep_term_ns + c.cpu_mark_term_ns, &sum) ||
              __builtin_add_overflow(a.cpu_assist_ns, c.cpu_assist_ns, &sum) ||
              __builtin_add_overflow(a.cpu_background_ns, c.cpu_background_ns, &sum) ||
              __builtin_add_overflow(a.cpu_idle_ns, c.cpu_idle_ns, &sum) ||
              __builtin_add_overflow(a.cpu_other_ns, c.cpu_other_ns, &sum);
  if (!StartsSegment(c)) over = over || __builtin_add_overflow(a.missing_cycles, c.number - prev_.number - 1, &sum);
  if (CountsInterval(c)) over = over || __builtin_add_overflow(a.span_ns, c.start_ns - prev_.start_ns, &sum);
  return !over;
}

// The interval from prev_ to `c` counts when both are of one process run
// and prev_ was summed: a left-out cycle's GC CPU and wall time are in no
// figure, so neither is the interval it begins (its share would need them)
// nor the one it ends (which may be what passes int64).
bool GctraceAnalyzer::CountsInterval(const GcCycle& c) const { return !StartsSegment(c) && !prev_left_out_; }

// A left-out cycle was still printed: it starts its process run if it
// does, its number is not missing and the next cycle's follows on from it.
// The numbers skipped before it count where they fit.
void GctraceAnalyzer::LeaveOut(const GcCycle& c) {
  GctraceSummary& a = acc_;
  if (a.unsummed_cycles++ == 0) a.first_unsummed_line = c.origin.line;
  if (StartsSegment(c)) {
    ++a.segments;
  } else if (int64_t sum; !__builtin_add_overflow(a.missing_cycles, c.number - prev_.number - 1, &sum)) {
    a.missing_cycles = sum;
  }
  prev_ = c;
  have_prev_ = true;
  prev_left_out_ = true;
}

void GctraceAnalyzer::Add(const GcCycle& c) {
  GctraceSummary& a = acc_;
  if (!FitsTotals(c)) {
    LeaveOut(c);
    return;
  }
  ++a.cycles;
  if (c.forced) ++a.forced_cycles;
  sweep_term_.Record(c.sweep_term_ns);
  mark_term_.Record(c.mark_term_ns);
  stw_.Record(c.stw_ns());
  mark_.Record(c.concurrent_ns());
  live_.Record(c.heap_live_mb());
  start_.Record(c.heap_start_mb());
  end_.Record(c.heap_end_mb());
  goal_.Record(c.heap_goal_mb());
  a.heap_peak_mb = std::max({a.heap_peak_mb, c.heap_start_mb(), c.heap_end_mb()});
  if (c.heap_end_mb() > c.heap_goal_mb()) {
    ++a.overshoot_cycles;
    a.overshoot_max_mb = std::max(a.overshoot_max_mb, c.heap_end_mb() - c.heap_goal_mb());
  }
  a.stacks_mb_max = std::max(a.stacks_mb_max, c.stacks_mb());
  a.globals_mb_max = std::max(a.globals_mb_max, c.globals_mb());
  if (c.procs != last_procs_) {
    a.procs_seen.insert(c.procs);
    last_procs_ = c.procs;
  }
  if (static_cast<int>(c.origin.format) != last_format_) {
    a.formats_seen.insert(c.origin.format);
    last_format_ = static_cast<int>(c.origin.format);
  }
  a.cpu_percent_last = c.origin.printed_cpu_percent;
  a.cpu_percent_max = std::max(a.cpu_percent_max, c.origin.printed_cpu_percent);
  // FitsTotals checked that none of these passes int64.
  a.cpu_stw_ns += c.cpu_sweep_term_ns + c.cpu_mark_term_ns;
  a.cpu_assist_ns += c.cpu_assist_ns;
  a.cpu_background_ns += c.cpu_background_ns;
  a.cpu_idle_ns += c.cpu_idle_ns;
  a.cpu_other_ns += c.cpu_other_ns;
  wall_ns_ += c.wall_ns();
  if (StartsSegment(c)) {
    if (have_prev_ && !prev_left_out_) closed_runs_last_wall_ += prev_.wall_ns();
    ++a.segments;
  } else if (CountsInterval(c)) {
    AddInterval(c);
  } else {
    a.missing_cycles += c.number - prev_.number - 1;
  }
  prev_ = c;
  have_prev_ = true;
  prev_left_out_ = false;
}

// What lies between prev_ and `c`, a cycle of the same process.
void GctraceAnalyzer::AddInterval(const GcCycle& c) {
  GctraceSummary& a = acc_;
  a.missing_cycles += c.number - prev_.number - 1;
  const int64_t interval = c.start_ns - prev_.start_ns;
  a.span_ns += interval;
  capacity_ns_ += static_cast<Int128>(interval) * prev_.procs;
  in_span_gc_cpu_ns_ += prev_.gc_cpu_ns();
  ++a.gaps;
  if (c.start_ns - prev_.end_ns() < GctraceSummary::kShortGapNs) ++a.short_gaps;
  // The pacer sets a cycle's goal from the heap the previous cycle
  // marked (goal = marked + (marked + stacks + globals) * GOGC/100), so
  // that is the base to compare with; this cycle's own live heap may have
  // grown since. Tiny heaps are skipped: MB values are truncated.
  if (prev_.heap_live_mb() >= 4) {
    goal_ratio_permille_.Record(c.heap_goal_mb() * 1000 / prev_.heap_live_mb());
  }
}

namespace {

using AddFinding = std::function<void(Severity, const char*, std::string)>;

// CRITICAL is kept for GC CPU that matters: a pace or assist finding over
// a GC that used less than this share of capacity (or an unknown share)
// is a warning at most.
constexpr double kCriticalGcCpuShare = 0.05;

Severity CriticalIfCpuMatters(const GctraceSummary& s) {
  return s.gc_cpu_share >= kCriticalGcCpuShare ? Severity::kCritical : Severity::kWarning;
}

// How much of the time the GC runs and what its CPU goes to.
void AddPaceFindings(const GctraceSummary& s, const AddFinding& add) {
  if (s.gc_wall_share >= 0.5) {
    add(CriticalIfCpuMatters(s), "back-to-back",
        fmt::format("a GC cycle was running {} of the time ({} of {} between cycles {} under {} ms)",
                    Pct(s.gc_wall_share), s.short_gaps, CountOf(s.gaps, "gap"), WasOrWere(s.short_gaps),
                    GctraceSummary::kShortGapNs / 1'000'000));
    if (s.goal_over_prev_live_p50 > 0 && s.goal_over_prev_live_p50 < 1.25) {
      add(CriticalIfCpuMatters(s), "limit-bound",
          fmt::format("the heap goal is only {:.2f}x the heap the "
                      "previous cycle marked (median): a memory limit (GOMEMLIMIT) near the "
                      "live heap is setting the pace, not GOGC",
                      s.goal_over_prev_live_p50));
    }
  }
  if (s.gc_cpu_share >= 0.10) {
    add(s.gc_cpu_share >= 0.25 ? Severity::kCritical : Severity::kWarning, "gc-cpu",
        fmt::format("GC used {} of CPU capacity (GOMAXPROCS x time) over "
                    "the span; the runtime printed {}% at the end",
                    Pct(s.gc_cpu_share), s.cpu_percent_last));
  }
  if (s.assist_share >= 0.25 && s.cpu_assist_ns > 0) {
    add(s.assist_share >= 0.5 ? CriticalIfCpuMatters(s) : Severity::kWarning, "assist-heavy",
        fmt::format("assists are {} of GC CPU: allocation outruns "
                    "background marking, so request goroutines do mark "
                    "work (more heap headroom or less allocation helps)",
                    Pct(s.assist_share)));
  }
}

// The pauses: a long one stops every request, whatever the GC CPU, so its
// severity stands on the pause alone. Which phase is the larger is said
// only when one is: never of two equal or zero P99s.
void AddStwFinding(const GctraceSummary& s, const AddFinding& add) {
  const Severity sev = s.stw_ns.p99 >= 10'000'000  ? Severity::kCritical
                       : s.stw_ns.p99 >= 1'000'000 ? Severity::kWarning
                                                   : Severity::kInfo;
  const int64_t sweep = s.sweep_term_ns.p99, mark = s.mark_term_ns.p99;
  std::string which;
  if (sweep != mark) {
    which = fmt::format("; {} P99 {} dominates", mark > sweep ? "mark termination" : "sweep termination",
                        MsWithUnit(std::max(sweep, mark)));
  } else if (mark > 0) {
    which = fmt::format("; sweep and mark termination P99 alike ({} each)", MsWithUnit(mark));
  }
  add(sev, "stw",
      fmt::format("stop-the-world per cycle: P99 {}, max {}{}", MsWithUnit(s.stw_ns.p99), MsWithUnit(s.stw_ns.max),
                  which));
}

// The findings about the cycles themselves (the log held some).
void AddCycleFindings(const GctraceSummary& s, const AddFinding& add) {
  AddPaceFindings(s, add);
  AddStwFinding(s, add);
  if (s.overshoot_cycles * 10 >= s.cycles) {
    add(Severity::kWarning, "overshoot",
        fmt::format("the heap passed its goal in {} of {} (by up "
                    "to {} MB): marking finishes late",
                    s.overshoot_cycles, CountOf(s.cycles, "cycle"), s.overshoot_max_mb));
  }
  if (s.cycles_per_sec > 10) {
    add(Severity::kWarning, "frequent",
        fmt::format("{:.1f} cycles/s: a small heap goal makes the GC run "
                    "very often",
                    s.cycles_per_sec));
  }
  if (s.forced_cycles > 0) {
    add(Severity::kInfo, "forced",
        fmt::format("{} {} forced by runtime.GC()", CountOf(s.forced_cycles, "cycle"), WasOrWere(s.forced_cycles)));
  }
  if (s.cycles < 10) {
    add(Severity::kInfo, "few-cycles",
        fmt::format("only {}: percentiles rest on few samples", CountOf(s.cycles, "cycle")));
  }
}

// What dominates, in words: the findings a user acts on, worst first.
void AddFindings(const GctraceParseStats& parse, GctraceSummary* summary) {
  GctraceSummary& s = *summary;
  auto add = [&s](Severity sev, const char* code, std::string text) {
    s.findings.push_back({sev, code, std::move(text)});
  };
  if (s.cycles == 0) {
    add(Severity::kInfo, "no-cycles", "no GC cycle lines found (was GODEBUG=gctrace=1 set?)");
  } else {
    AddCycleFindings(s, add);
  }
  if (parse.malformed > 0) {
    std::string why;
    if (parse.out_of_range > 0) {
      why =
          fmt::format(" ({} a number past what gcpilot holds)",
                      parse.out_of_range == parse.malformed ? "each with" : fmt::format("{} with", parse.out_of_range));
    }
    add(Severity::kWarning, "malformed",
        fmt::format("{} could not be parsed and {} skipped{}", CountOf(parse.malformed, "cycle line"),
                    WasOrWere(parse.malformed), why));
  }
  if (parse.overlong_lines > 0) {
    add(Severity::kWarning, "overlong",
        fmt::format("{} longer than {} bytes {} skipped unread (first at line {})",
                    CountOf(parse.overlong_lines, "line"), GctraceParseStats::kMaxLineBytes,
                    WasOrWere(parse.overlong_lines), parse.first_overlong_line));
  }
  if (s.unsummed_cycles > 0) {
    add(Severity::kWarning, "unsummed",
        fmt::format("{} left out of every figure (first at line {}): {} times push the totals past "
                    "int64 ns (292 years)",
                    CountOf(s.unsummed_cycles, "cycle"), s.first_unsummed_line,
                    s.unsummed_cycles == 1 ? "its" : "their"));
  }
  std::stable_sort(s.findings.begin(), s.findings.end(),
                   [](const Finding& x, const Finding& y) { return x.severity > y.severity; });
}

}  // namespace

GctraceSummary GctraceAnalyzer::Summarize(const GctraceParseStats& parse) const {
  GctraceSummary s = acc_;
  s.parse = parse;
  if (s.span_ns > 0) {
    s.cycles_per_sec = s.gaps / (s.span_ns / 1e9);
    // Each run from its first `@` to its last cycle's end.
    const Int128 window = s.span_ns + closed_runs_last_wall_ + (prev_left_out_ ? 0 : prev_.wall_ns());
    s.gc_wall_share = static_cast<double>(wall_ns_) / static_cast<double>(window);
  }
  if (capacity_ns_ > 0) {
    s.gc_cpu_share = static_cast<double>(in_span_gc_cpu_ns_) / static_cast<double>(capacity_ns_);
  }
  if (const double gc_cpu = s.gc_cpu_ns(); gc_cpu > 0) {
    s.assist_share = static_cast<double>(s.cpu_assist_ns) / gc_cpu;
  }
  s.sweep_term_ns = DigestOf(sweep_term_);
  s.mark_term_ns = DigestOf(mark_term_);
  s.stw_ns = DigestOf(stw_);
  s.mark_ns = DigestOf(mark_);
  s.heap_live_mb = DigestOf(live_);
  s.heap_start_mb = DigestOf(start_);
  s.heap_end_mb = DigestOf(end_);
  s.heap_goal_mb = DigestOf(goal_);
  if (goal_ratio_permille_.count() > 0) s.goal_over_prev_live_p50 = goal_ratio_permille_.Percentile(50) / 1000.0;

  AddFindings(parse, &s);
  return s;
}

}  // namespace gcpilot
