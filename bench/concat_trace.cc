// Makes a big Go execution trace (v2 format, Go 1.22+) out of a real one by
// writing its generations again and again: copy k has every generation
// number raised by k * (the input's generation count) and every timestamp
// moved on by k * (the input's span plus one second), so the copies follow
// each other in time. Events inside an event batch are timed as deltas from
// the batch's base time, so only batch headers and the events that carry
// absolute times (clock snapshots, CPU samples) are rewritten; every other
// byte is copied as it is.
//
// bench/trace_big.sh uses it to time `gcpilot trace` on a >= 1 GB trace.
// The copies repeat goroutine, P and thread ids with states that do not
// follow on from the previous copy's end: a reader that checks states
// across generations (golang.org/x/exp/trace does) rejects the first
// junction; gcpilot's decoder, which takes each generation's statuses as
// given, does not.
//
// Usage: concat_trace IN OUT MIN_BYTES   (copies until OUT has >= MIN_BYTES)
// Exit status: 0 written, 1 unreadable or malformed input or unwritable output, 2 usage.
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

namespace {

// Wire event types (internal/trace/tracev2 of Go 1.26).
constexpr uint8_t kEventBatch = 1, kCpuSamples = 6, kCpuSample = 7, kFrequency = 8;
constexpr uint8_t kExperimentalBatch = 49, kSync = 50, kClockSnapshot = 51, kEndOfGeneration = 52;
constexpr size_t kHeaderBytes = 16;
constexpr uint64_t kMaxBatchBytes = 64 << 10;

// Reads uvarints from a byte range; `ok` turns false at the first one cut
// short or longer than ten bytes.
struct Cursor {
  std::string_view in;
  size_t pos = 0;
  bool ok = true;
  size_t width = 0;  // bytes of the last Uvarint

  uint64_t Uvarint() {
    const size_t start = pos;
    uint64_t value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos >= in.size()) break;
      const uint8_t b = static_cast<uint8_t>(in[pos++]);
      value |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) {
        width = pos - start;
        return value;
      }
    }
    ok = false;
    return 0;
  }
  uint8_t Byte() {
    if (pos >= in.size()) {
      ok = false;
      return 0;
    }
    return static_cast<uint8_t>(in[pos++]);
  }
};

// Writes `v` in at least `width` bytes: the runtime pads some fields (a
// batch's size is reserved before it is known), and a copy keeps their
// width so one copy of a trace is the trace itself, byte for byte.
void PutUvarint(std::string& out, uint64_t v, size_t width = 1) {
  for (size_t n = 1; v >= 0x80 || n < width; ++n) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// One batch as it lies in the file.
struct Batch {
  uint8_t type = 0;  // kEventBatch, kExperimentalBatch or kEndOfGeneration
  uint8_t experiment = 0;
  uint64_t gen = 0, m = 0, ts = 0;
  size_t gen_width = 1, m_width = 1, ts_width = 1, size_width = 1;  // as written
  std::string_view data;
};

// Reads the batch at c.pos; nullopt (c.ok false) when malformed.
std::optional<Batch> ReadBatch(Cursor& c) {
  Batch b;
  b.type = c.Byte();
  if (!c.ok) return std::nullopt;
  if (b.type == kEndOfGeneration) return b;
  if (b.type != kEventBatch && b.type != kExperimentalBatch) {
    c.ok = false;
    return std::nullopt;
  }
  if (b.type == kExperimentalBatch) b.experiment = c.Byte();
  b.gen = c.Uvarint();
  b.gen_width = c.width;
  b.m = c.Uvarint();
  b.m_width = c.width;
  b.ts = c.Uvarint();
  b.ts_width = c.width;
  const uint64_t size = c.Uvarint();
  b.size_width = c.width;
  if (!c.ok || size > kMaxBatchBytes || size > c.in.size() - c.pos) {
    c.ok = false;
    return std::nullopt;
  }
  b.data = c.in.substr(c.pos, size);
  c.pos += size;
  return b;
}

// What the first pass learns: the generation and base-time ranges, and
// the ticks per second.
struct Span {
  uint64_t min_gen = UINT64_MAX, max_gen = 0;
  uint64_t min_ts = UINT64_MAX, max_ts = 0;
  uint64_t frequency = 0;
};

// The shift of one copy: generations, ticks, and the same time in ns.
struct Shift {
  uint64_t gen = 0, ticks = 0, ns = 0;
};

// The sync batch's data with its clock snapshot moved by `s`; `freq` is
// set from its frequency event. Empty when the data is not understood.
std::string ShiftSync(std::string_view data, const Shift& s, uint64_t* freq) {
  Cursor c{data, 1};
  std::string out(1, static_cast<char>(kSync));
  while (c.ok && c.pos < data.size()) {
    const uint8_t type = c.Byte();
    out.push_back(static_cast<char>(type));
    if (type == kFrequency) {
      *freq = c.Uvarint();
      PutUvarint(out, *freq, c.width);
    } else if (type == kClockSnapshot) {
      const uint64_t ts = c.Uvarint();
      PutUvarint(out, ts + s.ticks, c.width);
      const uint64_t mono = c.Uvarint();
      PutUvarint(out, mono + s.ns, c.width);
      const uint64_t sec = c.Uvarint();
      const size_t sec_width = c.width;
      const uint64_t wall_ns = c.Uvarint() + s.ns % 1000000000;
      PutUvarint(out, sec + s.ns / 1000000000 + wall_ns / 1000000000, sec_width);
      PutUvarint(out, wall_ns % 1000000000, c.width);
    } else {
      return {};
    }
  }
  return c.ok ? out : std::string();
}

// The CPU-samples batch's data with each sample's time moved by `s`.
std::string ShiftCpuSamples(std::string_view data, const Shift& s) {
  Cursor c{data, 1};
  std::string out(1, static_cast<char>(kCpuSamples));
  while (c.ok && c.pos < data.size()) {
    if (c.Byte() != kCpuSample) return {};
    out.push_back(static_cast<char>(kCpuSample));
    const uint64_t ts = c.Uvarint();
    PutUvarint(out, ts + s.ticks, c.width);
    for (int i = 0; i < 4; ++i) {  // m, p, g, stack
      const uint64_t v = c.Uvarint();
      PutUvarint(out, v, c.width);
    }
  }
  return c.ok ? out : std::string();
}

// Appends batch `b` moved by `s` to `out`; false when its data is not understood.
bool WriteBatch(const Batch& b, const Shift& s, uint64_t* freq, std::string& out) {
  out.push_back(static_cast<char>(b.type));
  if (b.type == kEndOfGeneration) return true;
  if (b.type == kExperimentalBatch) out.push_back(static_cast<char>(b.experiment));
  std::string shifted;
  std::string_view data = b.data;
  const uint8_t first = data.empty() || b.type != kEventBatch ? 0 : static_cast<uint8_t>(data[0]);
  if (first == kSync || first == kCpuSamples) {
    shifted = first == kSync ? ShiftSync(data, s, freq) : ShiftCpuSamples(data, s);
    if (shifted.empty()) return false;
    data = shifted;
  } else if (first == kFrequency) {  // Go 1.22-1.23: the sync batch is a lone frequency event
    Cursor c{data, 1};
    *freq = c.Uvarint();
  }
  PutUvarint(out, b.gen + s.gen, b.gen_width);
  PutUvarint(out, b.m, b.m_width);
  PutUvarint(out, b.ts + s.ticks, b.ts_width);
  PutUvarint(out, data.size(), b.size_width);
  out.append(data);
  return true;
}

// Scans every batch of `body`; false (offset in *bad) at a malformed one.
bool Measure(std::string_view body, Span* span, size_t* bad) {
  Cursor c{body};
  std::string scratch;
  while (c.pos < body.size()) {
    const size_t at = c.pos;
    std::optional<Batch> b = ReadBatch(c);
    if (!b) {
      *bad = at;
      return false;
    }
    if (b->type == kEndOfGeneration) continue;
    span->min_gen = std::min(span->min_gen, b->gen);
    span->max_gen = std::max(span->max_gen, b->gen);
    span->min_ts = std::min(span->min_ts, b->ts);
    span->max_ts = std::max(span->max_ts, b->ts);
    scratch.clear();
    if (!WriteBatch(*b, Shift{}, &span->frequency, scratch)) {
      *bad = at;
      return false;
    }
  }
  return span->min_gen <= span->max_gen && span->frequency > 0;
}

bool ReadFile(const char* path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), {});
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t min_bytes = 0;
  if (argc != 4 || std::from_chars(argv[3], argv[3] + std::strlen(argv[3]), min_bytes).ec != std::errc()) {
    std::fprintf(stderr, "usage: concat_trace IN OUT MIN_BYTES\n");
    return 2;
  }
  std::string input;
  if (!ReadFile(argv[1], &input)) {
    std::fprintf(stderr, "concat_trace: %s: %s\n", argv[1], std::strerror(errno));
    return 1;
  }
  const std::string_view header = std::string_view(input).substr(0, kHeaderBytes);
  const int minor = header.size() == kHeaderBytes && header.starts_with("go 1.") ? std::atoi(input.c_str() + 5) : 0;
  if (minor < 22) {
    std::fprintf(stderr, "concat_trace: %s: not a v2 (Go 1.22+) trace\n", argv[1]);
    return 1;
  }
  const std::string_view body = std::string_view(input).substr(kHeaderBytes);
  Span span;
  size_t bad = 0;
  if (!Measure(body, &span, &bad)) {
    std::fprintf(stderr, "concat_trace: %s: offset %zu: a batch this tool cannot read (or no frequency)\n", argv[1],
                 kHeaderBytes + bad);
    return 1;
  }
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  out.write(header.data(), header.size());
  const uint64_t gens = span.max_gen - span.min_gen + 1;
  const uint64_t ticks = span.max_ts - span.min_ts + span.frequency;  // the span plus one second
  uint64_t written = header.size(), copies = 0;
  std::string chunk;
  for (; copies == 0 || written < min_bytes; ++copies) {
    Shift s{copies * gens, copies * ticks,
            static_cast<uint64_t>(static_cast<double>(copies * ticks) * 1e9 / static_cast<double>(span.frequency))};
    Cursor c{body};
    uint64_t freq = 0;
    while (c.pos < body.size()) {
      chunk.clear();
      WriteBatch(*ReadBatch(c), s, &freq, chunk);  // all batches were read once by Measure
      out.write(chunk.data(), chunk.size());
      written += chunk.size();
    }
  }
  out.flush();
  if (!out) {
    std::fprintf(stderr, "concat_trace: %s: write failed\n", argv[2]);
    return 1;
  }
  std::fprintf(stderr, "concat_trace: %s: %llu copies of %s (%llu generations each), %llu bytes\n", argv[2],
               static_cast<unsigned long long>(copies), argv[1], static_cast<unsigned long long>(gens),
               static_cast<unsigned long long>(written));
  return 0;
}
