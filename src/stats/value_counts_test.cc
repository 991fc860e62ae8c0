#include "stats/value_counts.h"

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

TEST(ValueCountsTest, EmptyIsAllZero) {
  ValueCounts v(1000, 16);
  EXPECT_EQ(v.count(), 0u);
  EXPECT_EQ(v.Percentile(99), 0);
  EXPECT_EQ(v.max(), 0);
  EXPECT_EQ(v.mean(), 0.0);
}

TEST(ValueCountsTest, NearestRankOnOneToHundred) {
  ValueCounts v(1, 50);  // half dense, half sparse
  for (int i = 100; i >= 1; --i) v.Record(i);
  EXPECT_EQ(v.count(), 100u);
  EXPECT_EQ(v.Percentile(0), 1);
  EXPECT_EQ(v.Percentile(50), 50);
  EXPECT_EQ(v.Percentile(90), 90);
  EXPECT_EQ(v.Percentile(99), 99);
  EXPECT_EQ(v.Percentile(99.9), 100);
  EXPECT_EQ(v.Percentile(100), 100);
  EXPECT_DOUBLE_EQ(v.mean(), 50.5);
  EXPECT_EQ(v.min(), 1);
}

TEST(ValueCountsTest, NonMultiplesAndNegativesStayExact) {
  ValueCounts v(1000, 10);
  v.Record(1500);   // not a multiple of the unit: sparse
  v.Record(-7);     // negative: sparse
  v.Record(2000);   // dense
  v.Record(999000); // beyond the dense range: sparse
  EXPECT_EQ(v.Percentile(25), -7);
  EXPECT_EQ(v.Percentile(50), 1500);
  EXPECT_EQ(v.Percentile(75), 2000);
  EXPECT_EQ(v.Percentile(100), 999000);
}

TEST(ValueCountsTest, SmallCountsRankUp) {
  ValueCounts v;
  v.Record(10);
  v.Record(20);
  v.Record(30);
  v.Record(40);
  EXPECT_EQ(v.Percentile(50), 20);  // rank ceil(2.0) = 2
  EXPECT_EQ(v.Percentile(51), 30);  // rank ceil(2.04) = 3
  EXPECT_EQ(v.Percentile(99), 40);
}

TEST(ValueCountsTest, MergeAddsAcrossUnits) {
  ValueCounts a(1000, 100), b(1, 0);
  a.Record(3000);
  b.Record(1000);
  b.Record(5);
  a.Merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.min(), 5);
  EXPECT_EQ(a.max(), 3000);
  EXPECT_EQ(a.Percentile(50), 1000);
}

}  // namespace
}  // namespace gcpilot
