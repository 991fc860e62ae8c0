// What a study's runs say: per-setting statistics, main effects with
// spread, the ANOVA share of variance per factor, two-factor tables (the
// heat maps), the Pareto front of latency against memory, and the
// recommendation against the default setting with a significance test.
#ifndef GCPILOT_TUNE_ANALYSIS_H_
#define GCPILOT_TUNE_ANALYSIS_H_

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/study_store.h"
#include "tune/spec.h"

namespace gcpilot {

// The objective value of a run ("p99" -> p99_ms, ...).
double Objective(const RunRecord& r, const std::string& objective);

struct CellStats {
  std::map<std::string, std::string> env;  // the setting
  std::vector<int> levels;                 // -1 where a baseline value is not a level
  std::string phases;                      // "design", "baseline", "design+baseline", ...
  int runs = 0, failed = 0;
  std::vector<double> values;              // objective per done run
  double mean = 0, sd = 0, min = 0, max = 0;
  double mean_rss = 0;                     // bytes, over done runs
  double max_error_rate = 0;
  double mean_gc_cpu = 0, mean_gc_cycles = 0;  // mean_gc_cpu -1: unknown
  int gc_cpu_runs = 0;
  bool feasible = false;                   // all runs done, constraints met
  std::string infeasible_why;
};

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
};

struct PairTable {
  std::string row_factor, col_factor;
  std::vector<std::string> row_levels, col_levels;
  std::vector<std::vector<double>> mean;  // NaN where no run
};

struct Recommendation {
  bool found = false;
  std::string why_not;  // when !found
  CellStats best, baseline;
  double ratio = 0;      // best mean / baseline mean
  double p_value = 1;    // Welch's t-test, two-sided
  bool significant = false;
  bool testable = false;    // both have 2+ runs: p_value means something
  bool is_default = false;  // the best setting is the default itself
  bool verified = false;    // judged on its verification runs only (best.values are those)
  std::vector<std::string> env_lines;  // "GOGC=400", "GOMEMLIMIT=off", ...
  std::vector<std::string> warnings;   // what the numbers do not show
};

struct StudyAnalysis {
  std::string objective;
  std::vector<CellStats> cells;  // best (lowest mean) first
  std::vector<MainEffect> effects;
  double residual_share = 0;
  int residual_df = 0;  // design runs - 1 - sum over factors of (levels - 1)
  std::vector<PairTable> pairs;
  std::vector<int> pareto;  // indexes into cells: the P99-vs-RSS front
  Recommendation rec;
  std::map<std::string, std::string> predicted_best;  // each factor at its best level
  int done = 0, failed = 0, pending = 0;
};

StudyAnalysis Analyze(const StudySpec& spec, const std::vector<RunRecord>& runs);

// "sd 0.020, 2 runs" or "1 run, no spread": a setting's spread in words.
std::string SpreadText(const CellStats& c);
// The verdict on the recommendation against the default, in one sentence.
std::string ConfidenceText(const Recommendation& r, const std::string& objective);

// Two-sided p-value of Welch's t-test for the means of a and b (1 when
// either has fewer than two values or both have no spread).
double WelchPValue(const std::vector<double>& a, const std::vector<double>& b);

// The CDF of Student's t distribution with `df` degrees of freedom.
double StudentTCdf(double t, double df);

std::string AnalysisTable(const StudySpec& spec, const StudyAnalysis& a);
nlohmann::ordered_json AnalysisJson(const StudySpec& spec, const StudyAnalysis& a);

}  // namespace gcpilot

#endif  // GCPILOT_TUNE_ANALYSIS_H_
