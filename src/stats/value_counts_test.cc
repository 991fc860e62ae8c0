#include "stats/value_counts.h"

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

TEST(ValueCountsTest, EmptyIsAllZero) {
  ValueCounts<1000> v(16);
  EXPECT_EQ(v.count(), 0u);
  EXPECT_EQ(v.Percentile(99), 0);
  EXPECT_EQ(v.max(), 0);
  EXPECT_EQ(v.mean(), 0.0);
}

TEST(ValueCountsTest, NearestRankOnOneToHundred) {
  ValueCounts<1> v(50);  // half dense, half sparse
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
  ValueCounts<1000> v(10);
  v.Record(1500);    // not a multiple of the unit: sparse
  v.Record(-7);      // negative: sparse
  v.Record(2000);    // dense
  v.Record(999000);  // beyond the dense range: sparse
  EXPECT_EQ(v.Percentile(25), -7);
  EXPECT_EQ(v.Percentile(50), 1500);
  EXPECT_EQ(v.Percentile(75), 2000);
  EXPECT_EQ(v.Percentile(100), 999000);
}

TEST(ValueCountsTest, SmallCountsRankUp) {
  ValueCounts<1> v;
  v.Record(10);
  v.Record(20);
  v.Record(30);
  v.Record(40);
  EXPECT_EQ(v.Percentile(50), 20);  // rank ceil(2.0) = 2
  EXPECT_EQ(v.Percentile(51), 30);  // rank ceil(2.04) = 3
  EXPECT_EQ(v.Percentile(99), 40);
}

TEST(ValueCountsTest, MergeKeepsExtremesAndSums) {
  ValueCounts<1000> a(100), b(0);
  a.Record(3000);
  b.Record(1000);
  b.Record(5);
  a.Merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.min(), 5);
  EXPECT_EQ(a.max(), 3000);
  EXPECT_EQ(a.Percentile(50), 1000);
  EXPECT_DOUBLE_EQ(a.mean(), 4005.0 / 3);
}

TEST(ValueCountsTest, HugeSumsDoNotOverflow) {
  ValueCounts<1> v;
  v.Record(INT64_MAX);
  v.Record(INT64_MAX);
  EXPECT_DOUBLE_EQ(v.mean(), static_cast<double>(INT64_MAX));
}

}  // namespace
}  // namespace gcpilot

namespace gcpilot {
namespace {

// The gctrace shape: us below 20 ms (dense), whole ms above (coarse), and
// anything else (sparse) all stay exact and ordered.
TEST(ValueCountsTest, CoarseTierOrdersWithDenseAndSparse) {
  ValueCounts<1000, 1000000> v(20, 100);  // dense < 20 us, coarse < 100 ms
  v.Record(5000);                         // dense
  v.Record(42'000'000);                   // coarse
  v.Record(42'000'001);                   // sparse, just above a coarse value
  v.Record(19'000);                       // dense top
  v.Record(20'000);                       // not dense (out of range), not coarse: sparse
  v.Record(1'000'000);                    // coarse (1 ms), above the dense range
  EXPECT_EQ(v.count(), 6u);
  EXPECT_EQ(v.Percentile(1), 5000);
  EXPECT_EQ(v.Percentile(34), 20'000);
  EXPECT_EQ(v.Percentile(50), 20'000);
  EXPECT_EQ(v.Percentile(51), 1'000'000);
  EXPECT_EQ(v.Percentile(66), 1'000'000);
  EXPECT_EQ(v.Percentile(68), 42'000'000);
  EXPECT_EQ(v.Percentile(100), 42'000'001);
}

// The ascending scan covers only the slots between the smallest and the
// largest sample: samples at the very ends of both flat tiers, alone or
// merged into counts whose extremes lie elsewhere, must all be found.
TEST(ValueCountsTest, SamplesAtTheEdgesOfEveryTierAreFound) {
  ValueCounts<10, 100> v(50, 20);  // dense < 500, coarse 500 .. 1900
  v.Record(490);                   // last dense slot
  v.Record(1900);                  // last coarse slot
  EXPECT_EQ(v.Percentile(50), 490);
  EXPECT_EQ(v.Percentile(100), 1900);
  ValueCounts<10, 100> edges(50, 20);
  edges.Record(0);                  // first dense slot
  edges.Record(500);                // first coarse slot
  ValueCounts<10, 100> merged = v;  // a copy keeps every slot
  merged.Merge(edges);
  EXPECT_EQ(merged.count(), 4u);
  EXPECT_EQ(merged.Percentile(25), 0);
  EXPECT_EQ(merged.Percentile(50), 490);
  EXPECT_EQ(merged.Percentile(75), 500);
  EXPECT_EQ(merged.Percentile(100), 1900);
  EXPECT_EQ(v.count(), 2u);  // the original is untouched
  EXPECT_EQ(v.Percentile(1), 490);
  // A negative minimum (sparse) does not hide the flat tiers.
  merged.Record(-7);
  EXPECT_EQ(merged.Percentile(20), -7);
  EXPECT_EQ(merged.Percentile(40), 0);
  EXPECT_EQ(merged.Percentile(100), 1900);
}

}  // namespace
}  // namespace gcpilot
