// Small string checks shared by the report's section tests.
#ifndef GCPILOT_REPORT_REPORT_TEST_UTIL_H_
#define GCPILOT_REPORT_REPORT_TEST_UTIL_H_

#include <cstddef>
#include <string>

namespace gcpilot {

// How many times `needle` occurs in `s`, overlapping ones included.
inline size_t Count(const std::string& s, const std::string& needle) {
  size_t n = 0;
  for (size_t at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1)) ++n;
  return n;
}
inline bool Has(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

}  // namespace gcpilot

#endif  // GCPILOT_REPORT_REPORT_TEST_UTIL_H_
