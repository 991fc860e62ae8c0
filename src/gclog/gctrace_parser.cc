#include "gclog/gctrace_parser.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace gcpilot {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWordChar(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

template <size_t n>
inline bool EqualBytes(const char* a, const char* b) {
  static_assert(n >= 1 && n <= 16);
  if constexpr (n >= 8) {
    uint64_t x0, y0, x1, y1;  // two overlapping 8-byte words
    std::memcpy(&x0, a, 8);
    std::memcpy(&y0, b, 8);
    std::memcpy(&x1, a + n - 8, 8);
    std::memcpy(&y1, b + n - 8, 8);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  } else {
    return std::memcmp(a, b, n) == 0;  // small constant n: inlined
  }
}

// A cursor over one line. Every reader checks bounds; on failure it records
// the column and what was expected, and the caller stops. A number too big
// for what the model holds is a failure too, one that says so (see
// OutOfRange): a stand-in value would flow into every figure.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}

  // N is a compile-time size so the compare becomes one or two word loads
  // (this runs ~10 times per line of a multi-GB log).
  template <size_t N>
  bool Literal(const char (&lit)[N]) {
    constexpr size_t n = N - 1;
    if (s_.size() - pos_ >= n && EqualBytes<n>(s_.data() + pos_, lit)) {
      pos_ += n;
      return true;
    }
    return Fail("\"" + std::string(lit, n) + "\"");
  }

  // Whole number, any number of digits, at most `limit`: a longer one is
  // read whole and fails at its first digit, naming `field` and the limit
  // (the line is skipped: no stand-in value reaches the figures).
  bool Int(int64_t* out, const char* field, int64_t limit = INT64_MAX) {
    const size_t start = pos_;
    size_t i = pos_;
    int64_t v = 0;
    bool over = false;
    while (i < s_.size() && IsDigit(s_[i])) {
      over = over || !PushDigit(&v, s_[i] - '0', limit);
      ++i;
    }
    if (i == pos_) return Fail("a whole number");
    if (over) return OutOfRange(start, fmt::format("{} of at most {}", field, limit));
    pos_ = i;
    *out = v;
    return true;
  }

  // Decimal `I[.F]` scaled by 10^scale (ms->ns is 6, s->ns is 9), at most
  // kGctraceMaxNs (past it: fails at its first digit, as Int does). Digits
  // past `scale` decimals are dropped (the runtime never prints them).
  bool Fixed(int scale, int64_t* out, const char* field) {
    static constexpr int64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};
    constexpr int64_t kLimit = kGctraceMaxNs;
    const char* p = s_.data() + pos_;
    const char* const end = s_.data() + s_.size();
    const char* const int_start = p;
    int64_t v = 0;
    bool over = false;
    // Up to 18 - scale integer digits cannot pass the limit (the usual
    // case: one compare per digit); longer ones take the checked path.
    const char* const fast_end = p + std::min<ptrdiff_t>(end - p, 18 - scale);
    while (p < fast_end && IsDigit(*p)) v = v * 10 + (*p++ - '0');
    for (; p < end && IsDigit(*p); ++p) over = over || !PushDigit(&v, *p - '0', kLimit);
    if (p == int_start) return Fail("a decimal number");
    int frac_digits = 0;
    if (p < end && *p == '.') {
      const char* const frac_start = ++p;
      while (p < end && IsDigit(*p)) {
        if (frac_digits < scale) {
          over = over || !PushDigit(&v, *p - '0', kLimit);
          ++frac_digits;
        }
        ++p;
      }
      if (p == frac_start) {
        pos_ = static_cast<size_t>(p - s_.data());
        return Fail("digits after '.'");
      }
    }
    const int64_t scale_up = kPow10[scale - frac_digits];
    over = over || v > kLimit / scale_up;
    if (over) return OutOfRange(pos_, fmt::format("{} of at most {}", field, kLimit / kPow10[scale]));
    *out = v * scale_up;
    pos_ = static_cast<size_t>(p - s_.data());
    return true;
  }

  // Whether the digits at the cursor are followed by `lit`.
  bool DigitsThen(std::string_view lit) const {
    size_t i = pos_;
    while (i < s_.size() && IsDigit(s_[i])) ++i;
    return s_.size() - i >= lit.size() && std::memcmp(s_.data() + i, lit.data(), lit.size()) == 0;
  }
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  bool PeekIs(std::string_view lit) const {
    return s_.size() - pos_ >= lit.size() && std::memcmp(s_.data() + pos_, lit.data(), lit.size()) == 0;
  }
  void Skip(size_t n) { pos_ += n; }
  size_t pos() const { return pos_; }

  bool Fail(std::string_view expected) {
    if (expected_.empty()) {
      expected_ = std::string(expected);
      fail_pos_ = pos_;
    }
    return false;
  }
  // A number that does not fit what the model holds, printed from `start`.
  bool OutOfRange(size_t start, std::string expected) {
    pos_ = start;
    out_of_range_ = expected_.empty();
    return Fail(expected);
  }
  const std::string& expected() const { return expected_; }
  size_t fail_pos() const { return fail_pos_; }
  bool out_of_range() const { return out_of_range_; }

 private:
  // *v = *v * 10 + digit if that stays within `limit`; false (and *v
  // unchanged) if not.
  static bool PushDigit(int64_t* v, int digit, int64_t limit) {
    if (*v > (limit - digit) / 10) return false;
    *v = *v * 10 + digit;
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::string expected_;
  size_t fail_pos_ = 0;
  bool out_of_range_ = false;
};

// Whether `s` continues `scan: ` as the runtime's gctrace=2 lines do (Go
// 1.25+, mgcmark_greenteagc.go / mgcmark_nogreenteagc.go):
//   scan: total 363+3077+21602=25042 objs, 502+684=1186 spans
//   scan: class 48B 4+1607+12154=13765 objs, 206+210=416 spans
//   scan: class L 5+0+0=5 objs, 0+0=0 spans
// and without Green Tea `scan: total N objs`, `scan: class 48B N objs`.
// Checked to its end so that application output such as `scan: total 3
// files` stays application output.
bool IsScanStatsBody(std::string_view s) {
  size_t i = 0;
  auto lit = [&](std::string_view l) {
    if (s.substr(i, l.size()) != l) return false;
    i += l.size();
    return true;
  };
  auto digits = [&] {
    const size_t from = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    return i > from;
  };
  // N, N+N+N=N or N+N=N.
  auto sum = [&] {
    if (!digits()) return false;
    while (i < s.size() && (s[i] == '+' || s[i] == '=')) {
      ++i;
      if (!digits()) return false;
    }
    return true;
  };
  if (lit("total ")) {
  } else if (lit("class ")) {
    if (!lit("L ") && !(digits() && lit("B "))) return false;
  } else {
    return false;
  }
  if (!sum() || !lit(" objs")) return false;
  if (lit(", ") && !(sum() && lit(" spans"))) return false;
  // Nothing more, but for a container log's `\n","stream":...` tail.
  return i == s.size() || s[i] == '\\' || s[i] == '"';
}

// What a line that does not start with `gc <digit>` holds. One pass over
// its 'c' bytes finds all four markers (`gc N @`, `gcN(`, `scvg`/`scav `,
// `pacer: `): application lines are most of a busy log, so they must cost
// little.
struct LineScan {
  GctraceLineKind kind = GctraceLineKind::kOther;
  size_t cycle_start = 0;  // for kCycle: where `gc N @` starts
};

LineScan ScanLine(std::string_view line) {
  LineScan out;
  const char* const b = line.data();
  const size_t n = line.size();
  bool scavenger = false, pacer = false, legacy = false, scan = false;
  size_t from = 1;
  while (from < n) {
    const void* hit = std::memchr(b + from, 'c', n - from);
    if (hit == nullptr) break;
    const size_t at = static_cast<const char*>(hit) - b;  // at >= 1
    from = at + 1;
    const char prev = b[at - 1];
    if (prev == 'g') {
      const size_t g = at - 1;
      if (g > 0 && IsWordChar(b[g - 1])) continue;
      size_t i = at + 1;
      if (i < n && b[i] == ' ') {
        const size_t digits = ++i;
        while (i < n && IsDigit(b[i])) ++i;
        if (i > digits && i + 1 < n && b[i] == ' ' && b[i + 1] == '@') {
          out.kind = GctraceLineKind::kCycle;
          out.cycle_start = g;
          return out;
        }
      } else {
        const size_t digits = i;
        while (i < n && IsDigit(b[i])) ++i;
        if (i > digits && i < n && b[i] == '(') legacy = true;
      }
    } else if (prev == 's' && at + 2 < n &&
               ((b[at + 1] == 'v' && b[at + 2] == 'g') ||
                (b[at + 1] == 'a' && b[at + 2] == 'v' && at + 3 < n && b[at + 3] == ' '))) {
      scavenger = true;
    } else if (prev == 's' && at + 4 < n && std::memcmp(b + at + 1, "an: ", 4) == 0 &&
               (at == 1 || !IsWordChar(b[at - 2])) && IsScanStatsBody(line.substr(at + 5))) {
      scan = true;
    } else if (prev == 'a' && at >= 2 && b[at - 2] == 'p' && at + 4 < n && std::memcmp(b + at + 1, "er: ", 4) == 0) {
      pacer = true;
    }
  }
  out.kind = scavenger ? GctraceLineKind::kScavenger
             : pacer   ? GctraceLineKind::kPacer
             : scan    ? GctraceLineKind::kScan
             : legacy  ? GctraceLineKind::kLegacy
                       : GctraceLineKind::kOther;
  return out;
}

// Parses `T1+T2+...` milliseconds. Returns the number of terms (0 on error).
// Terms may be `a/b/c` only where `slashes_ok`; then *slashed is the index
// of that term and slash_vals gets its three values.
int ParseTerms(Cursor& cur, const char* field, int64_t* vals, int max_terms, bool slashes_ok, int* slashed,
               int64_t* slash_vals) {
  int n = 0;
  *slashed = -1;
  while (true) {
    if (n == max_terms) {
      cur.Fail("at most 5 '+'-separated phases");
      return 0;
    }
    if (!cur.Fixed(6, &vals[n], field)) return 0;
    if (slashes_ok && cur.Peek() == '/') {
      if (*slashed >= 0) {
        cur.Fail("one assist/background/idle term");
        return 0;
      }
      *slashed = n;
      slash_vals[0] = vals[n];
      cur.Skip(1);
      if (!cur.Fixed(6, &slash_vals[1], field)) return 0;
      if (!cur.Literal("/")) return 0;
      if (!cur.Fixed(6, &slash_vals[2], field)) return 0;
    }
    ++n;
    if (cur.Peek() != '+') break;
    cur.Skip(1);
  }
  return n;
}

// The numbers of a cycle line as printed, before they become the model's.
struct PrintedCycle {
  int64_t pct = 0;
  int64_t clock[5], cpu[5], slash[3];
  int nclock = 0, ncpu = 0;
  int64_t procs = 0;
  int64_t heap_mb[4], stacks_mb = -1, globals_mb = -1;
  size_t clock_pos = 0;  // where the clock terms begin
};

// The printed numbers into the model: bytes from MB, the phases by name.
// ParseGctraceLine's Int checks refused anything that would not fit.
void FillCycle(const PrintedCycle& p, GcCycle* c) {
  // As printed: the reader reports what the runtime said, and a % over 100
  // (clock trouble, a runtime bug) is worth seeing, not ours to correct.
  c->origin.printed_cpu_percent = static_cast<int32_t>(p.pct);
  c->origin.clock_column = static_cast<int32_t>(p.clock_pos + 1);  // a line is at most kMaxLineBytes
  // The runtime prints megabytes (bytes >> 20); the model holds bytes.
  MbToBytes(p.heap_mb[0], &c->heap_start_bytes);
  MbToBytes(p.heap_mb[1], &c->heap_end_bytes);
  MbToBytes(p.heap_mb[2], &c->heap_live_bytes);
  MbToBytes(p.heap_mb[3], &c->heap_goal_bytes);
  if (p.stacks_mb >= 0) MbToBytes(p.stacks_mb, &c->stacks_bytes);
  if (p.globals_mb >= 0) MbToBytes(p.globals_mb, &c->globals_bytes);
  c->procs = static_cast<int32_t>(p.procs);  // as printed
  c->sweep_term_ns = p.clock[0];
  c->mark_term_ns = p.clock[p.nclock - 1];
  c->cpu_sweep_term_ns = p.cpu[0];
  c->cpu_mark_term_ns = p.cpu[p.ncpu - 1];
  c->cpu_assist_ns = p.slash[0];
  c->cpu_background_ns = p.slash[1];
  c->cpu_idle_ns = p.slash[2];
  if (p.nclock == 5) {
    // Five-phase: sweep term, scan, sync Ps, mark, mark term. Scan and mark
    // are both concurrent marking work.
    c->mark_ns = p.clock[1] + p.clock[3];
    c->sync_ns = p.clock[2];
    c->cpu_other_ns = p.cpu[1] + p.cpu[2];
  } else {
    c->mark_ns = p.clock[1];
  }
}

}  // namespace

// The shape parsed here (Go 1.19, from a real run of the bundled gateway):
//   gc 9 @8.455s 7%: 0.086+475+0.035 ms clock, 0.17+5.2/248/310+0.071 ms
//   cpu, 452->491->288 MB, 531 MB goal, 0 MB stacks, 0 MB globals, 2 P
// Go 1.5-1.6 print five clock and five cpu terms; Go 1.5-1.17 lack the
// stacks/globals pair; any version may end in ` (forced)`. Go 1.26 with the
// goroutine leak detector (GOEXPERIMENT=goroutineleakprofile) prints
// ` (checking for goroutine leaks)` after the % of the cycle that looked.
GctraceLineKind ParseGctraceLine(std::string_view line, GcCycle* c, GctraceLineError* error) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  size_t start = 0;
  if (!(line.size() > 3 && line[0] == 'g' && line[1] == 'c' && line[2] == ' ' && IsDigit(line[3]))) {
    const LineScan scan = ScanLine(line);
    if (scan.kind != GctraceLineKind::kCycle) return scan.kind;
    start = scan.cycle_start;
  }
  Cursor cur(line);
  cur.Skip(start + 3);  // "gc "
  *c = GcCycle{};
  PrintedCycle p;
  int clock_slashed = -1, cpu_slashed = -1;
  bool ok = cur.Int(&c->number, "cycle number") && cur.Literal(" @") &&
            cur.Fixed(9, &c->start_ns, "seconds since start") && cur.Literal("s ") &&
            cur.Int(&p.pct, "GC CPU %", INT32_MAX) && cur.Literal("%");
  if (ok && cur.PeekIs(" (checking for goroutine leaks)")) cur.Skip(31);
  ok = ok && cur.Literal(": ");
  p.clock_pos = cur.pos();
  if (ok) {
    p.nclock = ParseTerms(cur, "clock ms", p.clock, 5, false, &clock_slashed, p.slash);
    ok = p.nclock > 0;
    if (ok && cur.Peek() != ' ') {
      ok = cur.Fail("'+' or \" ms clock, \"");
    } else if (ok && p.nclock != 3 && p.nclock != 5) {
      ok = cur.Fail("3 or 5 clock phases");
    }
  }
  ok = ok && cur.Literal(" ms clock, ");
  if (ok) {
    p.ncpu = ParseTerms(cur, "cpu ms", p.cpu, 5, true, &cpu_slashed, p.slash);
    ok = p.ncpu > 0;
    if (ok && cur.Peek() != ' ') {
      ok = cur.Fail("'+', '/' or \" ms cpu, \"");
    } else if (ok && p.ncpu != p.nclock) {
      ok = cur.Fail("as many cpu terms as clock phases");
    } else if (ok && cpu_slashed != p.ncpu - 2) {
      ok = cur.Fail("an assist/background/idle term before the last cpu term");
    }
  }
  // MB values whose bytes would not fit (MbToBytes' limit) are out of range.
  ok = ok && cur.Literal(" ms cpu, ") && cur.Int(&p.heap_mb[0], "heap MB", kGctraceMaxMb) && cur.Literal("->") &&
       cur.Int(&p.heap_mb[1], "heap MB", kGctraceMaxMb) && cur.Literal("->") &&
       cur.Int(&p.heap_mb[2], "heap MB", kGctraceMaxMb) && cur.Literal(" MB, ") &&
       cur.Int(&p.heap_mb[3], "goal MB", kGctraceMaxMb) && cur.Literal(" MB goal, ");
  if (ok) {
    // `S MB stacks, X MB globals, N P` (1.18+) or `N P`.
    if (cur.DigitsThen(" MB stacks, ")) {
      ok = cur.Int(&p.stacks_mb, "stacks MB", kGctraceMaxMb) && cur.Literal(" MB stacks, ") &&
           cur.Int(&p.globals_mb, "globals MB", kGctraceMaxMb) && cur.Literal(" MB globals, ") &&
           cur.Int(&p.procs, "P", INT32_MAX) && cur.Literal(" P");
      c->origin.format = GctraceFormat::kStacksGlobals;
    } else {
      ok = cur.Int(&p.procs, "P", INT32_MAX) && cur.Literal(" P");
      c->origin.format = p.nclock == 5 ? GctraceFormat::kFivePhase : GctraceFormat::kThreePhase;
    }
  }
  if (ok) {
    if (cur.PeekIs(" (forced)")) {
      c->forced = true;
      cur.Skip(9);
    }
    // Whatever follows must not continue the last token (`4 Px` is not a
    // cycle line); a container log's `\n","stream":...` tail is fine.
    if (!cur.AtEnd() && IsWordChar(cur.Peek())) {
      ok = cur.Fail("end of line after \" P\"");
    }
  }
  if (!ok) {
    error->column = static_cast<int64_t>(cur.fail_pos()) + 1;
    error->expected = cur.expected();
    error->out_of_range = cur.out_of_range();
    return GctraceLineKind::kMalformed;
  }
  FillCycle(p, c);
  return GctraceLineKind::kCycle;
}

Status GctraceOverlongLineError(const std::string& source_name, int64_t line) {
  return Status::Corruption(
      fmt::format("{}:{}: line longer than {} bytes, not read", source_name, line, GctraceParseStats::kMaxLineBytes));
}

GctraceReader::GctraceReader(GctraceReaderOptions options, CycleSink sink)
    : options_(std::move(options)), sink_(std::move(sink)) {}

Status GctraceReader::HandleLine(std::string_view line, bool at_eof) {
  ++stats_.lines;
  GctraceLineError err;
  switch (ParseGctraceLine(line, &scratch_, &err)) {
    case GctraceLineKind::kCycle:
      ++stats_.cycles;
      scratch_.origin.line = options_.line_offset + stats_.lines;
      sink_(scratch_);
      return Status::Ok();
    case GctraceLineKind::kMalformed: {
      err.line = options_.line_offset + stats_.lines;
      if (at_eof) {
        stats_.truncated_last_line = true;
        if (options_.strict) {
          return Status::Corruption(fmt::format("{}:{}:{}: input ends inside a gc line (expected {})",
                                                options_.source_name, err.line, err.column, err.expected));
        }
        return Status::Ok();
      }
      ++stats_.malformed;
      if (err.out_of_range) ++stats_.out_of_range;
      if (options_.strict) {
        return Status::Corruption(
            fmt::format("{}:{}:{}: expected {}", options_.source_name, err.line, err.column, err.expected));
      }
      if (stats_.first_errors.size() < GctraceParseStats::kMaxKeptErrors) {
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        err.excerpt = std::string(line.substr(0, 160));
        stats_.first_errors.push_back(std::move(err));
      }
      return Status::Ok();
    }
    case GctraceLineKind::kScavenger:
      ++stats_.scavenger_lines;
      return Status::Ok();
    case GctraceLineKind::kPacer:
      ++stats_.pacer_lines;
      return Status::Ok();
    case GctraceLineKind::kScan:
      ++stats_.scan_lines;
      return Status::Ok();
    case GctraceLineKind::kLegacy:
      ++stats_.legacy_lines;
      return Status::Ok();
    case GctraceLineKind::kOther:
      ++stats_.other_lines;
      return Status::Ok();
  }
  return Status::Ok();
}

Status GctraceReader::CountOverlongLine() {
  ++stats_.lines;
  ++stats_.overlong_lines;
  const int64_t line = options_.line_offset + stats_.lines;
  if (stats_.first_overlong_line == 0) stats_.first_overlong_line = line;
  // Skipped unread like a malformed line, so strict refuses it the same way.
  return options_.strict ? GctraceOverlongLineError(options_.source_name, line) : Status::Ok();
}

Status GctraceReader::Feed(std::string_view chunk) {
  if (!failed_.ok()) return failed_;
  stats_.bytes += static_cast<int64_t>(chunk.size());
  const char* p = chunk.data();
  const char* end = p + chunk.size();
  if (!carry_.empty() || carry_overlong_) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    const char* e = nl ? static_cast<const char*>(nl) : end;
    if (!carry_overlong_) {
      if (carry_.size() + static_cast<size_t>(e - p) > GctraceParseStats::kMaxLineBytes) {
        carry_overlong_ = true;
        carry_.clear();
      } else {
        carry_.append(p, e);
      }
    }
    if (nl == nullptr) return Status::Ok();
    if (carry_overlong_) {
      failed_ = CountOverlongLine();
      carry_overlong_ = false;
    } else {
      failed_ = HandleLine(carry_, false);
      carry_.clear();
    }
    if (!failed_.ok()) return failed_;
    p = e + 1;
  }
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    if (nl == nullptr) {
      if (static_cast<size_t>(end - p) > GctraceParseStats::kMaxLineBytes) {
        carry_overlong_ = true;
      } else {
        carry_.assign(p, end);
      }
      break;
    }
    const char* e = static_cast<const char*>(nl);
    // Whole in this chunk or not, a line that long is not parsed: the
    // counts do not depend on where the chunks were cut.
    if (static_cast<size_t>(e - p) > GctraceParseStats::kMaxLineBytes) {
      failed_ = CountOverlongLine();
    } else {
      failed_ = HandleLine(std::string_view(p, static_cast<size_t>(e - p)), false);
    }
    if (!failed_.ok()) return failed_;
    p = e + 1;
  }
  return Status::Ok();
}

Status GctraceReader::Finish() {
  if (!failed_.ok()) return failed_;
  if (carry_overlong_) {
    failed_ = CountOverlongLine();
    carry_overlong_ = false;
  } else if (!carry_.empty()) {
    failed_ = HandleLine(carry_, true);
    carry_.clear();
  }
  return failed_;
}

}  // namespace gcpilot
