#include "gclog/gctrace_report.h"

#include <fmt/format.h>

#include "base/plural.h"
#include "base/units.h"
#include "base/utf8.h"

namespace gcpilot {
namespace {

// Values with no meaning (a rate or share over an empty span, a ratio with
// no pair) are negative in the summary: "-" in the table, null in JSON.
std::string ShareOrDash(double share) { return share < 0 ? "-" : fmt::format("{:.1f}%", share * 100); }
std::string FixedOrDash(double v, int decimals) { return v < 0 ? "-" : fmt::format("{:.{}f}", v, decimals); }

const char* SeverityWord(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "CRITICAL";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "info";
  }
  return "?";
}

void DurationRow(std::string& out, const char* name, const Digest& d) {
  fmt::format_to(std::back_inserter(out), "  {:<22} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}\n", name,
                 Ms(static_cast<int64_t>(d.mean)), Ms(d.p50), Ms(d.p90), Ms(d.p99), Ms(d.p999), Ms(d.max));
}

void HeapRow(std::string& out, const char* name, const Digest& d) {
  fmt::format_to(std::back_inserter(out), "  {:<22} {:>10.1f} {:>10} {:>10} {:>10} {:>10} {:>10}\n", name, d.mean,
                 d.p50, d.p90, d.p99, d.p999, d.max);
}

nlohmann::json DigestJson(const Digest& d) {
  return {{"count", d.count}, {"mean", d.mean}, {"p50", d.p50}, {"p90", d.p90},
          {"p99", d.p99},     {"p999", d.p999}, {"max", d.max}};
}

nlohmann::json NumberOrNull(double share) { return share < 0 ? nlohmann::json(nullptr) : nlohmann::json(share); }
nlohmann::json LineOrNull(int64_t line) { return line <= 0 ? nlohmann::json(nullptr) : nlohmann::json(line); }

// Where the GC CPU went, each part with its share of the counted GC CPU.
// Go 1.5-1.6's concurrent scan (with the sync-Ps term) is a part of its own
// there, so the shares shown add up to 100%.
void CpuSplitLine(std::string& out, const GctraceSummary& s) {
  const double gc_cpu = s.gc_cpu_ns();
  auto part = [gc_cpu](const char* name, int64_t ns) {
    return fmt::format("{} {} ms ({})  ", name, Ms(ns), gc_cpu > 0 ? fmt::format("{:.1f}%", 100.0 * ns / gc_cpu) : "-");
  };
  out += "  GC CPU split: ";
  out += part("assist", s.cpu_assist_ns);
  out += part("background", s.cpu_background_ns);
  if (s.formats_seen.contains(GctraceFormat::kFivePhase)) out += part("scan+sync", s.cpu_other_ns);
  out += part("STW", s.cpu_stw_ns);
  fmt::format_to(std::back_inserter(out), "idle {} ms (not counted)\n", Ms(s.cpu_idle_ns));
}

// The lines and cycles left out, each kind with the first places.
void SkippedLines(std::string& out, const GctraceSummary& s) {
  auto w = std::back_inserter(out);
  const GctraceParseStats& p = s.parse;
  for (const GctraceLineError& e : p.first_errors) {
    fmt::format_to(w, "  skipped line {}:{}: expected {}\n", e.line, e.column, e.expected);
  }
  if (p.overlong_lines > 0) {
    fmt::format_to(w, "  skipped line {}: longer than {} bytes, not read ({} in all)\n", p.first_overlong_line,
                   GctraceParseStats::kMaxLineBytes, CountOf(p.overlong_lines, "line"));
  }
  if (s.unsummed_cycles > 0) {
    fmt::format_to(w, "  left out line {}: its times push the totals past int64 ns ({} in all)\n",
                   s.first_unsummed_line, CountOf(s.unsummed_cycles, "cycle"));
  }
}

}  // namespace

std::string FormatGctraceTable(const GctraceSummary& s, const std::string& source_name) {
  std::string out;
  auto w = std::back_inserter(out);
  const GctraceParseStats& p = s.parse;
  fmt::format_to(w, "gctrace: {}\n", source_name);
  // `scan` only where there are any: gctrace=2 logs are the rare case, and
  // the line keeps its shape for every other log.
  fmt::format_to(w,
                 "  lines {}  cycles {}  skipped {}  {}scavenger {}  pacer {}  "
                 "{}other {}{}\n",
                 p.lines, s.cycles, p.malformed,
                 p.overlong_lines > 0 ? fmt::format("overlong {}  ", p.overlong_lines) : "", p.scavenger_lines,
                 p.pacer_lines, p.scan_lines > 0 ? fmt::format("scan {}  ", p.scan_lines) : "",
                 p.other_lines + p.legacy_lines, p.truncated_last_line ? "  (last line cut off)" : "");
  std::string formats;
  for (GctraceFormat f : s.formats_seen) {
    if (!formats.empty()) formats += ", ";
    formats += GctraceFormatName(f);
  }
  fmt::format_to(w,
                 "  span {:.3f} s  cycles/s {}  forced {}  processes {}  "
                 "missing numbers {}\n",
                 s.span_ns / 1e9, FixedOrDash(s.cycles_per_sec, 2), s.forced_cycles, s.segments, s.missing_cycles);
  if (!formats.empty()) fmt::format_to(w, "  format {}\n", formats);
  SkippedLines(out, s);
  if (s.cycles == 0) {
    out += "\nverdict\n";
    for (const Finding& f : s.findings) {
      fmt::format_to(w, "  {:<8} {}\n", SeverityWord(f.severity), f.text);
    }
    return out;
  }
  fmt::format_to(w, "\n  {:<22} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}\n", "per cycle (ms)", "mean", "p50", "p90",
                 "p99", "p99.9", "max");
  DurationRow(out, "STW sweep termination", s.sweep_term_ns);
  DurationRow(out, "STW mark termination", s.mark_term_ns);
  DurationRow(out, "STW total", s.stw_ns);
  DurationRow(out, "concurrent mark", s.mark_ns);
  fmt::format_to(w, "\n  {:<22} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}\n", "heap (MB)", "mean", "p50", "p90", "p99",
                 "p99.9", "max");
  HeapRow(out, "live (marked)", s.heap_live_mb);
  HeapRow(out, "at trigger (start)", s.heap_start_mb);
  HeapRow(out, "at mark termination", s.heap_end_mb);
  HeapRow(out, "goal", s.heap_goal_mb);
  fmt::format_to(w,
                 "  peak {} MB  over goal in {} (max +{} MB)  "
                 "goal/previous live p50 {}\n",
                 s.heap_peak_mb, CountOf(s.overshoot_cycles, "cycle"), s.overshoot_max_mb,
                 FixedOrDash(s.goal_over_prev_live_p50, 2));
  std::string procs;
  for (int32_t n : s.procs_seen) {
    if (!procs.empty()) procs += ",";
    procs += std::to_string(n);
  }
  fmt::format_to(w, "  stacks max {}  globals max {}  GOMAXPROCS {}\n",
                 s.stacks_mb_max < 0 ? "-" : std::to_string(s.stacks_mb_max) + " MB",
                 s.globals_mb_max < 0 ? "-" : std::to_string(s.globals_mb_max) + " MB", procs);
  fmt::format_to(w,
                 "\n  GC CPU  printed {}% (last), {}% (max)  of capacity {}  "
                 "wall time in GC {}\n",
                 s.cpu_percent_last, s.cpu_percent_max, ShareOrDash(s.gc_cpu_share), ShareOrDash(s.gc_wall_share));
  CpuSplitLine(out, s);
  out += "\nverdict\n";
  for (const Finding& f : s.findings) {
    fmt::format_to(w, "  {:<8} {}\n", SeverityWord(f.severity), f.text);
  }
  return out;
}

nlohmann::json GctraceSummaryJson(const GctraceSummary& s, const std::string& source_name) {
  const GctraceParseStats& p = s.parse;
  nlohmann::json errors = nlohmann::json::array();
  for (const GctraceLineError& e : p.first_errors) {
    errors.push_back({{"line", e.line},
                      {"column", e.column},
                      {"expected", e.expected},
                      {"out_of_range", e.out_of_range},
                      {"text", SanitizeUtf8(e.excerpt)}});
  }
  nlohmann::json formats = nlohmann::json::array();
  for (GctraceFormat f : s.formats_seen) formats.push_back(GctraceFormatName(f));
  nlohmann::json findings = nlohmann::json::array();
  for (const Finding& f : s.findings) {
    findings.push_back({{"severity", SeverityWord(f.severity)}, {"code", f.code}, {"text", f.text}});
  }
  return {
      {"source", SanitizeUtf8(source_name)},
      {"input",
       {{"bytes", p.bytes},
        {"lines", p.lines},
        {"cycle_lines", p.cycles},
        {"skipped_lines", p.malformed},
        {"scavenger_lines", p.scavenger_lines},
        {"pacer_lines", p.pacer_lines},
        {"scan_lines", p.scan_lines},
        {"legacy_lines", p.legacy_lines},
        {"other_lines", p.other_lines},
        {"out_of_range_lines", p.out_of_range},
        {"overlong_lines", p.overlong_lines},
        {"first_overlong_line", LineOrNull(p.first_overlong_line)},
        {"truncated_last_line", p.truncated_last_line},
        {"first_errors", errors},
        {"formats", formats}}},
      {"cycles",
       {{"count", s.cycles},
        {"forced", s.forced_cycles},
        {"processes", s.segments},
        {"missing_numbers", s.missing_cycles},
        {"span_ns", s.span_ns},
        {"per_sec", NumberOrNull(s.cycles_per_sec)},
        {"gaps", s.gaps},
        {"gaps_under_bound", s.short_gaps},
        {"gap_bound_ns", GctraceSummary::kShortGapNs},
        {"left_out", s.unsummed_cycles},
        {"first_left_out_line", LineOrNull(s.first_unsummed_line)}}},
      {"stw_ns",
       {{"sweep_termination", DigestJson(s.sweep_term_ns)},
        {"mark_termination", DigestJson(s.mark_term_ns)},
        {"total", DigestJson(s.stw_ns)}}},
      {"concurrent_mark_ns", DigestJson(s.mark_ns)},
      {"gc_cpu",
       {{"printed_percent_last", s.cpu_percent_last},
        {"printed_percent_max", s.cpu_percent_max},
        {"share_of_capacity", NumberOrNull(s.gc_cpu_share)},
        {"wall_share", NumberOrNull(s.gc_wall_share)},
        {"assist_share", NumberOrNull(s.assist_share)},
        {"assist_ns", s.cpu_assist_ns},
        {"background_ns", s.cpu_background_ns},
        {"idle_ns", s.cpu_idle_ns},
        {"stw_ns", s.cpu_stw_ns},
        {"scan_sync_ns", s.cpu_other_ns}}},
      {"heap_mb",
       {{"live", DigestJson(s.heap_live_mb)},
        {"start", DigestJson(s.heap_start_mb)},
        {"end", DigestJson(s.heap_end_mb)},
        {"goal", DigestJson(s.heap_goal_mb)},
        {"peak", s.heap_peak_mb},
        {"overshoot_cycles", s.overshoot_cycles},
        {"overshoot_max", s.overshoot_max_mb},
        {"goal_over_prev_live_p50", NumberOrNull(s.goal_over_prev_live_p50)},
        {"stacks_max", s.stacks_mb_max < 0 ? nlohmann::json(nullptr) : nlohmann::json(s.stacks_mb_max)},
        {"globals_max", s.globals_mb_max < 0 ? nlohmann::json(nullptr) : nlohmann::json(s.globals_mb_max)}}},
      {"gomaxprocs", s.procs_seen},
      {"findings", findings},
  };
}

std::string GctraceCsvHeader() {
  return "line,gc,at_s,cpu_percent,sweep_term_ms,mark_ms,mark_term_ms,"
         "stw_ms,cpu_sweep_term_ms,cpu_assist_ms,cpu_background_ms,"
         "cpu_idle_ms,cpu_mark_term_ms,cpu_scan_sync_ms,heap_start_mb,heap_end_mb,"
         "heap_live_mb,heap_goal_mb,stacks_mb,globals_mb,procs,forced\n";
}

// mark_ms is all the concurrent phases (Go 1.5-1.6: scan + sync Ps +
// mark), so sweep_term_ms + mark_ms + mark_term_ms is the cycle's wall time;
// the cpu columns but idle add up to its GC CPU (cpu_scan_sync_ms, the
// five-phase scan and sync terms, is empty for logs that do not print them).
std::string GctraceCsvRow(const GcCycle& c) {
  auto opt = [](int64_t v) { return v < 0 ? std::string() : std::to_string(v); };
  const bool five_phase = c.origin.format == GctraceFormat::kFivePhase;
  return fmt::format(
      "{},{},{:.3f},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", c.origin.line, c.number,
      c.start_ns / 1e9, c.origin.printed_cpu_percent, Ms(c.sweep_term_ns), Ms(c.concurrent_ns()), Ms(c.mark_term_ns),
      Ms(c.stw_ns()), Ms(c.cpu_sweep_term_ns), Ms(c.cpu_assist_ns), Ms(c.cpu_background_ns), Ms(c.cpu_idle_ns),
      Ms(c.cpu_mark_term_ns), five_phase ? Ms(c.cpu_other_ns) : std::string(), c.heap_start_mb(), c.heap_end_mb(),
      c.heap_live_mb(), c.heap_goal_mb(), opt(c.stacks_mb()), opt(c.globals_mb()), c.procs, c.forced ? 1 : 0);
}

}  // namespace gcpilot
