#include "loadgen/request.h"

#include <fstream>

#include <filesystem>

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

std::string Render(const RequestKindSpec& spec, uint64_t seq, uint64_t seed = 1) {
  auto t = RequestTemplate::Compile(spec, "127.0.0.1:8080");
  EXPECT_TRUE(t.ok()) << t.status().message();
  Rng rng(seed);
  std::string out;
  t->Render(seq, rng, &out);
  return out;
}

TEST(RequestTest, PlainGet) {
  RequestKindSpec k;
  k.path = "/healthz";
  EXPECT_EQ(Render(k, 0), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n");
}

TEST(RequestTest, PlaceholdersAndSignature) {
  RequestKindSpec k;
  k.method = "POST";
  k.path = "/v1/orders/ord_{rand:1}?s={seq}";
  k.headers = {{"Idempotency-Key", "k-{seq}"}};
  k.body = "{{\"n\":{seq}}";  // "{{" is a literal brace
  k.sign_header = "X-Signature";
  k.sign_key = "k";
  // HMAC-SHA256("k", "{\"n\":7}") computed with Python's hmac module.
  EXPECT_EQ(Render(k, 7),
            "POST /v1/orders/ord_0?s=7 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
            "Idempotency-Key: k-7\r\n"
            "X-Signature: 2cdeaa52ef0ac8cc51af6bcda5c7f42de9ec850651a834eb65aa718b2e99e9f0\r\n"
            "Content-Length: 7\r\n\r\n{\"n\":7}");
}

TEST(RequestTest, RandIsBoundedAndSeeded) {
  RequestKindSpec k;
  k.path = "/o/{rand:3}";
  std::set<std::string> seen;
  for (uint64_t i = 0; i < 200; ++i) seen.insert(Render(k, i, i));
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(Render(k, 0, 42), Render(k, 0, 42));
}

TEST(RequestTest, CompileErrors) {
  auto err = [](RequestKindSpec k) {
    auto t = RequestTemplate::Compile(k, "h:1");
    return t.ok() ? std::string("ok") : t.status().message();
  };
  RequestKindSpec k;
  k.name = "pay";
  k.path = "/x/{sq}";
  EXPECT_EQ(err(k), "request \"pay\": path or header: unknown placeholder \"{sq}\" (known: {seq}, {rand}, {rand:N})");
  k.path = "/x";
  k.body = "{rand:0}";
  EXPECT_EQ(err(k), "request \"pay\": body: \"{rand:0}\": N in {rand:N} must be a whole number >= 1");
  k.body = "{oops}";
  EXPECT_EQ(err(k), "request \"pay\": body: unknown placeholder \"{oops}\" (known: {seq}, {rand}, {rand:N})");
  k.body = "{\"a\":{\"b\":1}} {oops {x y}";  // JSON and stray braces are literal
  EXPECT_EQ(err(k), "ok");
  k.body = "";
  k.path = "x";
  EXPECT_EQ(err(k), "request \"pay\": path \"x\" must start with /");
  k.path = "/";
  k.headers = {{"Content-Length", "5"}};
  EXPECT_EQ(err(k), "request \"pay\": header \"Content-Length\" is set by gcpilot");
  k.headers = {{"Bad Name", "v"}};
  EXPECT_EQ(err(k), "request \"pay\": header name \"Bad Name\" is not an HTTP token");
  k.headers = {};
  k.method = "GE T";
  EXPECT_EQ(err(k), "request \"pay\": method \"GE T\" is not an HTTP token");
}

TEST(RequestTest, MixPicksByWeight) {
  RequestKindSpec a, b;
  a.name = "a";
  a.weight = 3;
  b.name = "b";
  b.weight = 1;
  auto mix = RequestMix::Compile({a, b}, "h:1");
  ASSERT_TRUE(mix.ok());
  Rng rng(5);
  int n[2] = {0, 0};
  for (int i = 0; i < 40000; ++i) ++n[mix->Pick(rng)];
  // Binomial(40000, 0.75): sd 87; 5 sd either side.
  EXPECT_NEAR(n[0], 30000, 435);
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

TEST(RequestTest, TomlKinds) {
  WriteTemp("gcpilot_body.json", "{\"amount\":{seq}}\n");
  const std::string path = WriteTemp("gcpilot_kinds.toml", R"(
[[request]]
name = "pay"
weight = 8
method = "POST"
path = "/v1/pay"
body_file = "gcpilot_body.json"
headers = { "Idempotency-Key" = "k-{seq}" }
sign = { header = "X-Signature", key = "s3cret" }

[[request]]
name = "order"
path = "/v1/orders/ord_{rand:100}"
)");
  auto kinds = LoadRequestKinds(path);
  ASSERT_TRUE(kinds.ok()) << kinds.status().message();
  ASSERT_EQ(kinds->size(), 2u);
  EXPECT_EQ((*kinds)[0].name, "pay");
  EXPECT_EQ((*kinds)[0].weight, 8);
  EXPECT_EQ((*kinds)[0].body, "{\"amount\":{seq}}");  // trailing newline dropped
  EXPECT_EQ((*kinds)[0].sign_key, "s3cret");
  EXPECT_EQ((*kinds)[1].method, "GET");
}

TEST(RequestTest, TomlErrorsNamePlace) {
  auto err = [](const std::string& text) {
    auto k = LoadRequestKinds(WriteTemp("gcpilot_bad.toml", text));
    return k.ok() ? std::string("ok") : k.status().message();
  };
  const std::string p = ::testing::TempDir() + "gcpilot_bad.toml";
  EXPECT_EQ(err("[[request]]\npath = \"/\"\nbdy = \"x\"\n"),
            p + ":3:1: unknown key \"bdy\" in [[request]] (known: name, weight, method, path, body, body_file, "
                "headers, sign)");
  EXPECT_EQ(err("[[request]]\nweight = -1\n"), p + ":2:10: \"weight\" must be a number > 0");
  EXPECT_EQ(err("[server]\nx = 1\n"), p + ":1:2: unknown key \"server\" (want [[request]] tables)");
  EXPECT_EQ(err("[[request]]\nsign = { header = \"X\" }\n"), p + ":2:8: sign needs both header and key");
  EXPECT_EQ(err(""), p + ": no [[request]] tables");
  const std::string broken = err("[[request]\n");
  EXPECT_EQ(broken.rfind(p + ":1:", 0), 0u) << broken;
  // What Compile refuses is refused at its key too, not only by kind name.
  EXPECT_EQ(err("[[request]]\nheaders = { \"Bad Header\" = \"x\" }\n"),
            p + ":2:13: header name \"Bad Header\" is not an HTTP token");
  EXPECT_EQ(err("[[request]]\nheaders = { \"Host\" = \"x\" }\n"), p + ":2:13: header \"Host\" is set by gcpilot");
  EXPECT_EQ(err("[[request]]\nheaders = { \"K\" = \"{sq}\" }\n"),
            p + ":2:19: header \"K\": unknown placeholder \"{sq}\" (known: {seq}, {rand}, {rand:N})");
  EXPECT_EQ(err("[[request]]\nmethod = \"PO ST\"\n"), p + ":2:10: method \"PO ST\" is not an HTTP token");
  EXPECT_EQ(err("[[request]]\npath = \"v1/pay\"\n"), p + ":2:8: path \"v1/pay\" must start with /");
  EXPECT_EQ(err("[[request]]\npath = \"/a b\"\n"), p + ":2:8: path has a space or control byte");
  EXPECT_EQ(err("[[request]]\npath = \"/o/{rand:0}\"\n"),
            p + ":2:8: path: \"{rand:0}\": N in {rand:N} must be a whole number >= 1");
  EXPECT_EQ(err("[[request]]\nbody = \"{rand:0}\"\n"),
            p + ":2:8: body: \"{rand:0}\": N in {rand:N} must be a whole number >= 1");
}

// Kinds are reported by name, so a name is used once: the second is
// refused at its place, naming the first.
TEST(RequestTest, TomlDuplicateNamesAreRefused) {
  const std::string path = WriteTemp("gcpilot_dup.toml", R"([[request]]
name = "pay"
path = "/v1/pay"

[[request]]
name = "order"

[[request]]
path = "/x"
name = "pay"
)");
  auto kinds = LoadRequestKinds(path);
  ASSERT_FALSE(kinds.ok());
  EXPECT_EQ(kinds.status().message(), path + ":10:8: request name \"pay\" used twice (first at " + path + ":2:8)");
  // A given name that is a default one ("request2", the second table's).
  const std::string clash = WriteTemp("gcpilot_dup2.toml", "[[request]]\nname = \"request2\"\n[[request]]\n");
  auto k2 = LoadRequestKinds(clash);
  ASSERT_FALSE(k2.ok());
  EXPECT_EQ(k2.status().message(), clash + ":3:1: request name \"request2\" used twice (first at " + clash + ":2:8)");
}

// A body_file that cannot be read says why, worded as every input file is,
// and is an input error (the mix is well formed), not an invalid argument.
TEST(RequestTest, AnUnreadableBodyFileSaysWhy) {
  const std::string dir = ::testing::TempDir();
  const std::string mix = WriteTemp("gcpilot_body_missing.toml", "[[request]]\nbody_file = \"gcpilot_no_body.json\"\n");
  auto missing = LoadRequestKinds(mix);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            mix + ":2:13: body_file " + dir + "gcpilot_no_body.json: cannot open: No such file or directory");
  std::filesystem::create_directories(dir + "gcpilot_body_dir");
  const std::string in_dir = WriteTemp("gcpilot_body_dir.toml", "[[request]]\nbody_file = \"gcpilot_body_dir\"\n");
  auto is_dir = LoadRequestKinds(in_dir);
  ASSERT_FALSE(is_dir.ok());
  EXPECT_EQ(is_dir.status().code(), StatusCode::kIoError);
  EXPECT_EQ(is_dir.status().message(),
            in_dir + ":2:13: body_file " + dir + "gcpilot_body_dir: is a directory, not a request body");
}

}  // namespace
}  // namespace gcpilot
