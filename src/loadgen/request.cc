#include "loadgen/request.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>
#include <charconv>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "loadgen/toml_file.h"

#include "base/input_file.h"

namespace gcpilot {
namespace {

void AppendU64(uint64_t v, std::string* out) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, p);
}

bool ValidToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c <= ' ' || c >= 0x7f || std::string_view("()<>@,;:\\\"/[]?={}").find(c) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// Why a kind's method, path or header cannot be sent, naming it; "" when
// it can. Shared by Compile (which prefixes the kind) and the mix file
// loader (which prefixes file:line:column).
std::string MethodProblem(const std::string& method) {
  return ValidToken(method) ? "" : fmt::format("method \"{}\" is not an HTTP token", method);
}

std::string PathProblem(const std::string& path) {
  if (path.empty() || path[0] != '/') return fmt::format("path \"{}\" must start with /", path);
  for (char c : path) {
    if (c <= ' ' || c == 0x7f) return "path has a space or control byte";
  }
  return "";
}

std::string HeaderProblem(const std::string& name, const std::string& value) {
  if (!ValidToken(name)) return fmt::format("header name \"{}\" is not an HTTP token", name);
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return fmt::format("header \"{}\": value has a line break", name);
  }
  std::string lower = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "content-length" || lower == "host" || lower == "transfer-encoding") {
    return fmt::format("header \"{}\" is set by gcpilot", name);
  }
  return "";
}

}  // namespace

Status RequestTemplate::CheckPlaceholders(const std::string& text, const std::string& where) {
  auto pieces = Split(text, where);
  return pieces.ok() ? Status::Ok() : pieces.status();
}

StatusOr<RequestTemplate::Pieces> RequestTemplate::Split(const std::string& text, const std::string& where) {
  Pieces out;
  auto literal = [&](std::string_view s) {
    if (s.empty()) return;
    if (out.empty() || out.back().kind != Piece::kLiteral) out.push_back({});
    out.back().text.append(s);
  };
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find('{', i);
    if (open == std::string::npos) {
      literal(std::string_view(text).substr(i));
      break;
    }
    literal(std::string_view(text).substr(i, open - i));
    if (open + 1 < text.size() && text[open + 1] == '{') {
      literal("{");
      i = open + 2;
      continue;
    }
    // Only "{word}" (letters, digits, '_', ':') is a placeholder; any other
    // '{' is literal, so JSON bodies need no escaping.
    size_t close = open + 1;
    while (close < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[close])) || text[close] == '_' || text[close] == ':')) {
      ++close;
    }
    if (close == open + 1 || close >= text.size() || text[close] != '}') {
      literal("{");
      i = open + 1;
      continue;
    }
    const std::string_view name = std::string_view(text).substr(open + 1, close - open - 1);
    Piece p;
    if (name == "seq") {
      p.kind = Piece::kSeq;
    } else if (name == "rand") {
      p.kind = Piece::kRand;
    } else if (name.starts_with("rand:")) {
      const std::string_view n = name.substr(5);
      auto [q, ec] = std::from_chars(n.data(), n.data() + n.size(), p.bound);
      if (n.empty() || ec != std::errc() || q != n.data() + n.size() || p.bound == 0) {
        return Status::InvalidArgument(
            fmt::format("{}: \"{{{}}}\": N in {{rand:N}} must be a whole number >= 1", where, name));
      }
      p.kind = Piece::kRandBelow;
    } else {
      return Status::InvalidArgument(
          fmt::format("{}: unknown placeholder \"{{{}}}\" (known: {{seq}}, {{rand}}, {{rand:N}})", where, name));
    }
    out.push_back(std::move(p));
    i = close + 1;
  }
  return out;
}

void RequestTemplate::Expand(const Pieces& pieces, uint64_t seq, Rng& rng, std::string* out) {
  for (const Piece& p : pieces) {
    switch (p.kind) {
      case Piece::kLiteral:
        out->append(p.text);
        break;
      case Piece::kSeq:
        AppendU64(seq, out);
        break;
      case Piece::kRand:
        AppendU64(rng.Next(), out);
        break;
      case Piece::kRandBelow:
        AppendU64(rng.Below(p.bound), out);
        break;
    }
  }
}

StatusOr<RequestTemplate> RequestTemplate::Compile(const RequestKindSpec& spec, const std::string& host_header) {
  const std::string who = fmt::format("request \"{}\"", spec.name);
  RequestTemplate t;
  t.name_ = spec.name;
  if (!(spec.weight > 0) || !std::isfinite(spec.weight)) {
    return Status::InvalidArgument(fmt::format("{}: weight must be > 0", who));
  }
  t.weight_ = spec.weight;
  for (const std::string& why : {MethodProblem(spec.method), PathProblem(spec.path)}) {
    if (!why.empty()) return Status::InvalidArgument(fmt::format("{}: {}", who, why));
  }
  t.is_head_ = spec.method == "HEAD";
  std::string head = spec.method + " " + spec.path + " HTTP/1.1\r\nHost: " + host_header + "\r\n";
  for (const auto& [k, v] : spec.headers) {
    if (const std::string why = HeaderProblem(k, v); !why.empty()) {
      return Status::InvalidArgument(fmt::format("{}: {}", who, why));
    }
    head += k + ": " + v + "\r\n";
  }
  auto h = Split(head, who + ": path or header");
  if (!h.ok()) return h.status();
  t.head_ = std::move(*h);
  auto b = Split(spec.body, who + ": body");
  if (!b.ok()) return b.status();
  t.body_ = std::move(*b);
  t.has_body_ = !spec.body.empty() || spec.method == "POST" || spec.method == "PUT" || spec.method == "PATCH";
  if (!spec.sign_header.empty()) {
    if (!ValidToken(spec.sign_header)) {
      return Status::InvalidArgument(fmt::format("{}: sign header \"{}\" is not an HTTP token", who, spec.sign_header));
    }
    if (spec.sign_key.empty()) return Status::InvalidArgument(fmt::format("{}: sign key is empty", who));
    t.sign_header_ = spec.sign_header;
    t.sign_key_ = spec.sign_key;
  }
  auto is_constant = [](const Pieces& p) { return p.empty() || (p.size() == 1 && p[0].kind == Piece::kLiteral); };
  t.constant_ = is_constant(t.head_) && is_constant(t.body_) && t.sign_header_.empty();
  if (t.constant_) {
    Rng unused(0);
    t.constant_ = false;
    t.Render(0, unused, &t.rendered_);
    t.constant_ = true;
  }
  return t;
}

void RequestTemplate::Render(uint64_t seq, Rng& rng, std::string* out) const {
  if (constant_) {
    out->append(rendered_);
    return;
  }
  Expand(head_, seq, rng, out);
  if (!has_body_) {
    out->append("\r\n");
    return;
  }
  scratch_.clear();
  Expand(body_, seq, rng, &scratch_);
  if (!sign_header_.empty()) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), sign_key_.data(), static_cast<int>(sign_key_.size()),
         reinterpret_cast<const unsigned char*>(scratch_.data()), scratch_.size(), mac, &len);
    static constexpr char kHex[] = "0123456789abcdef";
    out->append(sign_header_);
    out->append(": ");
    for (unsigned int i = 0; i < len; ++i) {
      out->push_back(kHex[mac[i] >> 4]);
      out->push_back(kHex[mac[i] & 15]);
    }
    out->append("\r\n");
  }
  out->append("Content-Length: ");
  AppendU64(scratch_.size(), out);
  out->append("\r\n\r\n");
  out->append(scratch_);
}

StatusOr<RequestMix> RequestMix::Compile(const std::vector<RequestKindSpec>& kinds, const std::string& host_header) {
  if (kinds.empty()) return Status::InvalidArgument("no request kinds");
  RequestMix mix;
  double total = 0;
  for (const RequestKindSpec& k : kinds) {
    auto t = RequestTemplate::Compile(k, host_header);
    if (!t.ok()) return t.status();
    total += t->weight();
    mix.kinds_.push_back(std::move(*t));
  }
  double cum = 0;
  for (const RequestTemplate& t : mix.kinds_) {
    cum += t.weight() / total;
    mix.cumulative_.push_back(cum);
  }
  mix.cumulative_.back() = 1.0;
  return mix;
}

size_t RequestMix::Pick(Rng& rng) const {
  if (kinds_.size() == 1) return 0;
  const double u = rng.Unit();
  for (size_t i = 0; i < cumulative_.size(); ++i) {
    if (u < cumulative_[i]) return i;
  }
  return kinds_.size() - 1;
}

namespace {

// "mix.toml:3:9": where a node of the mix file stands.
struct MixPlace {
  const std::string& path;
  template <typename N>
  std::string operator()(const N& n) const {
    const auto& b = n.source().begin;
    return fmt::format("{}:{}:{}", path, b.line, b.column);
  }
  // A part that cannot be sent is refused at its key, like every other
  // error in the file (Compile would only name the kind). Ok for "".
  template <typename N>
  Status Refuse(const N& n, const std::string& why) const {
    return why.empty() ? Status::Ok() : Status::InvalidArgument(fmt::format("{}: {}", (*this)(n), why));
  }
};

// body_file: the body from a file beside the mix, trailing newlines dropped.
Status ReadBodyFile(const MixPlace& at, const toml::node& v, const std::string& file, RequestKindSpec* k) {
  const auto full = std::filesystem::path(at.path).parent_path() / file;
  if (Status read = ReadInputFile(full.string(), "a request body", &k->body); !read.ok()) {
    return read.code() == StatusCode::kNotFound
               ? Status::NotFound(fmt::format("{}: body_file {}", at(v), read.message()))
               : Status::IoError(fmt::format("{}: body_file {}", at(v), read.message()));
  }
  while (!k->body.empty() && (k->body.back() == '\n' || k->body.back() == '\r')) k->body.pop_back();
  return Status::Ok();
}

// headers = { Name = "value" }: each a string, sendable, placeholders valid.
Status ReadHeaders(const MixPlace& at, const toml::node& v, RequestKindSpec* k) {
  const toml::table* h = v.as_table();
  if (!h) return Status::InvalidArgument(fmt::format("{}: \"headers\" must be a table of strings", at(v)));
  for (const auto& [hk, hv] : *h) {
    if (!hv.is_string()) {
      return Status::InvalidArgument(fmt::format("{}: header \"{}\" must be a string", at(hv), hk.str()));
    }
    k->headers.emplace_back(std::string(hk.str()), *hv.value<std::string>());
    const auto& [hname, hvalue] = k->headers.back();
    if (Status hs = at.Refuse(hk, HeaderProblem(hname, hvalue)); !hs.ok()) return hs;
    if (Status hs = RequestTemplate::CheckPlaceholders(hvalue, fmt::format("{}: header \"{}\"", at(hv), hname));
        !hs.ok()) {
      return hs;
    }
  }
  return Status::Ok();
}

// sign = { header = ..., key = ... }: both given, both strings.
Status ReadSign(const MixPlace& at, const toml::node& v, RequestKindSpec* k) {
  const toml::table* s = v.as_table();
  if (!s) return Status::InvalidArgument(fmt::format("{}: \"sign\" must be {{ header = ..., key = ... }}", at(v)));
  for (const auto& [sk, sv] : *s) {
    if (sk.str() != "header" && sk.str() != "key") {
      return Status::InvalidArgument(
          fmt::format("{}: unknown key \"{}\" in sign (known: header, key)", at(sk), sk.str()));
    }
    if (!sv.is_string()) return Status::InvalidArgument(fmt::format("{}: sign.{} must be a string", at(sv), sk.str()));
    (sk.str() == "header" ? k->sign_header : k->sign_key) = *sv.value<std::string>();
  }
  if (k->sign_header.empty() || k->sign_key.empty()) {
    return Status::InvalidArgument(fmt::format("{}: sign needs both header and key", at(v)));
  }
  return Status::Ok();
}

// One key of a [[request]] table into `k`; `name_place` follows `name`.
Status ReadRequestKey(const MixPlace& at, const toml::key& key, const toml::node& v, RequestKindSpec* k,
                      std::string* name_place) {
  const std::string name(key.str());
  static const std::set<std::string> known = {"name", "weight",    "method",  "path",
                                              "body", "body_file", "headers", "sign"};
  if (!known.count(name)) {
    return Status::InvalidArgument(fmt::format(
        "{}: unknown key \"{}\" in [[request]] (known: name, weight, method, path, body, body_file, headers, sign)",
        at(key), name));
  }
  auto want_string = [&](std::string* dst) -> Status {
    if (!v.is_string()) return Status::InvalidArgument(fmt::format("{}: \"{}\" must be a string", at(v), name));
    *dst = *v.value<std::string>();
    return Status::Ok();
  };
  Status st;
  if (name == "name") {
    st = want_string(&k->name);
    *name_place = at(v);
  } else if (name == "method") {
    st = want_string(&k->method);
    if (st.ok()) st = at.Refuse(v, MethodProblem(k->method));
  } else if (name == "path") {
    st = want_string(&k->path);
    if (st.ok()) st = at.Refuse(v, PathProblem(k->path));
    if (st.ok()) st = RequestTemplate::CheckPlaceholders(k->path, at(v) + ": path");
  } else if (name == "body") {
    st = want_string(&k->body);
    if (st.ok()) st = RequestTemplate::CheckPlaceholders(k->body, at(v) + ": body");
  } else if (name == "body_file") {
    std::string file;
    st = want_string(&file);
    if (st.ok()) st = ReadBodyFile(at, v, file, k);
  } else if (name == "weight") {
    auto w = v.value<double>();
    if (!w || !(*w > 0)) return Status::InvalidArgument(fmt::format("{}: \"weight\" must be a number > 0", at(v)));
    k->weight = *w;
  } else if (name == "headers") {
    st = ReadHeaders(at, v, k);
  } else {  // "sign", the last of `known`
    st = ReadSign(at, v, k);
  }
  return st;
}

}  // namespace

StatusOr<std::vector<RequestKindSpec>> LoadRequestKinds(const std::string& path) {
  auto parsed = ReadTomlFile(path);
  if (!parsed.ok()) return parsed.status();
  const toml::table doc = std::move(*parsed);
  const MixPlace at{path};
  for (const auto& [k, v] : doc) {
    if (k.str() != "request") {
      return Status::InvalidArgument(fmt::format("{}: unknown key \"{}\" (want [[request]] tables)", at(k), k.str()));
    }
  }
  const toml::array* reqs = doc["request"].as_array();
  if (!reqs || reqs->empty()) {
    return Status::InvalidArgument(fmt::format("{}: no [[request]] tables", path));
  }
  std::vector<RequestKindSpec> out;
  std::map<std::string, std::string> name_places;  // kind name -> where it was given
  for (const toml::node& node : *reqs) {
    const toml::table* t = node.as_table();
    if (!t) return Status::InvalidArgument(fmt::format("{}: [[request]] must be a table", at(node)));
    RequestKindSpec k;
    k.name = fmt::format("request{}", out.size() + 1);
    std::string name_place = at(node);
    for (const auto& [key, value] : *t) {
      if (Status st = ReadRequestKey(at, key, value, &k, &name_place); !st.ok()) return st;
    }
    // Kinds are reported by name: two of one name would read as one.
    if (const auto [it, fresh] = name_places.emplace(k.name, name_place); !fresh) {
      return Status::InvalidArgument(
          fmt::format("{}: request name \"{}\" used twice (first at {})", name_place, k.name, it->second));
    }
    out.push_back(std::move(k));
  }
  return out;
}

StatusOr<RequestKindSpec> RequestKindFromFlags(const RequestFlags& f) {
  RequestKindSpec k;
  k.name = "request";
  k.path = f.path;
  k.body = f.body;
  k.method = !f.method.empty() ? f.method : k.body.empty() ? "GET" : "POST";
  for (const std::string& h : f.headers) {
    const size_t colon = h.find(':');
    if (colon == std::string::npos || colon == 0) {
      return Status::InvalidArgument(fmt::format("--header \"{}\": want \"Name: value\"", h));
    }
    std::string value = h.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    k.headers.emplace_back(h.substr(0, colon), value);
  }
  if (!f.sign.empty()) {
    const size_t colon = f.sign.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == f.sign.size()) {
      return Status::InvalidArgument(
          fmt::format("--sign \"{}\": want HEADER:KEY, e.g. X-Signature:paygate-demo-key", f.sign));
    }
    k.sign_header = f.sign.substr(0, colon);
    k.sign_key = f.sign.substr(colon + 1);
  }
  return k;
}

}  // namespace gcpilot
