#include "report/gc_timeline_section.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "analysis/analysis_text.h"
#include "base/plural.h"
#include "model/gc_cpu.h"
#include "report/html_figure.h"
#include "report/svg.h"

namespace gcpilot {
namespace {

constexpr const char* kStw = "#b00020";
constexpr const char* kLostColor = "#8e44ad";

// "design's best (lost verification)": the setting whose verification runs
// decided against it.
std::string LostRole(const Recommendation& r) {
  return r.verification == VerifyOutcome::kSlower ? "design's best (lost verification)"
                                                  : "design's best (ruled out in verification)";
}
constexpr const char* kWarmupBand = "#eeeeee";
constexpr const char* kMeasuredBand = "#e6f0fb";

// The warm-up and measured window as shaded spans (seconds).
void AddWindowBands(const ReportInput& in, const std::optional<TimeSpan>& w, XyPlot* p) {
  if (!w) return;
  if (in.warmup_ns > 0) p->AddBand({(w->start_ns - in.warmup_ns) / 1e9, w->start_ns / 1e9, kWarmupBand, "warm-up"});
  p->AddBand({w->start_ns / 1e9, w->end_ns / 1e9, kMeasuredBand, "measured"});
}

// The heap at each cycle: one sample per cycle, so points and no lines
// (nothing is measured between cycles); each cycle's stop-the-world pauses
// as a tick on the bottom edge.
std::string HeapPlot(const ReportInput& in, const std::string& title, const std::vector<GcCycle>& cycles,
                     const std::optional<TimeSpan>& w, const char* color) {
  XyPlot heap(title + ": heap", 620, 300);
  heap.x().label = "time since the target started (s)";
  heap.x().nonnegative = true;
  heap.y().label = "MiB";
  heap.y().nonnegative = true;
  Series live{"live heap (marked)", color}, goal{"heap goal", "#888"}, trigger{"heap at GC start", "#e0a030"};
  for (Series* s : {&live, &goal, &trigger}) s->line = false, s->points = true;
  for (const GcCycle& c : cycles) {
    const double t = c.start_ns / 1e9;
    live.x.push_back(t);
    live.y.push_back(static_cast<double>(c.heap_live_mb()));
    goal.x.push_back(t);
    goal.y.push_back(static_cast<double>(c.heap_goal_mb()));
    trigger.x.push_back(t);
    trigger.y.push_back(static_cast<double>(c.heap_start_mb()));
    heap.AddMarker({t, kStw});
  }
  heap.NameMarkers("stop-the-world pauses (one tick per cycle)");
  heap.Add(goal);
  heap.Add(trigger);
  heap.Add(live);
  AddWindowBands(in, w, &heap);
  heap.FitAxes();
  return heap.Render();
}

// GC CPU per cycle: its cpu terms over GOMAXPROCS x the time to the next
// cycle's start (the last: to the window's end, if it began in it), drawn
// as a level over that span.
std::string GcCpuPlot(const ReportInput& in, const std::string& title, const std::vector<GcCycle>& cycles,
                      const std::optional<TimeSpan>& w, const char* color) {
  XyPlot cpu(title + ": GC CPU", 620, 240);
  cpu.x().label = "time since the target started (s)";
  cpu.x().nonnegative = true;
  cpu.y().label = "% of GOMAXPROCS";
  cpu.y().nonnegative = true;
  Series s{"each cycle's GC CPU, from its start (dot) to the next cycle's", color};
  s.points = true;
  for (size_t i = 0; i < cycles.size(); ++i) {
    const GcCycle& c = cycles[i];
    int64_t to = i + 1 < cycles.size() ? cycles[i + 1].start_ns : -1;
    if (to < 0 && w && c.start_ns >= w->start_ns && c.start_ns < w->end_ns) to = w->end_ns;
    if (to <= c.start_ns || c.procs <= 0) continue;
    s.x.push_back(c.start_ns / 1e9);
    s.x_to.push_back(to / 1e9);
    s.y.push_back(100.0 * static_cast<double>(c.gc_cpu_ns()) / (static_cast<double>(to - c.start_ns) * c.procs));
  }
  if (s.x.empty()) {  // e.g. the only cycle ran at start-up: say why the frame is empty
    cpu = XyPlot(title + (w ? ": GC CPU: no cycle in the measured window" : ": GC CPU: no span between cycles"), 620,
                 240);
    cpu.x().label = "time since the target started (s)";
    cpu.y().label = "% of GOMAXPROCS";
  }
  cpu.Add(s);
  AddWindowBands(in, w, &cpu);
  cpu.FitAxes();
  return cpu.Render();
}

// What a run's timeline covers, in words: the window, the cycles in it and
// in the whole run, GC CPU over the window, the longest pause.
std::string TimelineCaption(const ReportInput& in, const std::vector<GcCycle>& cycles,
                            const std::optional<TimeSpan>& w) {
  int64_t stw_max = 0;
  for (const GcCycle& c : cycles) stw_max = std::max(stw_max, c.stw_ns());
  std::string s;
  if (w) {
    size_t in_window = 0;
    for (const GcCycle& c : cycles) in_window += c.start_ns >= w->start_ns && c.start_ns < w->end_ns;
    s += fmt::format("Measured window {:.1f}-{:.1f} s of the target's clock", w->start_ns / 1e9, w->end_ns / 1e9);
    if (in.warmup_ns > 0) s += fmt::format(" (warm-up from {:.1f} s)", (w->start_ns - in.warmup_ns) / 1e9);
    s += fmt::format("; {} in the measured window, {} in the whole run",
                     CountOf(static_cast<int64_t>(in_window), "cycle"), cycles.size());
    const double cpu = WindowGcCpuShare(cycles, w->start_ns, w->end_ns);
    s += cpu >= 0 ? fmt::format(
                        "; GC CPU over the measured window {:.1f}% of GOMAXPROCS (the cycles' cpu terms, idle marking "
                        "excluded; gctrace's printed % counts from the process start)",
                        100 * cpu)
                  : "; GC CPU over the measured window unknown (no cycle gave GOMAXPROCS)";
  } else {
    s += fmt::format(
        "The measured window of this run was not recorded (no request log or clock alignment in the study): {} in "
        "the whole run",
        CountOf(static_cast<int64_t>(cycles.size()), "cycle"));
  }
  s += fmt::format("; longest stop-the-world pause {:.3f} ms.", stw_max / 1e6);
  return s;
}

// The GC timelines of the runs a setting of the verdict rests on.
std::string GcTimelines(const ReportInput& in, const std::string& role, const CellStats& cell, const char* color) {
  const std::vector<const RunResult*> runs = TimelineRuns(in, cell);
  std::string h = fmt::format("<h3>{}: {} ({})</h3>\n", role, XmlEscape(DescribeSetting(in.spec, cell.env)),
                              XmlEscape(RunSetText(cell)));
  if (runs.size() < cell.run_ids.size()) {
    h += fmt::format("<p class=\"meta\">{} of its {} runs drawn: {}.</p>\n", runs.size(), cell.run_ids.size(),
                     runs.front()->phase == RunPhase::kVerify ? "the verification runs" : "the first ones");
  }
  for (size_t i = 0; i < runs.size(); ++i) {
    const RunResult& r = *runs[i];
    auto it = in.cycles.find(r.id);
    if (it == in.cycles.end() || it->second.cycles.empty()) {
      h += fmt::format("<p class=\"meta\">Run {}: no GC cycle logged.</p>\n", r.seq + 1);
      continue;
    }
    const auto wi = in.measured.find(r.id);
    const std::optional<TimeSpan> w = wi == in.measured.end() ? std::nullopt : std::optional<TimeSpan>(wi->second);
    const std::string title =
        fmt::format("{}, {} run {} of {} (run {})", role, RunPhaseName(r.phase), i + 1, runs.size(), r.seq + 1);
    h += "<div class=\"figs\">\n" + HtmlFigure(HeapPlot(in, title, it->second.cycles, w, color)) +
         HtmlFigure(GcCpuPlot(in, title, it->second.cycles, w, color)) + "</div>\n";
    h += "<p class=\"meta\">" + XmlEscape(TimelineCaption(in, it->second.cycles, w)) + "</p>\n";
  }
  return h;
}

}  // namespace

std::string GcTimelineSection(const ReportInput& in) {
  const Recommendation& r = in.analysis.rec;
  std::string h = "<h2>GC timelines of the runs the verdict rests on</h2>\n";
  h += "<p class=\"meta\">gctrace reports each cycle once: every mark is one cycle, at its start, and no line joins "
       "two cycles (nothing was measured in between). GC CPU: a cycle's cpu terms (idle marking excluded) over "
       "GOMAXPROCS x the time until the next cycle starts, drawn as a level over that time (the last cycle: until "
       "the measured window ends, if it began in it). Shaded: the warm-up (grey) and the measured window (blue) "
       "the figures come from.</p>\n";
  if (!r.found) {
    h += r.baseline.values.empty() ? "<p class=\"meta\">No recommendation: no verdict, so no runs to show.</p>\n"
                                   : "<p class=\"meta\">No recommendation: only the default setting's runs.</p>\n";
  }
  if (r.found) h += GcTimelines(in, "recommended", r.best, kBestColor);
  if (!r.baseline.values.empty() && !r.is_default) h += GcTimelines(in, "default", r.baseline, kDefaultColor);
  // The verdict also rests on the runs where the design's best setting lost.
  if (IsLostVerification(r) && !r.challenger.run_ids.empty()) {
    h += GcTimelines(in, LostRole(r), r.challenger, kLostColor);
  }
  return h;
}

}  // namespace gcpilot
