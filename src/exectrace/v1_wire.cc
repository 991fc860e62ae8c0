#include "exectrace/v1_wire.h"

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

// What one read produced; `message` only for kCorrupt.
struct Fault {
  V1Read read = V1Read::kEvent;
  std::string message;
};

Fault Truncated() { return {V1Read::kTruncated, {}}; }
Fault Corrupt(std::string message) { return {V1Read::kCorrupt, std::move(message)}; }

// Reads `count` uvarints of `s` from *pos into ev->values (the first
// kV1KeptValues of them), counting them into ev->value_count. `inside`
// names the bounded region when s is a length-prefixed payload: running
// out there is corruption, not truncation.
Fault ReadValues(std::string_view s, size_t* pos, size_t count, bool inside, V1WireEvent* ev) {
  for (size_t i = 0; i < count || (inside && *pos < s.size()); ++i) {
    uint64_t v = 0;
    bool truncated = false;
    if (!ReadV1Uvarint(s, pos, &v, &truncated)) {
      if (truncated && !inside) return Truncated();
      return Corrupt(truncated ? fmt::format("{}: an argument runs past the event's length", ev->spec->name)
                               : fmt::format("{}: malformed uvarint argument", ev->spec->name));
    }
    if (ev->value_count < kV1KeptValues) ev->values[ev->value_count] = v;
    ++ev->value_count;
  }
  return {};
}

// String [id, length] + bytes; UserLog's trailing message is read the same way.
Fault ReadData(std::string_view body, size_t* pos, V1WireEvent* ev) {
  uint64_t len = 0;
  bool truncated = false;
  if (!ReadV1Uvarint(body, pos, &len, &truncated)) {
    return truncated ? Truncated() : Corrupt(fmt::format("{}: malformed length", ev->spec->name));
  }
  if (len > kV1MaxStringBytes) {
    return Corrupt(fmt::format("{}: length {} is past the limit of {} bytes", ev->spec->name, len, kV1MaxStringBytes));
  }
  if (len > body.size() - *pos) return Truncated();
  ev->data = body.substr(*pos, len);
  *pos += len;
  return {};
}

Fault ReadPrefixed(std::string_view body, size_t* pos, V1WireEvent* ev) {
  uint64_t len = 0;
  bool truncated = false;
  const size_t start = *pos;
  if (!ReadV1Uvarint(body, pos, &len, &truncated)) {
    return truncated ? Truncated() : Corrupt(fmt::format("{}: malformed length", ev->spec->name));
  }
  ev->length_bytes = static_cast<int>(*pos - start);
  const uint64_t limit = ev->type == kV1Stack ? kV1MaxStackBytes : kV1MaxArgBytes;
  if (len > limit) {
    return Corrupt(fmt::format("{}: argument length {} is past the limit of {} bytes", ev->spec->name, len, limit));
  }
  if (len > body.size() - *pos) return Truncated();
  ev->payload = body.substr(*pos, len);
  *pos += len;
  size_t inner = 0;
  return ReadValues(ev->payload, &inner, 0, /*inside=*/true, ev);
}

Fault CheckCount(const V1WireEvent& ev) {
  if (ev.type == kV1Stack) {
    if (ev.value_count < 2) return Corrupt("Stack: fewer than 2 values");
    const uint64_t frames = ev.values[1];
    if (frames > kV1MaxStackFrames) return Corrupt(fmt::format("Stack: {} frames is past the limit of {}", frames, kV1MaxStackFrames));
    if (static_cast<uint64_t>(ev.value_count) != 2 + 4 * frames) {
      return Corrupt(fmt::format("Stack: {} frames need {} values, it has {}", frames, 2 + 4 * frames, ev.value_count));
    }
    return {};
  }
  if (ev.value_count != ev.spec->WireValues()) {
    return Corrupt(fmt::format("{} has {} values, it needs {}", ev.spec->name, ev.value_count, ev.spec->WireValues()));
  }
  return {};
}

Fault ReadBody(std::string_view body, size_t* pos, V1WireEvent* ev) {
  if (ev->type == kV1String) {
    Fault f = ReadValues(body, pos, 1, false, ev);
    if (f.read != V1Read::kEvent) return f;
    f = ReadData(body, pos, ev);
    if (f.read == V1Read::kEvent) ev->values[ev->value_count++] = ev->data.size();
    return f;
  }
  const int count = static_cast<uint8_t>(body[ev->pos]) >> 6;
  Fault f;
  if (count < 3) {
    f = ReadValues(body, pos, static_cast<size_t>(count) + 1, false, ev);
  } else {
    ev->length_prefixed = true;
    f = ReadPrefixed(body, pos, ev);
  }
  if (f.read != V1Read::kEvent) return f;
  f = CheckCount(*ev);
  if (f.read == V1Read::kEvent && ev->type == kV1UserLog) f = ReadData(body, pos, ev);
  return f;
}

}  // namespace

V1Read ReadV1Event(std::string_view body, size_t pos, int go_minor, V1WireEvent* ev, std::string* error) {
  if (pos >= body.size()) return V1Read::kEnd;
  *ev = V1WireEvent();
  ev->pos = pos;
  ev->type = static_cast<uint8_t>(body[pos]) & 0x3f;
  ev->spec = V1Spec(ev->type, go_minor);
  if (ev->spec == nullptr) {
    *error = fmt::format("unknown event type {} in a go 1.{} trace", ev->type, go_minor);
    return V1Read::kCorrupt;
  }
  size_t p = pos + 1;
  Fault f = ReadBody(body, &p, ev);
  if (f.read == V1Read::kCorrupt) *error = std::move(f.message);
  if (f.read != V1Read::kEvent) return f.read;
  ev->size = p - pos;
  return V1Read::kEvent;
}

}  // namespace gcpilot
