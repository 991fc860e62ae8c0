#include "model/gc_knobs.h"

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

TEST(GcKnobsTest, GogcReadsOffAndWholePercents) {
  EXPECT_EQ(*ParseGogc("off"), kGogcOff);
  EXPECT_EQ(*ParseGogc("0"), 0);
  EXPECT_EQ(*ParseGogc("400"), 400);
  EXPECT_EQ(ParseGogc("-1").status().message(),
            "GOGC \"-1\": want \"off\" or a whole number of percent in 0..2147483647 (2^31-1)");
  EXPECT_FALSE(ParseGogc("1.5").ok());
  EXPECT_FALSE(ParseGogc(" 100").ok());
  EXPECT_FALSE(ParseGogc("2147483648").ok());
  EXPECT_EQ(FormatGogc(kGogcOff), "off");
  EXPECT_EQ(FormatGogc(250), "250");
}

TEST(GcKnobsTest, GomemlimitIsGosOwnGrammar) {
  EXPECT_EQ(*ParseGomemlimit("off"), kMemLimitOff);
  EXPECT_EQ(*ParseGomemlimit("1000"), 1000);
  EXPECT_EQ(*ParseGomemlimit("1000B"), 1000);
  EXPECT_EQ(*ParseGomemlimit("512KiB"), 512 << 10);
  EXPECT_EQ(*ParseGomemlimit("1200MiB"), int64_t{1200} << 20);
  EXPECT_EQ(*ParseGomemlimit("2GiB"), int64_t{2} << 30);
  EXPECT_EQ(*ParseGomemlimit("1TiB"), int64_t{1} << 40);
  // What the runtime refuses ("malformed GOMEMLIMIT"), we refuse.
  for (const char* bad : {"1.5GiB", "1GB", "1 GiB", "GiB", "", "-1", "1gib", "8388608TiB"}) {
    EXPECT_FALSE(ParseGomemlimit(bad).ok()) << bad;
  }
  EXPECT_EQ(*ParseGomemlimit("8388607TiB"), int64_t{8388607} << 40);
}

TEST(GcKnobsTest, GomemlimitFormatsInTheLargestExactUnit) {
  EXPECT_EQ(FormatGomemlimit(kMemLimitOff), "off");
  EXPECT_EQ(FormatGomemlimit(int64_t{1} << 30), "1GiB");
  EXPECT_EQ(FormatGomemlimit(int64_t{1200} << 20), "1200MiB");
  EXPECT_EQ(FormatGomemlimit(1536), "1536B");
  EXPECT_EQ(FormatGomemlimit(0), "0B");
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{1536}, int64_t{900} << 20, int64_t{3} << 40}) {
    EXPECT_EQ(*ParseGomemlimit(FormatGomemlimit(v)), v);
  }
}

TEST(GcKnobsTest, GomaxprocsIsAPositiveInt32) {
  EXPECT_EQ(*ParseGomaxprocs("1"), 1);
  EXPECT_EQ(*ParseGomaxprocs("5000"), 5000);
  EXPECT_EQ(ParseGomaxprocs("0").status().message(), "GOMAXPROCS \"0\": want a whole number in 1..2147483647 (2^31-1)");
  EXPECT_FALSE(ParseGomaxprocs("2147483648").ok());
  EXPECT_FALSE(ParseGomaxprocs("two").ok());
}

TEST(GcKnobsTest, ByteSizesAllowFractionsForOurOwnBudgets) {
  EXPECT_EQ(*ParseByteSize("1.5GiB"), int64_t{3} << 29);
  EXPECT_EQ(*ParseByteSize("512MiB"), int64_t{512} << 20);
  EXPECT_EQ(*ParseByteSize("1000"), 1000);
  EXPECT_EQ(ParseByteSize("1.5GB").status().message(),
            "\"1.5GB\" is not a byte size (a number with B, KiB, MiB, GiB or TiB)");
  EXPECT_FALSE(ParseByteSize("-1MiB").ok());
  EXPECT_FALSE(ParseByteSize("inf").ok());
  EXPECT_EQ(FormatBytes(int64_t{3} << 29), "1.50 GiB");
  EXPECT_EQ(FormatBytes(12), "12 B");
}

TEST(GcKnobsTest, KnobsFromAndToAnEnvironment) {
  auto k = GcKnobs::FromEnv({{"GOGC", "400"}, {"GOMEMLIMIT", "1200MiB"}, {"GOMAXPROCS", ""}, {"APP", "x"}});
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->gogc_percent, 400);
  EXPECT_EQ(k->memlimit_bytes, int64_t{1200} << 20);
  EXPECT_FALSE(k->gomaxprocs.has_value());
  EXPECT_EQ(k->ToEnv(), (std::map<std::string, std::string>{{"GOGC", "400"}, {"GOMEMLIMIT", "1200MiB"}}));
  EXPECT_EQ(GcKnobs::FromEnv({{"GOMEMLIMIT", "1.5GiB"}}).status().message(),
            "GOMEMLIMIT \"1.5GiB\": want \"off\" or a whole number with B, KiB, MiB, GiB or TiB (e.g. 512MiB)");
}

TEST(GcKnobsTest, MagnitudesCompareLevelsOnOneScale) {
  EXPECT_EQ(KnobMagnitude("GOMEMLIMIT", "1GiB"), int64_t{1} << 30);
  EXPECT_EQ(KnobMagnitude("GOGC", "250"), 250);
  EXPECT_EQ(KnobMagnitude("GOGC", "off"), std::nullopt);
  EXPECT_EQ(KnobMagnitude("GOGC", ""), 100);  // unset: the runtime's default
  EXPECT_EQ(KnobMagnitude("GOMEMLIMIT", ""), kMemLimitOff);
  EXPECT_EQ(KnobMagnitude("GOMEMLIMIT", "off"), kMemLimitOff);
  EXPECT_EQ(KnobMagnitude("GOMAXPROCS", ""), std::nullopt);  // one P per CPU: no fixed default
  EXPECT_EQ(KnobMagnitude("PAYGATE_POOL", "x"), std::nullopt);
  EXPECT_EQ(FormatKnob("GOMEMLIMIT", int64_t{900} << 20), "900MiB");
  EXPECT_EQ(FormatKnob("GOGC", 250), "250");
  EXPECT_EQ(KnobValueProblem("GOMAXPROCS", "0"), "want a whole number in 1..2147483647 (2^31-1)");
  EXPECT_EQ(KnobValueProblem("GOMAXPROCS", "2"), "");
  EXPECT_EQ(KnobValueProblem("GOGC", ""), "");
  EXPECT_EQ(KnobValueProblem("APP_MODE", "anything"), "");
}

// Values the runtime cannot tell apart are one setting: Go parses GOGC and
// GOMAXPROCS as decimal integers (007 is 7) and the default is unset.
TEST(GcKnobsTest, CanonicalValuesMakeOneSettingOneSpelling) {
  EXPECT_EQ(CanonicalKnobValue("GOGC", "100"), "");
  EXPECT_EQ(CanonicalKnobValue("GOGC", "0100"), "");
  EXPECT_EQ(CanonicalKnobValue("GOGC", ""), "");
  EXPECT_EQ(CanonicalKnobValue("GOGC", "007"), "7");
  EXPECT_EQ(CanonicalKnobValue("GOGC", "0"), "0");
  EXPECT_EQ(CanonicalKnobValue("GOGC", "off"), "off");
  EXPECT_EQ(CanonicalKnobValue("GOMEMLIMIT", "off"), "");
  EXPECT_EQ(CanonicalKnobValue("GOMEMLIMIT", "9223372036854775807"), "");  // the same "no limit"
  EXPECT_EQ(CanonicalKnobValue("GOMEMLIMIT", "1024MiB"), "1GiB");
  EXPECT_EQ(CanonicalKnobValue("GOMEMLIMIT", "1073741824"), "1GiB");
  EXPECT_EQ(CanonicalKnobValue("GOMAXPROCS", "02"), "2");
  EXPECT_EQ(CanonicalKnobValue("GOMAXPROCS", ""), "");  // unset: the CPU count, no fixed number
  EXPECT_EQ(CanonicalKnobValue("GOGC", "1.5"), "1.5");  // not Go's: left as given
  EXPECT_EQ(CanonicalKnobValue("PAYGATE_POOL", "01"), "01");
}

}  // namespace
}  // namespace gcpilot
