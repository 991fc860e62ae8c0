// Incremental HTTP/1.1 response parser: bytes in, cut anywhere; status,
// keep-alive and body framing out. Built for the load generator's hot path
// (no allocation unless the body is kept) and for probes.
//
// Grammar accepted (RFC 9112, the parts servers send):
//   status-line = "HTTP/1." DIGIT SP 3DIGIT [SP reason] CRLF
//   header      = name ":" OWS value OWS CRLF      (bare LF also accepted)
//   body        = Content-Length bytes | chunked | until close
// 1xx interim responses are skipped. Limits: 64 KiB of status line plus
// headers, chunk sizes below 2^40.
#ifndef GCPILOT_NET_HTTP_RESPONSE_H_
#define GCPILOT_NET_HTTP_RESPONSE_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace gcpilot {

class HttpResponseParser {
 public:
  enum class State { kNeedMore, kDone, kError };

  // Starts a new response. `no_body` is for replies to HEAD (and is implied
  // by status 204 and 304). `keep_body` copies the body into body().
  void Reset(bool no_body = false, bool keep_body = false);

  // Consumes a prefix of `data` and returns its length. Stops at the end of
  // the response (state kDone; the rest of `data` is not consumed) or at an
  // error (kError; see error()).
  size_t Feed(std::string_view data);

  // The peer closed the connection: completes a body delimited by close,
  // anything else unfinished becomes an error ("connection closed in the
  // headers", ...).
  void FinishOnEof();

  State state() const { return state_; }
  int status() const { return status_; }
  // False for HTTP/1.0 without keep-alive, "Connection: close", or a body
  // delimited by close: the connection must not be reused.
  bool keep_alive() const { return keep_alive_; }
  const std::string& body() const { return body_; }
  // Why parsing failed, with the byte offset in the response.
  const std::string& error() const { return error_; }
  uint64_t bytes() const { return offset_; }

 private:
  enum class Phase { kHead, kFixedBody, kChunkSize, kChunkData, kChunkDataEnd, kTrailers, kUntilClose, kDone };
  // One step of Feed in the current phase: bytes consumed, and whether to
  // go on (false: the input is used up, or the parse ended or failed).
  struct Step {
    size_t used;
    bool go_on;
  };
  Step FeedPhase(std::string_view in);
  Step FeedHead(std::string_view in);
  Step FeedBody(std::string_view in);
  Step FeedFramingLine(std::string_view in);
  // Acts on a complete framing line; false after a failure.
  bool EndFramingLine(std::string_view line, uint64_t line_start);
  bool Fail(std::string why);
  bool ParseHead(std::string_view head);
  bool HeaderLine(std::string_view line);
  void Body(std::string_view data);

  State state_ = State::kNeedMore;
  Phase phase_ = Phase::kHead;
  bool no_body_ = false, keep_body_ = false;
  int status_ = 0;
  bool keep_alive_ = true, http10_ = false, chunked_ = false;
  bool have_length_ = false, conn_close_ = false, conn_keep_alive_ = false;
  uint64_t remaining_ = 0;  // of the fixed body or current chunk
  uint64_t offset_ = 0;     // bytes consumed in this response
  std::string head_;        // partial status line + headers, or chunk line
  std::string body_;
  std::string error_;
};

}  // namespace gcpilot

#endif  // GCPILOT_NET_HTTP_RESPONSE_H_
