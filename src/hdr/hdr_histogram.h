// A log-linear latency histogram in the HdrHistogram layout: values are
// kept to a fixed number of significant decimal digits over a fixed range,
// with constant memory and O(1) recording.
//
// Layout: with unit u = 2^unit_magnitude (<= lowest discernible value) and
// S = sub_bucket_count (the power of two >= 2 x 10^digits), a value v is
// scaled to s = v / u. Values with s < S are counted exactly per unit
// (bucket 0); above that, bucket b >= 1 covers s in [S/2 x 2^b, S x 2^b)
// with S/2 sub-buckets each 2^b units wide, so every count is within
// 1/(S/2) of the value: 3 digits gives S = 2048 and a relative error under
// 0.1%.
#ifndef GCPILOT_HDR_HDR_HISTOGRAM_H_
#define GCPILOT_HDR_HDR_HISTOGRAM_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"

namespace gcpilot {

class HdrHistogram {
 public:
  // lowest >= 1, highest >= 2 x lowest, digits in 1..5; else kInvalidArgument.
  static StatusOr<HdrHistogram> Create(int64_t lowest, int64_t highest, int digits);
  // The latency histogram every gcpilot measurement uses: nanoseconds,
  // 1 us .. 1 h, 3 significant digits.
  static HdrHistogram ForLatencyNs();

  // Counts `value` `count` times. Values below 0 count as 0; values above
  // highest() count as highest() and are tallied in saturated().
  void Record(int64_t value, int64_t count = 1);
  // Adds every count of `other`, which must have the same shape (same
  // lowest, highest, digits); returns false and adds nothing otherwise.
  bool Merge(const HdrHistogram& other);
  void Reset();

  int64_t total_count() const { return total_; }
  int64_t saturated() const { return saturated_; }
  // Exact smallest and largest recorded values (0 when empty).
  int64_t min() const { return total_ ? min_ : 0; }
  int64_t max() const { return max_; }
  // Mean and standard deviation over bucket midpoints (0 when empty).
  double mean() const;
  double stddev() const;

  // The value at percentile p in [0, 100]: the highest value equivalent to
  // the bucket holding the ceil(p/100 x total)-th smallest count (at least
  // the first), capped at max(). 0 when empty. p=100 gives max().
  int64_t ValueAtPercentile(double p) const;

  // Values that fall into the same count as v: [lowest, highest].
  int64_t LowestEquivalent(int64_t v) const;
  int64_t HighestEquivalent(int64_t v) const;
  bool Equivalent(int64_t a, int64_t b) const { return LowestEquivalent(a) == LowestEquivalent(b); }

  // Walks the distribution the way HdrHistogram's percentile output does:
  // percentile levels step by 100 / (2 x ticks x 2^k) once the remaining
  // distance to 100 has halved k times, so the tail is shown in more and
  // more detail. Each step reports (value, percentile, cumulative count).
  struct PercentileStep {
    int64_t value;
    double percentile;  // 0..100
    int64_t cumulative;
  };
  std::vector<PercentileStep> Percentiles(int ticks_per_half_distance = 5) const;

  // The .hgrm text HdrHistogram tools print (and plot), values divided by
  // `unit_ratio` (1e6 for nanoseconds shown as milliseconds).
  std::string ToHgrm(double unit_ratio, int ticks_per_half_distance = 5) const;

  // Non-empty counts as (lowest equivalent value, count), ascending: a
  // compact form for storage. RecordCounts adds such counts back (same
  // shape required) with the exact min and max stored beside them.
  std::vector<std::pair<int64_t, int64_t>> NonZeroCounts() const;
  void RecordCounts(const std::vector<std::pair<int64_t, int64_t>>& counts, int64_t min, int64_t max);

  int64_t lowest() const { return lowest_; }
  int64_t highest() const { return highest_; }
  int digits() const { return digits_; }
  int bucket_count() const { return bucket_count_; }
  int sub_bucket_count() const { return sub_bucket_count_; }

 private:
  HdrHistogram() = default;
  size_t IndexOf(int64_t value) const;
  int64_t ValueAtIndex(size_t index) const;  // lowest equivalent
  int64_t SizeOfRangeAtIndex(size_t index) const;

  int64_t lowest_ = 1, highest_ = 2;
  int digits_ = 3;
  int unit_magnitude_ = 0;
  int sub_bucket_half_magnitude_ = 0;  // log2(S/2)
  int64_t sub_bucket_count_ = 0;       // S
  int bucket_count_ = 0;
  std::vector<int64_t> counts_;
  int64_t total_ = 0, saturated_ = 0;
  int64_t min_ = INT64_MAX, max_ = 0;
};

}  // namespace gcpilot

#endif  // GCPILOT_HDR_HDR_HISTOGRAM_H_
