#include "stats/sample_stats.h"

#include <cmath>

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

// References computed independently: t.cdf(2, 10) by numerical integration
// of the density, t.cdf(1, 1) = 3/4 (Cauchy).
TEST(SampleStatsTest, StudentT) {
  EXPECT_NEAR(StudentTCdf(2.0, 10), 0.96330598261462974, 1e-12);
  EXPECT_NEAR(StudentTCdf(1.0, 1), 0.75, 1e-12);
  EXPECT_NEAR(StudentTCdf(0.0, 7), 0.5, 1e-15);
  EXPECT_NEAR(StudentTCdf(-2.0, 10), 1 - 0.96330598261462974, 1e-12);
}

TEST(SampleStatsTest, Welch) {
  // t = -8.8196, df = 4 (Welch-Satterthwaite); the two-sided p from the
  // closed-form CDF for 4 degrees of freedom.
  EXPECT_NEAR(WelchPValue({10, 10.2, 9.9}, {11, 11.3, 11.1}), 0.00091204769399322, 1e-12);
  EXPECT_EQ(WelchPValue({1}, {2, 3}), 1);
}

TEST(SampleStatsTest, MeanAndSpread) {
  EXPECT_EQ(Mean({}), 0);
  EXPECT_DOUBLE_EQ(Mean({1, 2, 6}), 3);
  EXPECT_EQ(SampleSd({4}), 0);
  EXPECT_DOUBLE_EQ(SampleSd({1, 2, 6}), std::sqrt(7.0));
}

}  // namespace
}  // namespace gcpilot
