#include "base/chunk_source.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace gcpilot {
namespace {

class ChunkSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gcpilot_chunk_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::string cmd = "rm -rf '" + dir_ + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
  }
  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  static std::string Gzip(const std::string& plain) {
    z_stream zs{};
    deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&zs, plain.size()) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
    zs.avail_in = static_cast<uInt>(plain.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
  }
  static Status ReadAll(const std::string& path, std::string* out, size_t chunk, int* calls = nullptr) {
    return ReadChunks(
        path,
        [&](std::string_view c) {
          out->append(c);
          if (calls) ++*calls;
          return Status::Ok();
        },
        chunk);
  }
  std::string dir_;
};

std::string Lines(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += "line " + std::to_string(i) + "\n";
  return s;
}

TEST_F(ChunkSourceTest, PlainFileInChunks) {
  const std::string text = Lines(1000);
  const std::string path = Write("a.log", text);
  std::string got;
  int calls = 0;
  ASSERT_TRUE(ReadAll(path, &got, 100, &calls).ok());
  EXPECT_EQ(got, text);
  EXPECT_EQ(calls, static_cast<int>((text.size() + 99) / 100));
}

TEST_F(ChunkSourceTest, GzipAndConcatenatedMembers) {
  const std::string a = Lines(5000), b = Lines(7);
  const std::string path = Write("a.log.gz", Gzip(a) + Gzip(b));
  std::string got;
  ASSERT_TRUE(ReadAll(path, &got, 4096).ok());
  EXPECT_EQ(got, a + b);
}

TEST_F(ChunkSourceTest, CutGzipIsCorruption) {
  const std::string gz = Gzip(Lines(5000));
  const std::string path = Write("cut.gz", gz.substr(0, gz.size() / 2));
  std::string got;
  Status s = ReadAll(path, &got, 4096);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find(path + ": gzip data cut off at compressed byte "), std::string::npos) << s.message();
}

TEST_F(ChunkSourceTest, FlippedByteIsCorruption) {
  std::string gz = Gzip(Lines(5000));
  gz[gz.size() - 6] ^= 0x55;  // inside the CRC32/size trailer
  const std::string path = Write("bad.gz", gz);
  std::string got;
  Status s = ReadAll(path, &got, 4096);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("gzip data corrupt"), std::string::npos) << s.message();
}

TEST_F(ChunkSourceTest, MissingFileNamesIt) {
  std::string got;
  Status s = ReadAll(dir_ + "/nope.log", &got, 4096);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), dir_ + "/nope.log: cannot open: No such file or directory");
}

// A directory is refused as every verb refuses one, not "read failed".
TEST_F(ChunkSourceTest, ADirectoryIsNotALogFile) {
  std::string got;
  Status s = ReadAll(dir_, &got, 4096);
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_EQ(s.message(), dir_ + ": is a directory, not a log file");
}

TEST_F(ChunkSourceTest, SinkErrorStopsReading) {
  const std::string path = Write("a.log", Lines(1000));
  int calls = 0;
  Status s = ReadChunks(
      path,
      [&](std::string_view) {
        ++calls;
        return Status::Corruption("stop");
      },
      10);
  EXPECT_EQ(s.message(), "stop");
  EXPECT_EQ(calls, 1);
}

TEST_F(ChunkSourceTest, EmptyFile) {
  const std::string path = Write("empty", "");
  std::string got;
  int calls = 0;
  ASSERT_TRUE(ReadAll(path, &got, 10, &calls).ok());
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace gcpilot
