#include "stats/rank_stats.h"

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

TEST(RankStatsTest, MedianAndScaledMad) {
  EXPECT_EQ(Median({}), 0);
  EXPECT_EQ(Median({0.79, 14.02, 0.96}), 0.96);
  EXPECT_EQ(Median({4, 1, 3, 2}), 2.5);
  EXPECT_EQ(ScaledMad({5}), 0);
  // Deviations from 3: 2, 1, 0, 1, 11: their median is 1.
  EXPECT_DOUBLE_EQ(ScaledMad({1, 2, 3, 4, 14}), 1.4826);
}

// The case: one window of three turned the mean. 14.02 is 104 scaled
// MADs (0.126 ms) from the others' median 0.875; neither 0.79 nor 0.96 is
// far from the median of a pair holding 14.02.
TEST(RankStatsTest, OneFarOffRunIsFound) {
  EXPECT_EQ(OutlierIndex({0.79, 14.02, 0.96}), 1u);
  // 3.1 is 3.04 scaled MADs (0.148) from 2.65, but within 30% of it: noise.
  EXPECT_EQ(OutlierIndex({2.5, 2.6, 2.7, 2.9, 3.1}), std::nullopt);
  EXPECT_EQ(OutlierIndex({2.5, 2.6, 2.7, 2.9, 3.1}, 3, 0), 4u);
  EXPECT_EQ(OutlierIndex({1.0, 2.0}), std::nullopt);  // no spread of the others to judge by
  // Equal others: the floor (10% of their median) keeps 1.29 in, not 1.31.
  EXPECT_EQ(OutlierIndex({1.0, 1.0, 1.29}), std::nullopt);
  EXPECT_EQ(OutlierIndex({1.0, 1.0, 1.31}), 2u);
  EXPECT_EQ(OutlierIndex({0, 0, 5}), std::nullopt);  // others all 0: no scale
}

// Exact two-sided p-values, counted by hand over the C(n, na) splits.
TEST(RankStatsTest, MannWhitneyIsExact) {
  // Ranks 1, 2, 3 of 6: 1 split of 20 that low, 1 that high.
  EXPECT_DOUBLE_EQ(MannWhitneyPValue({1, 2, 3}, {4, 5, 6}), 2.0 / 20);
  // The case: ranks 1, 2 and 8 of 8 (sum 11, expected 13.5): 16 of
  // the 56 splits sum to 11 or less, and 16 to 16 or more.
  EXPECT_DOUBLE_EQ(MannWhitneyPValue({0.79, 14.02, 0.96}, {2.5, 2.6, 2.7, 2.9, 3.1}), 32.0 / 56);
  // 3 runs against 5, all lower: the smallest p there is, 2 / 56.
  EXPECT_DOUBLE_EQ(MannWhitneyPValue({1, 1.1, 1.2}, {2.5, 2.6, 2.7, 2.9, 3.1}), 2.0 / 56);
  // A tie across the samples takes the mean rank: {1, 2.5} against {2.5, 4}.
  EXPECT_DOUBLE_EQ(MannWhitneyPValue({1, 2}, {2, 3}), 4.0 / 6);
  EXPECT_EQ(MannWhitneyPValue({}, {1, 2}), 1);
  EXPECT_EQ(MannWhitneyPValue({1, 2}, {1, 2}), 1);
}

TEST(MannWhitneyMinPValue, FewRunsCannotBeSignificant) {
  EXPECT_DOUBLE_EQ(MannWhitneyMinPValue(3, 3), 0.1);       // 2 / 20
  EXPECT_DOUBLE_EQ(MannWhitneyMinPValue(3, 4), 2.0 / 35);  // 0.0571
  EXPECT_DOUBLE_EQ(MannWhitneyMinPValue(4, 4), 2.0 / 70);  // 0.0286
  EXPECT_DOUBLE_EQ(MannWhitneyMinPValue(1, 1), 1.0);
}

}  // namespace
}  // namespace gcpilot
