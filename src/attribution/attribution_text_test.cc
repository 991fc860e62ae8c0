#include "attribution/attribution_text.h"

#include "base/units.h"

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

constexpr int64_t kSec = 1'000'000'000;

TEST(FormatApproxDuration, ShortAndRounded) {
  EXPECT_EQ(ApproxDurationText(kSec / 2), "~0.5 s");
  EXPECT_EQ(ApproxDurationText(9'940'000'000), "~9.9 s");
  EXPECT_EQ(ApproxDurationText(70 * kSec), "~70 s");
  EXPECT_EQ(ApproxDurationText(119 * kSec), "~119 s");
  EXPECT_EQ(ApproxDurationText(12 * 60 * kSec + 10 * kSec), "~12 min");
  EXPECT_EQ(ApproxDurationText(72 * 60 * kSec), "~1.2 h");
}

TEST(FormatByteRate, UnitBySize) {
  EXPECT_EQ(FormatByteRate(2.1 * (1 << 20), true), "+2.1 MiB/s");
  EXPECT_EQ(FormatByteRate(3.1 * (1 << 20), false), "3.1 MiB/s");
  EXPECT_EQ(FormatByteRate(-512 * 1024, true), "-512.0 KiB/s");
  EXPECT_EQ(FormatByteRate(12, true), "+12 B/s");
}

TEST(FormatDuration, ThreeDigitsUnderASecond) {
  EXPECT_EQ(FormatDuration(9'000'000), "9 ms");
  EXPECT_EQ(FormatDuration(350'000), "0.35 ms");
  EXPECT_EQ(FormatDuration(123'400'000), "123 ms");
  EXPECT_EQ(FormatDuration(41'230'000'000), "41.2 s");
}

TEST(FormatShare, TwoSignificantDigits) {
  EXPECT_EQ(FormatShare(0), "0%");
  EXPECT_EQ(FormatShare(0.0002), "0.02%");
  EXPECT_EQ(FormatShare(0.025), "2.5%");
  EXPECT_EQ(FormatShare(0.253), "25%");
}

}  // namespace
}  // namespace gcpilot
