// The report read from real study databases: one migrated from schema 1,
// and hand-edited ones that must give a clear error or a page, never an
// exception out of the library.
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "report/report.h"

namespace gcpilot {
namespace {

std::string Fresh(const char* name) {
  const std::string path = ::testing::TempDir() + "report_store_test_" + name;
  for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path + ext);
  return path;
}

void Sql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST(ReportStoreTest, AStudyOfTheReleaseBeforeSchemaTwoStillReports) {
  const std::string path = Fresh("v1.db");
  std::filesystem::copy_file(std::string(GCPILOT_SOURCE_DIR) + "/testdata/store/study-v1.db", path);
  auto store = StudyStore::OpenExisting(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto in = LoadReportInput(*store, 0);
  ASSERT_TRUE(in.ok()) << in.status().message();
  EXPECT_EQ(in->runs.size(), 3u);
  EXPECT_EQ(in->corrected.size(), 3u);
  const std::string html = RenderReport(*in);
  EXPECT_NE(html.find("<h1>gcpilot study 1: command line</h1>"), std::string::npos);
  EXPECT_NE(html.find("GC timeline, "), std::string::npos);  // its 6 + 3 + 1 cycles drawn
  EXPECT_NE(html.find("Recommendation"), std::string::npos);
  // Its best setting is the default: drawn once, as the recommendation.
  ASSERT_TRUE(in->analysis.rec.is_default);
  EXPECT_NE(html.find("GC timeline, recommended (run 2)"), std::string::npos);
  EXPECT_EQ(html.find("GC timeline, default"), std::string::npos);
}

TEST(ReportStoreTest, HandEditedDatabasesGiveAnErrorOrAPageNeverAThrow) {
  const std::string path = Fresh("edited.db");
  std::filesystem::copy_file(std::string(GCPILOT_SOURCE_DIR) + "/testdata/store/study-v1.db", path);
  { ASSERT_TRUE(StudyStore::OpenExisting(path).ok()); }  // migrated
  // A run whose env lacks the factor, with no levels: shown as unset.
  Sql(path, "UPDATE run SET env_json = '{}', levels_json = '[]' WHERE seq = 0");
  {
    auto store = StudyStore::OpenExisting(path);
    ASSERT_TRUE(store.ok());
    auto in = LoadReportInput(*store, 0);
    ASSERT_TRUE(in.ok()) << in.status().message();
    EXPECT_NE(RenderReport(*in).find("<td>1</td><td class=\"l\">design</td><td class=\"l\">(unset)</td>"),
              std::string::npos);
  }
  // Wrong JSON types and a damaged spec: errors that say where.
  Sql(path, "UPDATE run SET env_json = '[1, 2]' WHERE seq = 1");
  {
    auto store = StudyStore::OpenExisting(path);
    auto in = LoadReportInput(*store, 0);
    EXPECT_EQ(in.status().code(), StatusCode::kCorruption);
    EXPECT_EQ(in.status().message().rfind(path + ": run 2: ", 0), 0u) << in.status().message();
  }
  Sql(path, "UPDATE run SET env_json = '{}' WHERE seq = 1");
  // Numbers that are not numbers, a damaged histogram, a missing table.
  Sql(path, "UPDATE run SET p99_ns = 'abc' WHERE seq = 2");
  {
    auto store = StudyStore::OpenExisting(path);
    auto in = LoadReportInput(*store, 0);
    EXPECT_EQ(in.status().message(), path + ": run 3: p99_ns is not a number");
  }
  Sql(path, "UPDATE run SET p99_ns = 5169151 WHERE seq = 2");
  Sql(path, "UPDATE histogram SET counts_json = '[[1,' WHERE run_id = 3");
  {
    auto store = StudyStore::OpenExisting(path);
    auto in = LoadReportInput(*store, 0);
    EXPECT_EQ(in.status().code(), StatusCode::kCorruption);
    EXPECT_EQ(in.status().message().rfind(path + ": run 3 histogram: ", 0), 0u) << in.status().message();
  }
  Sql(path, "DROP TABLE histogram");
  {
    auto store = StudyStore::OpenExisting(path);
    auto in = LoadReportInput(*store, 0);
    EXPECT_EQ(in.status().message(), path + ": reading histograms: no such table: histogram");
  }
  Sql(path, "UPDATE study SET spec_json = '{\"factors\": 7}'");
  {
    auto store = StudyStore::OpenExisting(path);
    auto in = LoadReportInput(*store, 0);
    EXPECT_EQ(in.status().code(), StatusCode::kCorruption);
    EXPECT_EQ(in.status().message().rfind("stored study spec: source: ", 0), 0u) << in.status().message();
  }
  Sql(path, "UPDATE study SET spec_json = 'not json'");
  {
    auto store = StudyStore::OpenExisting(path);
    auto in = LoadReportInput(*store, 0);
    EXPECT_EQ(in.status().message(), "stored study spec: not a JSON object");
  }
}

}  // namespace
}  // namespace gcpilot
