#include "tune/design.h"

#include <map>
#include <set>

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

TEST(DesignTest, ArraysHaveTheirShapesAndAreOrthogonal) {
  const std::map<std::string, std::pair<size_t, size_t>> shape = {
      {"L4", {4, 3}}, {"L8", {8, 7}}, {"L9", {9, 4}}, {"L16", {16, 15}}, {"L18", {18, 8}}, {"L27", {27, 13}}};
  for (const OrthogonalArray& a : AllArrays()) {
    SCOPED_TRACE(a.name);
    EXPECT_EQ(a.rows.size(), shape.at(a.name).first);
    EXPECT_EQ(a.column_levels.size(), shape.at(a.name).second);
    EXPECT_TRUE(IsOrthogonal(a));
    std::set<std::vector<int>> distinct(a.rows.begin(), a.rows.end());
    EXPECT_EQ(distinct.size(), a.rows.size());  // no repeated run
  }
  // The classic L4: rows 000, 011, 101, 110.
  auto l4 = ArrayByName("L4");
  ASSERT_TRUE(l4.ok());
  EXPECT_EQ(l4->rows, (std::vector<std::vector<int>>{{0, 0, 0}, {0, 1, 1}, {1, 0, 1}, {1, 1, 0}}));
}

TEST(DesignTest, DamagedArrayIsNotOrthogonal) {
  auto a = ArrayByName("L9");
  ASSERT_TRUE(a.ok());
  a->rows[0][1] = (a->rows[0][1] + 1) % 3;
  EXPECT_FALSE(IsOrthogonal(*a));
}

TEST(DesignTest, FullFactorialOrder) {
  const Design d = FullFactorial({2, 3});
  EXPECT_EQ(d.cells, (std::vector<std::vector<int>>{{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}}));
}

TEST(DesignTest, AutoPicksTheSmallestArrayThatFits) {
  EXPECT_EQ(MakeDesign("auto", {3, 3, 3})->name, "L9");
  EXPECT_EQ(MakeDesign("auto", {3, 3, 3, 3})->name, "L9");
  EXPECT_EQ(MakeDesign("auto", {3, 3, 3, 3, 3})->name, "L18");
  EXPECT_EQ(MakeDesign("auto", {2, 2, 2})->name, "L4");
  EXPECT_EQ(MakeDesign("auto", {2, 2, 2, 2})->name, "L8");
  EXPECT_EQ(MakeDesign("auto", {2, 3, 3, 3})->name, "L9");        // 2-level folded
  EXPECT_EQ(MakeDesign("auto", {2, 2})->name, "full factorial");  // 4 = L4
  EXPECT_EQ(MakeDesign("auto", {3, 3})->name, "full factorial");
  EXPECT_EQ(MakeDesign("auto", {4, 3})->name, "full factorial");
  EXPECT_EQ(MakeDesign("auto", {3, 3, 3, 3})->cells.size(), 9u);
}

TEST(DesignTest, FittedDesignsKeepBalance) {
  // Every level of every factor appears equally often in the fitted L18.
  auto d = MakeDesign("L18", {2, 3, 3, 3, 3});
  ASSERT_TRUE(d.ok());
  for (size_t f = 0; f < 5; ++f) {
    std::map<int, int> n;
    for (const auto& c : d->cells) ++n[c[f]];
    for (const auto& [lvl, count] : n) EXPECT_EQ(count * static_cast<int>(n.size()), 18) << f;
  }
}

TEST(DesignTest, AnArrayLargerThanTheGridIsReplacedByTheFullFactorial) {
  // An L27 for one two-level factor would run 27 rows of 2 settings.
  auto d = MakeDesign("L27", {2});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->name, "full factorial");
  EXPECT_EQ(d->cells, (std::vector<std::vector<int>>{{0}, {1}}));
  EXPECT_EQ(d->replaced, "L27");
  EXPECT_EQ(DesignNotes(*d, {"GOGC"}),
            std::vector<std::string>{"L27 has more rows than the 2 settings of the full factorial: running the full "
                                     "factorial instead (each setting once per repeat)"});
  EXPECT_EQ(MakeDesign("L9", {2, 2, 2})->name, "full factorial");  // 9 rows, 8 settings
  EXPECT_EQ(MakeDesign("L9", {3, 3, 3})->replaced, "");            // 9 rows, 27 settings
  EXPECT_EQ(MakeDesign("L4", {2, 2})->name, "L4");                 // as many rows as settings: kept
  EXPECT_EQ(MakeDesign("L27", {3, 3})->cells.size(), 9u);
}

TEST(DesignTest, AFoldedFactorIsNamedUnbalanced) {
  auto d = MakeDesign("auto", {3, 3, 3, 2});  // the built-in study: PAYGATE_POOL on a 3-level column
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->name, "L9");
  EXPECT_EQ(d->unbalanced, std::vector<int>{3});
  EXPECT_EQ(DesignNotes(*d, {"GOGC", "GOMEMLIMIT", "GOMAXPROCS", "PAYGATE_POOL"}),
            std::vector<std::string>{"unbalanced: PAYGATE_POOL has 2 levels on a 3-level column of L9, so its first "
                                     "level runs in 6 of 9 rows; its main effect compares unequal samples"});
  EXPECT_EQ(MakeDesign("L18", {2, 3, 3})->unbalanced, std::vector<int>{});  // the 2-level column
  EXPECT_EQ(MakeDesign("auto", {2, 2, 2})->unbalanced, std::vector<int>{});
}

TEST(DesignTest, ImpossibleDesignsSayWhy) {
  auto d = MakeDesign("L9", {3, 3, 3, 3, 3});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "L9 holds 0 two-level and 4 three-level columns; 0 two-level and 5 three-level factors given");
  d = MakeDesign("L8", {4, 2});
  EXPECT_EQ(d.status().message(), "L8 needs every factor at 2 or 3 levels (use design = \"full\" for other counts)");
  d = MakeDesign("L5", {2});
  EXPECT_EQ(d.status().message(), "design \"L5\" is unknown (known: auto, full, L4, L8, L9, L16, L18, L27)");
}

}  // namespace
}  // namespace gcpilot
