// What a study's runs say: per-setting statistics, main effects with
// spread, the ANOVA share of variance per factor, two-factor tables (the
// heat maps), the Pareto front of latency against memory, and the
// recommendation against the default setting with a significance test.
// Reads stored runs only (model structs): tune, report and the stages to
// come share it, and it runs nothing.
#ifndef GCPILOT_ANALYSIS_STUDY_ANALYSIS_H_
#define GCPILOT_ANALYSIS_STUDY_ANALYSIS_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/run_result.h"
#include "model/study_outline.h"

namespace gcpilot {

using Env = std::map<std::string, std::string>;

// The objective value of a run in milliseconds (tables and plots are in ms).
double ObjectiveMs(const RunResult& r, Objective objective);

// How one done run's window was measured (RunMetrics' window fields).
struct RunWindow {
  int64_t periods = -1;    // whole GC periods it spanned; -1 unknown (a run stored before schema 3)
  int64_t window_ns = 0;   // its length; 0 unknown
  bool whole = false;      // it spanned whole GC periods, as many as the study asked
  bool estimated = false;  // its latency figures are the steady-state estimate
  // The run says how its window was measured (a run stored before schema
  // 3 does not: periods -1, window 0).
  bool known() const { return periods >= 0 && window_ns > 0; }
};

struct CellStats {
  Env env;                    // the setting
  std::vector<int> levels;    // RunResult::kNotALevel where a value is not a level
  std::set<RunPhase> phases;  // the rounds that ran it
  int runs = 0, failed = 0;
  // Every figure below comes from the same done runs: these (store ids),
  // counted by round in done_by_phase. For Recommendation::best after a
  // verification round that is its verification runs only.
  std::vector<int64_t> run_ids;
  std::map<RunPhase, int> done_by_phase;
  std::vector<double> values;      // objective per done run, ms
  std::vector<RunWindow> windows;  // per done run, in the order of values
  double mean = 0, sd = 0, min = 0, max = 0, median = 0;
  double mean_rss = 0;  // bytes, over done runs
  double max_error_rate = 0;
  double mean_gc_cpu = 0, mean_gc_cycles = 0;  // mean_gc_cpu -1: unknown
  int gc_cpu_runs = 0;
  // The soonest any done run's live heap trend reaches its GOMEMLIMIT (-1:
  // none within the study's horizon), and that run's slope.
  int64_t limit_reached_in_ns = -1;
  double live_heap_slope_bytes_per_sec = 0;
  bool feasible = false;  // all runs done, constraints met
  std::string infeasible_why;

  bool Has(RunPhase p) const { return phases.count(p) > 0; }
  // Done runs whose objective is the steady-state estimate.
  int EstimatedRuns() const;
  // Some done runs say how many periods they spanned, and none spanned
  // whole periods: every figure of the setting rests on too few.
  bool NoRunCoveredPeriods() const;
};
// "design+baseline": the phases in round order.
std::string PhasesText(const std::set<RunPhase>& phases);

struct LevelEffect {
  std::string level;
  int n = 0;
  double mean = 0, sd = 0;
};

struct MainEffect {
  std::string factor;
  std::vector<LevelEffect> levels;
  double range = 0;        // best to worst level mean
  double anova_share = 0;  // share of the total sum of squares
  std::string best_level;
  // The levels ran unequally often in the finished design runs (a folded
  // array column, failed runs): the means compare unequal samples.
  bool unbalanced = false;
};

struct PairTable {
  std::string row_factor, col_factor;
  std::vector<std::string> row_levels, col_levels;
  std::vector<std::vector<double>> mean;  // NaN where no run
};

// How the design's best setting fared in its verification runs.
enum class VerifyOutcome : uint8_t {
  kNone,      // no verification round
  kPassed,    // it beat the default there: it is the recommendation
  kSlower,    // it did not beat the default there
  kRuledOut,  // a verification run failed, or their figures broke a constraint
};

// What the verdict compares: the two settings' means, or their medians
// where one run sways a mean (see ChooseCentre in robust_compare.h).
enum class Centre : uint8_t { kMean, kMedian };

struct Recommendation {
  bool found = false;
  std::string why_not;  // when !found
  // The figures shown beside the verdict. best: its verification runs only
  // when verified (every figure, not just the objective), else all its done
  // runs; baseline: all the default's done runs.
  CellStats best, baseline;
  // By mean: ratio of the means and Welch's t-test. By median (one run
  // sways a mean; `swayed` says which and how): ratio of the medians and the
  // exact Mann-Whitney rank test. Both p-values two-sided.
  Centre centre = Centre::kMean;
  std::string swayed;
  double ratio = 0;    // best / baseline, by `centre`
  double p_value = 1;  // the test of `centre`
  double welch_p_value = 1;
  bool significant = false;
  // Both have 2+ runs and differ: p_value means something (the default is
  // never tested against itself).
  bool testable = false;
  bool is_default = false;             // the best setting is the default itself
  bool verified = false;               // judged on its verification runs only (best.values are those)
  std::vector<std::string> env_lines;  // "GOGC=400", "GOMEMLIMIT=off", ...
  std::vector<std::string> warnings;   // what the numbers do not show
  // The recommended setting's live heap reaches its GOMEMLIMIT within the
  // horizon in one of its runs (also among the warnings); "" when not.
  std::string heap_warning;
  // After a verification round: how the design's best setting fared, its
  // figures over its verification runs only (infeasible_why says what
  // ruled it out), and its name by the factors where it differs from the
  // default ("GOGC=200").
  VerifyOutcome verification = VerifyOutcome::kNone;
  CellStats challenger;
  std::string challenger_name;
};

struct StudyAnalysis {
  Objective objective = Objective::kP99;
  std::vector<CellStats> cells;  // best (lowest mean) first
  std::vector<MainEffect> effects;
  double residual_share = 0;
  int residual_df = 0;  // design runs - 1 - sum over factors of (levels - 1)
  std::vector<PairTable> pairs;
  std::vector<int> pareto;  // indexes into cells: the latency-vs-RSS front
  Recommendation rec;
  Env predicted_best;  // each factor at its best level
  int done = 0, failed = 0, pending = 0;

  // The cell of `env`, or nullptr.
  const CellStats* Find(const Env& env) const;
};

// Never throws; runs whose env lacks a factor of the outline count as that
// factor unset.
StudyAnalysis Analyze(const StudyOutline& outline, const std::vector<RunResult>& runs);

// "factor=value" for each factor in the outline's order, "(unset)" for "".
std::string DescribeSetting(const StudyOutline& outline, const Env& env);
// "GOGC=400 GOMEMLIMIT=(unset)": every variable of `env` in key order.
std::string DescribeEnv(const Env& env);
// The setting `env` makes, keyed so settings the Go runtime cannot tell
// apart are equal: every value in CanonicalKnobValue's form and entries
// that come out "" (unset, the default) left out. GOGC=100, GOGC=0100 and
// no GOGC are one setting; cells and "was it tried" compare these.
Env CanonicalEnv(const Env& env);
// A setting's value of factor `name`, "" where the env does not set it.
const std::string& ValueOf(const Env& env, const std::string& name);

// The run that stands for a setting where one run is shown (tune's printed
// attribution, the report's latency-over-time figure): among its
// verification runs if it has any, else among all the runs its figures
// come from, the one that covered the most GC periods (the earliest of
// equals); nullptr when the setting has no run among `runs`.
const RunResult* RepresentativeRun(const std::vector<RunResult>& runs, const CellStats& cell);

}  // namespace gcpilot

#endif  // GCPILOT_ANALYSIS_STUDY_ANALYSIS_H_
