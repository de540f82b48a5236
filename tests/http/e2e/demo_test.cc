// The demo data: loaded into an empty registry on first start, not again on a
// restart, and not at all with --no-demo.
#include <set>

#include <gtest/gtest.h>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

namespace json = boost::json;

std::set<std::string> network_ids(E2eServer& server) {
  std::set<std::string> ids;
  Answer a = server.call("GET", "/v1/networks?limit=1000");
  EXPECT_EQ(a.status, 200u) << a.body;
  if (a.status != 200) return ids;
  for (const auto& n : a.json.at("items").as_array())
    ids.insert(std::string(n.at("id").as_string()));
  return ids;
}

TEST(DemoData, LoadedOnFirstStartOnly) {
  TempDir dir;
  const std::string data = dir.sub("data");
  const std::set<std::string> six{"north-savo",    "ostrobothnia", "oulu",
                                  "south-karelia", "tampere",      "turku"};
  std::int64_t position = 0;
  {
    auto server = E2eServer::start(data, {.demo = true});
    ASSERT_TRUE(server);
    EXPECT_EQ(network_ids(*server), six);
    Answer meetings = server->call("GET", "/v1/meetings?limit=1000");
    ASSERT_EQ(meetings.status, 200u);
    EXPECT_FALSE(meetings.json.at("items").as_array().empty());
    Answer members = server->call("GET", "/v1/networks/oulu/members");
    ASSERT_EQ(members.status, 200u);
    EXPECT_FALSE(members.json.at("items").as_array().empty());
    Answer tokens = server->call("GET", "/v1/tokens");
    EXPECT_NE(tokens.body.find("demo-loader"), std::string::npos);
    position = server->log_position();
    EXPECT_GT(position, 6);
    ASSERT_EQ(server->stop().code, 0);
  }
  auto server = E2eServer::start(data, {.demo = true});
  ASSERT_TRUE(server);
  EXPECT_EQ(server->log_position(), position) << "the demo data was loaded twice";
  EXPECT_EQ(network_ids(*server), six);
}

TEST(DemoData, AbsentWithNoDemo) {
  TempDir dir;
  auto server = E2eServer::start(dir.sub("data"));
  ASSERT_TRUE(server);
  EXPECT_TRUE(network_ids(*server).empty());
  Answer meetings = server->call("GET", "/v1/meetings");
  EXPECT_TRUE(meetings.json.at("items").as_array().empty());
  Answer taxonomy = server->call("GET", "/v1/taxonomy");
  ASSERT_EQ(taxonomy.status, 200u);
  EXPECT_EQ(taxonomy.header("ETag"), "\"0\"");
  EXPECT_FALSE(taxonomy.json.at("sectors").as_array().empty())
      << "the built-in codes are always there";
}

}  // namespace
}  // namespace ikv::e2e
