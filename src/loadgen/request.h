// Request kinds of a load run and their rendering into HTTP/1.1 bytes.
//
// Paths, header values and bodies are templates: "{seq}" is the run-wide
// request number (0, 1, ...), "{rand}" a random 64-bit number, "{rand:N}" a
// random number in [0, N). Any other "{word}" is an error (a typo); every
// other "{" is literal, so JSON needs no escaping ("{{" also gives "{").
// A kind may sign its
// rendered body: header `sign_header` gets hex HMAC-SHA256(sign_key, body),
// which is what gateways like paygate check (X-Signature).
#ifndef GCPILOT_LOADGEN_REQUEST_H_
#define GCPILOT_LOADGEN_REQUEST_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace gcpilot {

struct RequestKindSpec {
  std::string name = "request";
  double weight = 1;  // > 0; kinds are picked at random by weight
  std::string method = "GET";
  std::string path = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string sign_header;  // empty: unsigned
  std::string sign_key;
};

// A fast deterministic generator (splitmix64) for picks and {rand}.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return n ? Next() % n : 0; }
  double Unit() { return (Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

class RequestTemplate {
 public:
  // Checks and pre-splits a kind. Errors (kInvalidArgument) name the kind
  // and the part: `request "pay": header "X": unknown placeholder "{sq}"`.
  static StatusOr<RequestTemplate> Compile(const RequestKindSpec& spec, const std::string& host_header);

  // Checks the placeholders of one templated text (a path, header value or
  // body); errors start with `where`, e.g. `mix.toml:4:8: body: "{rand:0}": ...`.
  static Status CheckPlaceholders(const std::string& text, const std::string& where);

  // Appends the complete request for request number `seq` to *out.
  void Render(uint64_t seq, Rng& rng, std::string* out) const;

  const std::string& name() const { return name_; }
  double weight() const { return weight_; }
  bool is_head() const { return is_head_; }

 private:
  struct Piece {
    enum Kind { kLiteral, kSeq, kRand, kRandBelow } kind = kLiteral;
    std::string text;
    uint64_t bound = 0;
  };
  using Pieces = std::vector<Piece>;
  static StatusOr<Pieces> Split(const std::string& text, const std::string& where);
  static void Expand(const Pieces& pieces, uint64_t seq, Rng& rng, std::string* out);

  std::string name_;
  double weight_ = 1;
  bool is_head_ = false;
  bool constant_ = false;  // no placeholders, no signature: pre-rendered
  std::string rendered_;   // the constant request
  Pieces head_;            // request line and headers (no Content-Length)
  Pieces body_;
  bool has_body_ = false;
  std::string sign_header_, sign_key_;
  mutable std::string scratch_;  // body rendering buffer
};

// Picks kinds by weight.
class RequestMix {
 public:
  static StatusOr<RequestMix> Compile(const std::vector<RequestKindSpec>& kinds, const std::string& host_header);
  size_t Pick(Rng& rng) const;
  const RequestTemplate& kind(size_t i) const { return kinds_[i]; }
  size_t size() const { return kinds_.size(); }

 private:
  std::vector<RequestTemplate> kinds_;
  std::vector<double> cumulative_;  // normalized to end at 1
};

// Reads kinds from a TOML file:
//   [[request]]
//   name = "pay"            weight = 8            method = "POST"
//   path = "/v1/pay"        body = '...'  or  body_file = "pay.json"
//   headers = { "Idempotency-Key" = "k-{seq}" }
//   sign = { header = "X-Signature", key = "paygate-demo-key" }
// body_file is relative to the TOML file. Unknown keys are errors naming
// file:line:column.
StatusOr<std::vector<RequestKindSpec>> LoadRequestKinds(const std::string& path);

// One request kind from command-line parts (gcpilot load's --method,
// --header "Name: value", --body, --sign HEADER:KEY): the method defaults
// to GET, or POST with a body. kInvalidArgument names the flag.
struct RequestFlags {
  std::string path = "/";
  std::string method;
  std::vector<std::string> headers;
  std::string body;
  std::string sign;
};
StatusOr<RequestKindSpec> RequestKindFromFlags(const RequestFlags& flags);

}  // namespace gcpilot

#endif  // GCPILOT_LOADGEN_REQUEST_H_
