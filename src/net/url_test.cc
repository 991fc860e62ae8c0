#include "net/url.h"

#include <gtest/gtest.h>

namespace gcpilot {
namespace {

TEST(UrlTest, ParsesLoopbackUrls) {
  auto u = ParseLoopbackUrl("http://127.0.0.1:8080/healthz?x=1");
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->ipv4, 0x7f000001u);
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->path, "/healthz?x=1");
  EXPECT_EQ(u->HostHeader(), "127.0.0.1:8080");

  u = ParseLoopbackUrl("http://localhost");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->port, 80);
  EXPECT_EQ(u->path, "/");
  u = ParseLoopbackUrl("http://127.1.2.3:1/");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->ipv4, 0x7f010203u);
}

TEST(UrlTest, RejectsWithReason) {
  const std::pair<const char*, const char*> cases[] = {
      {"https://127.0.0.1/", "URL \"https://127.0.0.1/\": must start with http:// (https is not supported)"},
      {"http://10.0.0.1:80/", "URL \"http://10.0.0.1:80/\": host 10.0.0.1 is not loopback (127.0.0.0/8)"},
      {"http://example.com/", "URL \"http://example.com/\": host example.com is not an IPv4 address or localhost"},
      {"http://127.0.0.1:0/", "URL \"http://127.0.0.1:0/\": port \"0\" is not a number 1..65535"},
      {"http://127.0.0.1:99999/", "URL \"http://127.0.0.1:99999/\": port \"99999\" is not a number 1..65535"},
      {"http://127.0.0.1:8x/", "URL \"http://127.0.0.1:8x/\": port \"8x\" is not a number 1..65535"},
      {"http://:80/", "URL \"http://:80/\": no host"},
      {"http://127.0.0.256/", "URL \"http://127.0.0.256/\": host 127.0.0.256 is not an IPv4 address or localhost"},
      {"http://127.0.0.1/a b", "URL \"http://127.0.0.1/a b\": path has a space or control byte"},
  };
  for (const auto& [url, want] : cases) {
    auto u = ParseLoopbackUrl(url);
    ASSERT_FALSE(u.ok()) << url;
    EXPECT_EQ(u.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(u.status().message(), want);
  }
}

}  // namespace
}  // namespace gcpilot
