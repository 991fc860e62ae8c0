#include "stats/rank_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace gcpilot {
namespace {

// Twice each pooled value's mid-rank (1-based), so that ties stay integers.
std::vector<int64_t> DoubledRanks(const std::vector<double>& pooled) {
  std::vector<size_t> order(pooled.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return pooled[x] < pooled[y]; });
  std::vector<int64_t> ranks(pooled.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && pooled[order[j + 1]] == pooled[order[i]]) ++j;
    const auto doubled = static_cast<int64_t>(i + 1 + j + 1);  // (i+1 + j+1) / 2, doubled
    for (size_t t = i; t <= j; ++t) ranks[order[t]] = doubled;
    i = j + 1;
  }
  return ranks;
}

}  // namespace

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double upper = v[mid];
  if (v.size() % 2 == 1) return upper;
  const double lower = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2;
}

double ScaledMad(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double m = Median(v);
  std::vector<double> dev;
  for (double x : v) dev.push_back(std::fabs(x - m));
  return 1.4826 * Median(dev);
}

std::optional<size_t> OutlierIndex(const std::vector<double>& v, double k, double floor_share) {
  if (v.size() < 3) return std::nullopt;
  std::optional<size_t> worst;
  double worst_score = k;
  for (size_t i = 0; i < v.size(); ++i) {
    std::vector<double> others = v;
    others.erase(others.begin() + static_cast<std::ptrdiff_t>(i));
    const double m = Median(others);
    const double spread = std::max(ScaledMad(others), floor_share * std::fabs(m));
    if (spread <= 0) continue;  // all others 0: nothing to scale by
    const double score = std::fabs(v[i] - m) / spread;
    if (score > worst_score) {
      worst_score = score;
      worst = i;
    }
  }
  return worst;
}

double MannWhitneyPValue(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.empty() || b.empty()) return 1;
  std::vector<double> pooled = a;
  pooled.insert(pooled.end(), b.begin(), b.end());
  const std::vector<int64_t> ranks = DoubledRanks(pooled);
  const size_t n = pooled.size(), na = a.size();
  int64_t total = 0, observed = 0;
  for (size_t i = 0; i < n; ++i) total += ranks[i];
  for (size_t i = 0; i < na; ++i) observed += ranks[i];
  // ways[k][s]: subsets of k of the ranks seen so far whose doubled sum is s.
  std::vector<std::vector<double>> ways(na + 1, std::vector<double>(static_cast<size_t>(total) + 1, 0));
  ways[0][0] = 1;
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = std::min(i + 1, na); k >= 1; --k) {
      for (int64_t s = total; s >= ranks[i]; --s) ways[k][s] += ways[k - 1][s - ranks[i]];
    }
  }
  // The expected doubled rank sum of a is na (n + 1): count the splits as
  // far from it as the observed one, or farther, either way.
  const auto centre = static_cast<int64_t>(na * (n + 1));
  const int64_t distance = std::llabs(observed - centre);
  double extreme = 0, all = 0;
  for (int64_t s = 0; s <= total; ++s) {
    all += ways[na][s];
    if (std::llabs(s - centre) >= distance) extreme += ways[na][s];
  }
  return std::min(1.0, extreme / all);
}

double MannWhitneyMinPValue(size_t n1, size_t n2) {
  double ways = 1;  // C(n1 + n2, n1), built up factor by factor
  for (size_t i = 1; i <= n1; ++i) ways = ways * static_cast<double>(n2 + i) / static_cast<double>(i);
  return std::min(1.0, 2 / ways);
}

}  // namespace gcpilot
