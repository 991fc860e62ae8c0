#include "exectrace/trace_report.h"

#include <cmath>

#include <fmt/format.h>

#include "base/csv_field.h"
#include "base/units.h"
#include "exectrace/request_attribution_text.h"

namespace gcpilot {
namespace {

using nlohmann::json;

double Round6(double v) { return std::round(v * 1e6) / 1e6; }

// "100us", "2ms", "1s".
std::string WindowText(int64_t ns) {
  if (ns >= 1'000'000'000 && ns % 1'000'000'000 == 0) return fmt::format("{}s", ns / 1'000'000'000);
  if (ns >= 1'000'000 && ns % 1'000'000 == 0) return fmt::format("{}ms", ns / 1'000'000);
  if (ns >= 1'000 && ns % 1'000 == 0) return fmt::format("{}us", ns / 1'000);
  return fmt::format("{}ns", ns);
}

std::string MbOrDash(int64_t bytes) {
  return bytes < 0 ? "-" : fmt::format("{:.1f}", static_cast<double>(bytes) / (1 << 20));
}

std::string Header(const TraceAnalysis& a, const std::string& name) {
  const TraceReadResult& r = a.read;
  const GcIntervalCounts& c = a.counts;
  std::string out = fmt::format("trace: {}\n", name);
  out += fmt::format("  {} trace (format {})  bytes {}  events {}  batches {}  generations {}  duration {} ms\n",
                     a.version, r.v2 ? 2 : 1, r.bytes, r.events, r.batches, r.generations, Ms(a.duration_ns));
  out += fmt::format("  gc cycles {}  stop-the-world {}  mark assists {}  sweeps {}  goroutines {}  tasks {}  regions {}\n",
                     c.cycles, c.stw_pauses, c.mark_assists, c.sweeps, a.goroutines, a.tasks, a.regions);
  out += fmt::format("  under way at the start {}  cut at the end {}\n", c.active_at_start, c.cut);
  return out;
}

std::string CyclesSection(const TraceAnalysis& a) {
  std::string out = "\nGC cycles (ms)\n";
  out += fmt::format("  {:>6} {:>11} {:>9} {:>10} {:>9} {:>5} {:>9} {:>8} {:>10}\n", "cycle", "start", "STW sweep",
                     "conc. mark", "STW mark", "procs", "goal MB", "assists", "assist ms");
  for (const TraceCycleRow& row : a.cycles) {
    const GcCycle& c = row.cycle;
    out += fmt::format("  {:>6} {:>11} {:>9} {:>10} {:>9} {:>5} {:>9} {:>8} {:>10}\n", c.number, Ms(c.start_ns),
                       Ms(c.sweep_term_ns), Ms(c.mark_ns), Ms(c.mark_term_ns), c.procs, MbOrDash(c.heap_goal_bytes),
                       row.assists, Ms(row.assist_ns));
  }
  if (a.cycles.empty()) out += "  (no GC cycle in the trace)\n";
  return out;
}

std::string StwSection(const TraceAnalysis& a) {
  const StwStats& s = a.stw;
  std::string out = fmt::format("\n{:<32} {:>6} {:>9} {:>9} {:>9} {:>10}\n", "stop-the-world (ms)", "count", "p50",
                                "p99", "max", "total");
  out += fmt::format("  {:<30} {:>6} {:>9} {:>9} {:>9} {:>10}\n", "all", s.count, Ms(s.p50_ns), Ms(s.p99_ns),
                     Ms(s.max_ns), Ms(s.total_ns));
  for (const StwReasonStats& r : s.by_reason) {
    out += fmt::format("  {:<30} {:>6} {:>9} {:>9} {:>9} {:>10}\n", r.reason, r.count, "", "", Ms(r.max_ns),
                       Ms(r.total_ns));
  }
  return out;
}

std::string AssistSection(const TraceAnalysis& a) {
  const GcSpanStats& s = a.assists;
  std::string out = fmt::format("\nmark assists  count {}  total {} ms  max {} ms  outside a cycle {}\n", s.count,
                                Ms(s.total_ns), Ms(s.max_ns), s.outside_cycles);
  out += fmt::format("  sweeps  count {}  total {} ms  max {} ms\n", a.sweeps.count, Ms(a.sweeps.total_ns),
                     Ms(a.sweeps.max_ns));
  if (a.top_goroutines.empty()) return out;
  out += fmt::format("  {:<12} {:>8} {:>10}  {}\n", "goroutine", "assists", "ms", "starts in");
  for (const AssistGoroutine& g : a.top_goroutines) {
    out += fmt::format("  {:<12} {:>8} {:>10}  {}\n", fmt::format("g{}", g.goroutine), g.assists, Ms(g.assist_ns),
                       g.function);
  }
  out += fmt::format("  {:<40} {:>10} {:>8} {:>10}\n", "payers (start function)", "goroutines", "assists", "ms");
  for (const AssistPayer& p : a.payers) {
    out += fmt::format("  {:<40} {:>10} {:>8} {:>10}\n", p.function, p.goroutines, p.assists, Ms(p.assist_ns));
  }
  return out;
}

std::string MmuSection(const TraceAnalysis& a) {
  std::string out = "\nminimum mutator utilization (MMU)\n";
  if (a.mmu.empty()) return out + "  (the trace never says GOMAXPROCS)\n";
  out += fmt::format("  {:>8} {:>12} {:>18}\n", "window", "utilization", "worst window (ms)");
  for (const MmuPoint& p : a.mmu) {
    const bool whole = p.window_ns > a.duration_ns;
    out += fmt::format("  {:>8} {:>12.3f} {:>18}{}\n", WindowText(p.window_ns), p.utilization, Ms(p.worst_start_ns),
                       whole ? "  (longer than the trace: whole trace)" : "");
  }
  return out;
}

std::string Notes(const TraceAnalysis& a) {
  std::string out;
  if (a.read.truncated) {
    out += fmt::format("\nwarning  the trace is cut off at byte offset {}: analysed what comes before it\n",
                       a.read.truncated_at);
  }
  if (a.read.skipped_batches > 0) {
    out += fmt::format("\nwarning  skipped {} corrupt {} (--lenient), the first at byte offset {}: {}\n",
                       a.read.skipped_batches, a.read.skipped_batches == 1 ? "batch" : "batches",
                       a.read.skipped.empty() ? 0 : a.read.skipped.front().offset,
                       a.read.skipped.empty() ? std::string() : a.read.skipped.front().message);
  }
  return out;
}

// The request attribution, where the trace had requests.
std::string RequestsSection(const TraceAnalysis& a) {
  if (!a.requests || a.requests->requests == 0) return "";
  return "\nrequests\n" + RequestAttributionText(*a.requests);
}

}  // namespace

std::string FormatTraceTable(const TraceAnalysis& a, const std::string& source_name) {
  return Header(a, source_name) + CyclesSection(a) + StwSection(a) + AssistSection(a) + MmuSection(a) +
         RequestsSection(a) + Notes(a);
}

namespace {

json CyclesJson(const TraceAnalysis& a) {
  json out = json::array();
  for (const TraceCycleRow& row : a.cycles) {
    const GcCycle& c = row.cycle;
    out.push_back({{"number", c.number},
                   {"start_ns", c.start_ns},
                   {"sweep_term_ns", c.sweep_term_ns},
                   {"mark_ns", c.mark_ns},
                   {"mark_term_ns", c.mark_term_ns},
                   {"end_ns", c.end_ns()},
                   {"procs", c.procs},
                   {"heap_start_bytes", c.heap_start_bytes},
                   {"heap_end_bytes", c.heap_end_bytes},
                   {"heap_goal_bytes", c.heap_goal_bytes},
                   {"cpu_assist_ns", c.cpu_assist_ns},
                   {"cpu_background_ns", c.cpu_background_ns},
                   {"cpu_idle_ns", c.cpu_idle_ns},
                   {"assists", row.assists},
                   {"assist_ns", row.assist_ns},
                   {"stw_pauses", row.stw_pauses},
                   {"offset", c.origin.offset}});
  }
  return out;
}

json StwJson(const StwStats& s) {
  json reasons = json::array();
  for (const StwReasonStats& r : s.by_reason) {
    reasons.push_back({{"reason", r.reason}, {"count", r.count}, {"total_ns", r.total_ns}, {"max_ns", r.max_ns}});
  }
  return {{"count", s.count},   {"total_ns", s.total_ns}, {"p50_ns", s.p50_ns},
          {"p99_ns", s.p99_ns}, {"max_ns", s.max_ns},     {"by_reason", reasons}};
}

json AssistsJson(const TraceAnalysis& a) {
  json top = json::array();
  for (const AssistGoroutine& g : a.top_goroutines) {
    top.push_back({{"goroutine", g.goroutine}, {"function", g.function}, {"assists", g.assists},
                   {"assist_ns", g.assist_ns}});
  }
  json payers = json::array();
  for (const AssistPayer& p : a.payers) {
    payers.push_back({{"function", p.function}, {"goroutines", p.goroutines}, {"assists", p.assists},
                      {"assist_ns", p.assist_ns}});
  }
  return {{"count", a.assists.count},   {"total_ns", a.assists.total_ns},
          {"max_ns", a.assists.max_ns}, {"outside_cycles", a.assists.outside_cycles},
          {"top_goroutines", top},      {"payers", payers}};
}

}  // namespace

json TraceAnalysisJson(const TraceAnalysis& a) {
  const TraceReadResult& r = a.read;
  json trace = {{"version", a.version},
                {"format", r.v2 ? 2 : 1},
                {"bytes", r.bytes},
                {"events", r.events},
                {"batches", r.batches},
                {"generations", r.generations},
                {"duration_ns", a.duration_ns},
                {"truncated_at", r.truncated ? json(r.truncated_at) : json(nullptr)},
                {"skipped_batches", r.skipped_batches}};
  const GcIntervalCounts& c = a.counts;
  json counts = {{"gc_cycles", c.cycles},       {"stw_pauses", c.stw_pauses}, {"mark_assists", c.mark_assists},
                 {"sweeps", c.sweeps},          {"goroutines", a.goroutines}, {"tasks", a.tasks},
                 {"regions", a.regions},        {"active_at_start", c.active_at_start}, {"cut", c.cut}};
  json mmu = json::array();
  for (const MmuPoint& p : a.mmu) {
    mmu.push_back({{"window_ns", p.window_ns}, {"utilization", Round6(p.utilization)},
                   {"worst_start_ns", p.worst_start_ns}});
  }
  return {{"trace", trace},
          {"counts", counts},
          {"cycles", CyclesJson(a)},
          {"stw", StwJson(a.stw)},
          {"assists", AssistsJson(a)},
          {"sweeps", {{"count", a.sweeps.count}, {"total_ns", a.sweeps.total_ns}, {"max_ns", a.sweeps.max_ns}}},
          {"mmu", mmu},
          {"requests", a.requests ? RequestAttributionJson(*a.requests) : json(nullptr)}};
}

std::optional<TraceCsvKind> ParseTraceCsvKind(std::string_view name) {
  if (name == "cycles") return TraceCsvKind::kCycles;
  if (name == "stw") return TraceCsvKind::kStw;
  if (name == "assists") return TraceCsvKind::kAssists;
  if (name == "payers") return TraceCsvKind::kPayers;
  if (name == "mmu") return TraceCsvKind::kMmu;
  if (name == "requests") return TraceCsvKind::kRequests;
  return std::nullopt;
}


std::string TraceCsv(const TraceAnalysis& a, TraceCsvKind kind) {
  std::string out;
  switch (kind) {
    case TraceCsvKind::kCycles:
      out = "cycle,start_ns,sweep_term_ns,mark_ns,mark_term_ns,procs,heap_goal_bytes,assists,assist_ns\n";
      for (const TraceCycleRow& r : a.cycles) {
        const GcCycle& c = r.cycle;
        out += fmt::format("{},{},{},{},{},{},{},{},{}\n", c.number, c.start_ns, c.sweep_term_ns, c.mark_ns,
                           c.mark_term_ns, c.procs, c.heap_goal_bytes, r.assists, r.assist_ns);
      }
      break;
    case TraceCsvKind::kStw:
      out = "start_ns,duration_ns,reason,cycle\n";
      for (const StwPause& p : a.pauses) {
        out += fmt::format("{},{},{},{}\n", p.span.start_ns, p.span.duration_ns(), CsvField(p.reason),
                           p.cycle == GcCycle::kUnknown ? std::string() : std::to_string(p.cycle));
      }
      break;
    case TraceCsvKind::kAssists:
      out = "goroutine,assists,assist_ns,function\n";
      for (const AssistGoroutine& g : a.assist_goroutines) {
        out += fmt::format("{},{},{},{}\n", g.goroutine, g.assists, g.assist_ns, CsvField(g.function));
      }
      break;
    case TraceCsvKind::kPayers:
      out = "function,goroutines,assists,assist_ns\n";
      for (const AssistPayer& p : a.payers) {
        out += fmt::format("{},{},{},{}\n", CsvField(p.function), p.goroutines, p.assists, p.assist_ns);
      }
      break;
    case TraceCsvKind::kMmu:
      out = "window_ns,utilization,worst_start_ns\n";
      for (const MmuPoint& p : a.mmu) out += fmt::format("{},{:.6f},{}\n", p.window_ns, p.utilization, p.worst_start_ns);
      break;
    case TraceCsvKind::kRequests:
      out = a.requests ? RequestAttributionCsv(*a.requests) : RequestAttributionCsv(TraceAttribution{});
      break;
  }
  return out;
}

}  // namespace gcpilot
