// Whether the verdict between two settings may rest on their means. It may
// not where one run sways a mean: a run of either setting lies beyond 3
// scaled MADs of that setting's other runs (and over 30% off their median,
// see OutlierIndex), or the means and the medians order the two settings
// differently. The verdict then compares medians and tests with the exact
// Mann-Whitney rank test, and says why.
#ifndef GCPILOT_ANALYSIS_ROBUST_COMPARE_H_
#define GCPILOT_ANALYSIS_ROBUST_COMPARE_H_

#include <string>

#include "analysis/study_analysis.h"

namespace gcpilot {

struct CentreChoice {
  Centre centre = Centre::kMean;
  // Why not the means, e.g. "one of GOGC=400's 3 runs (14.020 ms) lies
  // beyond 3 scaled MADs of the others"; "" by mean.
  std::string why;
  double best = 0, baseline = 0;  // the values compared, ms
};

// `best_name` names `best` in `why` ("GOGC=400"). Both need done runs.
CentreChoice ChooseCentre(const CellStats& best, const std::string& best_name, const CellStats& baseline);

// Two-sided p-value of the test that goes with `centre`: Welch's t-test
// for means, Mann-Whitney for medians.
double CentrePValue(Centre centre, const CellStats& best, const CellStats& baseline);

}  // namespace gcpilot

#endif  // GCPILOT_ANALYSIS_ROBUST_COMPARE_H_
