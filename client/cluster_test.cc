#include "client/cluster.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"

namespace chaja::client::cluster {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kTwoGroups[] =
    "proxy http 127.0.0.1:8080\n"
    "proxy grpc 127.0.0.1:7700\n"
    "group g1\n"
    "node g1 n1 primary 10.0.0.1 7701 8081   # the writer\n"
    "node g1 n2 replica 10.0.0.2 7701 8081\n"
    "group g2\n"
    "node g2 n3 primary 10.0.0.3 7701 8081\n"
    "site blog-a g1 100\n"
    "site blog-b g2\n";

Placement MustParse(absl::string_view text) {
  absl::StatusOr<Placement> placement = ParsePlacement(text);
  EXPECT_TRUE(placement.ok()) << placement.status();
  return placement.ok() ? *placement : Placement();
}

TEST(PlacementTest, ParsesAndFormatsBackTheSame) {
  const Placement placement = MustParse(kTwoGroups);
  ASSERT_EQ(placement.nodes.size(), 3u);
  EXPECT_TRUE(placement.nodes[0].primary);
  EXPECT_EQ(placement.nodes[1].host, "10.0.0.2");
  EXPECT_EQ(placement.sites[0].bytes, 100u);
  EXPECT_EQ(placement.proxy.grpc_bind, "127.0.0.1:7700");
  const Placement again = MustParse(FormatPlacement(placement));
  EXPECT_EQ(FormatPlacement(again), FormatPlacement(placement));
}

TEST(PlacementTest, RefusesWhatWouldRouteWrongly) {
  const std::pair<std::string, std::string> cases[] = {
      {"group g1\nnode g1 a primary h 1 2\nnode g1 b primary h 1 2\n", "2 primaries"},
      {"group g1\nnode g1 a replica h 1 2\n", "0 primaries"},
      {"group g1\nnode g9 a primary h 1 2\n", "no `group g9` line"},
      {"group g1\nsite s g2\n", "no group g2"},
      {"group g1\nsite s g1\nsite s g1\n", "placed twice"},
      {"group g1\nnode g1 a primary h 1 2\nnode g1 a replica h 1 2\n", "declared twice"},
      {"group g1\n\nnode g1 a primary h 1 99999\n", "line 3"},
      {"group g1\nsite ../x g1\n", "site name"},
      {"proxy check tcp\n", "bad proxy setting"},
      {"frobnicate\n", "line 1"},
  };
  for (const auto& [text, message] : cases) {
    absl::StatusOr<Placement> placement = ParsePlacement(text);
    ASSERT_FALSE(placement.ok()) << text;
    EXPECT_THAT(placement.status().message(), HasSubstr(message)) << text;
  }
}

TEST(PlanTest, LargestFirstOntoTheLightestGroup) {
  absl::StatusOr<Placement> plan = PlanPlacement({{"e", 3}, {"a", 10}, {"c", 5}, {"b", 7}, {"d", 4}}, 2, {});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->groups, (std::vector<std::string>{"g1", "g2"}));
  // 10→g1, 7→g2, 5→g2 (7 < 10), 4→g1 (10 < 12), 3→g2 (12 < 14): 14 and 15.
  std::string got;
  for (const SitePlacement& s : plan->sites) got += s.site + ":" + s.group + " ";
  EXPECT_EQ(got, "a:g1 b:g2 c:g2 d:g1 e:g2 ");
}

TEST(PlanTest, KeepsTheBasesNodesAndRefusesFewerGroups) {
  const Placement base = MustParse(kTwoGroups);
  absl::StatusOr<Placement> plan = PlanPlacement({{"x", 1}}, 3, base);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->groups, (std::vector<std::string>{"g1", "g2", "g3"}));
  EXPECT_EQ(plan->nodes.size(), 3u);
  ASSERT_EQ(plan->sites.size(), 1u);  // the base's sites are replaced
  EXPECT_EQ(plan->sites[0].group, "g1");
  EXPECT_FALSE(PlanPlacement({{"x", 1}}, 1, base).ok());
  EXPECT_FALSE(PlanPlacement({{"x", 1}}, 0, {}).ok());
}

TEST(PlanTest, ReadsSizesFiles) {
  absl::StatusOr<std::vector<SiteSize>> sizes = ParseSiteSizes("# site bytes\nblog-a 12\n\nblog-b 3\n");
  ASSERT_TRUE(sizes.ok()) << sizes.status();
  ASSERT_EQ(sizes->size(), 2u);
  EXPECT_EQ((*sizes)[1].site, "blog-b");
  EXPECT_EQ((*sizes)[1].bytes, 3u);
  EXPECT_THAT(std::string(ParseSiteSizes("a 1\nb x\n").status().message()), HasSubstr("line 2"));
}

TEST(MoveSiteTest, ChangesOnlyTheSitesLine) {
  absl::StatusOr<std::string> moved = MoveSite(kTwoGroups, "blog-a", "g2");
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_THAT(*moved, HasSubstr("site blog-a g2 100\n"));
  EXPECT_THAT(*moved, HasSubstr("# the writer"));
  EXPECT_EQ(MustParse(*moved).sites[0].group, "g2");
  EXPECT_EQ(MoveSite(kTwoGroups, "blog-a", "g7").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(MoveSite(kTwoGroups, "nope", "g2").status().code(), absl::StatusCode::kNotFound);
}

// The backend section named `name`, up to the next blank line.
std::string Section(const std::string& cfg, const std::string& name) {
  const size_t start = cfg.find("backend " + name + "\n");
  if (start == std::string::npos) return "";
  return cfg.substr(start, cfg.find("\n\n", start) - start);
}

TEST(ProxyConfigTest, RoutesEachGroupsSitesToItsNodes) {
  absl::StatusOr<ProxyConfig> config = MakeProxyConfig(MustParse(kTwoGroups));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->sites_map, "blog-a g1\nblog-b g2\n");
  const std::string& cfg = config->haproxy_cfg;
  EXPECT_THAT(cfg, HasSubstr("bind 127.0.0.1:8080\n"));
  EXPECT_THAT(cfg, HasSubstr("bind 127.0.0.1:7700 proto h2\n"));
  EXPECT_THAT(cfg, HasSubstr("path,field(4,/)"));
  EXPECT_THAT(cfg, HasSubstr("req.fhdr(x-chaja-site)"));
  // Reads over every node of the group, writes to its primary only.
  EXPECT_THAT(Section(cfg, "chaja_g1_http"), HasSubstr("server n1 10.0.0.1:8081 check"));
  EXPECT_THAT(Section(cfg, "chaja_g1_http"), HasSubstr("server n2 10.0.0.2:8081 check"));
  EXPECT_THAT(Section(cfg, "chaja_g1_grpc"), HasSubstr("server n2 10.0.0.2:7701 proto h2 check"));
  EXPECT_THAT(Section(cfg, "chaja_g1_grpc_primary"), HasSubstr("server n1 10.0.0.1:7701 proto h2 check"));
  EXPECT_THAT(Section(cfg, "chaja_g1_grpc_primary"), Not(HasSubstr("n2")));
  EXPECT_THAT(Section(cfg, "chaja_g1_http_primary"), Not(HasSubstr("n2")));
  EXPECT_THAT(Section(cfg, "chaja_g2_grpc"), Not(HasSubstr("n1")));
  EXPECT_THAT(cfg, HasSubstr("use_backend chaja_%[var(txn.group)]_grpc_primary if site_known primary_call"));
  EXPECT_THAT(cfg, HasSubstr("acl primary_call path_beg /chaja.v1.IndexService/"));
  // The proxy's own gRPC errors carry the content-type gRPC clients check.
  EXPECT_THAT(cfg, HasSubstr("hdr grpc-status 5 hdr grpc-message \"no node group serves site %[var(txn.site)]"));
  EXPECT_THAT(cfg, HasSubstr("http-after-response set-header content-type application/grpc"));
  // A group of two retries a read on the other node; one of one cannot.
  EXPECT_THAT(Section(cfg, "chaja_g1_grpc"), HasSubstr("retry-on conn-failure"));
  EXPECT_THAT(Section(cfg, "chaja_g2_grpc"), Not(HasSubstr("retry-on")));
}

TEST(ProxyConfigTest, ChecksGrpcNodesWithTheHealthServiceOrHealthz) {
  Placement placement = MustParse(kTwoGroups);
  std::string cfg = MakeProxyConfig(placement)->haproxy_cfg;
  EXPECT_THAT(Section(cfg, "chaja_g1_grpc"), HasSubstr("tcp-check send-binary " +
                                                       GrpcHealthCheckHex("chaja.v1.SearchService")));
  EXPECT_THAT(Section(cfg, "chaja_g1_grpc_primary"), HasSubstr(GrpcHealthCheckHex("chaja.v1.IndexService")));
  // An answer first (any status), then SERVING judged at once (min-recv):
  // NOT_SERVING must not wait for `timeout check`.
  EXPECT_THAT(Section(cfg, "chaja_g1_grpc"), HasSubstr("tcp-check expect rbinary 000000000208"));
  EXPECT_THAT(Section(cfg, "chaja_g1_grpc"), HasSubstr("tcp-check expect min-recv 1 binary 00000000020801"));
  EXPECT_THAT(Section(cfg, "chaja_g1_http"), HasSubstr("http-check send meth GET uri /healthz"));

  placement.proxy.grpc_check = false;
  placement.proxy.check_path = "/healthz?probe=proxy";
  cfg = MakeProxyConfig(placement)->haproxy_cfg;
  EXPECT_THAT(Section(cfg, "chaja_g1_grpc"), HasSubstr("uri /healthz?probe=proxy "));
  EXPECT_THAT(Section(cfg, "chaja_g1_grpc"), HasSubstr("proto h2 check port 8081 check-proto h1"));
  EXPECT_THAT(cfg, Not(HasSubstr("tcp-check")));
}

TEST(ProxyConfigTest, RefusesSitesOnAGroupWithoutNodes) {
  absl::StatusOr<ProxyConfig> config = MakeProxyConfig(MustParse("group g1\ngroup g2\nsite a g2\n"));
  EXPECT_EQ(config.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(GrpcHealthCheckHexTest, IsAPrefaceSettingsHeadersAndOneDataFrame) {
  const std::string hex = GrpcHealthCheckHex("");
  // "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", then an empty SETTINGS frame.
  EXPECT_TRUE(absl::StartsWith(hex, "505249202a20485454502f322e300d0a0d0a534d0d0a0d0a000000040000000000")) << hex;
  // HEADERS on stream 1 with :method POST, :scheme http and the path.
  EXPECT_THAT(hex, HasSubstr("0104000000018386041c2f677270632e6865616c74682e76312e4865616c74682f436865636b"));
  EXPECT_THAT(hex, HasSubstr("0002746508747261696c657273"));  // te: trailers
  // DATA, END_STREAM, stream 1: the 5-byte prefix of an empty message.
  EXPECT_TRUE(absl::EndsWith(hex, "0000050001000000010000000000")) << hex;
  // HealthCheckRequest{service: "a.B"}: 0a 03 'a' '.' 'B', length 5.
  EXPECT_TRUE(absl::EndsWith(GrpcHealthCheckHex("a.B"), "00000000050a03612e42"));
}

}  // namespace
}  // namespace chaja::client::cluster
