// Text that came from input files (log excerpts, file names) may hold any
// bytes; JSON output needs valid UTF-8. This keeps valid sequences and
// replaces each invalid byte with U+FFFD.
#ifndef GCPILOT_BASE_UTF8_H_
#define GCPILOT_BASE_UTF8_H_

#include <string>
#include <string_view>

namespace gcpilot {

std::string SanitizeUtf8(std::string_view s);

}  // namespace gcpilot

#endif  // GCPILOT_BASE_UTF8_H_
