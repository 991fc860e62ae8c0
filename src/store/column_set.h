// The columns of a table beside the struct fields they hold, by type, so
// that the writer and the reader of a table are built from one list and
// cannot disagree on names, order or units. Internal to the store.
#ifndef GCPILOT_STORE_COLUMN_SET_H_
#define GCPILOT_STORE_COLUMN_SET_H_

#include <sqlite3.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "store/sql_stmt.h"

namespace gcpilot::store_internal {

// A struct's stored fields: integers, reals, booleans (stored 0/1) and
// texts, bound and read in that order. The lists are static arrays that
// outlive the set.
template <typename S>
struct ColumnSet {
  std::span<const Column<S, int64_t>> ints;
  std::span<const Column<S, double>> reals = {};
  std::span<const Column<S, bool>> bools = {};
  std::span<const Column<S, std::string>> texts = {};

  int size() const { return static_cast<int>(ints.size() + reals.size() + bools.size() + texts.size()); }
};

// "a, b, c": the set's column names in binding order, each as
// `prefix` + name + `suffix` (suffix " = ?" makes an UPDATE's SET list).
template <typename S>
std::string ColumnNames(const ColumnSet<S>& set, std::string_view prefix = "", std::string_view suffix = "") {
  std::string s;
  auto add = [&](const char* name) { s += fmt::format("{}{}{}{}", s.empty() ? "" : ", ", prefix, name, suffix); };
  for (const auto& c : set.ints) add(c.name);
  for (const auto& c : set.reals) add(c.name);
  for (const auto& c : set.bools) add(c.name);
  for (const auto& c : set.texts) add(c.name);
  return s;
}

// "?, ?, ?": one placeholder per column.
template <typename S>
std::string Placeholders(const ColumnSet<S>& set) {
  std::string s;
  for (int i = 0; i < set.size(); ++i) s += i ? ", ?" : "?";
  return s;
}

// Binds `from`'s fields to parameters *next, *next + 1, ...; leaves *next
// past the last.
template <typename S>
void BindColumns(Stmt& s, int* next, const ColumnSet<S>& set, const S& from) {
  for (const auto& c : set.ints) s.Bind((*next)++, from.*c.field);
  for (const auto& c : set.reals) s.Bind((*next)++, from.*c.field);
  for (const auto& c : set.bools) s.Bind((*next)++, from.*c.field ? 1 : 0);
  for (const auto& c : set.texts) s.Bind((*next)++, from.*c.field);
}

// Reads the set's fields from result columns *next, *next + 1, ... into
// `to`; leaves *next past the last. A NULL leaves the field as it was (a
// planned run's metrics keep their defaults). Returns the name of the first
// column holding a value of another type (a hand-edited file), else "".
template <typename S>
std::string ReadColumns(const Stmt& s, int* next, const ColumnSet<S>& set, S* to) {
  auto is = [&](int i, int want, int also) { return s.Type(i) == want || s.Type(i) == also; };
  for (const auto& c : set.ints) {
    const int i = (*next)++;
    if (!is(i, SQLITE_INTEGER, SQLITE_NULL)) return c.name;
    if (!s.IsNull(i)) to->*c.field = s.Int(i);
  }
  for (const auto& c : set.reals) {
    const int i = (*next)++;
    if (!is(i, SQLITE_FLOAT, SQLITE_INTEGER) && !s.IsNull(i)) return c.name;
    if (!s.IsNull(i)) to->*c.field = s.Real(i);
  }
  for (const auto& c : set.bools) {
    const int i = (*next)++;
    if (!is(i, SQLITE_INTEGER, SQLITE_NULL)) return c.name;
    if (!s.IsNull(i)) to->*c.field = s.Int(i) != 0;
  }
  for (const auto& c : set.texts) {
    const int i = (*next)++;
    if (!is(i, SQLITE_TEXT, SQLITE_NULL)) return c.name;
    if (!s.IsNull(i)) to->*c.field = s.Text(i);
  }
  return "";
}

}  // namespace gcpilot::store_internal

#endif  // GCPILOT_STORE_COLUMN_SET_H_
