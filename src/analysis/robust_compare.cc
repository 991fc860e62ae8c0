#include "analysis/robust_compare.h"

#include <fmt/format.h>

#include "stats/rank_stats.h"
#include "stats/sample_stats.h"

namespace gcpilot {
namespace {

// "one of GOGC=400's 3 runs (14.020 ms) lies beyond 3 scaled MADs of the
// others", or "" when no run of `c` does.
std::string OutlierText(const CellStats& c, const std::string& name) {
  const auto i = OutlierIndex(c.values);
  if (!i) return "";
  return fmt::format("one of {}'s {} runs ({:.3f} ms) lies beyond 3 scaled MADs of the others", name, c.values.size(),
                     c.values[*i]);
}

}  // namespace

CentreChoice ChooseCentre(const CellStats& best, const std::string& best_name, const CellStats& baseline) {
  CentreChoice choice{Centre::kMean, "", best.mean, baseline.mean};
  choice.why = OutlierText(best, best_name);
  if (choice.why.empty()) choice.why = OutlierText(baseline, "the default");
  if (choice.why.empty() && (best.mean < baseline.mean) != (best.median < baseline.median)) {
    choice.why = fmt::format(
        "the means ({:.3f} vs {:.3f} ms) and the medians ({:.3f} vs {:.3f} ms) order the two "
        "settings differently",
        best.mean, baseline.mean, best.median, baseline.median);
  }
  if (!choice.why.empty()) choice = {Centre::kMedian, choice.why, best.median, baseline.median};
  return choice;
}

double CentrePValue(Centre centre, const CellStats& best, const CellStats& baseline) {
  return centre == Centre::kMedian ? MannWhitneyPValue(best.values, baseline.values)
                                   : WelchPValue(best.values, baseline.values);
}

}  // namespace gcpilot
