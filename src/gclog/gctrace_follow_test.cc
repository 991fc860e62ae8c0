#include "gclog/gctrace_follow.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "gclog/gctrace_test_util.h"

namespace gcpilot {
namespace {

// Two cycles of the bundled gateway under Go 1.26 with the line its own
// log printed first (testdata/gctrace/paygate-go126-default.log).
constexpr std::string_view kHead = "paygate: listening on 127.0.0.1:38265 (pool=false presize=false)\n";
constexpr std::string_view kGc1 =
    "gc 1 @0.006s 13%: 0.010+4.7+0.002 ms clock, 0.010+1.5/0/0+0.002 ms cpu, 3->5->4 MB, 4 MB goal, 0 MB stacks, 0 "
    "MB globals, 1 P\n";
constexpr std::string_view kGc2 =
    "gc 2 @0.020s 15%: 0.006+8.7+0.001 ms clock, 0.006+1.0/2.1/0+0.001 ms cpu, 8->8->8 MB, 9 MB goal, 0 MB stacks, 0 "
    "MB globals, 1 P\n";

class GctraceFollowerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("gctrace_follow_" + std::to_string(getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".stderr"))
                .string();
    std::filesystem::remove(path_);
  }
  void TearDown() override { std::filesystem::remove(path_); }
  void Append(std::string_view bytes) {
    std::ofstream f(path_, std::ios::binary | std::ios::app);
    f << bytes;
  }
  std::string path_;
};

void Collect(StatusOr<std::vector<FollowedCycle>> got, std::vector<FollowedCycle>* all) {
  ASSERT_TRUE(got.ok()) << got.status().message();
  all->insert(all->end(), got->begin(), got->end());
}

TEST_F(GctraceFollowerTest, EachCycleIsSeenAtThePollThatReadItsNewline) {
  const std::string input = std::string(kHead) + std::string(kGc1) + std::string(kGc2);
  const auto whole = testing::ParseAll(input);
  ASSERT_EQ(whole.cycles.size(), 2u);
  const int64_t nl1 = kHead.size() + kGc1.size() - 1, nl2 = input.size() - 1;
  // One byte a poll: the poll's clock is the index of the byte it read.
  GctraceFollower f(path_);
  std::vector<FollowedCycle> all;
  for (size_t i = 0; i < input.size(); ++i) {
    Append(input.substr(i, 1));
    Collect(f.Poll(i), &all);
    // The first cycle is held until the second one's line is complete.
    EXPECT_EQ(all.size(), static_cast<int64_t>(i) >= nl2 ? 1u : 0u) << i;
    EXPECT_EQ(f.held().has_value(), static_cast<int64_t>(i) >= nl1) << i;
  }
  const auto last = f.Finish(1000);
  all.insert(all.end(), last.begin(), last.end());
  EXPECT_EQ(all, (std::vector<FollowedCycle>{{whole.cycles[0], nl1}, {whole.cycles[1], nl2}}));
  EXPECT_EQ(f.stats().cycles, 2);
}

TEST_F(GctraceFollowerTest, AWriteCutAtAnyByteGivesTheSameCycles) {
  const std::string input = std::string(kGc1) + std::string(kGc2);
  const auto whole = testing::ParseAll(input);
  const size_t nl1 = kGc1.size() - 1;
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    SCOPED_TRACE(cut);
    std::filesystem::remove(path_);
    GctraceFollower f(path_);
    std::vector<FollowedCycle> all;
    Append(input.substr(0, cut));
    Collect(f.Poll(1), &all);
    Append(input.substr(cut));
    Collect(f.Poll(2), &all);
    const auto last = f.Finish(3);
    all.insert(all.end(), last.begin(), last.end());
    const int64_t first_seen = cut > nl1 ? 1 : 2, second_seen = cut == input.size() ? 1 : 2;
    EXPECT_EQ(all, (std::vector<FollowedCycle>{{whole.cycles[0], first_seen}, {whole.cycles[1], second_seen}}));
  }
}

TEST_F(GctraceFollowerTest, AFileNotYetWrittenAndALateLastLine) {
  GctraceFollower f(path_);
  auto none = f.Poll(1);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  Append(kHead);
  Append(kGc1.substr(0, 30));
  ASSERT_TRUE(f.Poll(2).ok());
  EXPECT_FALSE(f.held());
  // The rest of the line comes late, without its newline (the process was
  // killed mid-write): Finish parses it, seen then.
  Append(kGc1.substr(30, kGc1.size() - 31));
  ASSERT_TRUE(f.Poll(3).ok());
  EXPECT_FALSE(f.held());
  const auto last = f.Finish(4);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].cycle.number, 1);
  EXPECT_EQ(last[0].cycle.start_ns, 6'000'000);
  EXPECT_EQ(last[0].seen_ns, 4);
}

TEST_F(GctraceFollowerTest, AFileThatShrankIsAnErrorNamingIt) {
  GctraceFollower f(path_);
  Append(kGc1);
  ASSERT_TRUE(f.Poll(1).ok());
  std::filesystem::resize_file(path_, 10);
  auto got = f.Poll(2);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            path_ + ": shrank from " + std::to_string(kGc1.size()) + " to 10 bytes while it was followed");
  EXPECT_FALSE(f.Poll(3).ok());  // stays failed
}

TEST_F(GctraceFollowerTest, OnePollReadsAtMostTheBound) {
  std::string many;
  while (many.size() <= GctraceFollower::kMaxPollBytes) many += kHead;
  Append(many);
  GctraceFollower f(path_);
  ASSERT_TRUE(f.Poll(1).ok());
  EXPECT_EQ(f.bytes_read(), static_cast<int64_t>(GctraceFollower::kMaxPollBytes));
  ASSERT_TRUE(f.Poll(2).ok());
  EXPECT_EQ(f.bytes_read(), static_cast<int64_t>(many.size()));
}

}  // namespace
}  // namespace gcpilot
