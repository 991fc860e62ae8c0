#include "store/study_store.h"

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "base/read_file.h"

namespace gcpilot {
namespace {

std::string Fresh(const char* name) {
  const std::string path = ::testing::TempDir() + "study_store_test_" + name;
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  return path;
}

TEST(StudyStoreTest, OpenExistingNeverCreatesOrChangesAFile) {
  const std::string missing = Fresh("missing.db");
  auto m = StudyStore::OpenExisting(missing);
  EXPECT_EQ(m.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(m.status().message(), missing + ": no such study database");
  EXPECT_FALSE(std::filesystem::exists(missing));

  const std::string empty = Fresh("empty.log");
  std::ofstream(empty).flush();
  auto e = StudyStore::OpenExisting(empty);
  EXPECT_EQ(e.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(e.status().message(), empty + ": not a gcpilot study database");
  EXPECT_EQ(std::filesystem::file_size(empty), 0u);

  const std::string text = Fresh("text.log");
  std::ofstream(text) << "gc 1 @0.1s 1%: not a database\n";
  auto t = StudyStore::OpenExisting(text);
  EXPECT_EQ(t.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(ReadFileOrEmpty(text), "gc 1 @0.1s 1%: not a database\n");
}

TEST(StudyStoreTest, AnotherProgramsDatabaseIsLeftAsItWas) {
  const std::string path = Fresh("foreign.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(a); INSERT INTO t VALUES (1);", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  const std::string before = ReadFileOrEmpty(path);
  auto w = StudyStore::Open(path);
  EXPECT_EQ(w.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(w.status().message(),
            path + ": an SQLite database of something else, not a gcpilot study database (left as it was)");
  auto r = StudyStore::OpenExisting(path);
  EXPECT_EQ(r.status().message(), path + ": not a gcpilot study database");
  EXPECT_EQ(ReadFileOrEmpty(path), before);
}

TEST(StudyStoreTest, ANewDatabaseIsAStudyDatabaseFromThenOn) {
  const std::string path = Fresh("new.db");
  {
    auto s = StudyStore::Open(path);
    ASSERT_TRUE(s.ok()) << s.status().message();
    auto latest = s->Latest();
    ASSERT_TRUE(latest.ok());
    EXPECT_FALSE(latest->has_value());  // no study yet
  }
  auto again = StudyStore::OpenExisting(path);
  ASSERT_TRUE(again.ok()) << again.status().message();
  auto reopened = StudyStore::Open(path);  // ours: opened, not refused
  EXPECT_TRUE(reopened.ok()) << reopened.status().message();
}

}  // namespace
}  // namespace gcpilot
