// DumpV1Text / EncodeV1Text (trace_text.h): the v1 text form, one wire
// event per line in file order, in the shape of the v2 text form:
//
//   EventBatch p=0 time=4418093163        a Batch header (p -1 is 18446744073709551615)
//   GoStart dt=5 g=17 seq=0               timed events: dt (ticks since the batch's previous event),
//   GoCreate dt=9 g=18 new_stack=4 stack=6    then the arguments by Go 1.19's names, then stack
//   String id=7                           a string table entry, its bytes quoted below it
//   	data="runtime.main"
//   Stack id=4 nframes=1                  a stack, one line per frame below it
//   	pc=4321 func=7 file=8 line=250
//   UserLog dt=3 id=1 keyid=9 stack=2     and its message below it
//   	data="hello"
//   Frequency freq=15625000               untimed events have no dt
//
// Quoting: printable ASCII but `"` and `\` as is; those two as `\"`, `\\`;
// every other byte `\xNN` (the encoder also takes `\n`, `\t`, `\r`). The
// encoder writes the runtime's canonical form (shortest uvarints; an event
// with three or more values after its first is length-prefixed), so
// Encode(Dump(bytes)) == bytes for every trace the runtime wrote.
#include <fmt/format.h>

#include <charconv>
#include <vector>

#include "exectrace/trace_reader.h"
#include "exectrace/trace_text.h"
#include "exectrace/v1_events.h"
#include "exectrace/v1_wire.h"

namespace gcpilot {
namespace {

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c >= 0x20 && c < 0x7f) {
      out += ch;
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  return out + '"';
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The bytes of a quoted string, or false when it is not one.
bool Unquote(std::string_view q, std::string* out) {
  if (q.size() < 2 || q.front() != '"' || q.back() != '"') return false;
  q = q.substr(1, q.size() - 2);
  for (size_t i = 0; i < q.size(); ++i) {
    if (q[i] == '"') return false;
    if (q[i] != '\\') {
      out->push_back(q[i]);
      continue;
    }
    if (++i >= q.size()) return false;
    switch (q[i]) {
      case '"':
      case '\\':
        out->push_back(q[i]);
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 'x': {
        const int hi = i + 2 < q.size() ? HexDigit(q[i + 1]) : -1;
        const int lo = hi >= 0 ? HexDigit(q[i + 2]) : -1;
        if (lo < 0) return false;
        out->push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

// ---- Dump ----

// " length_bytes=N" where the event is not in the runtime's usual form:
// its length uvarint longer than the shortest, or a length where the
// values would fit inline.
void DumpLengthBytes(const V1WireEvent& ev, std::ostream& out) {
  const bool needless = ev.type != kV1Stack && ev.value_count < 4;
  if (ev.length_prefixed && (needless || ev.length_bytes != V1UvarintBytes(ev.payload.size()))) {
    out << " length_bytes=" << ev.length_bytes;
  }
}

void DumpStack(const V1WireEvent& ev, std::ostream& out) {
  out << "Stack id=" << ev.values[0] << " nframes=" << ev.values[1];
  DumpLengthBytes(ev, out);
  size_t pos = 0;
  uint64_t v = 0;
  bool truncated = false;
  static constexpr std::string_view kFrame[] = {"pc", "func", "file", "line"};
  for (int i = 0; ReadV1Uvarint(ev.payload, &pos, &v, &truncated); ++i) {
    if (i < 2) continue;  // id, nframes
    const int field = (i - 2) % 4;
    out << (field == 0 ? "\n\t" : " ") << kFrame[field] << '=' << v;
  }
  out << '\n';
}

void DumpEvent(const V1WireEvent& ev, std::ostream& out) {
  const V1EventSpec& spec = *ev.spec;
  if (ev.type == kV1Batch) {
    out << "EventBatch p=" << ev.values[0] << " time=" << ev.values[1] << '\n';
    return;
  }
  if (ev.type == kV1Stack) return DumpStack(ev, out);
  if (ev.type == kV1String) {
    out << "String id=" << ev.values[0] << "\n\tdata=" << Quote(ev.data) << '\n';
    return;
  }
  out << spec.name;
  if (spec.timed) out << " dt=" << ev.Delta();
  for (size_t i = 0; i < spec.args.size(); ++i) out << ' ' << spec.args[i] << '=' << ev.Arg(static_cast<int>(i));
  if (spec.has_stack) out << " stack=" << ev.StackId();
  DumpLengthBytes(ev, out);
  if (ev.type == kV1UserLog) out << "\n\tdata=" << Quote(ev.data);
  out << '\n';
}

// ---- Encode ----

class Encoder {
 public:
  Encoder(int go_minor, std::string_view text) : minor_(go_minor) {
    for (size_t start = 0; start < text.size();) {
      const size_t eol = text.find('\n', start);
      const size_t stop = eol == std::string_view::npos ? text.size() : eol;
      lines_.push_back(text.substr(start, stop - start));
      start = stop + 1;
    }
  }

  StatusOr<std::string> Run() {
    while (next_ < lines_.size()) {
      const std::string_view line = lines_[next_++];
      if (line.empty()) continue;
      const Status s = EncodeLine(line);
      if (!s.ok()) return s;
    }
    return std::move(out_);
  }

 private:
  Status Fail(const std::string& what) const {
    // The body's first line is the text's line 2 (line 1: "Trace Go1.N").
    return Status::InvalidArgument(fmt::format("line {}: {}", next_ + 1, what));
  }

  // Reads "key=N" words of `line` from *pos into `values`.
  Status Fields(std::string_view line, size_t* pos, std::span<const std::string_view> keys,
                std::vector<uint64_t>* values) {
    for (std::string_view key : keys) {
      while (*pos < line.size() && (line[*pos] == ' ' || line[*pos] == '\t')) ++*pos;
      const size_t end = std::min(line.find(' ', *pos), line.size());
      const std::string_view word = line.substr(*pos, end - *pos);
      *pos = end;
      uint64_t v = 0;
      const bool keyed = word.size() > key.size() + 1 && word.starts_with(key) && word[key.size()] == '=';
      const std::string_view digits = keyed ? word.substr(key.size() + 1) : std::string_view();
      const char* last = digits.data() + digits.size();
      if (!keyed || std::from_chars(digits.data(), last, v).ptr != last) {
        return Fail(fmt::format("expected {}=N, found \"{}\"", key, word));
      }
      values->push_back(v);
    }
    return Status::Ok();
  }

  Status Data(std::string* data) {
    constexpr std::string_view kData = "\tdata=";
    if (next_ >= lines_.size() || !lines_[next_].starts_with(kData)) {
      ++next_;
      return Fail("expected a \"\\tdata=\\\"...\\\"\" line");
    }
    const std::string_view q = lines_[next_++].substr(kData.size());
    if (!Unquote(q, data)) return Fail("the data is no well-formed quoted string");
    return Status::Ok();
  }

  // An optional trailing "length_bytes=N" (1..10): the width of a
  // length-prefixed event's length; 0 when absent.
  Status LengthBytes(std::string_view line, size_t pos, int* width) {
    *width = 0;
    if (line.find_first_not_of(' ', pos) == std::string_view::npos) return Status::Ok();
    static constexpr std::string_view kKey[] = {"length_bytes"};
    std::vector<uint64_t> v;
    if (Status s = Fields(line, &pos, kKey, &v); !s.ok()) return s;
    if (v[0] < 1 || v[0] > 10) return Fail("length_bytes must be 1..10");
    if (line.find_first_not_of(' ', pos) != std::string_view::npos) return Fail("unexpected words after the arguments");
    *width = static_cast<int>(v[0]);
    return Status::Ok();
  }

  // The event byte, then the values inline or behind their length.
  void Put(uint8_t type, const std::vector<uint64_t>& values, bool prefixed, int width) {
    if (!prefixed) {
      out_.push_back(static_cast<char>(type | (values.size() - 1) << 6));
      for (uint64_t v : values) AppendV1Uvarint(&out_, v);
      return;
    }
    std::string payload;
    for (uint64_t v : values) AppendV1Uvarint(&payload, v);
    out_.push_back(static_cast<char>(type | 3 << 6));
    AppendV1Uvarint(&out_, payload.size(), width);
    out_ += payload;
  }

  void PutData(const std::string& data) {
    AppendV1Uvarint(&out_, data.size());
    out_ += data;
  }

  Status EncodeStack(std::string_view line, size_t pos) {
    static constexpr std::string_view kHead[] = {"id", "nframes"};
    static constexpr std::string_view kFrame[] = {"pc", "func", "file", "line"};
    std::vector<uint64_t> values;
    int width = 0;
    if (Status s = Fields(line, &pos, kHead, &values); !s.ok()) return s;
    if (Status s = LengthBytes(line, pos, &width); !s.ok()) return s;
    if (values[1] > kV1MaxStackFrames) return Fail("too many frames");
    for (uint64_t i = 0; i < values[1]; ++i) {
      if (next_ >= lines_.size() || !lines_[next_].starts_with('\t')) return Fail("expected a frame line");
      const std::string_view frame = lines_[next_++];
      size_t at = 0;
      if (Status s = Fields(frame, &at, kFrame, &values); !s.ok()) return s;
    }
    Put(kV1Stack, values, true, width);
    return Status::Ok();
  }

  Status EncodeLine(std::string_view line) {
    const size_t space = std::min(line.find(' '), line.size());
    const std::string_view name = line.substr(0, space);
    size_t pos = space;
    std::vector<uint64_t> values;
    if (name == "EventBatch") {
      static constexpr std::string_view kKeys[] = {"p", "time"};
      if (Status s = Fields(line, &pos, kKeys, &values); !s.ok()) return s;
      Put(kV1Batch, values, false, 0);
      return Status::Ok();
    }
    const int type = V1TypeByName(name);
    const V1EventSpec* spec = type < 0 ? nullptr : V1Spec(type, minor_);
    if (spec == nullptr) return Fail(fmt::format("no event \"{}\" in a go 1.{} trace", name, minor_));
    if (type == kV1Stack) return EncodeStack(line, pos);
    static constexpr std::string_view kDt[] = {"dt"};
    static constexpr std::string_view kStack[] = {"stack"};
    if (spec->timed) {
      if (Status s = Fields(line, &pos, kDt, &values); !s.ok()) return s;
    }
    if (Status s = Fields(line, &pos, spec->args, &values); !s.ok()) return s;
    if (spec->has_stack) {
      if (Status s = Fields(line, &pos, kStack, &values); !s.ok()) return s;
    }
    int width = 0;
    if (Status s = LengthBytes(line, pos, &width); !s.ok()) return s;
    if (type == kV1String) {
      std::string data;
      if (Status s = Data(&data); !s.ok()) return s;
      out_.push_back(static_cast<char>(kV1String));
      AppendV1Uvarint(&out_, values[0]);
      PutData(data);
      return Status::Ok();
    }
    // The runtime's rule: three or more values after the first go behind a length.
    Put(static_cast<uint8_t>(type), values, values.size() >= 4 || width > 0, width);
    if (type == kV1UserLog) {
      std::string data;
      if (Status s = Data(&data); !s.ok()) return s;
      PutData(data);
    }
    return Status::Ok();
  }

  std::vector<std::string_view> lines_;
  int minor_;
  size_t next_ = 0;  // the next line to read (0-based in the body)
  std::string out_;
};

}  // namespace

Status DumpV1Text(int go_minor, std::string_view body, std::ostream& out) {
  for (size_t pos = 0;;) {
    V1WireEvent ev;
    std::string error;
    const int64_t offset = static_cast<int64_t>(kTraceHeaderBytes + pos);
    switch (ReadV1Event(body, pos, go_minor, &ev, &error)) {
      case V1Read::kEnd:
        return Status::Ok();
      case V1Read::kTruncated:
        return Status::Corruption(fmt::format("offset {}: the trace ends inside an event", offset));
      case V1Read::kCorrupt:
        return Status::Corruption(fmt::format("offset {}: {}", offset, error));
      case V1Read::kEvent:
        DumpEvent(ev, out);
        pos += ev.size;
        break;
    }
  }
}

StatusOr<std::string> EncodeV1Text(int go_minor, std::string_view body_text) {
  return Encoder(go_minor, body_text).Run();
}

}  // namespace gcpilot
