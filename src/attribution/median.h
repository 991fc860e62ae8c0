// The median the attribution stage reports (recovery length, allocation
// rate, cycle wall time): the middle value of an odd count, the mean of the
// two middle values of an even count, 0 for none. For int64_t the mean of
// the two is rounded down.
#ifndef GCPILOT_ATTRIBUTION_MEDIAN_H_
#define GCPILOT_ATTRIBUTION_MEDIAN_H_

#include <algorithm>
#include <vector>

namespace gcpilot {

template <typename T>
T MedianOf(std::vector<T> v) {
  if (v.empty()) return T{};
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + mid, v.end());
  if (v.size() % 2 == 1) return v[mid];
  const T upper = v[mid];
  const T lower = *std::max_element(v.begin(), v.begin() + mid);
  return lower + (upper - lower) / 2;
}

}  // namespace gcpilot

#endif  // GCPILOT_ATTRIBUTION_MEDIAN_H_
