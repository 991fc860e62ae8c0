#include "report/trace_section.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "base/plural.h"
#include "base/units.h"
#include "model/gc_knobs.h"
#include "report/html_figure.h"
#include "report/svg.h"

namespace gcpilot {
namespace {

// At most this many rows of payers and of slowest requests per setting.
constexpr size_t kRows = 10;

std::string Share(int64_t part, int64_t whole) {
  if (whole <= 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

// A setting of the verdict and the trace of its figure run, if any.
struct Shown {
  std::string role;
  const CellStats* cell;
  const char* color;
  const RunResult* run = nullptr;
  const TraceSummary* trace = nullptr;
  const std::string* note = nullptr;
};

std::vector<Shown> ShownSettings(const ReportInput& in) {
  const Recommendation& r = in.analysis.rec;
  std::vector<Shown> shown;
  if (r.found) shown.push_back({"recommended", &r.best, kBestColor});
  if (!r.baseline.values.empty() && !r.is_default) shown.push_back({"default", &r.baseline, kDefaultColor});
  for (Shown& s : shown) {
    s.run = LatencyFigureRun(in, *s.cell);
    if (s.run == nullptr) continue;
    if (auto t = in.traces.find(s.run->id); t != in.traces.end()) s.trace = &t->second;
    if (auto n = in.trace_notes.find(s.run->id); n != in.trace_notes.end()) s.note = &n->second;
  }
  return shown;
}

// Both settings' MMU curves: the worst share of the CPUs left to the
// program in any window of each length.
std::string MmuFigure(const std::vector<Shown>& shown) {
  XyPlot p("Minimum mutator utilization (MMU) in the execution trace", 640, 300);
  p.x().label = "window (ms, log scale)";
  p.x().log = true;
  p.y().label = "lowest utilization in any window";
  p.y().min = 0;
  p.y().max = 1;
  p.y().nonnegative = true;
  bool any = false;
  for (const Shown& s : shown) {
    if (s.trace == nullptr || s.trace->mmu.empty()) continue;
    // A line only: the windows run from decade to decade, so points at
    // the ends would stand half outside the frame.
    Series line{fmt::format("{} run {}", s.role, s.run->seq + 1), s.color};
    for (const MmuPoint& m : s.trace->mmu) {
      if (m.window_ns <= 0) continue;
      line.x.push_back(static_cast<double>(m.window_ns) / 1e6);
      line.y.push_back(m.utilization);
    }
    any = any || !line.x.empty();
    p.Add(std::move(line));
  }
  if (!any) return "";
  p.FitAxes();
  return "<div class=\"figs\">" + HtmlFigure(p.Render()) + "</div>\n";
}

std::string TimeSplitTable(const TraceAttribution& a) {
  struct Row {
    const char* label;
    int64_t RequestTimeSplit::*part;
  };
  static constexpr Row kSplitRows[] = {
      {"running", &RequestTimeSplit::running_ns},
      {"in its own mark assists", &RequestTimeSplit::assist_ns},
      {"runnable, waiting for a P", &RequestTimeSplit::runnable_ns},
      {"&nbsp;&nbsp;of which during concurrent mark", &RequestTimeSplit::runnable_in_mark_ns},
      {"stopped by a stop-the-world", &RequestTimeSplit::stw_ns},
      {"blocked (network, locks, channels, sleeps)", &RequestTimeSplit::blocked_ns},
      {"in a system call", &RequestTimeSplit::syscall_ns},
  };
  const int64_t slow = RequestWallNs(a.slow_total), all = RequestWallNs(a.all_total);
  std::string h = fmt::format(
      "<table>\n<tr><th class=\"l\">where the time went</th><th>slow ({}) ms</th><th>share</th><th>all ({}) "
      "ms</th><th>share</th></tr>\n",
      a.slow, a.requests);
  for (const Row& r : kSplitRows) {
    h += fmt::format("<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", r.label,
                     Ms(a.slow_total.*r.part), Share(a.slow_total.*r.part, slow), Ms(a.all_total.*r.part),
                     Share(a.all_total.*r.part, all));
  }
  return h + "</table>\n";
}

std::string PayersTable(const TraceSummary& t) {
  if (t.payers.empty()) return "<p class=\"meta\">No goroutine did mark-assist work in the trace.</p>\n";
  std::string h =
      "<table>\n<tr><th class=\"l\">mark assists paid by goroutines that start in</th><th>goroutines</th>"
      "<th>assists</th><th>assist ms</th></tr>\n";
  for (size_t i = 0; i < std::min(kRows, t.payers.size()); ++i) {
    const AssistPayer& p = t.payers[i];
    h += fmt::format("<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", XmlEscape(p.function),
                     p.goroutines, p.assists, Ms(p.assist_ns));
  }
  return h + "</table>\n";
}

std::string SlowestTable(const TraceAttribution& a) {
  if (a.slowest.empty()) return "";
  std::string h = fmt::format(
      "<table>\n<tr><th class=\"l\">slowest {}s</th><th>id</th><th>ms</th><th>running</th><th>assist</th>"
      "<th>runnable</th><th>in mark</th><th>stw</th><th>blocked</th><th>syscall</th></tr>\n",
      TraceAttributionUnitName(a.unit));
  for (size_t i = 0; i < std::min(kRows, a.slowest.size()); ++i) {
    const TracedRequest& r = a.slowest[i];
    const RequestTimeSplit& s = r.split;
    h += fmt::format(
        "<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td></tr>\n",
        XmlEscape(r.name), r.id, Ms(r.span.duration_ns()), Ms(s.running_ns), Ms(s.assist_ns), Ms(s.runnable_ns),
        Ms(s.runnable_in_mark_ns), Ms(s.stw_ns), Ms(s.blocked_ns), Ms(s.syscall_ns));
  }
  return h + "</table>\n";
}

std::string SettingTrace(const ReportInput& in, const Shown& s) {
  std::string h = fmt::format("<h3>{}: {}</h3>\n", s.role, XmlEscape(DescribeSetting(in.spec, s.cell->env)));
  if (s.run == nullptr) return h + "<p class=\"meta\">No finished run.</p>\n";
  const std::string which = fmt::format("{} run {}", RunPhaseName(s.run->phase), s.run->seq + 1);
  if (s.trace == nullptr) {
    return h + fmt::format("<p class=\"meta\">No trace for the {}{}.</p>\n", which,
                           s.note ? ": " + XmlEscape(*s.note) : std::string());
  }
  const TraceSummary& t = *s.trace;
  h += fmt::format(
      "<p class=\"meta\">The {} captured {:.1f} s of execution trace ({}, {}): {}, {} (the longest {} ms), {} "
      "({} ms in all).</p>\n",
      which, t.span.duration_ns() / 1e9, XmlEscape(t.version), FormatBytes(t.bytes), CountOf(t.gc_cycles, "GC cycle"),
      CountOf(t.stw_pauses, "stop-the-world pause"), Ms(t.stw_max_ns), CountOf(t.mark_assists, "mark assist"),
      Ms(t.assist_ns));
  h += "<p>" + XmlEscape(TraceAttributionSentence(t.attribution)) + "</p>\n";
  if (t.attribution.requests > 0) h += TimeSplitTable(t.attribution);
  return h + PayersTable(t) + SlowestTable(t.attribution);
}

}  // namespace

std::string TraceSection(const ReportInput& in) {
  const std::vector<Shown> shown = ShownSettings(in);
  if (std::none_of(shown.begin(), shown.end(), [](const Shown& s) { return s.trace || s.note; })) return "";
  std::string h = "<h2>GC in the execution trace</h2>\n";
  h += "<p class=\"meta\">Each setting's run above also captured an execution trace inside its measured window "
       "(runtime/trace, from /debug/pprof/trace). The MMU curve gives, for each window length, the lowest share of "
       "the CPUs (GOMAXPROCS) left to the program in any window of that length: a GC stop-the-world takes every P, "
       "a mark assist, a sweep or a dedicated or fractional mark worker its own. A request here is a runtime/trace "
       "task (the bundled gateway makes one per request), or without tasks a goroutine's life: its duration is "
       "the time inside the service, from the handler's start to its end, not the latency the load measured above "
       "(which adds the network, the accept and read queues and the wait for a connection), and its percentile is "
       "over the tasks of the trace's seconds only. Its time is split by what its goroutine was doing.</p>\n";
  h += MmuFigure(shown);
  for (const Shown& s : shown) h += SettingTrace(in, s);
  return h;
}

}  // namespace gcpilot
