// ValueCounts: an exact distribution of int64 values in memory that grows
// with the number of *distinct* values, not with the number of samples.
//
// Why not an HDR histogram: the values gcpilot feeds here (gctrace
// durations, printed with two significant digits, and whole megabytes)
// take few distinct values, so exact counting is both smaller and truthful
// to the printed numbers. Values that are multiples of `unit` below
// `unit * dense_slots` land in a flat array (one increment, the hot path of
// a multi-GB log); anything else goes to an ordered map.
#ifndef GCPILOT_STATS_VALUE_COUNTS_H_
#define GCPILOT_STATS_VALUE_COUNTS_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

namespace gcpilot {

class ValueCounts {
 public:
  // unit > 0, dense_slots >= 0. Memory: 8 * dense_slots bytes up front.
  explicit ValueCounts(int64_t unit = 1, int64_t dense_slots = 0);

  // Records one sample. Any int64 is accepted, negative ones included.
  void Record(int64_t value) {
    if (value >= 0 && value % unit_ == 0 && value / unit_ < dense_size_) {
      ++dense_[static_cast<size_t>(value / unit_)];
    } else {
      ++sparse_[value];
    }
    ++count_;
    sum_ += static_cast<long double>(value);
    if (count_ == 1 || value > max_) max_ = value;
    if (count_ == 1 || value < min_) min_ = value;
  }

  // Adds every sample of `other` (which may use another unit).
  void Merge(const ValueCounts& other);

  uint64_t count() const { return count_; }
  // The following are 0 when count() == 0.
  int64_t min() const { return count_ ? min_ : 0; }
  int64_t max() const { return count_ ? max_ : 0; }
  double mean() const {
    return count_ ? static_cast<double>(sum_ / count_) : 0.0;
  }
  long double sum() const { return sum_; }

  // Nearest-rank percentile: the smallest recorded value v such that at
  // least p% of samples are <= v. p in [0, 100]; p <= 0 gives min().
  int64_t Percentile(double p) const;

 private:
  template <typename Fn>
  void ForEachAscending(Fn&& fn) const;

  int64_t unit_;
  int64_t dense_size_;
  std::vector<uint64_t> dense_;
  std::map<int64_t, uint64_t> sparse_;
  uint64_t count_ = 0;
  long double sum_ = 0;
  int64_t max_ = 0;
  int64_t min_ = 0;
};

}  // namespace gcpilot

#endif  // GCPILOT_STATS_VALUE_COUNTS_H_
