// Go's double-quoted string syntax, as the v2 text form writes a String's
// data (strconv.Quote): printable characters as they are, `\"` and `\\`,
// the C escapes, `\xHH` for bytes that are no UTF-8 and for ASCII control
// characters, `\uHHHH` / `\UHHHHHHHH` for other unprintable characters.
#ifndef GCPILOT_EXECTRACE_V2_QUOTE_H_
#define GCPILOT_EXECTRACE_V2_QUOTE_H_

#include <string>
#include <string_view>

namespace gcpilot {

// Appends `bytes` quoted. Which non-ASCII characters count as printable is
// approximated (C1 controls, the soft hyphen, line/paragraph separators,
// BOM and private-use characters are escaped; the rest kept): the result
// always parses back to `bytes`, and matches Go's for the ASCII and common
// UTF-8 text traces hold.
void AppendGoQuoted(std::string_view bytes, std::string* out);

// Parses a quoted string (`"..."` and nothing after it) into *bytes.
// Returns npos on success, else the index in `quoted` where it goes wrong.
size_t ParseGoQuoted(std::string_view quoted, std::string* bytes);

}  // namespace gcpilot

#endif  // GCPILOT_EXECTRACE_V2_QUOTE_H_
