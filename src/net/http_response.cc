#include "net/http_response.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include <fmt/format.h>

namespace gcpilot {
namespace {

constexpr size_t kMaxHead = 64 << 10;

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    if (c != b[i]) return false;
  }
  return true;
}

bool IContains(std::string_view hay, std::string_view needle) {
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (IEquals(hay.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Finds the blank line ending a head: "\r\n\r\n" or "\n\n"; returns the
// length up to and including it, or 0.
size_t HeadEnd(std::string_view s) {
  size_t from = 0;
  while (true) {
    const void* p = std::memchr(s.data() + from, '\n', s.size() - from);
    if (!p) return 0;
    const size_t i = static_cast<const char*>(p) - s.data();
    if (i + 1 < s.size() && s[i + 1] == '\n') return i + 2;
    if (i + 2 < s.size() && s[i + 1] == '\r' && s[i + 2] == '\n') return i + 3;
    from = i + 1;
  }
}

}  // namespace

void HttpResponseParser::Reset(bool no_body, bool keep_body) {
  state_ = State::kNeedMore;
  phase_ = Phase::kHead;
  no_body_ = no_body;
  keep_body_ = keep_body;
  status_ = 0;
  keep_alive_ = true;
  http10_ = chunked_ = have_length_ = conn_close_ = conn_keep_alive_ = false;
  remaining_ = 0;
  offset_ = 0;
  head_.clear();
  body_.clear();
  error_.clear();
}

bool HttpResponseParser::Fail(std::string why) {
  state_ = State::kError;
  error_ = fmt::format("byte {}: {}", offset_, why);
  return false;
}

bool HttpResponseParser::HeaderLine(std::string_view line) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Fail("header line without a name and colon");
  }
  const std::string_view name = line.substr(0, colon);
  const std::string_view value = Trim(line.substr(colon + 1));
  if (IEquals(name, "content-length")) {
    uint64_t n = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc() || p != value.data() + value.size()) {
      return Fail(fmt::format("Content-Length \"{}\" is not a number", value.substr(0, 40)));
    }
    if (have_length_ && n != remaining_) return Fail("two different Content-Length values");
    have_length_ = true;
    remaining_ = n;
  } else if (IEquals(name, "transfer-encoding")) {
    if (IContains(value, "chunked")) chunked_ = true;
  } else if (IEquals(name, "connection")) {
    if (IContains(value, "close")) conn_close_ = true;
    if (IContains(value, "keep-alive")) conn_keep_alive_ = true;
  }
  return true;
}

bool HttpResponseParser::ParseHead(std::string_view head) {
  // "HTTP/1.1 200 OK\r\n"
  const size_t eol = head.find('\n');
  const std::string_view line = Trim(head.substr(0, eol));
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || (line[7] != '0' && line[7] != '1') || line[8] != ' ' ||
      (line.size() > 12 && line[12] != ' ')) {
    return Fail(fmt::format("not an HTTP/1.x status line: \"{}\"", line.substr(0, 40)));
  }
  http10_ = line[7] == '0';
  int code = 0;
  auto [p, ec] = std::from_chars(line.data() + 9, line.data() + 12, code);
  if (ec != std::errc() || p != line.data() + 12 || code < 100) {
    return Fail(fmt::format("bad status code \"{}\"", line.substr(9, 3)));
  }
  status_ = code;
  std::string_view rest = head.substr(eol + 1);
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    const std::string_view h = Trim(rest.substr(0, nl));
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (h.empty()) break;
    // The head is counted in offset_ only once parsed: a bad header line's
    // error points at where that line starts.
    const uint64_t head_start = offset_;
    offset_ = head_start + static_cast<uint64_t>(h.data() - head.data());
    if (!HeaderLine(h)) return false;
    offset_ = head_start;
  }
  keep_alive_ = http10_ ? conn_keep_alive_ : !conn_close_;
  if (status_ < 200) {  // interim (100 Continue, 103 ...): the real one follows
    const bool nb = no_body_, kb = keep_body_;
    const uint64_t off = offset_;
    Reset(nb, kb);
    offset_ = off;
    return true;
  }
  if (no_body_ || status_ == 204 || status_ == 304) {
    phase_ = Phase::kDone;
  } else if (chunked_) {
    phase_ = Phase::kChunkSize;
  } else if (have_length_) {
    phase_ = remaining_ ? Phase::kFixedBody : Phase::kDone;
  } else {
    phase_ = Phase::kUntilClose;
    keep_alive_ = false;
  }
  return true;
}

void HttpResponseParser::Body(std::string_view data) {
  if (keep_body_) body_.append(data);
}

size_t HttpResponseParser::Feed(std::string_view data) {
  size_t used = 0;
  while (state_ == State::kNeedMore) {
    if (phase_ == Phase::kDone) {
      state_ = State::kDone;
      break;
    }
    const Step step = FeedPhase(data.substr(used));
    used += step.used;
    if (!step.go_on) break;
  }
  return used;
}

HttpResponseParser::Step HttpResponseParser::FeedPhase(std::string_view in) {
  switch (phase_) {
    case Phase::kHead:
      return FeedHead(in);
    case Phase::kFixedBody:
    case Phase::kChunkData:
      return FeedBody(in);
    case Phase::kChunkSize:
    case Phase::kChunkDataEnd:
    case Phase::kTrailers:
      return FeedFramingLine(in);
    case Phase::kUntilClose:
      Body(in);
      offset_ += in.size();
      return {in.size(), false};
    case Phase::kDone:
      break;
  }
  return {0, true};
}

HttpResponseParser::Step HttpResponseParser::FeedHead(std::string_view in) {
  // Fast path: the whole head inside this chunk, nothing buffered.
  if (head_.empty()) {
    if (const size_t end = HeadEnd(in)) {
      if (!ParseHead(in.substr(0, end))) return {end, false};
      offset_ += end;
      return {end, true};
    }
  }
  if (in.empty()) return {0, false};
  // Slow path: accumulate; rescan from a little before the old end.
  const size_t old = head_.size();
  const size_t take = std::min(in.size(), kMaxHead + 4 - old);
  head_.append(in.substr(0, take));
  const size_t end = HeadEnd(head_);
  if (!end) {
    if (head_.size() > kMaxHead) Fail("headers over 64 KiB");
    return {take, false};
  }
  const std::string head = head_.substr(0, end);
  head_.clear();
  if (!ParseHead(head)) return {end - old, false};
  offset_ += end;
  return {end - old, true};
}

HttpResponseParser::Step HttpResponseParser::FeedBody(std::string_view in) {
  if (in.empty()) return {0, false};
  const size_t n = static_cast<size_t>(std::min<uint64_t>(in.size(), remaining_));
  Body(in.substr(0, n));
  offset_ += n;
  remaining_ -= n;
  if (remaining_ == 0) phase_ = phase_ == Phase::kFixedBody ? Phase::kDone : Phase::kChunkDataEnd;
  return {n, true};
}

// Line-oriented parts of chunked framing: "1a;ext\r\n", the CRLF after
// chunk data, and trailer lines up to a blank line.
HttpResponseParser::Step HttpResponseParser::FeedFramingLine(std::string_view in) {
  const void* p = std::memchr(in.data(), '\n', in.size());
  if (!p) {
    if (head_.size() + in.size() > 4096) {
      Fail("chunk framing line over 4 KiB");
      return {0, false};
    }
    head_.append(in);
    offset_ += in.size();
    return {in.size(), false};
  }
  const size_t n = static_cast<const char*>(p) - in.data() + 1;
  head_.append(in.substr(0, n));
  offset_ += n;
  const std::string_view line = Trim(std::string_view(head_).substr(0, head_.size() - 1));
  const uint64_t line_start = offset_ - head_.size();  // errors point here
  if (!EndFramingLine(line, line_start)) return {n, false};
  head_.clear();
  return {n, true};
}

bool HttpResponseParser::EndFramingLine(std::string_view line, uint64_t line_start) {
  if (phase_ == Phase::kChunkDataEnd) {
    if (!line.empty()) {
      offset_ = line_start;
      return Fail("chunk data longer than its size");
    }
    phase_ = Phase::kChunkSize;
    return true;
  }
  if (phase_ == Phase::kTrailers) {
    if (line.empty()) phase_ = Phase::kDone;
    return true;
  }
  const std::string_view hex = line.substr(0, line.find(';'));
  uint64_t size = 0;
  auto [q, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), size, 16);
  if (hex.empty() || ec != std::errc() || Trim(std::string_view(q, hex.data() + hex.size() - q)).size() ||
      size >= (uint64_t{1} << 40)) {
    offset_ = line_start;
    return Fail(fmt::format("bad chunk size \"{}\"", line.substr(0, 20)));
  }
  remaining_ = size;
  phase_ = size ? Phase::kChunkData : Phase::kTrailers;
  return true;
}

void HttpResponseParser::FinishOnEof() {
  if (state_ != State::kNeedMore) return;
  switch (phase_) {
    case Phase::kUntilClose:
    case Phase::kDone:
      state_ = State::kDone;
      return;
    case Phase::kHead:
      // Head bytes are counted in offset_ only once the head is complete.
      if (offset_ == 0 && head_.empty()) {
        Fail("connection closed before any response byte");
      } else {
        offset_ += head_.size();
        Fail("connection closed in the headers");
      }
      return;
    default:
      Fail("connection closed in the body");
  }
}

}  // namespace gcpilot
