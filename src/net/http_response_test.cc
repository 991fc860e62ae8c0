#include "net/http_response.h"

#include <gtest/gtest.h>

#include <string>

namespace gcpilot {
namespace {

using State = HttpResponseParser::State;

struct Result {
  State state;
  int status;
  bool keep_alive;
  std::string body;
  std::string error;
  size_t consumed;
};

// Feeds `wire` in pieces of `piece` bytes (0: whole), then EOF if `eof`.
Result Parse(std::string_view wire, size_t piece = 0, bool eof = false, bool head = false) {
  HttpResponseParser p;
  p.Reset(head, /*keep_body=*/true);
  size_t used = 0;
  if (piece == 0) piece = wire.size() ? wire.size() : 1;
  for (size_t i = 0; i < wire.size() && p.state() == State::kNeedMore;) {
    const size_t n = p.Feed(wire.substr(i, std::min(piece, wire.size() - i)));
    used += n;
    i += n;
    if (n == 0) break;
  }
  if (eof) p.FinishOnEof();
  return {p.state(), p.status(), p.keep_alive(), p.body(), p.error(), used};
}

constexpr std::string_view kFixed =
    "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
    "Content-Length: 11\r\n\r\n{\"id\":\"o1\"}";
constexpr std::string_view kChunked =
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: y\r\n\r\n";

TEST(HttpResponseTest, FixedLengthAtEverySplit) {
  for (size_t piece = 1; piece <= kFixed.size(); ++piece) {
    const Result r = Parse(kFixed, piece);
    ASSERT_EQ(r.state, State::kDone) << "piece " << piece << ": " << r.error;
    EXPECT_EQ(r.status, 201);
    EXPECT_TRUE(r.keep_alive);
    EXPECT_EQ(r.body, "{\"id\":\"o1\"}");
    EXPECT_EQ(r.consumed, kFixed.size());
  }
}

TEST(HttpResponseTest, ChunkedAtEverySplit) {
  for (size_t piece = 1; piece <= kChunked.size(); ++piece) {
    const Result r = Parse(kChunked, piece);
    ASSERT_EQ(r.state, State::kDone) << "piece " << piece << ": " << r.error;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "hello, world");
    EXPECT_EQ(r.consumed, kChunked.size());
  }
}

TEST(HttpResponseTest, StopsAtEndOfResponse) {
  const std::string two = std::string(kFixed) + std::string(kFixed);
  const Result r = Parse(two);
  EXPECT_EQ(r.state, State::kDone);
  EXPECT_EQ(r.consumed, kFixed.size());
}

TEST(HttpResponseTest, FramingVariants) {
  // Body until close: done only at EOF, and not reusable.
  Result r = Parse("HTTP/1.1 200 OK\r\n\r\nabc", 0, false);
  EXPECT_EQ(r.state, State::kNeedMore);
  r = Parse("HTTP/1.1 200 OK\r\n\r\nabc", 0, true);
  EXPECT_EQ(r.state, State::kDone);
  EXPECT_EQ(r.body, "abc");
  EXPECT_FALSE(r.keep_alive);
  // 204, 304 and HEAD have no body even with a length.
  r = Parse("HTTP/1.1 204 No Content\r\n\r\n");
  EXPECT_EQ(r.state, State::kDone);
  r = Parse("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", 0, false, true);
  EXPECT_EQ(r.state, State::kDone);
  // HTTP/1.0 closes unless it says keep-alive; 1.1 keeps unless close.
  r = Parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
  EXPECT_FALSE(r.keep_alive);
  r = Parse("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(r.keep_alive);
  r = Parse("HTTP/1.1 503 Busy\r\nconnection: CLOSE\r\ncontent-length: 2\r\n\r\nno");
  EXPECT_EQ(r.status, 503);
  EXPECT_FALSE(r.keep_alive);
  // Interim 100 Continue is skipped; bare LF line ends are accepted.
  r = Parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\nContent-Length: 1\n\nx");
  EXPECT_EQ(r.state, State::kDone);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "x");
}

// Malformed replies: each error names what is wrong and where.
TEST(HttpResponseTest, MalformedTable) {
  const struct {
    std::string_view wire;
    bool eof;
    std::string_view error;
  } cases[] = {
      {"SSH-2.0-OpenSSH\r\n\r\n", false, "byte 0: not an HTTP/1.x status line: \"SSH-2.0-OpenSSH\""},
      {"HTTP/2 200\r\n\r\n", false, "byte 0: not an HTTP/1.x status line: \"HTTP/2 200\""},
      {"HTTP/1.1 2x0 OK\r\n\r\n", false, "byte 0: bad status code \"2x0\""},
      {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", false, "byte 17: Content-Length \"-1\" is not a number"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", false,
       "byte 36: two different Content-Length values"},
      {"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", false, "byte 17: header line without a name and colon"},
      // A bad header line is named at its own first byte, not the head's.
      {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX: yz\r\nno colon\r\n\r\n", false,
       "byte 43: header line without a name and colon"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false, "byte 47: bad chunk size \"zz\""},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", false,
       "byte 52: chunk data longer than its size"},
      {"", true, "byte 0: connection closed before any response byte"},
      {"HTTP/1.1 200 OK\r\nContent-", true, "byte 25: connection closed in the headers"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", true, "byte 40: connection closed in the body"},
  };
  for (const auto& c : cases) {
    for (size_t piece : {size_t{0}, size_t{1}, size_t{7}}) {
      const Result r = Parse(c.wire, piece, c.eof);
      EXPECT_EQ(r.state, State::kError) << c.wire << " piece " << piece;
      EXPECT_EQ(r.error, c.error) << c.wire << " piece " << piece;
    }
  }
}

TEST(HttpResponseTest, OversizedHeadIsAnError) {
  std::string wire = "HTTP/1.1 200 OK\r\nX: " + std::string(70000, 'a');
  for (size_t piece : {size_t{0}, size_t{4096}}) {
    const Result r = Parse(wire, piece);
    EXPECT_EQ(r.state, State::kError);
    EXPECT_NE(r.error.find("headers over 64 KiB"), std::string::npos) << r.error;
  }
}

}  // namespace
}  // namespace gcpilot
