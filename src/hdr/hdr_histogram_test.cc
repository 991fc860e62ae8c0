#include "hdr/hdr_histogram.h"

#include <random>

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

HdrHistogram Make(int64_t lo, int64_t hi, int digits) {
  auto h = HdrHistogram::Create(lo, hi, digits);
  EXPECT_TRUE(h.ok()) << h.status().message();
  return *h;
}

TEST(HdrHistogramTest, LatencyLayout) {
  const HdrHistogram h = HdrHistogram::ForLatencyNs();
  // 3 digits: 2048 sub-buckets; 1 us lowest: 512 ns units; 1 h needs 23 buckets.
  EXPECT_EQ(h.sub_bucket_count(), 2048);
  EXPECT_EQ(h.bucket_count(), 23);
  EXPECT_EQ(h.LowestEquivalent(1'000), 512);
  EXPECT_EQ(h.HighestEquivalent(1'000), 1'023);
  // 50 ms sits in bucket 6 (97656 units): sub-buckets 64 units = 32768 ns.
  EXPECT_EQ(h.LowestEquivalent(50'000'000), 49'971'200);
  EXPECT_EQ(h.HighestEquivalent(50'000'000), 50'003'967);
}

TEST(HdrHistogramTest, BadShapes) {
  EXPECT_FALSE(HdrHistogram::Create(0, 100, 3).ok());
  EXPECT_FALSE(HdrHistogram::Create(10, 19, 3).ok());
  EXPECT_FALSE(HdrHistogram::Create(1, 100, 6).ok());
}

// 1..10000 once each, unit 1: exact below 2048, then 2-, 4-, 8-wide counts.
TEST(HdrHistogramTest, PercentilesOfAUniformRange) {
  HdrHistogram h = Make(1, 3'600'000'000, 3);
  for (int v = 1; v <= 10'000; ++v) h.Record(v);
  EXPECT_EQ(h.total_count(), 10'000);
  EXPECT_EQ(h.min(), 1);
  EXPECT_EQ(h.max(), 10'000);
  EXPECT_EQ(h.ValueAtPercentile(0), 1);
  EXPECT_EQ(h.ValueAtPercentile(10), 1'000);    // exact region
  EXPECT_EQ(h.ValueAtPercentile(50), 5'003);    // [5000, 5003]
  EXPECT_EQ(h.ValueAtPercentile(90), 9'007);    // [9000, 9007]
  EXPECT_EQ(h.ValueAtPercentile(99), 9'903);    // [9896, 9903]
  EXPECT_EQ(h.ValueAtPercentile(99.9), 9'991);  // [9984, 9991]
  EXPECT_EQ(h.ValueAtPercentile(100), 10'000);
  // Over bucket midpoints (lowest + width/2): 1..10000 averages 5000.5,
  // the midpoints 5000.898 (computed independently from the layout).
  EXPECT_NEAR(h.mean(), 5000.898, 1e-9);
}

TEST(HdrHistogramTest, RelativeErrorUnderOnePartInAThousand) {
  const HdrHistogram h = HdrHistogram::ForLatencyNs();
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100'000; ++i) {
    const int64_t v = 2'048 * 512 + static_cast<int64_t>(rng() % 3'600'000'000'000);
    const int64_t lo = h.LowestEquivalent(v), hi = h.HighestEquivalent(v);
    ASSERT_LE(lo, v);
    ASSERT_GE(hi, v);
    ASSERT_LT(static_cast<double>(hi - lo + 1) / static_cast<double>(lo), 1.0 / 1024 + 1e-12) << v;
  }
}

TEST(HdrHistogramTest, MergeEqualsRecordingTogether) {
  HdrHistogram a = HdrHistogram::ForLatencyNs(), b = HdrHistogram::ForLatencyNs(), both = HdrHistogram::ForLatencyNs();
  std::mt19937_64 rng(11);
  for (int i = 0; i < 50'000; ++i) {
    const int64_t v = static_cast<int64_t>(rng() % 2'000'000'000);
    (i % 3 ? a : b).Record(v);
    both.Record(v);
  }
  ASSERT_TRUE(a.Merge(b));
  EXPECT_EQ(a.NonZeroCounts(), both.NonZeroCounts());
  EXPECT_EQ(a.min(), both.min());
  EXPECT_EQ(a.max(), both.max());
  for (double p : {50.0, 90.0, 99.0, 99.9, 99.99}) {
    EXPECT_EQ(a.ValueAtPercentile(p), both.ValueAtPercentile(p));
  }
  HdrHistogram other = Make(1, 1'000'000, 2);
  EXPECT_FALSE(a.Merge(other));
}

TEST(HdrHistogramTest, SaturatesAboveHighest) {
  HdrHistogram h = Make(1, 1'000, 2);
  h.Record(5'000, 3);
  h.Record(-4);
  EXPECT_EQ(h.saturated(), 3);
  EXPECT_EQ(h.max(), 1'000);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.total_count(), 4);
}

TEST(HdrHistogramTest, PercentileStepsHalveTowardTheTail) {
  HdrHistogram h = Make(1, 1'000'000, 3);
  for (int v = 1; v <= 100; ++v) h.Record(v);
  const auto steps = h.Percentiles(5);
  // Levels: 0, 10, ..., 50 (5 ticks per half), then 55 .. 75 by 5,
  // then 77.5 .. 87.5 by 2.5, then by 1.25 ...
  ASSERT_GE(steps.size(), 12u);
  const double want_levels[] = {0, 10, 20, 30, 40, 50, 55, 60, 65, 70, 75, 77.5, 80};
  for (size_t i = 0; i < std::size(want_levels); ++i) {
    EXPECT_DOUBLE_EQ(steps[i].percentile, want_levels[i]) << i;
  }
  EXPECT_EQ(steps[0].value, 1);
  EXPECT_EQ(steps[1].value, 10);
  EXPECT_EQ(steps[11].value, 78);  // first value with cum >= 77.5
  EXPECT_EQ(steps[11].cumulative, 78);
  EXPECT_EQ(steps.back().value, 100);
  EXPECT_DOUBLE_EQ(steps.back().percentile, 100.0);
}

TEST(HdrHistogramTest, HgrmText) {
  HdrHistogram h = Make(1, 1'000'000, 3);
  for (int v = 1; v <= 4; ++v) h.Record(v * 1000);  // 1..4 ms in us
  // 1000 and 2000 are exact (< 2048); 3000 and 4000 sit in 2-wide counts.
  // Every level a count reaches is a line: 0, 10 and 20 all show 1.000.
  EXPECT_EQ(h.ToHgrm(1000.0),
            "       Value     Percentile TotalCount 1/(1-Percentile)\n"
            "\n"
            "       1.000 0.000000000000          1           1.00\n"
            "       1.000 0.100000000000          1           1.11\n"
            "       1.000 0.200000000000          1           1.25\n"
            "       2.000 0.300000000000          2           1.43\n"
            "       2.000 0.400000000000          2           1.67\n"
            "       2.000 0.500000000000          2           2.00\n"
            "       3.001 0.550000000000          3           2.22\n"
            "       3.001 0.600000000000          3           2.50\n"
            "       3.001 0.650000000000          3           2.86\n"
            "       3.001 0.700000000000          3           3.33\n"
            "       3.001 0.750000000000          3           4.00\n"
            "       4.000 1.000000000000          4\n"
            "#[Mean    =        2.501, StdDeviation   =        1.118]\n"
            "#[Max     =        4.000, Total count    =            4]\n"
            "#[Buckets =           10, SubBuckets     =         2048]\n");
}

TEST(HdrHistogramTest, NonZeroCountsRoundTrip) {
  HdrHistogram h = HdrHistogram::ForLatencyNs();
  for (int64_t v : {int64_t{1'000}, int64_t{1'000}, int64_t{77'777}, int64_t{5'000'000'000}}) h.Record(v);
  HdrHistogram back = HdrHistogram::ForLatencyNs();
  back.RecordCounts(h.NonZeroCounts(), h.min(), h.max());
  EXPECT_EQ(back.NonZeroCounts(), h.NonZeroCounts());
  EXPECT_EQ(back.ValueAtPercentile(99), h.ValueAtPercentile(99));
  EXPECT_EQ(back.min(), 1'000);
  EXPECT_EQ(back.max(), 5'000'000'000);
}

}  // namespace
}  // namespace gcpilot
