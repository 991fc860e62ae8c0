#include "hdr_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include <fmt/format.h>

namespace gcpilot {

StatusOr<HdrHistogram> HdrHistogram::Create(int64_t lowest, int64_t highest, int digits) {
  if (lowest < 1) return Status::InvalidArgument("lowest must be >= 1");
  if (highest / 2 < lowest) {
    return Status::InvalidArgument("highest must be >= 2 x lowest");
  }
  if (digits < 1 || digits > 5) {
    return Status::InvalidArgument("significant digits must be 1..5");
  }
  HdrHistogram h;
  h.lowest_ = lowest;
  h.highest_ = highest;
  h.digits_ = digits;
  h.unit_magnitude_ = std::bit_width(static_cast<uint64_t>(lowest)) - 1;
  int64_t largest_single_unit = 2;
  for (int i = 0; i < digits; ++i) largest_single_unit *= 10;
  h.sub_bucket_count_ = static_cast<int64_t>(std::bit_ceil(static_cast<uint64_t>(largest_single_unit)));
  h.sub_bucket_half_magnitude_ = std::bit_width(static_cast<uint64_t>(h.sub_bucket_count_)) - 2;
  // Buckets until the top one reaches past highest (in units).
  const uint64_t top = static_cast<uint64_t>(highest) >> h.unit_magnitude_;
  int buckets = 1;
  uint64_t reach = static_cast<uint64_t>(h.sub_bucket_count_);  // exclusive
  while (reach <= top) {
    reach <<= 1;
    ++buckets;
  }
  h.bucket_count_ = buckets;
  h.counts_.assign(h.sub_bucket_count_ + (buckets - 1) * (h.sub_bucket_count_ / 2), 0);
  return h;
}

HdrHistogram HdrHistogram::ForLatencyNs() { return *Create(1'000, 3'600'000'000'000, 3); }

size_t HdrHistogram::IndexOf(int64_t value) const {
  const uint64_t s = static_cast<uint64_t>(value) >> unit_magnitude_;
  if (s < static_cast<uint64_t>(sub_bucket_count_)) return s;
  // s in [S x 2^(b-1), S x 2^b): b = bit_width(s) - log2(S).
  const int b = std::bit_width(s) - (sub_bucket_half_magnitude_ + 1);
  const uint64_t sub = s >> b;  // in [S/2, S)
  const int64_t half = sub_bucket_count_ / 2;
  return sub_bucket_count_ + (b - 1) * half + (sub - half);
}

int64_t HdrHistogram::ValueAtIndex(size_t index) const {
  if (index < static_cast<size_t>(sub_bucket_count_)) {
    return static_cast<int64_t>(index) << unit_magnitude_;
  }
  const int64_t half = sub_bucket_count_ / 2;
  const int64_t j = static_cast<int64_t>(index) - sub_bucket_count_;
  const int b = static_cast<int>(j / half) + 1;
  const int64_t sub = j % half + half;
  return (sub << b) << unit_magnitude_;
}

int64_t HdrHistogram::SizeOfRangeAtIndex(size_t index) const {
  if (index < static_cast<size_t>(sub_bucket_count_)) return int64_t{1} << unit_magnitude_;
  const int64_t half = sub_bucket_count_ / 2;
  const int b = static_cast<int>((static_cast<int64_t>(index) - sub_bucket_count_) / half) + 1;
  return (int64_t{1} << b) << unit_magnitude_;
}

int64_t HdrHistogram::LowestEquivalent(int64_t v) const {
  return ValueAtIndex(IndexOf(std::clamp<int64_t>(v, 0, highest_)));
}

int64_t HdrHistogram::HighestEquivalent(int64_t v) const {
  const size_t i = IndexOf(std::clamp<int64_t>(v, 0, highest_));
  return ValueAtIndex(i) + SizeOfRangeAtIndex(i) - 1;
}

void HdrHistogram::Record(int64_t value, int64_t count) {
  if (count <= 0) return;
  if (value < 0) value = 0;
  if (value > highest_) {
    value = highest_;
    saturated_ += count;
  }
  counts_[IndexOf(value)] += count;
  total_ += count;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

bool HdrHistogram::Merge(const HdrHistogram& other) {
  if (other.lowest_ != lowest_ || other.highest_ != highest_ || other.digits_ != digits_) {
    return false;
  }
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  total_ += other.total_;
  saturated_ += other.saturated_;
  if (other.total_) {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  return true;
}

void HdrHistogram::Reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  total_ = saturated_ = 0;
  min_ = INT64_MAX;
  max_ = 0;
}

double HdrHistogram::mean() const {
  if (!total_) return 0;
  long double sum = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i]) {
      sum += static_cast<long double>(counts_[i]) * (ValueAtIndex(i) + SizeOfRangeAtIndex(i) / 2);
    }
  }
  return static_cast<double>(sum / total_);
}

double HdrHistogram::stddev() const {
  if (!total_) return 0;
  const long double m = mean();
  long double sq = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i]) {
      const long double d = (ValueAtIndex(i) + SizeOfRangeAtIndex(i) / 2) - m;
      sq += d * d * counts_[i];
    }
  }
  return static_cast<double>(std::sqrt(sq / total_));
}

int64_t HdrHistogram::ValueAtPercentile(double p) const {
  if (!total_) return 0;
  p = std::clamp(p, 0.0, 100.0);
  if (p >= 100.0) return max_;
  const int64_t rank = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(p / 100.0 * static_cast<double>(total_))));
  int64_t cum = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    cum += counts_[i];
    if (cum >= rank) {
      return std::min(ValueAtIndex(i) + SizeOfRangeAtIndex(i) - 1, max_);
    }
  }
  return max_;
}

std::vector<HdrHistogram::PercentileStep> HdrHistogram::Percentiles(int ticks_per_half_distance) const {
  std::vector<PercentileStep> out;
  if (!total_) return out;
  double level = 0;
  int64_t cum = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (!counts_[i]) continue;
    cum += counts_[i];
    const int64_t value = std::min(ValueAtIndex(i) + SizeOfRangeAtIndex(i) - 1, max_);
    // Report every level this count reaches, before the final 100% line.
    while (cum < total_ && static_cast<double>(cum) * 100.0 >= level * static_cast<double>(total_)) {
      out.push_back({value, level, cum});
      const double halvings = std::floor(std::log2(100.0 / (100.0 - level)));
      const double ticks = ticks_per_half_distance * std::exp2(halvings + 1);
      level += 100.0 / ticks;
    }
  }
  out.push_back({max_, 100.0, total_});
  return out;
}

std::string HdrHistogram::ToHgrm(double unit_ratio, int ticks_per_half_distance) const {
  std::string s =
      fmt::format("{:>12} {:>14} {:>10} {:>14}\n\n", "Value", "Percentile", "TotalCount", "1/(1-Percentile)");
  for (const PercentileStep& st : Percentiles(ticks_per_half_distance)) {
    const double q = st.percentile / 100.0;
    if (st.percentile < 100.0) {
      s += fmt::format("{:12.3f} {:2.12f} {:10d} {:14.2f}\n", st.value / unit_ratio, q, st.cumulative, 1.0 / (1.0 - q));
    } else {
      s += fmt::format("{:12.3f} {:2.12f} {:10d}\n", st.value / unit_ratio, q, st.cumulative);
    }
  }
  s += fmt::format("#[Mean    = {:12.3f}, StdDeviation   = {:12.3f}]\n", mean() / unit_ratio, stddev() / unit_ratio);
  s += fmt::format("#[Max     = {:12.3f}, Total count    = {:12d}]\n", max() / unit_ratio, total_);
  s += fmt::format("#[Buckets = {:12d}, SubBuckets     = {:12d}]\n", bucket_count_, sub_bucket_count_);
  return s;
}

std::vector<std::pair<int64_t, int64_t>> HdrHistogram::NonZeroCounts() const {
  std::vector<std::pair<int64_t, int64_t>> out;
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i]) out.emplace_back(ValueAtIndex(i), counts_[i]);
  }
  return out;
}

void HdrHistogram::RecordCounts(const std::vector<std::pair<int64_t, int64_t>>& counts, int64_t min, int64_t max) {
  int64_t added = 0;
  for (const auto& [v, c] : counts) {
    if (c > 0) {
      counts_[IndexOf(std::clamp<int64_t>(v, 0, highest_))] += c;
      added += c;
    }
  }
  if (!added) return;
  total_ += added;
  min_ = std::min(min_, std::clamp<int64_t>(min, 0, highest_));
  max_ = std::max(max_, std::clamp<int64_t>(max, 0, highest_));
}

}  // namespace gcpilot
