#include "report/gc_periods_table.h"

#include <algorithm>

#include <fmt/format.h>

#include "analysis/analysis_text.h"
#include "attribution/attribution_text.h"
#include "base/plural.h"
#include "base/units.h"
#include "report/svg.h"

namespace gcpilot {
namespace {

// The setting's runs, in CellStats::run_ids order (ids not in the study
// are skipped).
std::vector<const RunResult*> CellRuns(const ReportInput& in, const CellStats& cell) {
  std::vector<const RunResult*> out;
  for (int64_t id : cell.run_ids) {
    for (const RunResult& r : in.runs) {
      if (r.id == id) out.push_back(&r);
    }
  }
  return out;
}

// "41.2 s", "0.95 s": a period for people.
std::string PeriodText(int64_t ns) {
  return ns >= 10'000'000'000 ? fmt::format("{:.0f} s", ns / 1e9) : fmt::format("{:.2f} s", ns / 1e9);
}

// One estimated run's inputs, in words.
std::string EstimateText(const RunResult& r, const SteadyEstimate& e) {
  // The basis says the period and duty and how they were found.
  std::string s = fmt::format("run {}: ", r.seq + 1);
  s += !e.basis.empty() ? e.basis : fmt::format("period {}, duty {:.2f}%", PeriodText(e.period_ns), 100 * e.duty);
  if (e.upper_bound) s += " (an upper bound: no request fell due in a cycle)";
  return s;
}

}  // namespace

std::string PeriodsPerRunText(const ReportInput& in, const CellStats& cell) {
  std::string s;
  for (const RunResult* r : CellRuns(in, cell)) {
    const int64_t p = r->metrics.gc_periods;
    s += (s.empty() ? "" : ", ") + (p < 0 ? std::string("?") : std::to_string(p));
  }
  return s.empty() ? "-" : s;
}

std::string MeasuredText(const ReportInput& in, const CellStats& cell) {
  int64_t whole = 0, estimated = 0, fixed = 0;
  for (const RunResult* r : CellRuns(in, cell)) {
    if (r->metrics.latency_estimated) {
      ++estimated;
    } else if (r->metrics.whole_periods) {
      ++whole;
    } else {
      ++fixed;
    }
  }
  const int64_t all = whole + estimated + fixed;
  if (all == 0) return "-";
  if (whole == all) return "whole GC periods";
  if (estimated == all) return "steady-state estimate";
  if (fixed == all) return "fixed window";
  std::string s;
  auto part = [&](int64_t n, const char* how) {
    if (n > 0) s += (s.empty() ? CountOf(n, "run") : std::to_string(n)) + " " + how + ", ";
  };
  part(whole, "over whole GC periods");
  part(estimated, "estimated");
  part(fixed, "over a fixed window");
  return s.substr(0, s.size() - 2);
}

std::string EstimateInputsHtml(const ReportInput& in, const CellStats& cell) {
  std::string s;
  for (const RunResult* r : CellRuns(in, cell)) {
    if (!r->metrics.latency_estimated) continue;
    const auto a = in.attribution.find(r->id);
    const std::string text = a == in.attribution.end() || !a->second.estimate.used
                                 ? fmt::format("run {}: the estimate's inputs were not stored", r->seq + 1)
                                 : EstimateText(*r, a->second.estimate);
    s += (s.empty() ? "" : "<br>") + XmlEscape(text);
  }
  return s;
}

std::string GcPeriodsSection(const ReportInput& in) {
  int64_t asked = 0;
  for (const auto& [id, a] : in.attribution) asked = std::max(asked, a.window.min_periods);
  std::string h = "<h2>GC periods covered per setting</h2>\n<p class=\"meta\">";
  h += asked > 0 ? fmt::format(
                       "Each run measures over whole GC periods (from a cycle's start to a later cycle's "
                       "start), at least {} of them; where its bound ran out first, its latency figures are "
                       "the steady-state estimate, with its inputs.",
                       asked)
                 : "How many whole GC periods (from a cycle's start to the next one's) each run's measured window "
                   "held.";
  h += "</p>\n<table>\n<tr><th class=\"l\">setting</th><th class=\"l\">runs</th><th>GC periods per run</th>"
       "<th class=\"l\">latency measured over</th><th class=\"l\">steady-state estimate inputs</th>"
       "<th class=\"l\">live heap trend</th></tr>\n";
  for (const CellStats& c : in.analysis.cells) {
    if (c.run_ids.empty()) continue;
    // The soonest any of its runs' live heap reaches its GOMEMLIMIT.
    const std::string trend =
        c.limit_reached_in_ns < 0
            ? ""
            : fmt::format("{}: reaches GOMEMLIMIT in {}", FormatByteRate(c.live_heap_slope_bytes_per_sec, true),
                          ApproxDurationText(c.limit_reached_in_ns));
    h += fmt::format(
        "<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{}</td><td class=\"l\">{}</td><td "
        "class=\"l\">{}</td><td class=\"l\">{}</td></tr>\n",
        XmlEscape(DescribeSetting(in.spec, c.env)), XmlEscape(RunSetText(c)), PeriodsPerRunText(in, c),
        XmlEscape(MeasuredText(in, c)), EstimateInputsHtml(in, c), XmlEscape(trend));
  }
  return h + "</table>\n";
}

}  // namespace gcpilot
