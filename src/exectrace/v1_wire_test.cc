// The v1 event table and the wire reader, on bytes written out by hand.
#include "exectrace/v1_wire.h"

#include <gtest/gtest.h>

#include <string>

#include "exectrace/v1_events.h"

namespace gcpilot {
namespace {

TEST(V1Events, NumbersAndArgumentsAsGo119WritesThem) {
  const V1EventSpec* label = V1Spec(kV1GoStartLabel, 19);
  ASSERT_NE(label, nullptr);
  EXPECT_EQ(kV1GoStartLabel, 41);
  EXPECT_EQ(label->name, "GoStartLabel");
  ASSERT_EQ(label->args.size(), 3u);
  EXPECT_EQ(label->args[2], "labelid");
  EXPECT_FALSE(label->has_stack);
  EXPECT_EQ(label->WireValues(), 4);
  EXPECT_EQ(V1Spec(kV1GoCreate, 11)->WireValues(), 4);        // delta, g, new stack, stack
  EXPECT_EQ(V1Spec(kV1UserTaskCreate, 11)->WireValues(), 5);  // delta, id, parent, name, stack
  EXPECT_EQ(V1Spec(kV1Frequency, 11)->WireValues(), 1);
  EXPECT_EQ(V1Spec(kV1GCMarkAssistStart, 11)->name, "GCMarkAssistStart");
  EXPECT_EQ(V1TypeByName("GCSTWStart"), 9);
  EXPECT_EQ(V1TypeByName("Nothing"), -1);
}

TEST(V1Events, CpuSamplesBeginWithGo119) {
  EXPECT_EQ(V1Spec(kV1CPUSample, 11), nullptr);
  ASSERT_NE(V1Spec(kV1CPUSample, 19), nullptr);
  EXPECT_NE(V1Spec(kV1CPUSample, 21), nullptr);
  EXPECT_EQ(V1Spec(0, 19), nullptr);
  EXPECT_EQ(V1Spec(50, 21), nullptr);
  EXPECT_EQ(V1Spec(63, 21), nullptr);
}

TEST(V1Events, StwKindsChangedMeaningInGo121) {
  EXPECT_EQ(V1StwReason(19, 0), "GC mark termination");
  EXPECT_EQ(V1StwReason(19, 1), "GC sweep termination");
  EXPECT_EQ(V1StwReason(11, 2), "");
  EXPECT_EQ(V1StwReason(21, 1), "GC mark termination");
  EXPECT_EQ(V1StwReason(21, 2), "GC sweep termination");
  EXPECT_EQ(V1StwReason(21, 10), "start trace");
  EXPECT_EQ(V1StwReason(21, 0), "");
  EXPECT_EQ(V1StwReason(21, 17), "");
}

TEST(V1Wire, ReadsUvarintsAndTellsTruncationFromOverflow) {
  size_t pos = 0;
  uint64_t v = 0;
  bool truncated = false;
  const std::string max = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01";
  ASSERT_TRUE(ReadV1Uvarint(max, &pos, &v, &truncated));
  EXPECT_EQ(v, ~uint64_t{0});
  EXPECT_EQ(pos, 10u);
  pos = 0;
  EXPECT_FALSE(ReadV1Uvarint("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", &pos, &v, &truncated));
  EXPECT_FALSE(truncated);
  pos = 0;
  EXPECT_FALSE(ReadV1Uvarint("\x80\x80", &pos, &v, &truncated));
  EXPECT_TRUE(truncated);
  std::string out;
  AppendV1Uvarint(&out, 300);
  EXPECT_EQ(out, "\xac\x02");
  out.clear();
  AppendV1Uvarint(&out, 9, 10);  // Go 1.21's stack length
  EXPECT_EQ(out, std::string("\x89\x80\x80\x80\x80\x80\x80\x80\x80\x00", 10));
  EXPECT_EQ(V1UvarintBytes(127), 1);
  EXPECT_EQ(V1UvarintBytes(128), 2);
}

TEST(V1Wire, ReadsInlineAndLengthPrefixedEvents) {
  V1WireEvent ev;
  std::string error;
  // GoStart dt=5 g=17 seq=2: 3 values inline (count 2).
  const std::string start = "\x8e\x05\x11\x02";
  ASSERT_EQ(ReadV1Event(start, 0, 19, &ev, &error), V1Read::kEvent);
  EXPECT_EQ(ev.size, 4u);
  EXPECT_EQ(ev.Delta(), 5u);
  EXPECT_EQ(ev.Arg(0), 17u);
  EXPECT_FALSE(ev.length_prefixed);
  // GoUnblock dt=1 g=9 seq=3 stack=4: behind a 4-byte length.
  const std::string unblock = "\xd5\x04\x01\x09\x03\x04";
  ASSERT_EQ(ReadV1Event(unblock, 0, 19, &ev, &error), V1Read::kEvent);
  EXPECT_EQ(ev.size, 6u);
  EXPECT_TRUE(ev.length_prefixed);
  EXPECT_EQ(ev.StackId(), 4u);
  EXPECT_EQ(ev.Arg(1), 3u);
  // A Stack with its length in 10 bytes, as Go 1.21 writes it: id=2, 1 frame.
  const std::string stack =
      std::string("\xc3\x86\x80\x80\x80\x80\x80\x80\x80\x80\x00", 11) + "\x02\x01\x64\x07\x08\x0a";
  ASSERT_EQ(ReadV1Event(stack, 0, 21, &ev, &error), V1Read::kEvent);
  EXPECT_EQ(ev.size, 17u);
  EXPECT_EQ(ev.length_bytes, 10);
  EXPECT_EQ(ev.values[0], 2u);
  EXPECT_EQ(ev.values[3], 7u);  // the top frame's function string id
  // UserLog: its message follows the length-prefixed values.
  const std::string log = std::string("\xf0\x04\x01\x02\x03\x00", 6) + "\x02hi";
  ASSERT_EQ(ReadV1Event(log, 0, 19, &ev, &error), V1Read::kEvent);
  EXPECT_EQ(ev.data, "hi");
  EXPECT_EQ(ev.size, log.size());
}

TEST(V1Wire, AnEventCutShortIsTruncatedNotCorrupt) {
  V1WireEvent ev;
  std::string error;
  const std::string unblock = "\xd5\x04\x01\x09\x03\x04";
  for (size_t n = 1; n < unblock.size(); ++n) {
    EXPECT_EQ(ReadV1Event(unblock.substr(0, n), 0, 19, &ev, &error), V1Read::kTruncated) << n;
  }
  EXPECT_EQ(ReadV1Event(std::string("\x25\x01\x05"
                                    "abc"),
                        0, 19, &ev, &error),
            V1Read::kTruncated);
  EXPECT_EQ(ReadV1Event("", 0, 19, &ev, &error), V1Read::kEnd);
}

}  // namespace
}  // namespace gcpilot
