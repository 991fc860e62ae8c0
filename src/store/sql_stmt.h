// A prepared SQLite statement that finalizes itself, with typed binds and
// column reads. Internal to the store.
#ifndef GCPILOT_STORE_SQL_STMT_H_
#define GCPILOT_STORE_SQL_STMT_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace gcpilot::store_internal {

// A table column beside the struct field it holds, so that a writer and a
// reader built from one list of them cannot disagree.
template <typename Struct, typename Field>
struct Column {
  const char* name;
  Field Struct::*field;
};

class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& sql) { rc_ = sqlite3_prepare_v2(db, sql.c_str(), -1, &s_, nullptr); }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Stmt& Bind(int i, double v) {
    sqlite3_bind_double(s_, i, v);
    return *this;
  }
  Stmt& Bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& BindBlob(int i, std::string_view v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& BindNull(int i) {
    sqlite3_bind_null(s_, i);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code; a statement that failed to
  // prepare steps to SQLITE_ERROR.
  int Step() { return s_ ? sqlite3_step(s_) : SQLITE_ERROR; }
  void Reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  bool IsNull(int i) const { return sqlite3_column_type(s_, i) == SQLITE_NULL; }
  // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL.
  int Type(int i) const { return sqlite3_column_type(s_, i); }
  int64_t Int(int i) const { return sqlite3_column_int64(s_, i); }
  double Real(int i) const { return sqlite3_column_double(s_, i); }
  std::string Text(int i) const {
    const unsigned char* t = sqlite3_column_text(s_, i);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  std::string_view Blob(int i) const {
    const void* b = sqlite3_column_blob(s_, i);
    return b ? std::string_view(static_cast<const char*>(b), sqlite3_column_bytes(s_, i)) : std::string_view();
  }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

}  // namespace gcpilot::store_internal

#endif  // GCPILOT_STORE_SQL_STMT_H_
