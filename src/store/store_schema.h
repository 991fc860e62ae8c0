// The study database's schema (version 4) and the migration of version-1,
// version-2 and version-3 files. Internal to the store; the tables are described in
// docs/study-database.md.
#ifndef GCPILOT_STORE_STORE_SCHEMA_H_
#define GCPILOT_STORE_STORE_SCHEMA_H_

#include <sqlite3.h>

#include <string>

#include "base/status.h"

namespace gcpilot::store_internal {

inline constexpr int kCurrentSchema = 4;

// Brings the open database `db` (at `path`, for messages) to schema
// version 4: creates the tables in a new file, migrates a version-1, 2 or
// 3 file in one transaction (nothing changes if it fails), and
// refuses a file of a newer version. The file must hold our tables or none.
[[nodiscard]] Status EnsureSchema(sqlite3* db, const std::string& path);

// The schema version a study database says it has (0: a new file; where
// the meta row is missing, the run table's columns tell), or an error.
[[nodiscard]] StatusOr<int> SchemaVersion(sqlite3* db, const std::string& path);

}  // namespace gcpilot::store_internal

#endif  // GCPILOT_STORE_STORE_SCHEMA_H_
