#include "report/report.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/analysis_text.h"
#include "analysis/outline_json.h"
#include "base/plural.h"
#include "model/gc_knobs.h"
#include "report/attribution_section.h"
#include "report/gc_periods_table.h"
#include "report/gc_timeline_section.h"
#include "report/html_figure.h"
#include "report/svg.h"
#include "report/trace_section.h"

namespace gcpilot {
namespace {

constexpr const char* kWorst = "#d1453b";

// Plots are drawn at their own size and shown at the page's width (the
// SVGs keep their viewBox); two GC plots or three heat maps share a row
// where the page is wide enough.
constexpr const char* kCss = R"css(
body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1280px; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
.meta { color: #666; font-size: 13px; }
.rec { border: 2px solid #2a9d4b; border-radius: 6px; padding: 12px 16px; background: #f3fbf5; }
.rec.none { border-color: #d1453b; background: #fdf3f2; }
.rec table { margin: 8px 0; background: #fff; font-size: 13px; }
.warn { color: #8a4b00; }
.rec pre { font-size: 15px; background: #fff; padding: 8px; border: 1px solid #cde; }
.figs { display: flex; flex-wrap: wrap; gap: 12px; }
figure { margin: 0; min-width: 0; }
figure.wide { flex: 1 1 100%; }
figure svg { display: block; width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 12px; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: right; }
th { background: #f4f4f4; }
td.l, th.l { text-align: left; }
tr.failed td { background: #fdf0ef; }
)css";

std::string Show(const std::string& v) { return v.empty() ? "(unset)" : v; }

std::string Esc(const std::string& s) { return XmlEscape(s); }

std::string Mib(double bytes) { return FormatBytes(static_cast<int64_t>(bytes)); }

// `bytes` rounded as Mib shows it (0.01 GiB, 0.1 MiB, 0.1 KiB, 1 B), so a
// difference of shown sizes agrees with the sizes beside it.
double AsShown(double bytes) {
  const auto b = static_cast<int64_t>(bytes);
  const double unit = b >= (int64_t{1} << 30)   ? 1073741824.0 / 100
                      : b >= (int64_t{1} << 20) ? 1048576.0 / 10
                      : b >= (int64_t{1} << 10) ? 1024.0 / 10
                                                : 1.0;
  return std::round(static_cast<double>(b) / unit) * unit;
}

// "3.0 s", "10 s": a spec duration as written for people.
std::string Seconds(int64_t ns) {
  std::string s = fmt::format("{:.1f}", ns / 1e9);
  if (s.ends_with(".0")) s.resize(s.size() - 2);
  return s + " s";
}

// The merged corrected histogram of the runs a setting's figures come from.
HdrHistogram CellHistogram(const ReportInput& in, const CellStats& cell) {
  HdrHistogram h = HdrHistogram::ForLatencyNs();
  for (int64_t id : cell.run_ids) {
    auto it = in.corrected.find(id);
    if (it != in.corrected.end()) h.Merge(it->second);
  }
  return h;
}

// "400/off/4" (several factors, named in the caption) or "GOGC=400".
std::string ShortSetting(const StudyOutline& spec, const Env& env) {
  if (spec.factors.size() == 1) return DescribeSetting(spec, env);
  std::string s;
  for (const Factor& f : spec.factors) {
    const std::string& v = ValueOf(env, f.name);
    s += (s.empty() ? "" : "/") + (v.empty() ? std::string("unset") : v);
  }
  return s;
}

std::string FactorNames(const StudyOutline& spec) {
  std::string s;
  for (const Factor& f : spec.factors) s += (s.empty() ? "" : "/") + f.name;
  return s;
}

// The study line under the title: design, objective and the load per run.
std::string HeaderSection(const ReportInput& in) {
  const StudyOutline& spec = in.spec;
  const StudyAnalysis& a = in.analysis;
  std::string load = fmt::format("load schedule \"{}\" (req/s)", Esc(spec.rate));
  // A steady rate is measured over whole GC periods (a stepped one, with
  // "@" lengths, over its steps).
  // Runs stored before gcpilot measured periods (no window) had a fixed one.
  const bool recorded =
      std::any_of(in.runs.begin(), in.runs.end(), [](const RunResult& r) { return r.metrics.window_ns > 0; });
  const bool periods = recorded && spec.min_gc_periods > 0 && spec.rate.find('@') == std::string::npos;
  if (in.warmup_ns >= 0 && in.duration_ns >= 0 && periods) {
    load = fmt::format(
        "each run: {} warm-up, then {} whole GC periods measured (at least {}, at most {}) under the load "
        "schedule \"{}\" (req/s)",
        Seconds(in.warmup_ns), spec.min_gc_periods, Seconds(in.duration_ns), Seconds(spec.max_duration_ns),
        Esc(spec.rate));
  } else if (in.warmup_ns >= 0 && in.duration_ns >= 0) {
    load = fmt::format("each run: {} warm-up, then {} measured under the load schedule \"{}\" (req/s)",
                       Seconds(in.warmup_ns), Seconds(in.duration_ns), Esc(spec.rate));
  }
  std::string h = fmt::format("<h1>gcpilot study {}: {}</h1>\n", in.study_id, Esc(spec.source));
  h += fmt::format(
      "<p class=\"meta\">{} design, {}, objective: minimize {} (corrected latency); {}; {} done, {} "
      "failed, {} pending{}</p>\n",
      Esc(in.design), CountOf(spec.repeats, "repeat"), ObjectiveLabel(a.objective), load, CountOf(a.done, "run"),
      a.failed, a.pending, in.created.empty() ? "" : "; created " + Esc(in.created));
  return h;
}

// The figures of the recommended and default settings side by side, each
// column from one set of runs (named in its first row).
std::string FiguresTable(const ReportInput& in) {
  const Recommendation& r = in.analysis.rec;
  std::vector<std::pair<std::string, const CellStats*>> cols = {{"recommended", &r.best}};
  if (!r.baseline.values.empty() && !r.is_default) cols.push_back({"default", &r.baseline});
  std::string h = "<table>\n<tr><th></th>";
  for (const auto& [name, c] : cols) h += "<th class=\"l\">" + name + "</th>";
  h += "</tr>\n";
  auto row = [&](const std::string& label, auto cell) {
    h += "<tr><th class=\"l\">" + label + "</th>";
    for (const auto& col : cols) h += "<td>" + cell(*col.second) + "</td>";
    h += "</tr>\n";
  };
  const std::string obj = ObjectiveLabel(in.analysis.objective);
  row("runs", [](const CellStats& c) { return Esc(RunSetText(c)); });
  row(obj + " (mean)", [](const CellStats& c) { return fmt::format("<b>{:.3f} ms</b>", c.mean); });
  row(obj + " sd",
      [](const CellStats& c) { return c.values.size() >= 2 ? fmt::format("{:.3f} ms", c.sd) : std::string("-"); });
  row("peak RSS (mean)", [](const CellStats& c) { return Esc(Mib(c.mean_rss)); });
  row("GC CPU (mean, measured window)", [](const CellStats& c) {
    return c.mean_gc_cpu >= 0 ? fmt::format("{:.1f}%", 100 * c.mean_gc_cpu) : std::string("unknown");
  });
  row("GC cycles per measured window", [](const CellStats& c) { return fmt::format("{:.1f}", c.mean_gc_cycles); });
  row("GC periods per run", [&](const CellStats& c) { return PeriodsPerRunText(in, c); });
  row("latency measured over", [&](const CellStats& c) { return Esc(MeasuredText(in, c)); });
  if (std::any_of(cols.begin(), cols.end(),
                  [&](const auto& col) { return !EstimateInputsHtml(in, *col.second).empty(); })) {
    row("steady-state estimate inputs", [&](const CellStats& c) { return EstimateInputsHtml(in, c); });
  }
  row("error rate (worst run)", [](const CellStats& c) { return fmt::format("{:.3f}%", 100 * c.max_error_rate); });
  return h + "</table>\n";
}

// The box when no setting may be recommended: why, and what ruled out
// each setting (a failed run or the constraint it broke).
std::string NoRecommendationSection(const ReportInput& in) {
  const StudyAnalysis& a = in.analysis;
  std::string h =
      fmt::format("<div class=\"rec none\"><h2 style=\"margin-top:0;border:0\">No recommendation</h2><p>{}.</p>\n",
                  Esc(a.rec.why_not));
  h += "<table>\n<tr><th class=\"l\">setting</th><th class=\"l\">runs</th><th class=\"l\">ruled out by</th></tr>\n";
  for (const CellStats& c : a.cells) {
    if (c.feasible) continue;
    h += fmt::format("<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td></tr>\n",
                     Esc(DescribeSetting(in.spec, c.env)), Esc(CountOf(c.runs, "run")),
                     Esc(c.infeasible_why.empty() ? "no finished run" : c.infeasible_why));
  }
  h += "</table>\n";
  for (const std::string& w : a.rec.warnings) h += fmt::format("<p class=\"warn\">Warning: {}.</p>\n", Esc(w));
  return h + "</div>\n";
}

// The recommendation box: what to deploy, against the default, and why.
std::string RecommendationSection(const ReportInput& in) {
  const StudyAnalysis& a = in.analysis;
  const std::string obj = ObjectiveLabel(a.objective);
  const Recommendation& r = a.rec;
  if (!r.found) return NoRecommendationSection(in);
  std::string h = "<div class=\"rec\"><h2 style=\"margin-top:0;border:0\">Recommendation</h2>\n<pre>";
  for (const std::string& l : r.env_lines) h += Esc(l) + "\n";
  h += "</pre>\n";
  h += fmt::format("<p>{} <b>{:.3f} ms</b> ({}).</p>\n", obj, r.best.mean, Esc(SpreadText(r.best)));
  h += FiguresTable(in);
  h += r.verified ? "<p class=\"meta\">Every figure of a column comes from the runs named at its top: the "
                    "recommended setting's verification runs only (its design runs, which made it win, are left "
                    "out).</p>\n"
                  : "<p class=\"meta\">Every figure of a column comes from the runs named at its top.</p>\n";
  if (!r.baseline.values.empty() && !r.is_default) {
    const double mem = AsShown(r.best.mean_rss) - AsShown(r.baseline.mean_rss);  // 74.1 - 69.5 MiB is 4.6
    // The ratio is of the medians where one run swayed a mean (see Confidence).
    h += fmt::format("<p>Default setting ({}). The recommendation is <b>{:.2f}x</b> the default's {}{}, {} {}.</p>\n",
                     Esc(DescribeSetting(in.spec, r.baseline.env)), r.ratio, obj,
                     r.centre == Centre::kMedian ? " by median" : "",
                     mem >= 0 ? "at a memory cost of" : "and uses less memory by", Esc(Mib(std::fabs(mem))));
  }
  h += fmt::format("<p>Confidence: {}.</p>\n", Esc(ConfidenceText(r, a.objective)));
  for (const std::string& w : r.warnings) h += fmt::format("<p class=\"warn\">Warning: {}.</p>\n", Esc(w));
  return h + "</div>\n";
}

// The recommended setting's cell in a pair table, if both its values are
// levels of the table.
std::optional<std::pair<size_t, size_t>> MarkedCell(const PairTable& t, const Env& env) {
  auto level = [&](const std::string& factor, const std::vector<std::string>& levels) -> std::optional<size_t> {
    const std::string want = CanonicalKnobValue(factor, ValueOf(env, factor));  // GOGC=0400 is the level 400
    const auto it = std::find_if(levels.begin(), levels.end(),
                                 [&](const std::string& l) { return CanonicalKnobValue(factor, l) == want; });
    if (it == levels.end()) return std::nullopt;
    return static_cast<size_t>(it - levels.begin());
  };
  const auto row = level(t.row_factor, t.row_levels), col = level(t.col_factor, t.col_levels);
  if (!row || !col) return std::nullopt;
  return std::make_pair(*row, *col);
}

// A heat map of the objective for every pair of factors, the recommended
// setting's cell outlined, and why its value is not the headline's.
std::string HeatMapSection(const ReportInput& in) {
  const StudyAnalysis& a = in.analysis;
  if (a.pairs.empty()) return "";
  const std::string obj = ObjectiveLabel(a.objective);
  std::string h = fmt::format("<h2>{} heat maps (design runs, ms)</h2>\n<div class=\"figs\">\n", obj);
  size_t marked = 0;
  for (const PairTable& t : a.pairs) {
    std::vector<std::string> rows, cols;
    for (const auto& v : t.row_levels) rows.push_back(Show(v));
    for (const auto& v : t.col_levels) cols.push_back(Show(v));
    const auto mark = a.rec.found ? MarkedCell(t, a.rec.best.env) : std::nullopt;
    marked += mark.has_value();
    h += HtmlFigure(HeatMap(fmt::format("{} by {} x {}", obj, t.row_factor, t.col_factor), t.row_factor, rows,
                            t.col_factor, cols, t.mean, "ms", mark, "outlined: the recommended setting's cell"));
  }
  h += "</div>\n<p class=\"meta\">Each cell is the mean " + obj +
       " of the design runs at that pair of levels, over whatever levels the other factors had in them.";
  if (a.rec.found && marked == 0) {
    h += fmt::format(" The recommended setting ({}) is in no table: its values are not all levels of the design.",
                     Esc(DescribeSetting(in.spec, a.rec.best.env)));
  } else if (a.rec.found) {
    // With two factors a cell is one setting; with more it pools every
    // setting at its two levels.
    h += fmt::format(
        " The outlined cell holds the recommended setting ({}); its value is not the headline's {:.3f} ms, which "
        "is that one setting over {}: the cell {}.",
        Esc(DescribeSetting(in.spec, a.rec.best.env)), a.rec.best.mean, Esc(RunSetText(a.rec.best)),
        in.spec.factors.size() > 2 ? "also averages other settings that share its two levels, and only design runs"
                                   : "averages its design runs only");
  }
  return h + "</p>\n";
}

// Main-effect plots with spread bars, and what is left to noise.
std::string MainEffectSection(const ReportInput& in) {
  const StudyAnalysis& a = in.analysis;
  const std::string obj = ObjectiveLabel(a.objective);
  std::string h = fmt::format("<h2>Main effects on {} (mean ± sd over design runs)</h2>\n<div class=\"figs\">\n", obj);
  for (const MainEffect& e : a.effects) {
    const bool measured = std::any_of(e.levels.begin(), e.levels.end(), [](const LevelEffect& l) { return l.n > 0; });
    XyPlot p(fmt::format("{}: {} of variance", e.factor, measured ? fmt::format("{:.1f}%", 100 * e.anova_share) : "-"),
             400, 260);
    p.x().label = e.unbalanced ? e.factor + " (unbalanced fit)" : e.factor;  // a long title is cut at the frame
    p.y().label = obj + " (ms)";
    p.y().nonnegative = true;
    Series s{"", kDefaultColor};
    s.points = true;
    for (size_t i = 0; i < e.levels.size(); ++i) {
      p.x().categories.push_back(Show(e.levels[i].level));
      if (e.levels[i].n == 0) continue;
      s.x.push_back(static_cast<double>(i));
      s.y.push_back(e.levels[i].mean);
      s.y_err.push_back(e.levels[i].sd);
    }
    p.Add(s);
    p.FitAxes();
    h += HtmlFigure(p.Render());
  }
  h += "</div>\n<p class=\"meta\">Bars: ±1 sd of the level's design runs; a bar that would reach below 0 ms is cut "
       "at 0 and ends in a chevron.";
  if (std::any_of(a.effects.begin(), a.effects.end(), [](const MainEffect& e) { return e.unbalanced; })) {
    h += " An unbalanced fit: the factor's levels ran unequally often (a folded array column or failed runs), so "
         "its level means compare unequal samples.";
  }
  h += a.residual_df > 0
           ? fmt::format(" Residual (noise and interactions): {:.1f}% of variance.</p>\n", 100 * a.residual_share)
           : std::string(
                 " Residual: no degrees of freedom left; the shares above also hold the noise (repeat "
                 "runs to tell effects from noise).</p>\n");
  return h;
}

// HdrHistogram-style curves of the recommended, default and worst settings,
// each over the runs its figures come from.
std::string PercentileSection(const ReportInput& in) {
  const StudyAnalysis& a = in.analysis;
  struct Pick {
    std::string role;
    const CellStats* cell;
    const char* color;
  };
  std::vector<Pick> picks;
  if (a.rec.found) picks.push_back({"recommended", &a.rec.best, kBestColor});
  // The default once: when it is the recommendation, it is drawn as that.
  if (!a.rec.baseline.values.empty() && !a.rec.is_default) picks.push_back({"default", &a.rec.baseline, kDefaultColor});
  // The worst once too: when it is the default (or the recommendation), that curve says so.
  for (auto it = a.cells.rbegin(); it != a.cells.rend(); ++it) {
    if (it->values.empty()) continue;
    bool drawn = false;
    for (Pick& pk : picks) {
      if (CanonicalEnv(pk.cell->env) != CanonicalEnv(it->env)) continue;
      pk.role += " (the worst setting)";
      drawn = true;
    }
    if (!drawn) picks.push_back({"worst", &*it, kWorst});
    break;
  }
  XyPlot p("Latency by percentile (corrected)", 1000, 360);
  p.x().label = "percentile";
  p.x().log = true;
  p.x().percentile_ticks = true;
  p.y().label = "latency (ms)";
  p.y().log = true;
  std::vector<std::string> drawn;  // the heading names what is drawn
  for (const Pick& pk : picks) {
    const HdrHistogram h = CellHistogram(in, *pk.cell);
    if (!h.total_count()) continue;
    drawn.push_back(pk.role.substr(0, pk.role.find(' ')));
    Series s{fmt::format("{}: {} ({})", pk.role, DescribeSetting(in.spec, pk.cell->env), RunSetText(*pk.cell)),
             pk.color};
    for (const auto& st : h.Percentiles(5)) {
      const double x = 1 / (1 - st.percentile / 100);
      if (st.percentile >= 100 || x >= 1e5) continue;
      s.x.push_back(x);
      s.y.push_back(std::max(st.value, int64_t{1000}) / 1e6);
    }
    s.x.push_back(1e5);  // the max, drawn at 99.999%
    s.y.push_back(std::max(h.max(), int64_t{1000}) / 1e6);
    p.Add(std::move(s));
  }
  if (drawn.empty()) {
    return "<h2>Latency percentiles</h2>\n<p>Nothing to plot: no setting has a finished run.</p>\n";
  }
  std::string names = drawn[0];
  for (size_t i = 1; i < drawn.size(); ++i) names += (i + 1 == drawn.size() ? " and " : ", ") + drawn[i];
  p.FitAxes();
  p.x().min = 1;
  p.x().max = 1e5;
  return fmt::format("<h2>Latency percentiles: {} setting{}</h2>\n<div class=\"figs\">", names,
                     drawn.size() > 1 ? "s" : "") +
         HtmlFigure(p.Render(), true) +
         "</div>\n<p class=\"meta\">Each curve merges the corrected histograms of the runs named in the legend; the "
         "last point is the maximum, drawn at 99.999%; latencies under 1 us are drawn at 1 us.</p>\n";
}

// Latency against peak RSS: every setting labelled, the front joined, the
// recommended and default settings ringed.
std::string ParetoSection(const ReportInput& in) {
  const StudyAnalysis& a = in.analysis;
  const std::string obj = ObjectiveLabel(a.objective);
  if (std::all_of(a.cells.begin(), a.cells.end(), [](const CellStats& c) { return c.values.empty(); })) {
    return "<h2>Latency against memory</h2>\n<p class=\"meta\">Nothing to plot: no setting has a finished run.</p>\n";
  }
  XyPlot p(fmt::format("{} vs peak RSS (Pareto front joined)", obj), 1000, 420);
  p.x().label = "peak RSS (MiB)";
  p.y().label = obj + " (ms)";
  p.y().nonnegative = true;
  Series all{"settings", "#888"}, front{"Pareto front", kBestColor};
  all.line = false;
  all.points = true;
  front.points = true;
  for (const CellStats& c : a.cells) {
    if (c.values.empty()) continue;
    all.x.push_back(c.mean_rss / 1048576.0);
    all.y.push_back(c.mean);
    p.AddLabel({c.mean_rss / 1048576.0, c.mean, ShortSetting(in.spec, c.env)});
  }
  std::vector<const CellStats*> fr;
  for (int i : a.pareto) fr.push_back(&a.cells[i]);
  std::sort(fr.begin(), fr.end(), [](auto* x, auto* y) { return x->mean_rss < y->mean_rss; });
  for (const CellStats* c : fr) {
    front.x.push_back(c->mean_rss / 1048576.0);
    front.y.push_back(c->mean);
  }
  auto ring = [&](const Env& env, const char* color, const std::string& role) {
    if (const CellStats* c = a.Find(env); c && !c->values.empty()) {
      p.AddRing({c->mean_rss / 1048576.0, c->mean, color, role + ": " + ShortSetting(in.spec, env)});
    }
  };
  if (a.rec.found) ring(a.rec.best.env, kBestColor, "recommended");
  if (!a.rec.baseline.values.empty() && !a.rec.is_default) ring(a.rec.baseline.env, kDefaultColor, "default");
  p.Add(all);
  p.Add(front);
  p.FitAxes();
  std::string h = "<h2>Latency against memory</h2>\n<div class=\"figs\">" + HtmlFigure(p.Render(), true) + "</div>\n";
  h += "<p class=\"meta\">Each point is a setting's mean " + obj + " and peak RSS over all its finished runs";
  if (in.spec.factors.size() > 1) h += ", labelled " + Esc(FactorNames(in.spec));
  return h + ".</p>\n";
}

// Every run with its result or its reason for failing.
std::string RunsTable(const ReportInput& in) {
  const StudyOutline& spec = in.spec;
  std::string h;
  h += "<h2>All runs</h2>\n<table>\n<tr><th>run</th><th>phase</th>";
  for (const Factor& f : spec.factors) h += "<th>" + Esc(f.name) + "</th>";
  h += "<th>status</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th><th>req/s</th><th>errors</th>"
       "<th>peak RSS</th><th>GC cycles</th><th>GC periods</th><th>reason</th></tr>\n";
  for (const RunResult& run : in.runs) {
    h += fmt::format("<tr{}><td>{}</td><td class=\"l\">{}</td>",
                     run.status == RunStatus::kFailed ? " class=\"failed\"" : "", run.seq + 1, RunPhaseName(run.phase));
    for (const Factor& f : spec.factors) {
      auto it = run.env.find(f.name);
      h += "<td class=\"l\">" + Esc(Show(it == run.env.end() ? "" : it->second)) + "</td>";
    }
    const RunMetrics& m = run.metrics;
    if (run.done()) {
      const char* est = m.latency_estimated ? "~" : "";  // the steady-state estimate, not the window's own
      h += fmt::format(
          "<td class=\"l\">done</td><td>{}{:.3f}</td><td>{}{:.3f}</td><td>{}{:.3f}</td><td>{:.0f}</td>"
          "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td></td></tr>\n",
          est, m.p50_ns / 1e6, est, m.p99_ns / 1e6, est, m.max_ns / 1e6, m.achieved_rps, m.errors,
          Esc(FormatBytes(m.peak_rss_bytes)), m.gc_cycles,
          m.gc_periods < 0 ? std::string("?") : std::to_string(m.gc_periods) + (m.whole_periods ? "" : " (not whole)"));
    } else {
      h += fmt::format(
          "<td class=\"l\">{}</td><td></td><td></td><td></td><td></td><td></td><td></td><td></td><td></td>"
          "<td class=\"l\">{}</td></tr>\n",
          RunStatusName(run.status), Esc(run.reason));
    }
  }
  return h;
}

// The warm-up and measured time of each run, from the stored spec (tune's
// keys, absent in specs stored by other writers).
void ReadRunTimes(const nlohmann::json& spec, ReportInput* in) {
  if (!spec.is_object()) return;
  const auto get = [&](const char* key) -> int64_t {
    const auto it = spec.find(key);
    return it != spec.end() && it->is_number_integer() ? it->get<int64_t>() : -1;
  };
  in->warmup_ns = get("warmup_ns");
  in->duration_ns = get("duration_ns");
}

// The measured window of a run the GC timelines show, on its target's
// clock: the stored window (whole GC periods, or the bound) where the run
// recorded one, else from the first measured request's due time (the
// load engine's schedule starts there) for the spec's measured time.
std::optional<TimeSpan> ShownWindow(const ReportInput& in, const GcTimeline& gc, const RunData& data) {
  if (!gc.aligned()) return std::nullopt;
  const MeasuredWindow& w = data.attribution.window;
  if (w.to_ns > w.from_ns) return TimeSpan{w.from_ns - gc.load_clock_origin_ns, w.to_ns - gc.load_clock_origin_ns};
  if (in.duration_ns < 0 || data.requests.records.empty()) return std::nullopt;
  const int64_t start = data.requests.records.front().due_ns - gc.load_clock_origin_ns;
  return TimeSpan{start, start + in.duration_ns};
}

// The runs whose data beyond the attribution the report draws: the GC
// timelines' runs and the latency-over-time figures' runs.
void ShownRuns(const ReportInput& in, std::set<int64_t>* timelines, std::set<int64_t>* figures) {
  const Recommendation& r = in.analysis.rec;
  std::vector<const CellStats*> cells;
  if (r.found) cells.push_back(&r.best);
  if (!r.baseline.values.empty() && !r.is_default) cells.push_back(&r.baseline);
  for (const CellStats* c : cells) {
    if (const RunResult* run = LatencyFigureRun(in, *c)) figures->insert(run->id);
  }
  if (IsLostVerification(r)) cells.push_back(&r.challenger);
  for (const CellStats* c : cells) {
    for (const RunResult* run : TimelineRuns(in, *c)) timelines->insert(run->id);
  }
}

// A run the report draws gets all its stored data read (its request log
// is 32 bytes a request); the others their histogram and GC timeline, and
// the attribution of an estimated one (the estimate's inputs).
StatusOr<RunData> ReadOneRun(StudyStore& store, const RunResult& r, bool all) {
  if (all) return store.LoadRunData(r.id);
  RunData data;
  if (r.done()) {
    auto h = store.LoadHistogram(r.id, "corrected");
    if (h.ok()) {
      data.corrected = std::move(*h);
    } else if (h.status().code() != StatusCode::kNotFound) {
      return h.status();
    }
  }
  auto gc = store.LoadGcTimeline(r.id);
  if (!gc.ok()) return gc.status();
  data.gc = std::move(*gc);
  if (r.metrics.latency_estimated) {
    auto a = store.LoadAttribution(r.id);
    if (!a.ok()) return a.status();
    data.attribution = std::move(*a);
  }
  return data;
}

// Each run's stored data: the corrected histogram of a done run (drawn
// without it where it has none; a damaged one is an error) and its GC
// timeline; the attribution of the runs shown and of the estimated ones;
// the measured window of the runs the GC timelines show and the request
// log of the runs the latency-over-time figures draw.
Status ReadRunData(StudyStore& store, ReportInput* in) {
  std::set<int64_t> timelines, figures;
  ShownRuns(*in, &timelines, &figures);
  for (const RunResult& r : in->runs) {
    const bool shown = timelines.count(r.id) || figures.count(r.id);
    auto data = ReadOneRun(store, r, shown);
    if (!data.ok()) return data.status();
    if (r.done() && data->corrected) in->corrected.emplace(r.id, std::move(*data->corrected));
    if (r.done() && (shown || r.metrics.latency_estimated)) in->attribution[r.id] = std::move(data->attribution);
    if (timelines.count(r.id)) {
      if (auto w = ShownWindow(*in, data->gc, *data)) in->measured[r.id] = *w;
    }
    if (figures.count(r.id)) in->requests[r.id] = std::move(data->requests);
    if (figures.count(r.id) && data->trace) in->traces[r.id] = std::move(*data->trace);
    if (figures.count(r.id) && !data->trace_note.empty()) in->trace_notes[r.id] = std::move(data->trace_note);
    in->cycles[r.id] = std::move(data->gc);
  }
  return Status::Ok();
}

}  // namespace

std::vector<const RunResult*> TimelineRuns(const ReportInput& in, const CellStats& cell) {
  std::vector<const RunResult*> all, verify;
  for (const RunResult& r : in.runs) {
    if (std::find(cell.run_ids.begin(), cell.run_ids.end(), r.id) == cell.run_ids.end()) continue;
    all.push_back(&r);
    if (r.phase == RunPhase::kVerify) verify.push_back(&r);
  }
  std::vector<const RunResult*> shown = verify.empty() ? all : verify;
  if (shown.size() > 3) shown.resize(3);
  return shown;
}

const RunResult* LatencyFigureRun(const ReportInput& in, const CellStats& cell) {
  return RepresentativeRun(in.runs, cell);
}

StatusOr<ReportInput> LoadReportInput(StudyStore& store, int64_t id) {
  if (id == 0) {
    auto latest = store.Latest();
    if (!latest.ok()) return latest.status();
    if (!*latest) return Status::NotFound("the database holds no study");
    id = **latest;
  }
  auto st = store.Load(id);
  if (!st.ok()) return st.status();
  const nlohmann::json spec = nlohmann::json::parse(st->spec_json, nullptr, false);
  auto outline = OutlineFromJson(spec);
  if (!outline.ok()) return outline.status();
  ReportInput in;
  in.study_id = st->id;
  in.created = st->created;
  in.design = st->design;
  in.spec = std::move(*outline);
  ReadRunTimes(spec, &in);
  in.runs = std::move(st->runs);
  in.analysis = Analyze(in.spec, in.runs);
  if (Status s = ReadRunData(store, &in); !s.ok()) return s;
  return in;
}

std::string RenderReport(const ReportInput& in) {
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  h += fmt::format("<title>gcpilot study {}</title>\n<style>{}</style></head><body>\n", in.study_id, kCss);
  h += HeaderSection(in);
  h += RecommendationSection(in);
  h += HeatMapSection(in);
  h += MainEffectSection(in);
  h += PercentileSection(in);
  h += AttributionSection(in);
  h += TraceSection(in);
  h += GcTimelineSection(in);
  h += ParetoSection(in);
  h += GcPeriodsSection(in);
  h += RunsTable(in);
  h += "</table>\n<p class=\"meta\">";
  if (std::any_of(in.runs.begin(), in.runs.end(), [](const RunResult& r) { return r.metrics.latency_estimated; })) {
    h += "~: the steady-state estimate (the run's window held too few GC periods). ";
  }
  h += "Made by gcpilot. Latency is measured from each request's due time "
       "(coordinated-omission corrected). Sizes in MiB (2^20 bytes; gctrace's \"MB\" are these).</p>\n"
       "</body></html>\n";
  return h;
}

}  // namespace gcpilot
