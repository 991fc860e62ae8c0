// Statistics that one far-off run cannot drag: the median, the scaled
// median absolute deviation, and the exact Mann-Whitney rank test. The
// study compares a handful of runs per setting, where one window's luck
// can turn a mean (runs of 0.79, 14.02 and 0.96 ms); these judge such
// samples by their middle and their order instead. Our own code for the
// same reason as sample_stats.h: small samples, nothing more needed.
#ifndef GCPILOT_STATS_RANK_STATS_H_
#define GCPILOT_STATS_RANK_STATS_H_

#include <cstddef>
#include <optional>
#include <vector>

namespace gcpilot {

// The middle value (the mean of the two middle ones for an even count);
// 0 for an empty sample.
double Median(std::vector<double> v);

// 1.4826 x the median absolute deviation from the median: the standard
// deviation's robust stand-in (equal to it for normal data). 0 under two
// values.
double ScaledMad(const std::vector<double>& v);

// The index of the value that lies farthest beyond `k` scaled MADs from
// the median of the others, or nullopt when none does. Needs 3 or more
// values (2 others to have a spread). The others' scaled MAD is taken as at
// least `floor_share` of their median: a few close runs have a tiny MAD by
// chance, and run-to-run noise of 10% is no outlier (so with the defaults a
// value must also be more than 30% off the others' median).
std::optional<size_t> OutlierIndex(const std::vector<double>& v, double k = 3, double floor_share = 0.1);

// Two-sided p-value of the Mann-Whitney (Wilcoxon rank-sum) test that
// values of a and b come from one distribution: exact, over every way to
// split the pooled ranks (ties get their mean rank). 1 when either is
// empty. For up to 100 values in all.
double MannWhitneyPValue(const std::vector<double>& a, const std::vector<double>& b);

// The smallest two-sided p the exact test can give samples of these sizes
// (every one of one below every one of the other): 2 / C(n1 + n2, n1),
// at most 1. With 3 and 3 runs it is 0.1: no data can be significant.
double MannWhitneyMinPValue(size_t n1, size_t n2);

}  // namespace gcpilot

#endif  // GCPILOT_STATS_RANK_STATS_H_
