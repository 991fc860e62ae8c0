// ValueCounts: an exact distribution of int64 values whose memory grows
// with the number of *distinct* values, not with the number of samples.
//
// Why not an HDR histogram: the values gcpilot feeds here (gctrace
// durations, printed with two significant digits, and whole megabytes)
// take few distinct values, so exact counting is both smaller and truthful
// to the printed numbers. Non-negative multiples of kUnit below
// kUnit * dense_slots land in a flat array (one increment: this is the hot
// path of a multi-GB log, so kUnit is a compile-time constant and the
// division becomes a multiply). An optional second flat tier holds
// multiples of kCoarseUnit (gctrace prints durations of 10 ms and more as
// whole milliseconds); anything else goes to an ordered map.
#ifndef GCPILOT_STATS_VALUE_COUNTS_H_
#define GCPILOT_STATS_VALUE_COUNTS_H_

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <utility>

#include "base/int128.h"

namespace gcpilot {

// A flat array of counters, all zero until written. Its memory is taken
// with calloc at the first write: big blocks come straight from mmap as zero
// pages, so slots cost memory and time only where samples land. (A
// GctraceAnalyzer holds 6.6 MB of slots; a log touches a few pages of them,
// and each fuzz input would otherwise pay to clear them all.)
class CountSlots {
 public:
  explicit CountSlots(int64_t size) : size_(size > 0 ? size : 0) {}
  CountSlots(const CountSlots& other) : size_(other.size_) {
    if (other.slots_ != nullptr) {
      Allocate();
      std::memcpy(slots_, other.slots_, static_cast<size_t>(size_) * sizeof(uint64_t));
    }
  }
  CountSlots(CountSlots&& other) noexcept : size_(other.size_), slots_(std::exchange(other.slots_, nullptr)) {}
  CountSlots& operator=(CountSlots other) noexcept {
    std::swap(size_, other.size_);
    std::swap(slots_, other.slots_);
    return *this;
  }
  ~CountSlots() { std::free(slots_); }

  int64_t size() const { return size_; }
  // i in [0, size()).
  void Add(int64_t i, uint64_t n) {
    if (slots_ == nullptr) Allocate();
    slots_[i] += n;
  }
  uint64_t operator[](int64_t i) const { return slots_ == nullptr ? 0 : slots_[i]; }
  // The first non-zero slot in [from, to) (0 <= from, to <= size()), or to.
  int64_t NextNonZero(int64_t from, int64_t to) const {
    if (slots_ == nullptr) return to;
    int64_t i = from;
    // Eight at a time: between samples most slots are empty.
    for (; i + 8 <= to; i += 8) {
      const uint64_t* p = slots_ + i;
      if ((p[0] | p[1] | p[2] | p[3] | p[4] | p[5] | p[6] | p[7]) != 0) break;
    }
    while (i < to && slots_[i] == 0) ++i;
    return i;
  }

 private:
  void Allocate() {
    slots_ = static_cast<uint64_t*>(std::calloc(static_cast<size_t>(size_), sizeof(uint64_t)));
    if (slots_ == nullptr) throw std::bad_alloc();
  }

  int64_t size_;
  uint64_t* slots_ = nullptr;
};

template <int64_t kUnit, int64_t kCoarseUnit = kUnit>
class ValueCounts {
  static_assert(kUnit > 0 && kCoarseUnit >= kUnit && kCoarseUnit % kUnit == 0);

 public:
  // dense_slots, coarse_slots >= 0. Memory: 8 bytes per slot, taken at a tier's first sample. The
  // coarse tier serves values at or above kUnit * dense_slots.
  explicit ValueCounts(int64_t dense_slots = 0, int64_t coarse_slots = 0)
      : dense_size_(dense_slots > 0 ? dense_slots : 0),
        coarse_size_(coarse_slots > 0 ? coarse_slots : 0),
        dense_(dense_size_),
        coarse_(coarse_size_) {}

  // Records one sample. Any int64 is accepted, negative ones included.
  void Record(int64_t value) { Add(value, 1); }
  // Adds every sample of `other`.
  void Merge(const ValueCounts& other) {
    other.ForEachAscending([this](int64_t v, uint64_t c) {
      Place(v, c);
      return true;
    });
    if (other.count_ > 0) {
      if (count_ == 0 || other.max_ > max_) max_ = other.max_;
      if (count_ == 0 || other.min_ < min_) min_ = other.min_;
    }
    count_ += other.count_;
    sum_ += other.sum_;
  }

  uint64_t count() const { return count_; }
  // The following are 0 when count() == 0.
  int64_t min() const { return count_ ? min_ : 0; }
  int64_t max() const { return count_ ? max_ : 0; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }

  // Nearest-rank percentile: the smallest recorded value v such that at
  // least p% of samples are <= v. p in [0, 100]; p <= 0 gives min().
  int64_t Percentile(double p) const {
    if (count_ == 0) return 0;
    if (!(p > 0)) return min();
    if (p >= 100) return max();
    // ceil(p/100 * n), with a nudge so p=50, n=4 gives rank 2, not 3.
    uint64_t rank = static_cast<uint64_t>(std::ceil(p / 100.0 * static_cast<double>(count_) - 1e-9));
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

 private:
  void Add(int64_t value, uint64_t n) {
    Place(value, n);
    if (count_ == 0 || value > max_) max_ = value;
    if (count_ == 0 || value < min_) min_ = value;
    count_ += n;
    sum_ += static_cast<Int128>(value) * n;
  }

  // Puts n samples of v in the right tier; no summary bookkeeping.
  void Place(int64_t v, uint64_t n) {
    if (v >= 0 && v % kUnit == 0 && v / kUnit < dense_size_) {
      dense_.Add(v / kUnit, n);
    } else if (v >= kUnit * dense_size_ && v % kCoarseUnit == 0 && v / kCoarseUnit < coarse_size_) {
      coarse_.Add(v / kCoarseUnit, n);
    } else {
      sparse_[v] += n;
    }
  }

  // Visits (value, count) in ascending value order, merging the flat tiers
  // with the sparse map; stops when fn returns false.
  template <typename Fn>
  void ForEachAscending(Fn&& fn) const {
    auto it = sparse_.begin();
    auto visit = [&](int64_t v, uint64_t c) {
      for (; it != sparse_.end() && it->first < v; ++it) {
        if (!fn(it->first, it->second)) return false;
      }
      return fn(v, c);
    };
    // Only the slots between min_ and max_ can be non-zero: the scan stays
    // off the pages no sample touched.
    const auto slots = [&](int64_t unit, int64_t size) {
      if (count_ == 0 || max_ < 0) return std::pair<int64_t, int64_t>{0, 0};
      return std::pair<int64_t, int64_t>{std::min(std::max<int64_t>(min_, 0) / unit, size),
                                         std::min(max_ / unit + 1, size)};
    };
    const auto [dense_from, dense_to] = slots(kUnit, dense_size_);
    for (int64_t i = dense_.NextNonZero(dense_from, dense_to); i < dense_to; i = dense_.NextNonZero(i + 1, dense_to)) {
      if (!visit(i * kUnit, dense_[i])) return;
    }
    // Coarse slots below the dense range are never used (see Place).
    const auto [coarse_from, coarse_to] = slots(kCoarseUnit, coarse_size_);
    for (int64_t i = coarse_.NextNonZero(coarse_from, coarse_to); i < coarse_to;
         i = coarse_.NextNonZero(i + 1, coarse_to)) {
      if (!visit(i * kCoarseUnit, coarse_[i])) return;
    }
    for (; it != sparse_.end(); ++it) {
      if (!fn(it->first, it->second)) return;
    }
  }

  int64_t dense_size_;
  int64_t coarse_size_;
  CountSlots dense_;
  CountSlots coarse_;
  std::map<int64_t, uint64_t> sparse_;
  uint64_t count_ = 0;
  Int128 sum_ = 0;  // int64 sums of ns could overflow on huge logs
  int64_t max_ = 0;
  int64_t min_ = 0;
};

}  // namespace gcpilot

#endif  // GCPILOT_STATS_VALUE_COUNTS_H_
