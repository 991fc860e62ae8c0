#include "analysis/study_analysis.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "analysis/robust_compare.h"
#include "base/units.h"
#include "model/gc_knobs.h"
#include "stats/rank_stats.h"
#include "stats/sample_stats.h"

namespace gcpilot {
namespace {

std::string Show(const std::string& v) { return v.empty() ? "(unset)" : v; }

// Counts a finished run into its setting's sums (Average makes them means).
void AddRun(const StudyOutline& o, const RunResult& r, CellStats* c) {
  c->phases.insert(r.phase);
  ++c->runs;
  if (!r.done()) {
    ++c->failed;
    if (c->infeasible_why.empty()) c->infeasible_why = "a run failed: " + r.reason;
    return;
  }
  const RunMetrics& m = r.metrics;
  c->run_ids.push_back(r.id);
  ++c->done_by_phase[r.phase];
  c->values.push_back(ObjectiveMs(r, o.objective));
  // A study that asked for a fixed window (min_gc_periods 0) got what it
  // asked for: its runs are not short of periods.
  c->windows.push_back({m.gc_periods, m.window_ns, m.whole_periods || o.min_gc_periods == 0, m.latency_estimated});
  if (m.limit_reached_in_ns >= 0 && (c->limit_reached_in_ns < 0 || m.limit_reached_in_ns < c->limit_reached_in_ns)) {
    c->limit_reached_in_ns = m.limit_reached_in_ns;
    c->live_heap_slope_bytes_per_sec = m.live_heap_slope_bytes_per_sec;
  }
  c->mean_rss += static_cast<double>(m.peak_rss_bytes);
  c->max_error_rate = std::max(c->max_error_rate, m.error_rate);
  if (m.gc_cpu_share >= 0) {  // -1: no gctrace cycle to know GOMAXPROCS
    c->mean_gc_cpu += m.gc_cpu_share;
    ++c->gc_cpu_runs;
  }
  c->mean_gc_cycles += static_cast<double>(m.gc_cycles);
}

// The sums of AddRun as means and spreads (nothing to do without a done run).
void Average(CellStats* c) {
  const double n = static_cast<double>(c->values.size());
  if (n == 0) return;
  c->mean = Mean(c->values);
  c->median = Median(c->values);
  c->sd = SampleSd(c->values);
  c->min = *std::min_element(c->values.begin(), c->values.end());
  c->max = *std::max_element(c->values.begin(), c->values.end());
  c->mean_rss /= n;
  c->mean_gc_cpu = c->gc_cpu_runs ? c->mean_gc_cpu / c->gc_cpu_runs : -1;
  c->mean_gc_cycles /= n;
}

// Groups the finished runs by setting, counting done, failed and pending.
void GroupCells(const StudyOutline& o, const std::vector<RunResult>& runs, StudyAnalysis* a) {
  std::map<Env, size_t> index;  // a setting is its environment, as Go reads it
  for (const RunResult& r : runs) {
    if (r.status == RunStatus::kPending) {
      ++a->pending;
      continue;
    }
    (r.done() ? a->done : a->failed)++;
    const auto [it, added] = index.emplace(CanonicalEnv(r.env), a->cells.size());
    if (added) {
      CellStats c;
      c.env = r.env;
      c.levels = r.levels;
      a->cells.push_back(c);
    }
    AddRun(o, r, &a->cells[it->second]);
  }
}

// Why a setting whose runs all finished is ruled out, "" if it is not.
std::string ConstraintBroken(const StudyOutline& o, const CellStats& c) {
  if (o.max_peak_rss && c.mean_rss > static_cast<double>(o.max_peak_rss)) {
    return fmt::format("peak RSS {} over the {} budget", FormatBytes(static_cast<int64_t>(c.mean_rss)),
                       FormatBytes(o.max_peak_rss));
  }
  if (c.max_error_rate > o.max_error_rate) {
    return fmt::format("error rate {:.3f}% over the {:.3f}% allowed", 100 * c.max_error_rate, 100 * o.max_error_rate);
  }
  if (c.mean_gc_cycles < o.min_gc_cycles) {
    return fmt::format("{:.1f} GC cycles per measured window, under the {:g} asked", c.mean_gc_cycles, o.min_gc_cycles);
  }
  return "";
}

// Means and spreads per setting, feasibility, and the best-first order.
void SummarizeCells(const StudyOutline& o, StudyAnalysis* a) {
  for (CellStats& c : a->cells) {
    Average(&c);
    if (c.failed == 0 && !c.values.empty()) {
      c.infeasible_why = ConstraintBroken(o, c);
      c.feasible = c.infeasible_why.empty();
    }
  }
  std::stable_sort(a->cells.begin(), a->cells.end(), [](const CellStats& x, const CellStats& y) {
    if (x.values.empty() != y.values.empty()) return !x.values.empty();
    return x.mean < y.mean;
  });
}

// The objective of the finished design runs whose level of factor f is lf
// (and of factor g is lg, when g >= 0).
std::vector<double> DesignValues(const StudyOutline& o, const std::vector<const RunResult*>& design, size_t f, int lf,
                                 int g = -1, int lg = -1) {
  std::vector<double> ys;
  for (const RunResult* r : design) {
    if (r->levels.size() != o.factors.size() || r->levels[f] != lf) continue;
    if (g >= 0 && r->levels[g] != lg) continue;
    ys.push_back(ObjectiveMs(*r, o.objective));
  }
  return ys;
}

// Main effects and the ANOVA shares over the design runs that finished.
void MainEffects(const StudyOutline& o, const std::vector<const RunResult*>& design, StudyAnalysis* a) {
  std::vector<double> all;
  for (const RunResult* r : design) all.push_back(ObjectiveMs(*r, o.objective));
  const double grand = Mean(all);
  double ss_total = 0;
  for (double y : all) ss_total += (y - grand) * (y - grand);
  double ss_factors = 0;
  a->residual_df = static_cast<int>(all.size()) - 1;
  for (size_t f = 0; f < o.factors.size(); ++f) {
    const Factor& fac = o.factors[f];
    a->residual_df -= static_cast<int>(fac.levels.size()) - 1;
    MainEffect e;
    e.factor = fac.name;
    double best = std::numeric_limits<double>::infinity(), worst = -best, ss = 0;
    for (size_t l = 0; l < fac.levels.size(); ++l) {
      const std::vector<double> ys = DesignValues(o, design, f, static_cast<int>(l));
      LevelEffect le{fac.levels[l], static_cast<int>(ys.size()), Mean(ys), SampleSd(ys)};
      if (le.n > 0) {
        ss += le.n * (le.mean - grand) * (le.mean - grand);
        if (le.mean < best) {
          best = le.mean;
          e.best_level = le.level;
        }
        worst = std::max(worst, le.mean);
      }
      e.levels.push_back(le);
    }
    e.unbalanced =
        std::any_of(e.levels.begin(), e.levels.end(), [&](const LevelEffect& l) { return l.n != e.levels.front().n; });
    e.range = std::isfinite(best) ? worst - best : 0;
    e.anova_share = ss_total > 0 ? ss / ss_total : 0;
    ss_factors += ss;
    a->predicted_best[e.factor] = e.best_level;
    a->effects.push_back(e);
  }
  a->residual_share = ss_total > 0 ? std::max(0.0, 1 - ss_factors / ss_total) : 0;
}

// The mean objective for every pair of factors and levels (the heat maps).
void PairTables(const StudyOutline& o, const std::vector<const RunResult*>& design, StudyAnalysis* a) {
  const size_t nf = o.factors.size();
  for (size_t i = 0; i < nf; ++i) {
    for (size_t j = i + 1; j < nf; ++j) {
      PairTable t;
      t.row_factor = o.factors[i].name;
      t.col_factor = o.factors[j].name;
      t.row_levels = o.factors[i].levels;
      t.col_levels = o.factors[j].levels;
      for (size_t li = 0; li < t.row_levels.size(); ++li) {
        std::vector<double> row;
        for (size_t lj = 0; lj < t.col_levels.size(); ++lj) {
          const auto ys = DesignValues(o, design, i, static_cast<int>(li), static_cast<int>(j), static_cast<int>(lj));
          row.push_back(ys.empty() ? std::nan("") : Mean(ys));
        }
        t.mean.push_back(row);
      }
      a->pairs.push_back(t);
    }
  }
}

// Settings with results that no other setting beats on both latency and memory.
void ParetoFront(StudyAnalysis* a) {
  for (size_t i = 0; i < a->cells.size(); ++i) {
    const CellStats& c = a->cells[i];
    if (c.values.empty() || c.failed) continue;
    bool dominated = false;
    for (const CellStats& x : a->cells) {
      if (&x == &c || x.values.empty() || x.failed) continue;
      if (x.mean <= c.mean && x.mean_rss <= c.mean_rss && (x.mean < c.mean || x.mean_rss < c.mean_rss)) {
        dominated = true;
        break;
      }
    }
    if (!dominated) a->pareto.push_back(static_cast<int>(i));
  }
}

// The setting `cell` as its verification runs alone measured it: every
// figure (objective, memory, GC CPU, cycles, error rate) from those runs,
// so none beside the verdict comes from the design runs that made it win.
// Feasibility is judged on those figures too (a cell ruled out stays out).
CellStats VerifiedFigures(const StudyOutline& o, const std::vector<RunResult>& runs, const CellStats& cell) {
  CellStats v;
  for (const RunResult& r : runs) {
    if (r.phase == RunPhase::kVerify && CanonicalEnv(r.env) == CanonicalEnv(cell.env) &&
        r.status != RunStatus::kPending)
      AddRun(o, r, &v);
  }
  Average(&v);
  v.env = cell.env;
  v.levels = cell.levels;
  v.phases = cell.phases;
  if (!cell.feasible) {
    v.infeasible_why = cell.infeasible_why;
  } else if (v.failed == 0 && !v.values.empty()) {
    v.infeasible_why = ConstraintBroken(o, v);
    v.feasible = v.infeasible_why.empty();
  }
  return v;
}

// "GOGC=200": the factors where `env` differs from the default setting, as
// Go reads them (every factor if none does).
std::string DifferenceFromDefault(const StudyOutline& o, const Env& env) {
  std::string s;
  for (const Factor& f : o.factors) {
    const std::string& v = ValueOf(env, f.name);
    if (CanonicalKnobValue(f.name, v) == CanonicalKnobValue(f.name, f.baseline)) continue;
    s += (s.empty() ? "" : " ") + f.name + "=" + Show(v);
  }
  return s.empty() ? DescribeSetting(o, env) : s;
}

// After a verification round the verdict is about the setting that was
// verified, judged on its verification runs only: its design runs are what
// made it win (the winner's curse), and picking again the lowest mean among
// settings with fewer runs would reward luck. The default's runs are all
// unbiased. Returns the setting to recommend: the verified one or the
// default (nullptr when neither may be). rec->challenger gets the verified
// setting's figures over its verification runs.
const CellStats* JudgeVerified(const StudyOutline& o, const std::vector<RunResult>& runs, const CellStats* baseline,
                               const CellStats* verified, Recommendation* rec) {
  rec->challenger = VerifiedFigures(o, runs, *verified);
  rec->challenger_name = DifferenceFromDefault(o, verified->env);
  const CellStats& v = rec->challenger;
  const std::string name = DescribeSetting(o, verified->env);
  const bool keep = baseline && baseline->feasible;
  if (!v.feasible) {
    rec->verification = VerifyOutcome::kRuledOut;
    rec->warnings.push_back(fmt::format("the design's best setting ({}) failed its verification ({}): {}", name,
                                        v.infeasible_why, keep ? "keep the default" : "and so did the default"));
    return keep ? baseline : nullptr;
  }
  const CentreChoice by =
      keep && !baseline->values.empty() ? ChooseCentre(v, rec->challenger_name, *baseline) : CentreChoice{};
  if (keep && by.best >= by.baseline) {
    rec->verification = VerifyOutcome::kSlower;
    rec->centre = by.centre;
    rec->swayed = by.why;
    rec->warnings.push_back(
        fmt::format("the design's best setting ({}) did not beat the default when verified "
                    "({:.3f} vs {:.3f} ms{}): keep the default",
                    name, by.best, by.baseline, by.centre == Centre::kMedian ? " by median" : ""));
    return baseline;
  }
  rec->verification = VerifyOutcome::kPassed;
  return verified;
}

// The recommended setting against the default: ratio, Welch test, warnings.
void Compare(const StudyOutline& o, const CellStats& best, const CellStats* baseline, Recommendation* rec) {
  for (const Factor& f : o.factors) {
    const std::string& v = ValueOf(best.env, f.name);
    rec->env_lines.push_back(v.empty() ? fmt::format("unset {}", f.name) : fmt::format("{}={}", f.name, v));
  }
  if (baseline && !baseline->values.empty()) {
    rec->baseline = *baseline;
    const CellStats& b = rec->best;
    rec->is_default = CanonicalEnv(b.env) == CanonicalEnv(baseline->env);
    const CentreChoice by = rec->is_default ? CentreChoice{Centre::kMean, "", b.mean, baseline->mean}
                                            : ChooseCentre(b, DifferenceFromDefault(o, b.env), *baseline);
    if (rec->verification != VerifyOutcome::kSlower) {  // else the verification's choice stands
      rec->centre = by.centre;
      rec->swayed = by.why;
    }
    rec->ratio = by.baseline > 0 ? by.best / by.baseline : 0;
    rec->testable = b.values.size() >= 2 && baseline->values.size() >= 2 && !rec->is_default;
    if (rec->testable) {
      rec->p_value = CentrePValue(by.centre, b, *baseline);
      rec->welch_p_value = WelchPValue(b.values, baseline->values);
    }
    rec->significant = rec->testable && rec->p_value < 0.05 && by.best < by.baseline;
  }
  if (best.mean_gc_cycles < 1 && best.EstimatedRuns() > 0) {
    rec->warnings.push_back(
        fmt::format("no GC cycle ran in most of this setting's measured windows ({:.1f} per run): its figures are the "
                    "steady-state estimate, which no run measured a collection's cost for; raise max_duration "
                    "(--max-duration) or require cycles ([constraints] min_gc_cycles = 1)",
                    best.mean_gc_cycles));
  } else if (best.mean_gc_cycles < 1) {
    rec->warnings.push_back(fmt::format(
        "no GC cycle ran in most of this setting's measured windows ({:.1f} per run): its latency shows the "
        "service between collections, not what a collection costs it; measure longer (--duration) or require "
        "cycles ([constraints] min_gc_cycles = 1)",
        best.mean_gc_cycles));
  }
  // As Go reads them: GOMEMLIMIT=9223372036854775807 is no limit either.
  if (CanonicalKnobValue("GOGC", ValueOf(best.env, "GOGC")) == "off" &&
      CanonicalKnobValue("GOMEMLIMIT", ValueOf(best.env, "GOMEMLIMIT")).empty()) {
    rec->warnings.push_back("GOGC=off without a GOMEMLIMIT never collects: the heap grows until the process dies");
  }
}

// "GOGC=400 GOMEMLIMIT=450MiB: the live heap grows +2.1 MiB/s and reaches
// the limit in ~70 s, then GC runs back to back; ...", or "" when no run of
// `c` saw its live heap reach its limit within the horizon.
std::string HeapWarning(const StudyOutline& o, const CellStats& c) {
  if (c.limit_reached_in_ns < 0) return "";
  return fmt::format(
      "{}: the live heap grows {:+.1f} MiB/s and reaches the limit in {}, then GC runs back to back; not "
      "recommended for long runs without more headroom",
      DifferenceFromDefault(o, c.env), c.live_heap_slope_bytes_per_sec / 1048576,
      ApproxDurationText(c.limit_reached_in_ns));
}

// The best feasible setting (after verification, if there was one).
void Recommend(const StudyOutline& o, const std::vector<RunResult>& runs, StudyAnalysis* a) {
  Env base_env;
  for (const Factor& f : o.factors) base_env[f.name] = f.baseline;
  const CellStats* baseline = a->Find(base_env);
  const CellStats* best = nullptr;
  for (const CellStats& c : a->cells) {
    if (c.feasible) {
      best = &c;
      break;
    }
  }
  const CellStats* verified = nullptr;
  for (const CellStats& c : a->cells) {
    if (c.Has(RunPhase::kVerify) && !c.Has(RunPhase::kBaseline)) verified = &c;
  }
  Recommendation& rec = a->rec;
  if (verified) best = JudgeVerified(o, runs, baseline, verified, &rec);
  if (!best) {
    rec.why_not = "no setting finished all its runs within the constraints";
    if (baseline && !baseline->values.empty()) rec.baseline = *baseline;  // still drawn in the report
    return;
  }
  rec.found = true;
  rec.verified = best == verified && !rec.challenger.values.empty();
  rec.best = rec.verified ? rec.challenger : *best;  // judged on its verification runs
  Compare(o, rec.best, baseline, &rec);
  // Any run of the setting counts here, design runs too: the heap's trend
  // is the setting's, and a long deployment meets it.
  rec.heap_warning = HeapWarning(o, *best);
  if (!rec.heap_warning.empty()) rec.warnings.push_back(rec.heap_warning);
}

}  // namespace

int CellStats::EstimatedRuns() const {
  return static_cast<int>(
      std::count_if(windows.begin(), windows.end(), [](const RunWindow& w) { return w.estimated; }));
}

bool CellStats::NoRunCoveredPeriods() const {
  const bool known = std::any_of(windows.begin(), windows.end(), [](const RunWindow& w) { return w.known(); });
  return known && std::none_of(windows.begin(), windows.end(), [](const RunWindow& w) { return w.whole; });
}

double ObjectiveMs(const RunResult& r, Objective objective) {
  return static_cast<double>(ObjectiveNs(r.metrics, objective)) / 1e6;
}

std::string PhasesText(const std::set<RunPhase>& phases) {
  std::string s;
  for (RunPhase p : kRunPhases) {
    if (phases.count(p)) s += (s.empty() ? "" : "+") + std::string(RunPhaseName(p));
  }
  return s;
}

const std::string& ValueOf(const Env& env, const std::string& name) {
  static const std::string kUnset;
  const auto it = env.find(name);
  return it == env.end() ? kUnset : it->second;
}

std::string DescribeEnv(const Env& env) {
  std::string s;
  for (const auto& [k, v] : env) s += fmt::format("{}{}={}", s.empty() ? "" : " ", k, Show(v));
  return s;
}

std::string DescribeSetting(const StudyOutline& o, const Env& env) {
  std::string e;
  for (const Factor& f : o.factors) e += (e.empty() ? "" : " ") + f.name + "=" + Show(ValueOf(env, f.name));
  return e;
}

Env CanonicalEnv(const Env& env) {
  Env canonical;
  for (const auto& [name, value] : env) {
    if (std::string v = CanonicalKnobValue(name, value); !v.empty()) canonical.emplace(name, std::move(v));
  }
  return canonical;
}

const CellStats* StudyAnalysis::Find(const Env& env) const {
  const Env want = CanonicalEnv(env);
  for (const CellStats& c : cells) {
    if (CanonicalEnv(c.env) == want) return &c;
  }
  return nullptr;
}

StudyAnalysis Analyze(const StudyOutline& o, const std::vector<RunResult>& runs) {
  StudyAnalysis a;
  a.objective = o.objective;
  GroupCells(o, runs, &a);
  SummarizeCells(o, &a);
  std::vector<const RunResult*> design;
  for (const RunResult& r : runs) {
    if (r.phase == RunPhase::kDesign && r.done()) design.push_back(&r);
  }
  MainEffects(o, design, &a);
  PairTables(o, design, &a);
  ParetoFront(&a);
  Recommend(o, runs, &a);
  return a;
}

const RunResult* RepresentativeRun(const std::vector<RunResult>& runs, const CellStats& cell) {
  std::vector<const RunResult*> all, verify;
  for (const RunResult& r : runs) {
    if (std::find(cell.run_ids.begin(), cell.run_ids.end(), r.id) == cell.run_ids.end()) continue;
    all.push_back(&r);
    if (r.phase == RunPhase::kVerify) verify.push_back(&r);
  }
  const RunResult* pick = nullptr;
  for (const RunResult* r : verify.empty() ? all : verify) {
    if (pick == nullptr || r->metrics.gc_periods > pick->metrics.gc_periods) pick = r;
  }
  return pick;
}

}  // namespace gcpilot
