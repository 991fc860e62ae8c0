#include "base/utf8.h"

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

TEST(Utf8Test, KeepsValidReplacesInvalid) {
  EXPECT_EQ(SanitizeUtf8("gc 1 @0.1s"), "gc 1 @0.1s");
  EXPECT_EQ(SanitizeUtf8("goal\xCE\x94"), "goal\xCE\x94");  // "Δ", as pacer lines print
  EXPECT_EQ(SanitizeUtf8("a\xFF"
                         "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(SanitizeUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  EXPECT_EQ(SanitizeUtf8("\xED\xA0\x80"),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");                  // surrogate
  EXPECT_EQ(SanitizeUtf8("x\xE2\x82"), "x\xEF\xBF\xBD\xEF\xBF\xBD");  // cut
  EXPECT_EQ(SanitizeUtf8("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80");
}

}  // namespace
}  // namespace gcpilot
