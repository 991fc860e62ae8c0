#include "stats/value_counts.h"

#include <cmath>

namespace gcpilot {

ValueCounts::ValueCounts(int64_t unit, int64_t dense_slots)
    : unit_(unit > 0 ? unit : 1),
      dense_size_(dense_slots > 0 ? dense_slots : 0),
      dense_(static_cast<size_t>(dense_size_), 0) {}

// Visits (value, count) pairs in ascending value order, merging the dense
// array (non-negative multiples of unit_) with the sparse map.
template <typename Fn>
void ValueCounts::ForEachAscending(Fn&& fn) const {
  auto it = sparse_.begin();
  for (int64_t i = 0; i < dense_size_; ++i) {
    const uint64_t c = dense_[static_cast<size_t>(i)];
    if (c == 0) continue;
    const int64_t v = i * unit_;
    for (; it != sparse_.end() && it->first < v; ++it) {
      if (!fn(it->first, it->second)) return;
    }
    if (!fn(v, c)) return;
  }
  for (; it != sparse_.end(); ++it) {
    if (!fn(it->first, it->second)) return;
  }
}

void ValueCounts::Merge(const ValueCounts& other) {
  other.ForEachAscending([this](int64_t v, uint64_t c) {
    if (v >= 0 && v % unit_ == 0 && v / unit_ < dense_size_) {
      dense_[static_cast<size_t>(v / unit_)] += c;
    } else {
      sparse_[v] += c;
    }
    if (count_ == 0 || v > max_) max_ = v;
    if (count_ == 0 || v < min_) min_ = v;
    count_ += c;
    sum_ += static_cast<long double>(v) * c;
    return true;
  });
}

int64_t ValueCounts::Percentile(double p) const {
  if (count_ == 0) return 0;
  if (!(p > 0)) return min();
  if (p >= 100) return max();
  // Nearest rank: ceil(p/100 * n), computed so that p=50, n=4 gives 2.
  uint64_t rank = static_cast<uint64_t>(
      std::ceil(p / 100.0 * static_cast<double>(count_) - 1e-9));
  if (rank < 1) rank = 1;
  if (rank > count_) rank = count_;
  uint64_t seen = 0;
  int64_t result = max();
  ForEachAscending([&](int64_t v, uint64_t c) {
    seen += c;
    if (seen >= rank) {
      result = v;
      return false;
    }
    return true;
  });
  return result;
}

}  // namespace gcpilot
