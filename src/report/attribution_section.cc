#include "report/attribution_section.h"

#include <algorithm>

#include <fmt/format.h>

#include "analysis/analysis_text.h"
#include "base/plural.h"
#include "report/html_figure.h"
#include "report/latency_time_figure.h"
#include "report/svg.h"

namespace gcpilot {
namespace {

std::string Ms(int64_t ns) { return fmt::format("{:.3f}", ns / 1e6); }

// The table of corrected latency per phase a request fell due in.
std::string PhaseTable(const RunAttribution& a) {
  static constexpr const char* kLabels[kGcPhases] = {
      "stw: during a stop-the-world pause", "mark: during concurrent mark",
      "recovery: after a cycle, until its requests were answered", "outside: no GC nearby"};
  std::string h =
      "<table>\n<tr><th class=\"l\">due during</th><th>requests</th><th>p50 ms</th><th>p99 ms</th><th>max "
      "ms</th><th>mean ms</th></tr>\n";
  for (int i = 0; i < kGcPhases; ++i) {
    const PhaseLatency& p = a.phases[i];
    h += fmt::format("<tr><td class=\"l\">{}</td><td>{}</td>", kLabels[i], p.requests);
    h += p.requests == 0 ? "<td>-</td><td>-</td><td>-</td><td>-</td></tr>\n"
                         : fmt::format("<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", Ms(p.p50_ns),
                                       Ms(p.p99_ns), Ms(p.max_ns), Ms(p.mean_ns));
  }
  return h + "</table>\n";
}

// The paragraphs under the table: the shares, recovery, excess, estimate,
// heap trend, and how well the clocks were aligned.
std::string AttributionNotes(const RunAttribution& a) {
  std::string h = "<p>" + XmlEscape(SlowShareSentence(a.slow)) + "</p>\n<p class=\"meta\">";
  h += fmt::format(
      "Recovery N = {} ms (the median over the window's cycles of the time from a cycle's end until "
      "the last request due during it was answered).",
      Ms(a.recovery_ns));
  const std::string excess = CycleExcessText(a.cycles);
  h += excess.empty() ? " GC excess per cycle: no request fell due during a cycle."
                      : " GC excess per cycle (the mean latency of the requests due during it minus the mean "
                        "outside GC): " +
                            XmlEscape(excess) + ".";
  h += fmt::format(" Clocks aligned within {} ms.</p>\n", Ms(a.alignment_error_ns));
  if (a.estimate.used) {
    h += fmt::format(
        "<p class=\"meta\">The run's latency figures are the steady-state estimate (p99 ~{} ms{}): {}.</p>\n",
        Ms(a.estimate.p99_ns), a.estimate.upper_bound ? ", an upper bound" : "", XmlEscape(a.estimate.basis));
  }
  if (!a.heap.warning.empty()) h += "<p class=\"warn\">Warning: " + XmlEscape(a.heap.warning) + ".</p>\n";
  return h;
}

// One setting of the verdict: its figure run drawn and attributed.
std::string SettingAttribution(const ReportInput& in, const std::string& role, const CellStats& cell,
                               const char* color) {
  std::string h = fmt::format("<h3>{}: {}</h3>\n", role, XmlEscape(DescribeSetting(in.spec, cell.env)));
  const RunResult* run = LatencyFigureRun(in, cell);
  if (run == nullptr) return h + "<p class=\"meta\">No finished run.</p>\n";
  static const RunAttribution kNone;
  const auto ai = in.attribution.find(run->id);
  const RunAttribution& a = ai == in.attribution.end() ? kNone : ai->second;
  const int64_t periods = run->metrics.gc_periods;  // < 0: a study from before gcpilot counted them
  const std::string which = fmt::format("{} run {} ({})", RunPhaseName(run->phase), run->seq + 1,
                                        periods < 0 ? "GC periods not recorded" : CountOf(periods, "GC period"));
  const auto log = in.requests.find(run->id);
  const auto gc = in.cycles.find(run->id);
  if (log != in.requests.end() && !log->second.records.empty()) {
    h += "<div class=\"figs\">" +
         HtmlFigure(LatencyTimeFigure(fmt::format("{}: latency over time, {}", role, which), log->second,
                                      gc == in.cycles.end() ? GcTimeline{} : gc->second, a, color),
                    true) +
         "</div>\n";
  } else {
    h += fmt::format("<p class=\"meta\">The {} kept no request log: no latency over time to draw.</p>\n", which);
  }
  if (a.alignment_error_ns < 0) {
    return h + fmt::format(
                   "<p class=\"meta\">No attribution for the {}: its requests were not joined to its GC cycles (the "
                   "clocks could not be aligned, or the study was recorded before gcpilot kept it).</p>\n",
                   which);
  }
  return h + PhaseTable(a) + AttributionNotes(a);
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

std::string SlowShareSentence(const SlowRequests& s) {
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

std::string AttributionSection(const ReportInput& in) {
  const Recommendation& r = in.analysis.rec;
  std::string h = "<h2>Which GC phase the slow requests met</h2>\n";
  h += "<p class=\"meta\">One run of each setting (its verification run, else its run, that covered the most GC "
       "periods): each 100 ms of due time's P99 of corrected latency, over its GC cycles shaded by phase (time from "
       "the measured window's start, on the load clock; a request without an answer is not drawn), and its "
       "requests by the GC phase they fell due in.</p>\n";
  if (!r.found && r.baseline.values.empty()) return h + "<p class=\"meta\">No recommendation: no runs to show.</p>\n";
  if (r.found) h += SettingAttribution(in, "recommended", r.best, kBestColor);
  if (!r.baseline.values.empty() && !r.is_default) h += SettingAttribution(in, "default", r.baseline, kDefaultColor);
  return h;
}

}  // namespace gcpilot
