#include "exectrace/v2_events.h"

#include <gtest/gtest.h>

#include <string>

namespace gcpilot {
namespace {

std::string Args(const V2EventSpec& s) {
  std::string out;
  for (int i = 0; i < s.nargs; ++i) out += (i ? " " : "") + std::string(s.args[i]);
  return out;
}

TEST(V2Events, EachVersionKnowsTheEventsItWrites) {
  for (int minor : {22, 23, 25, 26}) {
    ASSERT_NE(V2Spec(minor, kV2UserLog), nullptr) << minor;
    EXPECT_EQ(V2Spec(minor, 0), nullptr);
    EXPECT_EQ(V2Spec(minor, 53), nullptr);
    EXPECT_EQ(V2Spec(minor, 137), nullptr);
  }
  EXPECT_EQ(V2Spec(22, 45), nullptr);  // GoSwitch: 1.23+
  EXPECT_EQ(V2Spec(23, 45)->name, "GoSwitch");
  EXPECT_EQ(V2Spec(23, 49)->name, "ExperimentalBatch");
  EXPECT_EQ(V2Spec(23, 50), nullptr);  // Sync: 1.25+
  EXPECT_EQ(V2Spec(25, 50)->name, "Sync");
  EXPECT_EQ(V2Spec(25, 51)->name, "ClockSnapshot");
  EXPECT_EQ(V2Spec(25, 52), nullptr);  // EndOfGeneration: 1.26+
  EXPECT_EQ(V2Spec(26, 52)->name, "EndOfGeneration");
  EXPECT_EQ(V2Spec(22, 128), nullptr);  // experiments: 1.23+
  EXPECT_TRUE(V2Spec(23, 128)->experimental);
  EXPECT_EQ(V2Spec(26, 136)->name, "GoroutineStackFree");
}

TEST(V2Events, ArgumentsAreNamedAsTheTextFormPrintsThem) {
  EXPECT_EQ(Args(*V2Spec(22, kV2EventBatch)), "gen m time size");
  EXPECT_EQ(Args(*V2Spec(22, kV2GoStatus)), "dt g m gstatus");
  EXPECT_EQ(Args(*V2Spec(22, kV2ProcStatus)), "dt p pstatus");
  EXPECT_EQ(Args(*V2Spec(22, kV2GoBlock)), "dt reason_string stack");
  EXPECT_EQ(Args(*V2Spec(22, kV2StwBegin)), "dt kind_string stack");
  EXPECT_EQ(Args(*V2Spec(22, kV2UserTaskBegin)), "dt task parent_task name_string stack");
  EXPECT_EQ(Args(*V2Spec(23, kV2GoStatusStack)), "dt g m gstatus stack");
  EXPECT_EQ(Args(*V2Spec(25, kV2ClockSnapshot)), "dt mono sec nsec");
  EXPECT_EQ(V2Spec(22, kV2UserTaskBegin)->string_arg, 3);
  EXPECT_EQ(V2Spec(22, kV2GcMarkAssistBegin)->stack_arg, 1);
  EXPECT_TRUE(V2Spec(22, kV2Stack)->is_stack);
  EXPECT_TRUE(V2Spec(22, kV2String)->has_data);
  EXPECT_FALSE(V2Spec(22, kV2Frequency)->timed);
  EXPECT_TRUE(V2Spec(22, kV2HeapAlloc)->timed);
  EXPECT_EQ(V2TypeByName(22, "GCMarkAssistActive"), 34);
  EXPECT_EQ(V2TypeByName(22, "GoSwitch"), 0);
}

TEST(V2Events, UvarintsAreReadInPlaceAndBounded) {
  const uint8_t bytes[] = {0xac, 0x02, 0x80};
  const uint8_t* p = bytes;
  uint64_t v = 0;
  ASSERT_TRUE(V2ReadUvarint(&p, bytes + 3, &v));
  EXPECT_EQ(v, 300u);
  EXPECT_EQ(p, bytes + 2);
  EXPECT_FALSE(V2ReadUvarint(&p, bytes + 3, &v));  // ends inside
  EXPECT_EQ(p, bytes + 2);
  const uint8_t big[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};  // past 64 bits
  p = big;
  EXPECT_FALSE(V2ReadUvarint(&p, big + 10, &v));
  const uint8_t max[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  p = max;
  ASSERT_TRUE(V2ReadUvarint(&p, max + 10, &v));
  EXPECT_EQ(v, ~uint64_t{0});
}

}  // namespace
}  // namespace gcpilot
