#include "tune/design.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace gcpilot {
namespace {

// Columns of a p-level array with p^k runs: every nonzero vector c over
// GF(p) with its first nonzero entry 1 gives the column x -> c . x (mod p),
// where x runs over all p^k points.
OrthogonalArray Linear(const std::string& name, int p, int k) {
  OrthogonalArray a;
  a.name = name;
  int runs = 1;
  for (int i = 0; i < k; ++i) runs *= p;
  std::vector<std::vector<int>> coeffs;
  for (int c = 1; c < runs; ++c) {
    std::vector<int> v(k);
    int x = c;
    for (int i = k - 1; i >= 0; --i) {
      v[i] = x % p;
      x /= p;
    }
    const int lead = *std::find_if(v.begin(), v.end(), [](int d) { return d != 0; });
    if (lead == 1) coeffs.push_back(v);
  }
  // Base columns (unit vectors) first, as the classic tables order them.
  // (the first base column varies slowest).
  std::stable_sort(coeffs.begin(), coeffs.end(), [](const auto& a, const auto& b) {
    const auto za = std::count(a.begin(), a.end(), 0), zb = std::count(b.begin(), b.end(), 0);
    return za != zb ? za > zb : a > b;
  });
  a.column_levels.assign(coeffs.size(), p);
  for (int r = 0; r < runs; ++r) {
    std::vector<int> x(k);
    int y = r;
    for (int i = k - 1; i >= 0; --i) {
      x[i] = y % p;
      y /= p;
    }
    std::vector<int> row;
    for (const auto& c : coeffs) {
      int s = 0;
      for (int i = 0; i < k; ++i) s += c[i] * x[i];
      row.push_back(s % p);
    }
    a.rows.push_back(row);
  }
  return a;
}

OrthogonalArray L18() {
  // The standard L18 (2^1 x 3^7), levels written 1-based.
  static constexpr int kTable[18][8] = {
      {1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 2, 2, 2, 2, 2, 2}, {1, 1, 3, 3, 3, 3, 3, 3}, {1, 2, 1, 1, 2, 2, 3, 3},
      {1, 2, 2, 2, 3, 3, 1, 1}, {1, 2, 3, 3, 1, 1, 2, 2}, {1, 3, 1, 2, 1, 3, 2, 3}, {1, 3, 2, 3, 2, 1, 3, 1},
      {1, 3, 3, 1, 3, 2, 1, 2}, {2, 1, 1, 3, 3, 2, 2, 1}, {2, 1, 2, 1, 1, 3, 3, 2}, {2, 1, 3, 2, 2, 1, 1, 3},
      {2, 2, 1, 2, 3, 1, 3, 2}, {2, 2, 2, 3, 1, 2, 1, 3}, {2, 2, 3, 1, 2, 3, 2, 1}, {2, 3, 1, 3, 2, 3, 1, 2},
      {2, 3, 2, 1, 3, 1, 2, 3}, {2, 3, 3, 2, 1, 2, 3, 1},
  };
  OrthogonalArray a;
  a.name = "L18";
  a.column_levels = {2, 3, 3, 3, 3, 3, 3, 3};
  for (const auto& r : kTable) {
    std::vector<int> row;
    for (int v : r) row.push_back(v - 1);
    a.rows.push_back(row);
  }
  return a;
}

}  // namespace

std::vector<OrthogonalArray> AllArrays() {
  return {Linear("L4", 2, 2), Linear("L8", 2, 3), Linear("L9", 3, 2), Linear("L16", 2, 4), L18(), Linear("L27", 3, 3)};
}

StatusOr<OrthogonalArray> ArrayByName(const std::string& name) {
  for (OrthogonalArray& a : AllArrays()) {
    if (a.name == name) return std::move(a);
  }
  return Status::InvalidArgument(fmt::format("design \"{}\" is unknown (known: {})", name, kDesignKinds));
}

bool IsDesignKind(const std::string& kind) { return kind == "auto" || kind == "full" || ArrayByName(kind).ok(); }

bool IsOrthogonal(const OrthogonalArray& a) {
  const size_t cols = a.column_levels.size();
  for (size_t i = 0; i < cols; ++i) {
    for (size_t j = i + 1; j < cols; ++j) {
      std::map<std::pair<int, int>, int> n;
      for (const auto& r : a.rows) ++n[{r[i], r[j]}];
      const size_t pairs = static_cast<size_t>(a.column_levels[i] * a.column_levels[j]);
      if (n.size() != pairs) return false;
      for (const auto& [k, v] : n) {
        if (v * pairs != a.rows.size()) return false;
      }
    }
  }
  return true;
}

Design FullFactorial(const std::vector<int>& levels) {
  Design d;
  d.name = "full factorial";
  std::vector<int> cell(levels.size(), 0);
  while (true) {
    d.cells.push_back(cell);
    int i = static_cast<int>(levels.size()) - 1;
    while (i >= 0 && ++cell[i] == levels[i]) cell[i--] = 0;
    if (i < 0) break;
  }
  return d;
}

StatusOr<Design> FitArray(const OrthogonalArray& a, const std::vector<int>& levels) {
  std::vector<int> free2, free3;
  for (size_t c = 0; c < a.column_levels.size(); ++c) {
    (a.column_levels[c] == 2 ? free2 : free3).push_back(static_cast<int>(c));
  }
  const int n2 = static_cast<int>(std::count(levels.begin(), levels.end(), 2));
  const int n3 = static_cast<int>(std::count(levels.begin(), levels.end(), 3));
  if (n2 + n3 != static_cast<int>(levels.size())) {
    return Status::InvalidArgument(
        fmt::format("{} needs every factor at 2 or 3 levels (use design = \"full\" for other counts)", a.name));
  }
  const bool fits = n3 <= static_cast<int>(free3.size()) && n2 <= static_cast<int>(free2.size() + free3.size()) - n3;
  if (!fits) {
    return Status::InvalidArgument(
        fmt::format("{} holds {} two-level and {} three-level columns; {} two-level and {} three-level "
                    "factors given",
                    a.name, free2.size(), free3.size(), n2, n3));
  }
  Design d;
  d.name = a.name;
  size_t next2 = 0, next3 = 0;
  for (int l : levels) {
    if (l == 3) {
      d.columns.push_back(free3[next3++]);
    } else if (next2 < free2.size()) {
      d.columns.push_back(free2[next2++]);
    } else {
      d.columns.push_back(free3[free3.size() - 1 - (next2++ - free2.size())]);
    }
  }
  for (size_t f = 0; f < levels.size(); ++f) {
    if (a.column_levels[d.columns[f]] != levels[f]) d.unbalanced.push_back(static_cast<int>(f));
  }
  for (const auto& row : a.rows) {
    std::vector<int> cell;
    for (size_t f = 0; f < levels.size(); ++f) {
      const int v = row[d.columns[f]];
      cell.push_back(v % levels[f]);  // folds a 3-level column's 3rd level
    }
    d.cells.push_back(cell);
  }
  return d;
}

std::vector<std::string> DesignNotes(const Design& d, const std::vector<std::string>& names) {
  std::vector<std::string> notes;
  if (!d.replaced.empty()) {
    notes.push_back(
        fmt::format("{} has more rows than the {} settings of the full factorial: running the full "
                    "factorial instead (each setting once per repeat)",
                    d.replaced, d.cells.size()));
  }
  for (int f : d.unbalanced) {
    int first = 0;
    for (const auto& cell : d.cells) first += cell[f] == 0;
    notes.push_back(
        fmt::format("unbalanced: {} has 2 levels on a 3-level column of {}, so its first level runs "
                    "in {} of {} rows; its main effect compares unequal samples",
                    f < static_cast<int>(names.size()) ? names[f] : fmt::format("factor {}", f + 1), d.name, first,
                    d.cells.size()));
  }
  return notes;
}

StatusOr<Design> MakeDesign(const std::string& kind, const std::vector<int>& levels) {
  if (levels.empty()) return Status::InvalidArgument("no factors to vary");
  for (int l : levels) {
    if (l < 1) return Status::InvalidArgument("a factor needs at least one level");
  }
  if (kind == "full") return FullFactorial(levels);
  size_t grid = 1;
  for (int l : levels) grid *= static_cast<size_t>(l);
  if (kind == "auto") {
    for (const OrthogonalArray& a : AllArrays()) {
      if (a.rows.size() >= grid) break;  // the full grid is no larger
      auto d = FitArray(a, levels);
      if (d.ok()) return d;
    }
    return FullFactorial(levels);
  }
  auto a = ArrayByName(kind);
  if (!a.ok()) return a.status();
  auto d = FitArray(*a, levels);
  if (d.ok() && a->rows.size() > grid) {
    Design full = FullFactorial(levels);
    full.replaced = a->name;
    return full;
  }
  return d;
}

}  // namespace gcpilot
