#include "report/report.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/analysis_text.h"
#include "analysis/outline_json.h"
#include "model/gc_knobs.h"
#include "report/svg.h"

namespace gcpilot {
namespace {

constexpr const char* kBest = "#2a9d4b";
constexpr const char* kDefault = "#3b6fd1";
constexpr const char* kWorst = "#d1453b";

constexpr const char* kCss = R"css(
body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1280px; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta { color: #666; font-size: 13px; }
.rec { border: 2px solid #2a9d4b; border-radius: 6px; padding: 12px 16px; background: #f3fbf5; }
.rec.none { border-color: #d1453b; background: #fdf3f2; }
.warn { color: #8a4b00; }
.rec pre { font-size: 15px; background: #fff; padding: 8px; border: 1px solid #cde; }
.figs { display: flex; flex-wrap: wrap; gap: 12px; }
figure { margin: 0; }
table { border-collapse: collapse; font-size: 12px; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: right; }
th { background: #f4f4f4; }
td.l { text-align: left; }
tr.failed td { background: #fdf0ef; }
)css";

std::string Show(const std::string& v) { return v.empty() ? "(unset)" : v; }

std::string Esc(const std::string& s) { return XmlEscape(s); }

// The merged corrected histogram of a setting's done runs.
HdrHistogram CellHistogram(const ReportInput& in, const Env& env) {
  HdrHistogram h = HdrHistogram::ForLatencyNs();
  for (const RunResult& r : in.runs) {
    if (r.done() && r.env == env) {
      auto it = in.corrected.find(r.id);
      if (it != in.corrected.end()) h.Merge(it->second);
    }
  }
  return h;
}

const RunResult* FirstDoneRun(const ReportInput& in, const Env& env) {
  for (const RunResult& r : in.runs) {
    if (r.done() && r.env == env) return &r;
  }
  return nullptr;
}

std::string PercentilePlot(const ReportInput& in) {
  const StudyAnalysis& a = in.analysis;
  struct Pick {
    std::string name;
    const CellStats* cell;
    const char* color;
  };
  std::vector<Pick> picks;
  if (a.rec.found) picks.push_back({"recommended", &a.rec.best, kBest});
  // The default once: when it is the recommendation, it is drawn as that.
  if (!a.rec.baseline.values.empty() && !a.rec.is_default) picks.push_back({"default", &a.rec.baseline, kDefault});
  for (auto it = a.cells.rbegin(); it != a.cells.rend(); ++it) {
    if (!it->values.empty()) {
      picks.push_back({"worst", &*it, kWorst});
      break;
    }
  }
  XyPlot p("Latency by percentile (corrected)", 620, 340);
  p.x().label = "percentile";
  p.x().log = true;
  p.x().percentile_ticks = true;
  p.y().label = "latency (ms)";
  p.y().log = true;
  for (const Pick& pk : picks) {
    const HdrHistogram h = CellHistogram(in, pk.cell->env);
    if (!h.total_count()) continue;
    Series s{pk.name + ": " + DescribeSetting(in.spec, pk.cell->env).substr(0, 0) + pk.name, pk.color};
    s.name = pk.name;
    for (const auto& st : h.Percentiles(5)) {
      if (st.percentile >= 100) continue;
      s.x.push_back(1 / (1 - st.percentile / 100));
      s.y.push_back(std::max(st.value, int64_t{1000}) / 1e6);
    }
    s.x.push_back(1e5);  // the max, drawn at 99.999%
    s.y.push_back(std::max(h.max(), int64_t{1000}) / 1e6);
    p.Add(std::move(s));
  }
  p.FitAxes();
  p.x().min = 1;
  p.x().max = 1e5;
  return p.Render();
}

std::string GcTimelinePlots(const ReportInput& in, const std::string& what, const Env& env, const char* color) {
  const RunResult* r = FirstDoneRun(in, env);
  if (!r) return "";
  auto it = in.cycles.find(r->id);
  if (it == in.cycles.end() || it->second.cycles.empty()) return "";
  XyPlot heap(fmt::format("GC timeline, {} (run {}): heap", what, r->seq + 1), 620, 300);
  heap.x().label = "time since the target started (s)";
  heap.y().label = "MB";
  Series live{"live (marked)", color}, goal{"goal", "#999"}, trigger{"heap at GC start", "#e0a030"};
  goal.dashed = true;
  live.points = true;
  XyPlot cpu(fmt::format("GC timeline, {} (run {}): GC CPU", what, r->seq + 1), 620, 220);
  cpu.x().label = "time since the target started (s)";
  cpu.y().label = "GC CPU % (cumulative, as printed)";
  Series pct{"GC CPU %", color};
  for (const GcCycle& c : it->second.cycles) {
    const double t = c.start_ns / 1e9;
    live.x.push_back(t);
    live.y.push_back(static_cast<double>(c.heap_live_mb()));
    goal.x.push_back(t);
    goal.y.push_back(static_cast<double>(c.heap_goal_mb()));
    trigger.x.push_back(t);
    trigger.y.push_back(static_cast<double>(c.heap_start_mb()));
    pct.x.push_back(t);
    pct.y.push_back(c.origin.printed_cpu_percent);
    heap.AddMarker({t, "#d1453b"});  // each cycle's stop-the-world pauses
  }
  heap.Add(live);
  heap.Add(goal);
  heap.Add(trigger);
  heap.FitAxes();
  cpu.Add(pct);
  cpu.FitAxes();
  std::string out = "<figure>" + heap.Render() + "</figure>\n<figure>" + cpu.Render() + "</figure>\n";
  int64_t stw_max = 0;
  for (const GcCycle& c : it->second.cycles) stw_max = std::max(stw_max, c.stw_ns());
  out += fmt::format(
      "<p class=\"meta\">{}: {} cycles (red ticks: each cycle's stop-the-world pauses, "
      "longest {:.3f} ms).</p>\n",
      Esc(DescribeSetting(in.spec, env)), it->second.cycles.size(), stw_max / 1e6);
  return out;
}

// The recommendation box: what to deploy, against the default, and why.
std::string RecommendationSection(const ReportInput& in) {
  const StudyAnalysis& a = in.analysis;
  const std::string obj = ObjectiveLabel(a.objective);
  const StudyOutline& spec = in.spec;
  std::string h;
  const Recommendation& r = a.rec;
  if (r.found) {
    h += "<div class=\"rec\"><h2 style=\"margin-top:0;border:0\">Recommendation</h2>\n<pre>";
    for (const std::string& l : r.env_lines) h += Esc(l) + "\n";
    h += "</pre>\n";
    h += fmt::format("<p>{} <b>{:.3f} ms</b> ({}), peak RSS {}.</p>\n", obj, r.best.mean, Esc(SpreadText(r.best)),
                     Esc(FormatBytes(static_cast<int64_t>(r.best.mean_rss))));
    if (!r.baseline.values.empty() && !r.is_default) {
      const double mem = r.best.mean_rss - r.baseline.mean_rss;
      h += fmt::format(
          "<p>Default setting ({}): {} {:.3f} ms ({}), peak RSS {}. "
          "The recommendation is <b>{:.2f}x</b> the default's {}, {} {}.</p>\n",
          Esc(DescribeSetting(spec, r.baseline.env)), obj, r.baseline.mean, Esc(SpreadText(r.baseline)),
          Esc(FormatBytes(static_cast<int64_t>(r.baseline.mean_rss))), r.ratio, obj,
          mem >= 0 ? "at a memory cost of" : "and uses less memory by",
          Esc(FormatBytes(static_cast<int64_t>(std::fabs(mem)))));
    }
    h += fmt::format("<p>Confidence: {}.</p>\n", Esc(ConfidenceText(r, a.objective)));
    for (const std::string& w : r.warnings) h += fmt::format("<p class=\"warn\">Warning: {}.</p>\n", Esc(w));
    h += "</div>\n";
  } else {
    h += fmt::format(
        "<div class=\"rec none\"><h2 style=\"margin-top:0;border:0\">No recommendation</h2><p>{}</p></div>\n",
        Esc(r.why_not));
  }

  return h;
}

// A heat map of the objective for every pair of factors.
std::string HeatMapSection(const ReportInput& in) {
  const StudyAnalysis& a = in.analysis;
  const std::string obj = ObjectiveLabel(a.objective);
  std::string h;
  if (!a.pairs.empty()) {
    h += fmt::format("<h2>{} heat maps (design runs, ms)</h2>\n<div class=\"figs\">\n", obj);
    for (const PairTable& t : a.pairs) {
      std::vector<std::string> rows, cols;
      for (const auto& v : t.row_levels) rows.push_back(Show(v));
      for (const auto& v : t.col_levels) cols.push_back(Show(v));
      h += "<figure>" +
           HeatMap(fmt::format("{} by {} x {}", obj, t.row_factor, t.col_factor), t.row_factor, rows, t.col_factor,
                   cols, t.mean, "ms") +
           "</figure>\n";
    }
    h += "</div>\n";
  }

  return h;
}

// Main-effect plots with spread bars, and what is left to noise.
std::string MainEffectSection(const ReportInput& in) {
  const StudyAnalysis& a = in.analysis;
  const std::string obj = ObjectiveLabel(a.objective);
  std::string h;
  h += fmt::format("<h2>Main effects on {} (mean ± sd over design runs)</h2>\n<div class=\"figs\">\n", obj);
  for (const MainEffect& e : a.effects) {
    XyPlot p(fmt::format("{}: {:.1f}% of variance", e.factor, 100 * e.anova_share), 400, 260);
    p.x().label = e.factor;
    p.y().label = obj + " (ms)";
    Series s{"", kDefault};
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
    h += "<figure>" + p.Render() + "</figure>\n";
  }
  h += a.residual_df > 0
           ? fmt::format("</div>\n<p class=\"meta\">Residual (noise and interactions): {:.1f}% of variance.</p>\n",
                         100 * a.residual_share)
           : std::string(
                 "</div>\n<p class=\"meta\">Residual: no degrees of freedom left; the shares above also "
                 "hold the noise (repeat runs to tell effects from noise).</p>\n");

  return h;
}

// Latency against peak RSS, the Pareto front joined.
std::string ParetoSection(const ReportInput& in) {
  const StudyAnalysis& a = in.analysis;
  const std::string obj = ObjectiveLabel(a.objective);
  std::string h;
  {
    XyPlot p(fmt::format("{} vs peak RSS (Pareto front joined)", obj), 620, 340);
    p.x().label = "peak RSS (MiB)";
    p.y().label = obj + " (ms)";
    Series all{"settings", "#888"}, front{"Pareto front", kBest};
    all.line = false;
    all.points = true;
    front.points = true;
    for (const CellStats& c : a.cells) {
      if (c.values.empty()) continue;
      all.x.push_back(c.mean_rss / 1048576.0);
      all.y.push_back(c.mean);
    }
    std::vector<const CellStats*> fr;
    for (int i : a.pareto) fr.push_back(&a.cells[i]);
    std::sort(fr.begin(), fr.end(), [](auto* x, auto* y) { return x->mean_rss < y->mean_rss; });
    for (const CellStats* c : fr) {
      front.x.push_back(c->mean_rss / 1048576.0);
      front.y.push_back(c->mean);
    }
    p.Add(all);
    p.Add(front);
    p.FitAxes();
    h += "<h2>Latency against memory</h2>\n<div class=\"figs\"><figure>" + p.Render() + "</figure></div>\n";
  }

  return h;
}

// Every run with its result or its reason for failing.
std::string RunsTable(const ReportInput& in) {
  const StudyOutline& spec = in.spec;
  std::string h;
  h += "<h2>All runs</h2>\n<table>\n<tr><th>run</th><th>phase</th>";
  for (const Factor& f : spec.factors) h += "<th>" + Esc(f.name) + "</th>";
  h += "<th>status</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th><th>req/s</th><th>errors</th>"
       "<th>peak RSS</th><th>GC cycles</th><th>reason</th></tr>\n";
  for (const RunResult& run : in.runs) {
    h += fmt::format("<tr{}><td>{}</td><td class=\"l\">{}</td>",
                     run.status == RunStatus::kFailed ? " class=\"failed\"" : "", run.seq + 1, RunPhaseName(run.phase));
    for (const Factor& f : spec.factors) {
      auto it = run.env.find(f.name);
      h += "<td class=\"l\">" + Esc(Show(it == run.env.end() ? "" : it->second)) + "</td>";
    }
    const RunMetrics& m = run.metrics;
    if (run.done()) {
      h += fmt::format(
          "<td class=\"l\">done</td><td>{:.3f}</td><td>{:.3f}</td><td>{:.3f}</td><td>{:.0f}</td>"
          "<td>{}</td><td>{}</td><td>{}</td><td></td></tr>\n",
          m.p50_ns / 1e6, m.p99_ns / 1e6, m.max_ns / 1e6, m.achieved_rps, m.errors, Esc(FormatBytes(m.peak_rss_bytes)),
          m.gc_cycles);
    } else {
      h += fmt::format(
          "<td class=\"l\">{}</td><td></td><td></td><td></td><td></td><td></td><td></td><td></td>"
          "<td class=\"l\">{}</td></tr>\n",
          RunStatusName(run.status), Esc(run.reason));
    }
  }
  return h;
}

}  // namespace

StatusOr<ReportInput> LoadReportInput(StudyStore& store, int64_t id) {
  if (id == 0) {
    auto latest = store.Latest();
    if (!latest.ok()) return latest.status();
    if (!*latest) return Status::NotFound("the database holds no study");
    id = **latest;
  }
  auto st = store.Load(id);
  if (!st.ok()) return st.status();
  auto outline = OutlineFromJson(nlohmann::json::parse(st->spec_json, nullptr, false));
  if (!outline.ok()) return outline.status();
  ReportInput in;
  in.study_id = st->id;
  in.created = st->created;
  in.design = st->design;
  in.spec = std::move(*outline);
  in.runs = std::move(st->runs);
  in.analysis = Analyze(in.spec, in.runs);
  for (const RunResult& r : in.runs) {
    if (r.done()) {  // a done run without a histogram is drawn without it; a damaged one is an error
      auto h = store.LoadHistogram(r.id, "corrected");
      if (h.ok()) {
        in.corrected.emplace(r.id, std::move(*h));
      } else if (h.status().code() != StatusCode::kNotFound) {
        return h.status();
      }
    }
    auto gc = store.LoadGcTimeline(r.id);
    if (!gc.ok()) return gc.status();
    in.cycles[r.id] = std::move(*gc);
  }
  return in;
}

std::string RenderReport(const ReportInput& in) {
  const StudyOutline& spec = in.spec;
  const StudyAnalysis& a = in.analysis;
  const std::string obj = ObjectiveLabel(a.objective);
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  h += fmt::format("<title>gcpilot study {}</title>\n<style>{}</style></head><body>\n", in.study_id, kCss);
  h += fmt::format("<h1>gcpilot study {}: {}</h1>\n", in.study_id, Esc(spec.source));
  h += fmt::format(
      "<p class=\"meta\">{} design, {} repeats, objective: minimize {} (corrected latency) under the "
      "load schedule \"{}\" (req/s); {} runs done, {} failed, {} pending{}</p>\n",
      Esc(in.design), spec.repeats, obj, Esc(spec.rate), a.done, a.failed, a.pending,
      in.created.empty() ? "" : "; created " + Esc(in.created));
  h += RecommendationSection(in);
  h += HeatMapSection(in);
  h += MainEffectSection(in);
  h += "<h2>Latency percentiles: recommended, default and worst setting</h2>\n<div class=\"figs\"><figure>" +
       PercentilePlot(in) + "</figure></div>\n";
  h += "<h2>GC timelines</h2>\n<div class=\"figs\">\n";
  if (a.rec.found) h += GcTimelinePlots(in, "recommended", a.rec.best.env, kBest);
  if (!a.rec.baseline.values.empty() && !a.rec.is_default) {
    h += GcTimelinePlots(in, "default", a.rec.baseline.env, kDefault);
  }
  h += "</div>\n";
  h += ParetoSection(in);
  h += RunsTable(in);
  h += "</table>\n<p class=\"meta\">Made by gcpilot. Latency is measured from each request's due time "
       "(coordinated-omission corrected).</p>\n</body></html>\n";
  return h;
}

}  // namespace gcpilot
