// One CSV field as RFC 4180 wants it: a field holding a comma, a quote or a
// line break is quoted, its quotes doubled; any other is written as is.
#ifndef GCPILOT_BASE_CSV_FIELD_H_
#define GCPILOT_BASE_CSV_FIELD_H_

#include <string>
#include <string_view>

namespace gcpilot {

inline std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace gcpilot

#endif  // GCPILOT_BASE_CSV_FIELD_H_
