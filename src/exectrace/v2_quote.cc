#include "exectrace/v2_quote.h"

#include <cstdint>

namespace gcpilot {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// The code point of the UTF-8 sequence at s[i] and its length, or length 0
// when the bytes are no valid UTF-8 (overlong, surrogate, past U+10FFFF).
uint32_t DecodeUtf8(std::string_view s, size_t i, size_t* len) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[i + k]); };
  const uint8_t b0 = b(0);
  size_t n = b0 >= 0xf0 ? 4 : b0 >= 0xe0 ? 3 : b0 >= 0xc0 ? 2 : 0;
  *len = 0;
  if (b0 >= 0xf8 || n == 0 || i + n > s.size()) return 0;
  uint32_t r = b0 & (0x7f >> n);
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xc0) != 0x80) return 0;
    r = (r << 6) | (b(k) & 0x3f);
  }
  const uint32_t min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
  if (r < min || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) return 0;
  *len = n;
  return r;
}

bool IsPrintableNonAscii(uint32_t r) {
  if (r <= 0xa0 || r == 0xad || r == 0x2028 || r == 0x2029 || r == 0xfeff) return false;
  return !(r >= 0xe000 && r <= 0xf8ff) && !(r >= 0xfff9 && r <= 0xfffb) && r < 0xf0000;
}

void AppendHex(uint32_t v, int digits, std::string* out) {
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out->push_back(kHex[(v >> shift) & 0xf]);
}

void AppendAsciiQuoted(char c, std::string* out) {
  switch (c) {
    case '"': out->append("\\\""); return;
    case '\\': out->append("\\\\"); return;
    case '\a': out->append("\\a"); return;
    case '\b': out->append("\\b"); return;
    case '\f': out->append("\\f"); return;
    case '\n': out->append("\\n"); return;
    case '\r': out->append("\\r"); return;
    case '\t': out->append("\\t"); return;
    case '\v': out->append("\\v"); return;
    default: break;
  }
  if (c >= 0x20 && c < 0x7f) {
    out->push_back(c);
  } else {
    out->append("\\x");
    AppendHex(static_cast<uint8_t>(c), 2, out);
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(uint32_t r, std::string* out) {
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3f)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3f)));
  }
}

// The escape at q[i] (q[i] == '\\'): appends its value, returns the index
// after it, or npos.
size_t ParseEscape(std::string_view q, size_t i, std::string* bytes) {
  if (i + 1 >= q.size()) return std::string_view::npos;
  const char c = q[i + 1];
  constexpr std::string_view kSimple = "abfnrtv\\\"";
  constexpr std::string_view kValues = "\a\b\f\n\r\t\v\\\"";
  if (const size_t k = kSimple.find(c); k != std::string_view::npos) {
    bytes->push_back(kValues[k]);
    return i + 2;
  }
  if (c >= '0' && c <= '7') {
    if (i + 4 > q.size()) return std::string_view::npos;
    int v = 0;
    for (size_t k = 1; k <= 3; ++k) {
      if (q[i + k] < '0' || q[i + k] > '7') return std::string_view::npos;
      v = v * 8 + (q[i + k] - '0');
    }
    if (v > 255) return std::string_view::npos;
    bytes->push_back(static_cast<char>(v));
    return i + 4;
  }
  const size_t digits = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
  if (digits == 0 || i + 2 + digits > q.size()) return std::string_view::npos;
  uint32_t v = 0;
  for (size_t k = 0; k < digits; ++k) {
    const int h = HexValue(q[i + 2 + k]);
    if (h < 0) return std::string_view::npos;
    v = (v << 4) | static_cast<uint32_t>(h);
  }
  if (c == 'x') {
    bytes->push_back(static_cast<char>(v));
  } else {
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return std::string_view::npos;
    AppendUtf8(v, bytes);
  }
  return i + 2 + digits;
}

}  // namespace

void AppendGoQuoted(std::string_view bytes, std::string* out) {
  out->push_back('"');
  for (size_t i = 0; i < bytes.size();) {
    const uint8_t c = static_cast<uint8_t>(bytes[i]);
    if (c < 0x80) {
      AppendAsciiQuoted(static_cast<char>(c), out);
      ++i;
      continue;
    }
    size_t len = 0;
    const uint32_t r = DecodeUtf8(bytes, i, &len);
    if (len == 0) {
      out->append("\\x");
      AppendHex(c, 2, out);
      ++i;
    } else if (IsPrintableNonAscii(r)) {
      out->append(bytes.substr(i, len));
      i += len;
    } else {
      out->append(r < 0x10000 ? "\\u" : "\\U");
      AppendHex(r, r < 0x10000 ? 4 : 8, out);
      i += len;
    }
  }
  out->push_back('"');
}

size_t ParseGoQuoted(std::string_view quoted, std::string* bytes) {
  bytes->clear();
  if (quoted.empty() || quoted[0] != '"') return 0;
  size_t i = 1;
  while (i < quoted.size() && quoted[i] != '"') {
    if (quoted[i] == '\n') return i;
    if (quoted[i] != '\\') {
      bytes->push_back(quoted[i++]);
      continue;
    }
    const size_t next = ParseEscape(quoted, i, bytes);
    if (next == std::string_view::npos) return i;
    i = next;
  }
  if (i >= quoted.size()) return quoted.size();
  return i + 1 == quoted.size() ? std::string_view::npos : i + 1;
}

}  // namespace gcpilot
