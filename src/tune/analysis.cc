#include "tune/analysis.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>

#include <fmt/format.h>

namespace gcpilot {
namespace {

double Mean(const std::vector<double>& v) {
  return v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / v.size();
}

double Sd(const std::vector<double>& v) {  // sample standard deviation
  if (v.size() < 2) return 0;
  const double m = Mean(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / (v.size() - 1));
}

// Continued fraction of the regularized incomplete beta (modified Lentz).
double BetaFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300, kEps = 1e-15;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < kEps) break;
  }
  return h;
}

double IncompleteBeta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * BetaFraction(a, b, x) / a;
  return 1 - front * BetaFraction(b, a, 1 - x) / b;
}

std::string Key(const std::map<std::string, std::string>& env) {
  std::string k;
  for (const auto& [n, v] : env) k += n + "=" + v + ";";
  return k;
}

std::string Show(const std::string& v) { return v.empty() ? "(unset)" : v; }

}  // namespace

double StudentTCdf(double t, double df) {
  const double x = df / (df + t * t);
  const double tail = 0.5 * IncompleteBeta(df / 2, 0.5, x);
  return t >= 0 ? 1 - tail : tail;
}

double WelchPValue(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() < 2 || b.size() < 2) return 1;
  const double va = Sd(a) * Sd(a) / a.size(), vb = Sd(b) * Sd(b) / b.size();
  if (va + vb <= 0) return Mean(a) == Mean(b) ? 1 : 0;
  const double t = (Mean(a) - Mean(b)) / std::sqrt(va + vb);
  const double df = (va + vb) * (va + vb) /
                    (va * va / (a.size() - 1) + vb * vb / (b.size() - 1));
  return 2 * (1 - StudentTCdf(std::fabs(t), df));
}

double Objective(const RunRecord& r, const std::string& objective) {
  if (objective == "p50") return r.p50_ms;
  if (objective == "p90") return r.p90_ms;
  if (objective == "p999") return r.p999_ms;
  if (objective == "max") return r.max_ms;
  if (objective == "mean") return r.mean_ms;
  return r.p99_ms;
}

StudyAnalysis Analyze(const StudySpec& spec, const std::vector<RunRecord>& runs) {
  StudyAnalysis a;
  a.objective = spec.objective;
  const size_t nf = spec.factors.size();

  // Settings: runs grouped by the environment they set.
  std::map<std::string, size_t> index;
  for (const RunRecord& r : runs) {
    if (r.status == "pending") {
      ++a.pending;
      continue;
    }
    (r.status == "done" ? a.done : a.failed)++;
    const std::string key = Key(r.env);
    if (!index.count(key)) {
      index[key] = a.cells.size();
      CellStats c;
      c.env = r.env;
      c.levels = r.levels;
      a.cells.push_back(c);
    }
    CellStats& c = a.cells[index[key]];
    if (c.phases.find(r.phase) == std::string::npos) c.phases += (c.phases.empty() ? "" : "+") + r.phase;
    ++c.runs;
    if (r.status != "done") {
      ++c.failed;
      if (c.infeasible_why.empty()) c.infeasible_why = "a run failed: " + r.reason;
      continue;
    }
    c.values.push_back(Objective(r, spec.objective));
    c.mean_rss += static_cast<double>(r.peak_rss_bytes);
    c.max_error_rate = std::max(c.max_error_rate, r.error_rate);
    if (r.gc_cpu_share >= 0) {  // -1: no gctrace cycle to know GOMAXPROCS
      c.mean_gc_cpu += r.gc_cpu_share;
      ++c.gc_cpu_runs;
    }
    c.mean_gc_cycles += static_cast<double>(r.gc_cycles);
  }
  for (CellStats& c : a.cells) {
    const double n = static_cast<double>(c.values.size());
    if (n > 0) {
      c.mean = Mean(c.values);
      c.sd = Sd(c.values);
      c.min = *std::min_element(c.values.begin(), c.values.end());
      c.max = *std::max_element(c.values.begin(), c.values.end());
      c.mean_rss /= n;
      c.mean_gc_cpu = c.gc_cpu_runs ? c.mean_gc_cpu / c.gc_cpu_runs : -1;
      c.mean_gc_cycles /= n;
    }
    if (c.failed == 0 && n > 0) {
      if (spec.max_peak_rss && c.mean_rss > static_cast<double>(spec.max_peak_rss)) {
        c.infeasible_why = fmt::format("peak RSS {} over the {} budget", FormatBytes(static_cast<int64_t>(c.mean_rss)),
                                       FormatBytes(spec.max_peak_rss));
      } else if (c.max_error_rate > spec.max_error_rate) {
        c.infeasible_why = fmt::format("error rate {:.3f}% over the {:.3f}% allowed", 100 * c.max_error_rate,
                                       100 * spec.max_error_rate);
      } else if (c.mean_gc_cycles < spec.min_gc_cycles) {
        c.infeasible_why = fmt::format("{:.1f} GC cycles per measured window, under the {:g} asked",
                                       c.mean_gc_cycles, spec.min_gc_cycles);
      } else {
        c.feasible = true;
      }
    }
  }
  std::stable_sort(a.cells.begin(), a.cells.end(), [](const CellStats& x, const CellStats& y) {
    if (x.values.empty() != y.values.empty()) return !x.values.empty();
    return x.mean < y.mean;
  });

  // Main effects and ANOVA over the design runs that finished.
  std::vector<const RunRecord*> design;
  for (const RunRecord& r : runs) {
    if (r.phase == "design" && r.status == "done") design.push_back(&r);
  }
  std::vector<double> all;
  for (const RunRecord* r : design) all.push_back(Objective(*r, spec.objective));
  const double grand = Mean(all);
  double ss_total = 0;
  for (double y : all) ss_total += (y - grand) * (y - grand);
  double ss_factors = 0;
  a.residual_df = static_cast<int>(all.size()) - 1;
  for (size_t f = 0; f < nf; ++f) {
    a.residual_df -= static_cast<int>(spec.factors[f].levels.size()) - 1;
    MainEffect e;
    e.factor = spec.factors[f].name;
    double best = std::numeric_limits<double>::infinity(), worst = -best;
    double ss = 0;
    for (size_t l = 0; l < spec.factors[f].levels.size(); ++l) {
      std::vector<double> ys;
      for (const RunRecord* r : design) {
        if (r->levels.size() == nf && r->levels[f] == static_cast<int>(l)) ys.push_back(Objective(*r, spec.objective));
      }
      LevelEffect le{spec.factors[f].levels[l], static_cast<int>(ys.size()), Mean(ys), Sd(ys)};
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
    e.range = std::isfinite(best) ? worst - best : 0;
    e.anova_share = ss_total > 0 ? ss / ss_total : 0;
    ss_factors += ss;
    a.predicted_best[e.factor] = e.best_level;
    a.effects.push_back(e);
  }
  a.residual_share = ss_total > 0 ? std::max(0.0, 1 - ss_factors / ss_total) : 0;

  // Two-factor tables.
  for (size_t i = 0; i < nf; ++i) {
    for (size_t j = i + 1; j < nf; ++j) {
      PairTable t;
      t.row_factor = spec.factors[i].name;
      t.col_factor = spec.factors[j].name;
      t.row_levels = spec.factors[i].levels;
      t.col_levels = spec.factors[j].levels;
      for (size_t li = 0; li < t.row_levels.size(); ++li) {
        std::vector<double> row;
        for (size_t lj = 0; lj < t.col_levels.size(); ++lj) {
          std::vector<double> ys;
          for (const RunRecord* r : design) {
            if (r->levels.size() == nf && r->levels[i] == static_cast<int>(li) &&
                r->levels[j] == static_cast<int>(lj)) {
              ys.push_back(Objective(*r, spec.objective));
            }
          }
          row.push_back(ys.empty() ? std::nan("") : Mean(ys));
        }
        t.mean.push_back(row);
      }
      a.pairs.push_back(t);
    }
  }

  // Pareto front over settings with results: no other setting is both
  // faster and smaller.
  for (size_t i = 0; i < a.cells.size(); ++i) {
    const CellStats& c = a.cells[i];
    if (c.values.empty() || c.failed) continue;
    bool dominated = false;
    for (const CellStats& o : a.cells) {
      if (&o == &c || o.values.empty() || o.failed) continue;
      if (o.mean <= c.mean && o.mean_rss <= c.mean_rss && (o.mean < c.mean || o.mean_rss < c.mean_rss)) {
        dominated = true;
        break;
      }
    }
    if (!dominated) a.pareto.push_back(static_cast<int>(i));
  }

  // Recommendation: the best feasible setting, against the baseline.
  std::map<std::string, std::string> base_env;
  for (const Factor& f : spec.factors) base_env[f.name] = f.baseline;
  const CellStats* baseline = nullptr;
  for (const CellStats& c : a.cells) {
    if (Key(c.env) == Key(base_env)) baseline = &c;
  }
  const CellStats* best = nullptr;
  for (const CellStats& c : a.cells) {
    if (c.feasible) {
      best = &c;
      break;
    }
  }
  // After a verification round the verdict is about the setting that was
  // verified, judged on its verification runs only: its design runs are
  // what made it win (the winner's curse), and picking again the lowest
  // mean among settings with fewer runs would reward luck. The default's
  // runs are all unbiased.
  Recommendation& rec = a.rec;
  const CellStats* verified = nullptr;
  for (const CellStats& c : a.cells) {
    if (c.phases.find("verify") != std::string::npos && c.phases.find("baseline") == std::string::npos) verified = &c;
  }
  std::vector<double> verify_values;
  if (verified) {
    for (const RunRecord& r : runs) {
      if (r.phase == "verify" && r.status == "done" && Key(r.env) == Key(verified->env)) {
        verify_values.push_back(Objective(r, spec.objective));
      }
    }
    const std::string name = [&] {
      std::string e;
      for (const Factor& f : spec.factors) e += (e.empty() ? "" : " ") + f.name + "=" + Show(verified->env.at(f.name));
      return e;
    }();
    if (!verified->feasible) {
      rec.warnings.push_back(fmt::format("the design's best setting ({}) failed its verification ({}): keep the "
                                         "default", name, verified->infeasible_why));
      best = baseline && baseline->feasible ? baseline : nullptr;
    } else if (baseline && baseline->feasible && !verify_values.empty() && Mean(verify_values) >= baseline->mean) {
      rec.warnings.push_back(fmt::format("the design's best setting ({}) did not beat the default when verified "
                                         "({:.3f} vs {:.3f} ms): keep the default",
                                         name, Mean(verify_values), baseline->mean));
      best = baseline;
    } else {
      best = verified;
    }
  }
  if (!best) {
    rec.why_not = "no setting finished all its runs within the constraints";
  } else {
    rec.found = true;
    rec.best = *best;
    rec.verified = best == verified && !verify_values.empty();
    if (rec.verified) {  // judged on its verification runs
      rec.best.values = verify_values;
      rec.best.mean = Mean(verify_values);
      rec.best.sd = Sd(verify_values);
    }
    for (const Factor& f : spec.factors) {
      const std::string& v = best->env.at(f.name);
      rec.env_lines.push_back(v.empty() ? fmt::format("unset {}", f.name) : fmt::format("{}={}", f.name, v));
    }
    if (baseline && !baseline->values.empty()) {
      rec.baseline = *baseline;
      const CellStats& b = rec.best;
      rec.ratio = baseline->mean > 0 ? b.mean / baseline->mean : 0;
      rec.p_value = WelchPValue(b.values, baseline->values);
      rec.testable = b.values.size() >= 2 && baseline->values.size() >= 2;
      rec.is_default = Key(b.env) == Key(baseline->env);
      rec.significant = rec.testable && !rec.is_default && rec.p_value < 0.05 && b.mean < baseline->mean;
    }
    if (best->mean_gc_cycles < 1) {
      rec.warnings.push_back(fmt::format(
          "no GC cycle ran in most of this setting's measured windows ({:.1f} per run): its latency shows the "
          "service between collections, not what a collection costs it; measure longer (--duration) or require "
          "cycles ([constraints] min_gc_cycles = 1)",
          best->mean_gc_cycles));
    }
    if (best->env.count("GOGC") && best->env.at("GOGC") == "off" &&
        (!best->env.count("GOMEMLIMIT") || best->env.at("GOMEMLIMIT").empty() ||
         best->env.at("GOMEMLIMIT") == "off")) {
      rec.warnings.push_back("GOGC=off without a GOMEMLIMIT never collects: the heap grows until the process dies");
    }
  }
  return a;
}

std::string SpreadText(const CellStats& c) {
  if (c.values.size() >= 2) return fmt::format("sd {:.3f}, {} runs", c.sd, c.values.size());
  return c.values.empty() ? "no finished run" : "1 run, no spread";
}

std::string ConfidenceText(const Recommendation& r, const std::string& objective) {
  const std::string obj = objective == "p999" ? "p99.9" : objective;
  if (r.baseline.values.empty()) return "the default setting has no finished run to compare with";
  if (r.is_default) return "the default setting is the best measured: keep it";
  const std::string ratio = fmt::format("{:.2f}x the default's {}{}", r.ratio, obj,
                                        r.verified ? " (its verification runs only)" : "");
  if (!r.testable) {
    return ratio + "; one run of either cannot tell a difference from run-to-run noise (use --repeats 2 or more)";
  }
  return fmt::format("{}; Welch t-test p = {:.4f}: {}", ratio, r.p_value,
                     r.significant ? "the difference stands out from the run-to-run noise"
                                   : "NOT distinguishable from run-to-run noise (add repeats)");
}

std::string AnalysisTable(const StudySpec& spec, const StudyAnalysis& a) {
  const std::string obj = a.objective == "p999" ? "p99.9" : a.objective;
  std::string s;
  s += fmt::format("runs: {} done, {} failed, {} pending\n\n", a.done, a.failed, a.pending);
  s += fmt::format("settings by mean {} (ms, corrected), best first\n", obj);
  std::string header = "  ";
  for (const Factor& f : spec.factors) header += fmt::format("{:<13}", f.name);
  s += header + fmt::format("{:>9} {:>8} {:>5} {:>11} {:>8} {:>7}  note\n", obj, "sd", "runs", "peak RSS", "GC CPU",
                            "cycles");
  for (const CellStats& c : a.cells) {
    std::string row = "  ";
    for (const Factor& f : spec.factors) row += fmt::format("{:<13}", Show(c.env.at(f.name)));
    std::string note = c.feasible ? "" : c.infeasible_why;
    if (c.phases.find("baseline") != std::string::npos) note = "default" + std::string(note.empty() ? "" : "; ") + note;
    if (c.values.empty()) {
      row += fmt::format("{:>9} {:>8} {:>5} {:>11} {:>8} {:>7}  {}\n", "-", "-", c.runs, "-", "-", "-", note);
    } else {
      const std::string gc = c.mean_gc_cpu >= 0 ? fmt::format("{:.1f}%", 100 * c.mean_gc_cpu) : "-";
      const std::string sd = c.values.size() >= 2 ? fmt::format("{:.3f}", c.sd) : "-";
      row += fmt::format("{:>9.3f} {:>8} {:>5} {:>11} {:>8} {:>7.1f}  {}\n", c.mean, sd, c.runs,
                         FormatBytes(static_cast<int64_t>(c.mean_rss)), gc, c.mean_gc_cycles, note);
    }
    s += row;
  }
  s += fmt::format("\nmain effects on {} (design runs: mean ms, sd, n)\n", obj);
  for (const MainEffect& e : a.effects) {
    s += fmt::format("  {:<13} {:>5.1f}% of variance  ", e.factor, 100 * e.anova_share);
    for (const LevelEffect& l : e.levels) {
      if (l.n == 0) {
        s += fmt::format("  {}: -", Show(l.level));
      } else if (l.n == 1) {
        s += fmt::format("  {}: {:.3f} (1)", Show(l.level), l.mean);
      } else {
        s += fmt::format("  {}: {:.3f} ±{:.3f} ({})", Show(l.level), l.mean, l.sd, l.n);
      }
    }
    s += "\n";
  }
  if (a.residual_df > 0) {
    s += fmt::format("  {:<13} {:>5.1f}% of variance (noise and interactions)\n", "residual", 100 * a.residual_share);
  } else {
    s += fmt::format("  {:<13} no degrees of freedom left: the shares above also hold the noise (repeat runs to "
                     "tell effects from noise)\n", "residual");
  }
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
  s += fmt::format("\nPareto front ({} vs peak RSS):\n", obj);
  for (int i : a.pareto) {
    const CellStats& c = a.cells[i];
    std::string env;
    for (const Factor& f : spec.factors) env += fmt::format("{}={} ", f.name, Show(c.env.at(f.name)));
    s += fmt::format("  {:>9.3f} ms  {:>11}  {}\n", c.mean, FormatBytes(static_cast<int64_t>(c.mean_rss)), env);
  }
  s += "\nrecommendation\n";
  const Recommendation& r = a.rec;
  if (!r.found) {
    s += "  none: " + r.why_not + "\n";
    return s;
  }
  for (const std::string& line : r.env_lines) s += "  " + line + "\n";
  s += fmt::format("  {} {:.3f} ms ({}), peak RSS {}\n", obj, r.best.mean, SpreadText(r.best),
                   FormatBytes(static_cast<int64_t>(r.best.mean_rss)));
  if (!r.baseline.values.empty() && !r.is_default) {
    s += fmt::format("  default setting: {} {:.3f} ms ({}), peak RSS {}\n", obj, r.baseline.mean,
                     SpreadText(r.baseline), FormatBytes(static_cast<int64_t>(r.baseline.mean_rss)));
  }
  s += "  " + ConfidenceText(r, a.objective) + "\n";
  for (const std::string& w : r.warnings) s += "  warning: " + w + "\n";
  return s;
}

nlohmann::ordered_json AnalysisJson(const StudySpec& spec, const StudyAnalysis& a) {
  auto cell = [&](const CellStats& c) {
    nlohmann::ordered_json j;
    j["env"] = c.env;
    j["phases"] = c.phases;
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
    j["feasible"] = c.feasible;
    if (!c.infeasible_why.empty()) j["infeasible_why"] = c.infeasible_why;
    return j;
  };
  nlohmann::ordered_json j;
  j["objective"] = a.objective;
  j["runs"] = {{"done", a.done}, {"failed", a.failed}, {"pending", a.pending}};
  nlohmann::ordered_json cells = nlohmann::ordered_json::array();
  for (const CellStats& c : a.cells) cells.push_back(cell(c));
  j["settings"] = cells;
  nlohmann::ordered_json effects = nlohmann::ordered_json::array();
  for (const MainEffect& e : a.effects) {
    nlohmann::ordered_json levels = nlohmann::ordered_json::array();
    for (const LevelEffect& l : e.levels) levels.push_back({{"level", l.level}, {"n", l.n}, {"mean_ms", l.mean}, {"sd_ms", l.sd}});
    effects.push_back({{"factor", e.factor}, {"anova_share", e.anova_share}, {"range_ms", e.range},
                       {"best_level", e.best_level}, {"levels", levels}});
  }
  j["main_effects"] = effects;
  j["residual_share"] = a.residual_share;
  j["residual_df"] = a.residual_df;
  nlohmann::ordered_json pairs = nlohmann::ordered_json::array();
  for (const PairTable& t : a.pairs) {
    nlohmann::ordered_json m = nlohmann::ordered_json::array();
    for (const auto& row : t.mean) {
      nlohmann::ordered_json r = nlohmann::ordered_json::array();
      for (double v : row) r.push_back(std::isnan(v) ? nlohmann::ordered_json() : nlohmann::ordered_json(v));
      m.push_back(r);
    }
    pairs.push_back({{"rows", t.row_factor}, {"columns", t.col_factor}, {"row_levels", t.row_levels},
                     {"column_levels", t.col_levels}, {"mean_ms", m}});
  }
  j["pairs"] = pairs;
  nlohmann::ordered_json pareto = nlohmann::ordered_json::array();
  for (int i : a.pareto) pareto.push_back(cell(a.cells[i]));
  j["pareto"] = pareto;
  nlohmann::ordered_json rec;
  rec["found"] = a.rec.found;
  if (a.rec.found) {
    rec["env"] = a.rec.env_lines;
    rec["best"] = cell(a.rec.best);
    rec["verdict"] = ConfidenceText(a.rec, a.objective);
    rec["warnings"] = a.rec.warnings;
    if (!a.rec.baseline.values.empty()) {
      rec["default"] = cell(a.rec.baseline);
      rec["ratio_to_default"] = a.rec.ratio;
      rec["welch_p_value"] = a.rec.testable ? nlohmann::ordered_json(a.rec.p_value) : nlohmann::ordered_json();
      rec["significant"] = a.rec.significant;
      rec["is_default"] = a.rec.is_default;
      rec["verified"] = a.rec.verified;
    }
  } else {
    rec["why_not"] = a.rec.why_not;
  }
  j["recommendation"] = rec;
  (void)spec;
  return j;
}

}  // namespace gcpilot
