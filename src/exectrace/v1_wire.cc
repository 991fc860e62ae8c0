#include "exectrace/v1_wire.h"

#include <array>

#include <fmt/format.h>

namespace gcpilot {

bool ReadV1Uvarint(std::string_view s, size_t* pos, uint64_t* value, bool* truncated) {
  uint64_t v = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (*pos >= s.size()) {
      *truncated = true;
      return false;
    }
    const uint8_t b = static_cast<uint8_t>(s[(*pos)++]);
    if (shift == 63 && b > 1) return false;  // past 64 bits
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (b < 0x80) {
      *value = v;
      return true;
    }
  }
  return false;
}

int V1UvarintBytes(uint64_t value) {
  int n = 1;
  for (; value >= 0x80; value >>= 7) ++n;
  return n;
}

void AppendV1Uvarint(std::string* out, uint64_t value, int width) {
  for (int i = 1; value >= 0x80 || i < width; ++i) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

namespace {

// The helpers below return kEvent to go on; on kCorrupt they have set *error.
V1Read Corrupt(std::string* error, std::string message) {
  *error = std::move(message);
  return V1Read::kCorrupt;
}

inline bool ReadOne(std::string_view s, size_t* pos, uint64_t* v, bool* truncated) {
  if (*pos < s.size() && static_cast<uint8_t>(s[*pos]) < 0x80) {  // most values are one byte
    *v = static_cast<uint8_t>(s[(*pos)++]);
    return true;
  }
  return ReadV1Uvarint(s, pos, v, truncated);
}

// Reads `count` uvarints of `s` from *pos into ev->values (the first
// kV1KeptValues of them), counting them into ev->value_count. `inside`:
// s is a length-prefixed payload, read to its end; running out there is
// corruption, not truncation.
V1Read ReadValues(std::string_view s, size_t* pos, size_t count, bool inside, V1WireEvent* ev, std::string* error) {
  for (size_t i = 0; i < count || (inside && *pos < s.size()); ++i) {
    uint64_t v = 0;
    bool truncated = false;
    if (!ReadOne(s, pos, &v, &truncated)) {
      if (truncated && !inside) return V1Read::kTruncated;
      return Corrupt(error, truncated ? fmt::format("{}: an argument runs past the event's length", ev->spec->name)
                                      : fmt::format("{}: malformed uvarint argument", ev->spec->name));
    }
    if (ev->value_count < kV1KeptValues) ev->values[ev->value_count] = v;
    ++ev->value_count;
  }
  return V1Read::kEvent;
}

// A uvarint length at *pos, at most `limit`, whose bytes follow in full:
// *out views them.
V1Read ReadSized(std::string_view body, size_t* pos, uint64_t limit, const char* what, V1WireEvent* ev,
                 std::string_view* out, std::string* error) {
  uint64_t len = 0;
  bool truncated = false;
  const size_t start = *pos;
  if (!ReadV1Uvarint(body, pos, &len, &truncated)) {
    return truncated ? V1Read::kTruncated : Corrupt(error, fmt::format("{}: malformed length", ev->spec->name));
  }
  ev->length_bytes = static_cast<int>(*pos - start);
  if (len > limit) {
    return Corrupt(error,
                   fmt::format("{}: {}length {} is past the limit of {} bytes", ev->spec->name, what, len, limit));
  }
  if (len > body.size() - *pos) return V1Read::kTruncated;
  *out = body.substr(*pos, len);
  *pos += len;
  return V1Read::kEvent;
}

V1Read CheckCount(const V1WireEvent& ev, std::string* error) {
  if (ev.type == kV1Stack) {
    if (ev.value_count < 2) return Corrupt(error, "Stack: fewer than 2 values");
    const uint64_t frames = ev.values[1];
    if (frames > kV1MaxStackFrames) {
      return Corrupt(error, fmt::format("Stack: {} frames is past the limit of {}", frames, kV1MaxStackFrames));
    }
    if (static_cast<uint64_t>(ev.value_count) != 2 + 4 * frames) {
      return Corrupt(error,
                     fmt::format("Stack: {} frames need {} values, it has {}", frames, 2 + 4 * frames, ev.value_count));
    }
    return V1Read::kEvent;
  }
  if (ev.value_count != ev.spec->WireValues()) {
    return Corrupt(error,
                   fmt::format("{} has {} values, it needs {}", ev.spec->name, ev.value_count, ev.spec->WireValues()));
  }
  return V1Read::kEvent;
}

// String [id, length] + bytes.
V1Read ReadString(std::string_view body, size_t* pos, V1WireEvent* ev, std::string* error) {
  V1Read r = ReadValues(body, pos, 1, false, ev, error);
  if (r == V1Read::kEvent) r = ReadSized(body, pos, kV1MaxStringBytes, "", ev, &ev->data, error);
  if (r == V1Read::kEvent) ev->values[ev->value_count++] = ev->data.size();
  ev->length_bytes = 0;
  return r;
}

// Out of line: inlined, its frame made every event's call pay for it.
[[gnu::noinline]] V1Read ReadBody(std::string_view body, size_t* pos, V1WireEvent* ev, std::string* error) {
  if (ev->type == kV1String) return ReadString(body, pos, ev, error);
  const int count = static_cast<uint8_t>(body[ev->pos]) >> 6;
  V1Read r;
  if (count < 3) {
    r = ReadValues(body, pos, static_cast<size_t>(count) + 1, false, ev, error);
  } else {
    ev->length_prefixed = true;
    const uint64_t limit = ev->type == kV1Stack ? kV1MaxStackBytes : kV1MaxArgBytes;
    r = ReadSized(body, pos, limit, "argument ", ev, &ev->payload, error);
    size_t inner = 0;
    if (r == V1Read::kEvent) r = ReadValues(ev->payload, &inner, 0, /*inside=*/true, ev, error);
  }
  if (r == V1Read::kEvent) r = CheckCount(*ev, error);
  if (r == V1Read::kEvent && ev->type == kV1UserLog) {
    const int length_bytes = ev->length_bytes;
    r = ReadSized(body, pos, kV1MaxStringBytes, "", ev, &ev->data, error);
    ev->length_bytes = length_bytes;
  }
  return r;
}

// The common case, most of the trace's bytes: an event of up to 3
// values (no length prefix) with room for 3 longest uvarints after it,
// read without a bounds check per byte. False (ev's values half written)
// for everything else, and for anything wrong with it, which ReadBody
// then reads again and words the error of.
inline bool ReadShortFast(std::string_view body, size_t* pos, V1WireEvent* ev) {
  if (ev->type == kV1String || ev->type == kV1Stack || ev->type == kV1UserLog) return false;
  const int count = (static_cast<uint8_t>(body[ev->pos]) >> 6) + 1;
  if (count > 3 || count != ev->spec->WireValues() || body.size() - *pos < 30) return false;
  const auto* b = reinterpret_cast<const uint8_t*>(body.data()) + *pos;
  const uint8_t* const start = b;
  for (int i = 0; i < count; ++i) {
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
      if (shift == 70) return false;
      const uint8_t c = *b++;
      if (shift == 63 && c > 1) return false;  // past 64 bits
      v |= static_cast<uint64_t>(c & 0x7f) << shift;
      if (c < 0x80) break;
    }
    ev->values[i] = v;
  }
  ev->value_count = count;
  *pos += static_cast<size_t>(b - start);
  return true;
}

// V1Spec for every type byte (6 bits) of the version last asked for: one
// load per event instead of a call. A reader sees one version at a time,
// so the table is rebuilt only when the version changes.
const V1EventSpec* SpecOf(uint8_t type, int go_minor) {
  thread_local int minor = -1;
  thread_local std::array<const V1EventSpec*, 64> table{};
  if (minor != go_minor) {
    for (int t = 0; t < 64; ++t) table[t] = V1Spec(t, go_minor);
    minor = go_minor;
  }
  return table[type];
}

}  // namespace

V1Read ReadV1Event(std::string_view body, size_t pos, int go_minor, V1WireEvent* ev, std::string* error) {
  if (pos >= body.size()) return V1Read::kEnd;
  ev->pos = pos;
  ev->type = static_cast<uint8_t>(body[pos]) & 0x3f;
  ev->spec = SpecOf(ev->type, go_minor);
  if (ev->spec == nullptr) {
    return Corrupt(error, fmt::format("unknown event type {} in a go 1.{} trace", ev->type, go_minor));
  }
  ev->value_count = 0;
  ev->length_prefixed = false;
  ev->length_bytes = 0;
  ev->payload = {};
  ev->data = {};
  size_t p = pos + 1;
  if (ReadShortFast(body, &p, ev)) {
    ev->size = p - pos;
    return V1Read::kEvent;
  }
  p = pos + 1;
  ev->value_count = 0;
  const V1Read r = ReadBody(body, &p, ev, error);
  if (r == V1Read::kEvent) ev->size = p - pos;
  return r;
}

}  // namespace gcpilot
