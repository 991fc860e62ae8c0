// The text form of a v2 trace (trace_text.h): one wire event per line, in
// file order, exactly as Go's internal/trace/raw writes it:
//
//   EventBatch gen=1 m=167930 time=28113086277797 size=41
//   GoBlock dt=146 reason_string=12 stack=24
//   Stack id=45 nframes=3
//   	pc=4804964 func=110 file=111 line=80
//   String id=5
//   	data="runtime.gopark"
//
// Arguments are printed by the names of the event table (v2_events.h);
// frames and data go on tab-indented lines below their event. No batch
// structure is checked here: the text is the byte stream, event by event.
//
// Dump(Encode(text)) == text for text as Dump writes it; Encode(Dump(b)) ==
// b for traces whose uvarints are minimal (the runtime pads some, e.g. a
// batch's size, so a trace straight from a program re-encodes shorter).
#include <fmt/format.h>

#include <charconv>
#include <string>

#include "exectrace/trace_text.h"
#include "exectrace/v2_events.h"
#include "exectrace/v2_quote.h"

namespace gcpilot {
namespace {

constexpr std::string_view kFrameFields[4] = {"pc", "func", "file", "line"};

// Reads `count` uvarints into `out`; false when the bytes end first.
bool ReadArgs(const uint8_t** p, const uint8_t* end, int count, uint64_t* out) {
  for (int i = 0; i < count; ++i) {
    if (!V2ReadUvarint(p, end, &out[i])) return false;
  }
  return true;
}

class Dumper {
 public:
  Dumper(int go_minor, std::string_view body, std::ostream& out)
      : minor_(go_minor),
        begin_(reinterpret_cast<const uint8_t*>(body.data())),
        end_(begin_ + body.size()),
        out_(out) {}

  Status Run() {
    const uint8_t* p = begin_;
    Status st;
    while (p < end_ && st.ok()) {
      st = DumpEvent(&p);
      if (buf_.size() > (1 << 16)) Flush();
    }
    Flush();
    return st;
  }

 private:
  Status Error(const uint8_t* at, std::string_view what) const {
    return Status::Corruption(fmt::format("offset {}: {}", Offset(at), what));
  }
  int64_t Offset(const uint8_t* at) const { return 16 + (at - begin_); }
  void Flush() {
    out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }

  Status DumpEvent(const uint8_t** p) {
    const uint8_t* start = *p;
    const V2EventSpec* spec = V2Spec(minor_, *start);
    if (spec == nullptr) return Error(start, fmt::format("unknown event type {} in a go 1.{} trace", *start, minor_));
    const uint8_t* q = start + 1;
    uint64_t args[kV2MaxArgs];
    if (!ReadArgs(&q, end_, spec->nargs, args)) {
      return Error(start, fmt::format("{}: the input ends inside its arguments", spec->name));
    }
    buf_.append(spec->name);
    for (int i = 0; i < spec->nargs; ++i) fmt::format_to(std::back_inserter(buf_), " {}={}", spec->args[i], args[i]);
    if (spec->is_stack) {
      Status st = DumpFrames(start, &q, args[1]);
      if (!st.ok()) return st;
    }
    if (spec->has_data) {
      Status st = DumpData(start, &q, spec->name);
      if (!st.ok()) return st;
    }
    buf_.push_back('\n');
    *p = q;
    return Status::Ok();
  }

  Status DumpFrames(const uint8_t* start, const uint8_t** q, uint64_t nframes) {
    for (uint64_t f = 0; f < nframes; ++f) {
      uint64_t frame[4];
      if (!ReadArgs(q, end_, 4, frame)) return Error(start, "Stack: the input ends inside its frames");
      for (int i = 0; i < 4; ++i) {
        fmt::format_to(std::back_inserter(buf_), "{}{}={}", i == 0 ? "\n\t" : " ", kFrameFields[i], frame[i]);
      }
    }
    return Status::Ok();
  }

  Status DumpData(const uint8_t* start, const uint8_t** q, std::string_view name) {
    uint64_t len = 0;
    if (!V2ReadUvarint(q, end_, &len) || len > static_cast<uint64_t>(end_ - *q)) {
      return Error(start, fmt::format("{}: the input ends inside its data", name));
    }
    buf_.append("\n\tdata=");
    AppendGoQuoted(std::string_view(reinterpret_cast<const char*>(*q), len), &buf_);
    *q += len;
    return Status::Ok();
  }

  int minor_;
  const uint8_t* begin_;
  const uint8_t* end_;
  std::ostream& out_;
  std::string buf_;
};

// One line of the text and its number (line 1 is "Trace Go1.N").
struct TextLine {
  int number = 0;
  std::string_view text;
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view NextToken(std::string_view* rest) {
  size_t i = 0;
  while (i < rest->size() && IsSpace((*rest)[i])) ++i;
  size_t j = i;
  while (j < rest->size() && !IsSpace((*rest)[j])) ++j;
  std::string_view tok = rest->substr(i, j - i);
  rest->remove_prefix(j);
  return tok;
}

class Encoder {
 public:
  Encoder(int go_minor, std::string_view text) : minor_(go_minor), text_(text) {}

  StatusOr<std::string> Run() {
    TextLine line;
    while (NextLine(&line)) {
      Status st = EncodeEvent(line);
      if (!st.ok()) return st;
    }
    return std::move(out_);
  }

 private:
  // The next line with a token (blank lines and # comments are skipped).
  bool NextLine(TextLine* line) {
    while (pos_ < text_.size()) {
      const size_t eol = std::min(text_.find('\n', pos_), text_.size());
      line->text = text_.substr(pos_, eol - pos_);
      line->number = ++line_number_;
      pos_ = eol + 1;
      std::string_view rest = line->text;
      const std::string_view tok = NextToken(&rest);
      if (!tok.empty() && tok[0] != '#') return true;
    }
    return false;
  }

  Status Error(const TextLine& line, std::string_view what) const {
    return Status::InvalidArgument(fmt::format("line {}: {}", line.number, what));
  }

  Status EncodeEvent(const TextLine& line) {
    std::string_view rest = line.text;
    const std::string_view name = NextToken(&rest);
    const uint8_t type = V2TypeByName(minor_, name);
    if (type == 0) return Error(line, fmt::format("unknown event \"{}\" in a go 1.{} trace", name, minor_));
    const V2EventSpec& spec = *V2Spec(minor_, type);
    uint64_t args[kV2MaxArgs];
    Status st = ReadNamedArgs(line, rest, spec.args.data(), spec.nargs, args);
    if (!st.ok()) return st;
    out_.push_back(static_cast<char>(type));
    for (int i = 0; i < spec.nargs; ++i) AppendUvarint(args[i]);
    if (spec.is_stack) st = EncodeFrames(line, args[1]);
    if (st.ok() && spec.has_data) st = EncodeData(line, spec.name);
    return st;
  }

  Status ReadNamedArgs(const TextLine& line, std::string_view rest, const std::string_view* names, int count,
                       uint64_t* out) const {
    for (int i = 0; i < count; ++i) {
      const std::string_view tok = NextToken(&rest);
      const size_t eq = tok.find('=');
      if (eq == std::string_view::npos || tok.substr(0, eq) != names[i]) {
        return Error(line, fmt::format("expected argument \"{}=N\", found \"{}\"", names[i], tok));
      }
      const std::string_view digits = tok.substr(eq + 1);
      const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out[i]);
      if (ec != std::errc() || ptr != digits.data() + digits.size() || digits.empty()) {
        return Error(line, fmt::format("argument \"{}\": \"{}\" is not an unsigned 64-bit number", names[i], digits));
      }
    }
    const std::string_view extra = NextToken(&rest);
    if (!extra.empty()) return Error(line, fmt::format("unexpected \"{}\" after the arguments", extra));
    return Status::Ok();
  }

  Status EncodeFrames(const TextLine& event_line, uint64_t nframes) {
    for (uint64_t f = 0; f < nframes; ++f) {
      TextLine line;
      if (!NextLine(&line)) {
        return Error(event_line, fmt::format("the text ends after {} of the stack's {} frames", f, nframes));
      }
      uint64_t frame[4];
      Status st = ReadNamedArgs(line, line.text, kFrameFields, 4, frame);
      if (!st.ok()) return st;
      for (uint64_t v : frame) AppendUvarint(v);
    }
    return Status::Ok();
  }

  Status EncodeData(const TextLine& event_line, std::string_view name) {
    TextLine line;
    if (!NextLine(&line)) return Error(event_line, fmt::format("the text ends before {}'s data line", name));
    std::string_view rest = line.text;
    while (!rest.empty() && IsSpace(rest.front())) rest.remove_prefix(1);
    while (!rest.empty() && IsSpace(rest.back())) rest.remove_suffix(1);
    if (!rest.starts_with("data=")) return Error(line, "expected data=\"...\"");
    std::string data;
    const size_t bad = ParseGoQuoted(rest.substr(5), &data);
    if (bad != std::string_view::npos) {
      return Error(line, fmt::format("column {}: bad Go-quoted string", line.text.find("data=") + 6 + bad));
    }
    AppendUvarint(data.size());
    out_.append(data);
    return Status::Ok();
  }

  void AppendUvarint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }

  int minor_;
  std::string_view text_;
  size_t pos_ = 0;
  int line_number_ = 1;  // the "Trace Go1.N" line
  std::string out_;
};

}  // namespace

Status DumpV2Text(int go_minor, std::string_view body, std::ostream& out) {
  return Dumper(go_minor, body, out).Run();
}

StatusOr<std::string> EncodeV2Text(int go_minor, std::string_view body_text) {
  return Encoder(go_minor, body_text).Run();
}

}  // namespace gcpilot
