#include "analysis/analysis_text.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "base/plural.h"
#include "base/units.h"
#include "model/gc_knobs.h"
#include "stats/rank_stats.h"

namespace gcpilot {
namespace {

std::string Show(const std::string& v) { return v.empty() ? "(unset)" : v; }

// A round as an adjective: "design", "baseline", "confirmation", ...
const char* RoundWord(RunPhase p) {
  switch (p) {
    case RunPhase::kConfirm:
      return "confirmation";
    case RunPhase::kRefine:
      return "refinement";
    case RunPhase::kVerify:
      return "verification";
    default:
      return RunPhaseName(p);
  }
}

// "5", "3-7": the whole GC periods of the runs `w` says they spanned
// ("" when none says).
std::string PeriodRange(const std::vector<RunWindow>& w, bool estimated_only = false) {
  int64_t lo = -1, hi = -1;
  for (const RunWindow& x : w) {
    if (!x.known() || (estimated_only && !x.estimated)) continue;
    lo = lo < 0 ? x.periods : std::min(lo, x.periods);
    hi = std::max(hi, x.periods);
  }
  if (lo < 0) return "";
  return lo == hi ? fmt::format("{}", lo) : fmt::format("{}-{}", lo, hi);
}

// "180 s", "9.5 s".
std::string SecondsText(int64_t ns) {
  const double s = static_cast<double>(ns) / 1e9;
  return s >= 10 ? fmt::format("{:.0f} s", s) : fmt::format("{:.1f} s", s);
}

// "4.100", "~3.900" where a run's figure is the steady-state estimate.
std::string FigureMs(double ms, bool estimated) { return fmt::format("{}{:.3f}", estimated ? "~" : "", ms); }

// What the settings table's note says of a setting: default, why it is
// ruled out, too few GC periods, its heap reaching its limit.
std::string SettingNote(const CellStats& c) {
  std::vector<std::string> parts;
  if (c.Has(RunPhase::kBaseline)) parts.push_back("default");
  if (!c.feasible && !c.infeasible_why.empty()) parts.push_back(c.infeasible_why);
  if (c.NoRunCoveredPeriods()) parts.push_back("no run covered whole GC periods");
  if (c.limit_reached_in_ns >= 0) {
    parts.push_back(fmt::format("live heap reaches GOMEMLIMIT in {}", ApproxDurationText(c.limit_reached_in_ns)));
  }
  std::string note;
  for (const std::string& p : parts) note += (note.empty() ? "" : "; ") + p;
  return note;
}

// Every setting, best first, with its spread, memory, GC CPU, cycles and
// GC periods.
std::string SettingsTable(const StudyOutline& spec, const StudyAnalysis& a) {
  const std::string obj = ObjectiveLabel(a.objective);
  std::string s;
  s += fmt::format("settings by mean {} (ms, corrected), best first\n", obj);
  std::string header = "  ";
  for (const Factor& f : spec.factors) header += fmt::format("{:<13}", f.name);
  s += header + fmt::format("{:>9} {:>8} {:>5} {:>11} {:>8} {:>7} {:>8}  note\n", obj, "sd", "runs", "peak RSS",
                            "GC CPU", "cycles", "periods");
  bool any_estimated = false;
  for (const CellStats& c : a.cells) {
    std::string row = "  ";
    for (const Factor& f : spec.factors) row += fmt::format("{:<13}", Show(ValueOf(c.env, f.name)));
    const std::string note = SettingNote(c);
    if (c.values.empty()) {
      row +=
          fmt::format("{:>9} {:>8} {:>5} {:>11} {:>8} {:>7} {:>8}  {}\n", "-", "-", c.runs, "-", "-", "-", "-", note);
    } else {
      any_estimated = any_estimated || c.EstimatedRuns() > 0;
      const std::string gc = c.mean_gc_cpu >= 0 ? fmt::format("{:.1f}%", 100 * c.mean_gc_cpu) : "-";
      const std::string sd = c.values.size() >= 2 ? fmt::format("{:.3f}", c.sd) : "-";
      const std::string periods = PeriodRange(c.windows);
      row += fmt::format("{:>9} {:>8} {:>5} {:>11} {:>8} {:>7.1f} {:>8}  {}\n", FigureMs(c.mean, c.EstimatedRuns() > 0),
                         sd, c.runs, FormatBytes(static_cast<int64_t>(c.mean_rss)), gc, c.mean_gc_cycles,
                         periods.empty() ? "-" : periods, note);
    }
    s += row;
  }
  if (any_estimated) {
    s += "  ~ estimated: a run's window could not span the GC periods asked within max_duration, so its figure is\n"
         "    the steady-state estimate (in-GC and outside-GC latency mixed by the share of time a cycle runs)\n";
  }
  return s;
}

// Main effects per factor and the residual share.
std::string EffectsTable(const StudyAnalysis& a) {
  const std::string obj = ObjectiveLabel(a.objective);
  std::string s;
  s += fmt::format("\nmain effects on {} (design runs: mean ms, sd, n)\n", obj);
  for (const MainEffect& e : a.effects) {
    const bool measured = std::any_of(e.levels.begin(), e.levels.end(), [](const LevelEffect& l) { return l.n > 0; });
    const std::string share = measured ? fmt::format("{:.1f}%", 100 * e.anova_share) : "-";  // no finished run
    s += fmt::format("  {:<13} {:>6} of variance  ", e.factor, share);
    for (const LevelEffect& l : e.levels) {
      if (l.n == 0) {
        s += fmt::format("  {}: -", Show(l.level));
      } else if (l.n == 1) {
        s += fmt::format("  {}: {:.3f} (1)", Show(l.level), l.mean);
      } else {
        s += fmt::format("  {}: {:.3f} ±{:.3f} ({})", Show(l.level), l.mean, l.sd, l.n);
      }
    }
    if (e.unbalanced) s += "  (unbalanced fit: levels ran unequally often)";
    s += "\n";
  }
  if (a.residual_df > 0) {
    s += fmt::format("  {:<13} {:>5.1f}% of variance (noise and interactions)\n", "residual", 100 * a.residual_share);
  } else {
    s += fmt::format(
        "  {:<13} no degrees of freedom left: the shares above also hold the noise (repeat runs to "
        "tell effects from noise)\n",
        "residual");
  }
  return s;
}

// The two-factor tables (the heat maps as text).
std::string PairTablesText(const StudyAnalysis& a) {
  const std::string obj = ObjectiveLabel(a.objective);
  std::string s;
  for (const PairTable& t : a.pairs) {
    s += fmt::format("\n{} ms by {} (rows) x {} (columns)\n  {:<13}", obj, t.row_factor, t.col_factor, "");
    for (const auto& c : t.col_levels) s += fmt::format("{:>10}", Show(c));
    s += "\n";
    for (size_t i = 0; i < t.row_levels.size(); ++i) {
      s += fmt::format("  {:<13}", Show(t.row_levels[i]));
      for (double v : t.mean[i]) s += std::isnan(v) ? fmt::format("{:>10}", "-") : fmt::format("{:>10.3f}", v);
      s += "\n";
    }
  }
  return s;
}

// The latency-vs-memory front.
std::string ParetoText(const StudyOutline& spec, const StudyAnalysis& a) {
  const std::string obj = ObjectiveLabel(a.objective);
  std::string s;
  s += fmt::format("\nPareto front ({} vs peak RSS):\n", obj);
  if (a.pareto.empty()) s += "  nothing to plot: no setting finished all its runs\n";
  for (int i : a.pareto) {
    const CellStats& c = a.cells[i];
    std::string env;
    for (const Factor& f : spec.factors) env += fmt::format("{}={} ", f.name, Show(ValueOf(c.env, f.name)));
    s += fmt::format("  {:>9} ms  {:>11}  {}\n", FigureMs(c.mean, c.EstimatedRuns() > 0),
                     FormatBytes(static_cast<int64_t>(c.mean_rss)), env);
  }
  return s;
}

// "peak RSS 832.0 MiB, GC CPU 25.0%, 7.0 GC cycles per measured window,
// max error rate 0.400%": the rest of a setting's figures (same runs as
// its objective).
std::string FiguresText(const CellStats& c) {
  return fmt::format("peak RSS {}, GC CPU {}, {:.1f} GC cycles per measured window, max error rate {:.3f}%",
                     FormatBytes(static_cast<int64_t>(c.mean_rss)),
                     c.mean_gc_cpu >= 0 ? fmt::format("{:.1f}%", 100 * c.mean_gc_cpu) : "unknown", c.mean_gc_cycles,
                     100 * c.max_error_rate);
}

// "p99 4.100 ms over 5 GC periods per run", "p99 ~3.900 ms estimated: 1 GC
// period in 180 s", "p99 5.257 ms, median 0.960 ms, over 3 GC periods per
// run": a setting's objective with what the verdict compares and the
// periods it covered.
std::string HeadlineText(const CellStats& c, Centre centre, const std::string& obj) {
  std::string s = fmt::format("{} {} ms", obj, FigureMs(c.mean, c.EstimatedRuns() > 0));
  const std::string periods = PeriodsText(c);
  if (centre == Centre::kMedian) {
    s += fmt::format(", median {:.3f} ms", c.median);
    if (!periods.empty()) s += ", " + periods;
  } else if (!periods.empty()) {
    s += " " + periods;
  }
  return s;
}

// What to deploy, against the default, with the verdict and warnings.
std::string RecommendationText(const StudyAnalysis& a) {
  const std::string obj = ObjectiveLabel(a.objective);
  std::string s;
  s += "\nrecommendation\n";
  const Recommendation& r = a.rec;
  if (!r.found) {
    s += "  none: " + r.why_not + "\n";
    return s;
  }
  for (const std::string& line : r.env_lines) s += "  " + line + "\n";
  s += fmt::format("  {} ({}), {}\n", HeadlineText(r.best, r.centre, obj), SpreadText(r.best), FiguresText(r.best));
  if (!r.baseline.values.empty() && !r.is_default) {
    s += fmt::format("  default setting: {} ({}), {}\n", HeadlineText(r.baseline, r.centre, obj),
                     SpreadText(r.baseline), FiguresText(r.baseline));
  }
  s += "  " + ConfidenceText(r, a.objective) + "\n";
  for (const std::string& w : r.warnings) s += "  warning: " + w + "\n";
  return s;
}

nlohmann::ordered_json CellJson(const CellStats& c) {
  nlohmann::ordered_json j;
  j["env"] = c.env;
  j["phases"] = PhasesText(c.phases);
  j["runs"] = c.runs;
  j["failed"] = c.failed;
  const nlohmann::ordered_json none;  // null where there is nothing to say
  j["values_ms"] = c.values;
  j["mean_ms"] = c.values.empty() ? none : nlohmann::ordered_json(c.mean);
  j["sd_ms"] = c.values.size() < 2 ? none : nlohmann::ordered_json(c.sd);
  j["mean_peak_rss_bytes"] = c.values.empty() ? none : nlohmann::ordered_json(c.mean_rss);
  j["max_error_rate"] = c.max_error_rate;
  j["mean_gc_cpu_share"] = c.values.empty() || c.mean_gc_cpu < 0 ? none : nlohmann::ordered_json(c.mean_gc_cpu);
  j["mean_gc_cycles"] = c.values.empty() ? none : nlohmann::ordered_json(c.mean_gc_cycles);
  j["median_ms"] = c.values.empty() ? none : nlohmann::ordered_json(c.median);
  nlohmann::ordered_json periods = nlohmann::ordered_json::array();
  for (const RunWindow& w : c.windows) periods.push_back(w.known() ? nlohmann::ordered_json(w.periods) : none);
  j["gc_periods"] = periods;  // per done run, in the order of values_ms; null: unknown
  j["whole_periods_runs"] =
      std::count_if(c.windows.begin(), c.windows.end(), [](const RunWindow& w) { return w.whole; });
  j["estimated_runs"] = c.EstimatedRuns();
  j["periods"] = PeriodsText(c);
  j["no_run_covered_periods"] = c.NoRunCoveredPeriods();
  j["limit_reached_in_s"] =
      c.limit_reached_in_ns < 0 ? none : nlohmann::ordered_json(static_cast<double>(c.limit_reached_in_ns) / 1e9);
  j["live_heap_slope_bytes_per_sec"] =
      c.limit_reached_in_ns < 0 ? none : nlohmann::ordered_json(c.live_heap_slope_bytes_per_sec);
  j["feasible"] = c.feasible;
  if (!c.infeasible_why.empty()) j["infeasible_why"] = c.infeasible_why;
  return j;
}

nlohmann::ordered_json EffectsJson(const StudyAnalysis& a) {
  nlohmann::ordered_json effects = nlohmann::ordered_json::array();
  for (const MainEffect& e : a.effects) {
    nlohmann::ordered_json levels = nlohmann::ordered_json::array();
    for (const LevelEffect& l : e.levels)
      levels.push_back({{"level", l.level}, {"n", l.n}, {"mean_ms", l.mean}, {"sd_ms", l.sd}});
    effects.push_back({{"factor", e.factor},
                       {"anova_share", e.anova_share},
                       {"range_ms", e.range},
                       {"best_level", e.best_level},
                       {"unbalanced", e.unbalanced},
                       {"levels", levels}});
  }
  return effects;
}

nlohmann::ordered_json PairsJson(const StudyAnalysis& a) {
  nlohmann::ordered_json pairs = nlohmann::ordered_json::array();
  for (const PairTable& t : a.pairs) {
    nlohmann::ordered_json m = nlohmann::ordered_json::array();
    for (const auto& row : t.mean) {
      nlohmann::ordered_json r = nlohmann::ordered_json::array();
      for (double v : row) r.push_back(std::isnan(v) ? nlohmann::ordered_json() : nlohmann::ordered_json(v));
      m.push_back(r);
    }
    pairs.push_back({{"rows", t.row_factor},
                     {"columns", t.col_factor},
                     {"row_levels", t.row_levels},
                     {"column_levels", t.col_levels},
                     {"mean_ms", m}});
  }
  return pairs;
}

nlohmann::ordered_json RecommendationJson(const StudyAnalysis& a) {
  nlohmann::ordered_json rec;
  rec["found"] = a.rec.found;
  if (a.rec.found) {
    rec["env"] = a.rec.env_lines;
    rec["best"] = CellJson(a.rec.best);
    rec["verdict"] = ConfidenceText(a.rec, a.objective);
    rec["warnings"] = a.rec.warnings;
    if (!a.rec.heap_warning.empty()) rec["heap_warning"] = a.rec.heap_warning;
    if (!a.rec.baseline.values.empty()) {
      rec["default"] = CellJson(a.rec.baseline);
      rec["ratio_to_default"] = a.rec.ratio;
      rec["judged_on"] = a.rec.centre == Centre::kMedian ? "median" : "mean";
      if (!a.rec.swayed.empty()) rec["swayed"] = a.rec.swayed;
      rec["test"] = a.rec.centre == Centre::kMedian ? "mann_whitney" : "welch";
      rec["p_value"] = a.rec.testable ? nlohmann::ordered_json(a.rec.p_value) : nlohmann::ordered_json();
      rec["welch_p_value"] = a.rec.testable ? nlohmann::ordered_json(a.rec.welch_p_value) : nlohmann::ordered_json();
      rec["significant"] = a.rec.significant;
      rec["is_default"] = a.rec.is_default;
      rec["verified"] = a.rec.verified;
    }
  } else {
    rec["why_not"] = a.rec.why_not;
  }
  return rec;
}

}  // namespace

std::string RunSetText(const CellStats& c) {
  const size_t n = c.values.size();
  if (n == 0) return "no finished run";
  if (c.done_by_phase.size() == 1) {
    return CountOf(static_cast<int64_t>(n), fmt::format("{} run", RoundWord(c.done_by_phase.begin()->first)));
  }
  std::string by_round;
  for (const auto& [phase, k] : c.done_by_phase) {
    by_round += fmt::format("{}{} {}", by_round.empty() ? "" : ", ", k, RoundWord(phase));
  }
  return CountOf(static_cast<int64_t>(n), "run") + (by_round.empty() ? "" : ": " + by_round);
}

std::string PeriodsText(const CellStats& c) {
  const std::string range = PeriodRange(c.windows);
  if (range.empty()) return "";
  const int known =
      static_cast<int>(std::count_if(c.windows.begin(), c.windows.end(), [](const RunWindow& w) { return w.known(); }));
  const int whole =
      static_cast<int>(std::count_if(c.windows.begin(), c.windows.end(), [](const RunWindow& w) { return w.whole; }));
  const int estimated = c.EstimatedRuns();
  auto noun = [](const std::string& r) { return r == "1" ? "GC period" : "GC periods"; };
  const char* each = known > 1 ? " per run" : "";
  if (estimated > 0) {
    int64_t longest = 0;
    for (const RunWindow& w : c.windows) {
      if (w.estimated) longest = std::max(longest, w.window_ns);
    }
    const std::string r = PeriodRange(c.windows, true);
    const std::string share = estimated < known ? fmt::format(" in {} of {} runs", estimated, known) : "";
    return fmt::format("estimated{}: {} {} in {}{}", share, r, noun(r), SecondsText(longest),
                       estimated > 1 ? " per run" : "");
  }
  if (whole == known) return fmt::format("over {} {}{}", range, noun(range), each);
  const std::string fewer =
      known > 1 ? fmt::format("{} of {} runs fewer than asked", known - whole, known) : "fewer than asked";
  return fmt::format("over {} {}{}, {}", range, noun(range), each, fewer);
}

std::string RunFigureText(const RunResult& r, Objective objective, int64_t min_gc_periods) {
  const RunMetrics& m = r.metrics;
  const std::string obj = ObjectiveLabel(objective);
  const double ms = ObjectiveMs(r, objective);
  if (m.gc_periods < 0 || m.window_ns <= 0) return fmt::format("{} {:.3f} ms", obj, ms);  // stored before schema 3
  const std::string periods = CountOf(m.gc_periods, "GC period");
  if (m.latency_estimated)
    return fmt::format("{} ~{:.3f} ms estimated: {} in {}", obj, ms, periods, SecondsText(m.window_ns));
  if (m.whole_periods) return fmt::format("{} {:.3f} ms over {}", obj, ms, periods);
  if (min_gc_periods == 0) {
    return fmt::format("{} {:.3f} ms over a fixed {} window ({})", obj, ms, SecondsText(m.window_ns), periods);
  }
  return fmt::format("{} {:.3f} ms over {} in {}, fewer than asked", obj, ms, periods, SecondsText(m.window_ns));
}

std::string SpreadText(const CellStats& c) {
  if (c.values.size() >= 2) return fmt::format("sd {:.3f} over {}", c.sd, RunSetText(c));
  return c.values.empty() ? "no finished run" : RunSetText(c) + ", no spread";
}

std::string ConfidenceText(const Recommendation& r, Objective objective) {
  const std::string obj = ObjectiveLabel(objective);
  if (r.baseline.values.empty()) return "the default setting has no finished run to compare with";
  const bool by_median = r.centre == Centre::kMedian;
  if (r.verification == VerifyOutcome::kSlower) {
    return fmt::format("{} led the design runs but lost its {}{}: keep the default", r.challenger_name,
                       CountOf(static_cast<int64_t>(r.challenger.values.size()), "verification run"),
                       by_median ? " by median, as " + r.swayed : "");
  }
  if (r.verification == VerifyOutcome::kRuledOut) {
    return fmt::format("{} led the design runs but failed its {} ({}): keep the default", r.challenger_name,
                       CountOf(r.challenger.runs, "verification run"), r.challenger.infeasible_why);
  }
  if (r.is_default) return "the default setting is the best measured: keep it (no test: nothing to compare it with)";
  const std::string ratio =
      fmt::format("{:.2f}x the default's {}{}{}{}", r.ratio, obj, by_median ? " by median" : "",
                  r.verified ? " (its verification runs only)" : "", by_median ? ", as " + r.swayed : "");
  if (!r.testable) {
    return ratio + "; one run of either cannot tell a difference from run-to-run noise (use --repeats 2 or more)";
  }
  std::string verdict = r.significant ? "the difference stands out from the run-to-run noise"
                                      : "NOT distinguishable from run-to-run noise (add repeats)";
  const double floor_p = MannWhitneyMinPValue(r.best.values.size(), r.baseline.values.size());
  if (by_median && !r.significant && floor_p >= 0.05) {
    verdict = fmt::format(
        "NOT distinguishable from run-to-run noise: with {} and {} runs the rank test cannot go below p = {:.4f} "
        "(add repeats)",
        r.best.values.size(), r.baseline.values.size(), floor_p);
  }
  return fmt::format("{}; {} p = {:.4f}: {}", ratio, by_median ? "Mann-Whitney rank test" : "Welch t-test", r.p_value,
                     verdict);
}

std::string AnalysisTable(const StudyOutline& spec, const StudyAnalysis& a) {
  std::string s = fmt::format("runs: {} done, {} failed, {} pending\n\n", a.done, a.failed, a.pending);
  s += SettingsTable(spec, a);
  s += EffectsTable(a);
  s += PairTablesText(a);
  s += ParetoText(spec, a);
  s += RecommendationText(a);
  return s;
}

nlohmann::ordered_json AnalysisJson(const StudyAnalysis& a) {
  nlohmann::ordered_json j;
  j["objective"] = ObjectiveKey(a.objective);
  j["runs"] = {{"done", a.done}, {"failed", a.failed}, {"pending", a.pending}};
  nlohmann::ordered_json cells = nlohmann::ordered_json::array();
  for (const CellStats& c : a.cells) cells.push_back(CellJson(c));
  j["settings"] = cells;
  j["main_effects"] = EffectsJson(a);
  j["residual_share"] = a.residual_share;
  j["residual_df"] = a.residual_df;
  j["pairs"] = PairsJson(a);
  nlohmann::ordered_json pareto = nlohmann::ordered_json::array();
  for (int i : a.pareto) pareto.push_back(CellJson(a.cells[i]));
  j["pareto"] = pareto;
  j["recommendation"] = RecommendationJson(a);
  return j;
}

}  // namespace gcpilot
