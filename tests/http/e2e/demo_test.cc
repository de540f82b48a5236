// The demo data: loaded into an empty registry on first start, not again on a
// restart, and not at all with --demo none (or --no-demo). --demo facts loads
// only the bulletin's facts (demo/facts.json): six networks, their meetings
// planned in their months, observations and training requests, no member and
// no attendance; --demo full (the default) adds demo/illustrative.json. Both
// give the trends the bulletin gives: the forced-labour family in most
// regions, forced marriage and the exploitation of young people among the
// findings, and as national findings the wellbeing-services transition and
// the exploitation of children; every network's wish for joint meetings.
#include <map>
#include <set>
#include <string>

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

// The theme families of the 2024 trends: family -> networks.
std::map<std::string, std::int64_t> families_2024(E2eServer& server) {
  std::map<std::string, std::int64_t> out;
  Answer a =
      server.call("GET", "/v1/reports/trends?from=2024-01-01&to=2024-12-31&granularity=year");
  EXPECT_EQ(a.status, 200u) << a.body;
  if (a.status != 200) return out;
  for (const auto& f : a.json.at("families_ranked").as_array())
    out[std::string(f.at("family").as_string())] = f.at("networks").to_number<std::int64_t>();
  return out;
}

std::size_t count_items(E2eServer& server, const std::string& target) {
  Answer a = server.call("GET", target);
  EXPECT_EQ(a.status, 200u) << target << ": " << a.body;
  return a.status == 200 ? a.json.at("items").as_array().size() : 0;
}

// What the bulletin says, as both --demo facts and --demo full show it.
void expect_bulletin_facts(E2eServer& server) {
  const std::set<std::string> six{"north-savo",    "ostrobothnia", "oulu",
                                  "south-karelia", "tampere",      "turku"};
  EXPECT_EQ(network_ids(server), six);
  const auto families = families_2024(server);
  ASSERT_TRUE(families.contains("forced_labour"));
  EXPECT_GE(families.at("forced_labour"), 4) << "forced labour is stressed in most regions";
  EXPECT_TRUE(families.contains("forced_marriage"));
  EXPECT_TRUE(families.contains("youth_exploitation"));
  // The findings the bulletin ties to no region: national findings.
  Answer national = server.call("GET", "/v1/observations?scope=national");
  ASSERT_EQ(national.status, 200u) << national.body;
  std::set<std::string> national_themes;
  for (const auto& o : national.json.at("items").as_array()) {
    EXPECT_TRUE(o.at("network").is_null()) << json::serialize(o);
    national_themes.insert(std::string(o.at("theme").as_string()));
  }
  EXPECT_EQ(national_themes,
            (std::set<std::string>{"child_exploitation", "wellbeing_county_transition"}));
  for (const auto& id : six) {
    Answer n = server.call("GET", "/v1/networks/" + id);
    ASSERT_EQ(n.status, 200u) << n.body;
    EXPECT_TRUE(n.json.at("established_on").is_null()) << id << ": no founding date is known";
    const auto& stewards = n.json.at("stewardship_history").as_array();
    ASSERT_EQ(stewards.size(), 2u) << n.body;
    EXPECT_EQ(stewards[0].at("steward"), (json::array{"Victim Support Finland", "Pro-tukipiste"}))
        << "the bulletin does not say which of the two ran which network";
    EXPECT_EQ(stewards[1].at("effective_on"), "2024-01");
    EXPECT_EQ(count_items(server, "/v1/networks/" + id + "/training-requests"), 2u) << id;
    Answer wishes = server.call("GET", "/v1/networks/" + id + "/wishes");
    ASSERT_EQ(wishes.status, 200u) << wishes.body;
    const auto& items = wishes.json.at("items").as_array();
    ASSERT_EQ(items.size(), 1u) << id << ": the wish for joint meetings, and no format preference";
    EXPECT_EQ(items[0].at("kind"), "joint_meeting");
  }
  Answer karelia = server.call("GET", "/v1/networks/south-karelia/observations");
  ASSERT_EQ(karelia.status, 200u) << karelia.body;
  ASSERT_EQ(karelia.json.at("items").as_array().size(), 1u) << karelia.body;
  EXPECT_EQ(karelia.json.at("items").at(0).at("target_groups"), (json::array{"thai", "ukrainian"}));
  Answer tampere = server.call("GET", "/v1/meetings?network=tampere");
  ASSERT_EQ(tampere.status, 200u) << tampere.body;
  const auto& planned = tampere.json.at("items").as_array();
  ASSERT_EQ(planned.size(), 1u);
  EXPECT_EQ(planned[0].at("scheduled_for"), "2024-10");
  EXPECT_TRUE(planned[0].at("format").is_null()) << "the bulletin gives no format";
}

TEST(DemoData, FactsOnly) {
  TempDir dir;
  auto server =
      E2eServer::start(dir.sub("data"), {.demo = true, .extra_args = {"--demo", "facts"}});
  ASSERT_TRUE(server);
  expect_bulletin_facts(*server);
  for (const char* id : {"north-savo", "ostrobothnia", "oulu", "south-karelia", "tampere", "turku"})
    EXPECT_EQ(count_items(*server, std::string("/v1/networks/") + id + "/members"), 0u) << id;
  Answer meetings = server->call("GET", "/v1/meetings?limit=1000");
  ASSERT_EQ(meetings.status, 200u);
  std::set<std::string> months;
  std::size_t held = 0;
  for (const auto& m : meetings.json.at("items").as_array()) {
    months.insert(std::string(m.at("scheduled_for").as_string()));
    if (m.at("status") != "held") continue;
    ++held;
    // Held in its month, as the bulletin says; it gives no attendance.
    EXPECT_EQ(m.at("held_on"), m.at("scheduled_for")) << json::serialize(m);
    EXPECT_TRUE(m.at("attendee_count").is_null()) << json::serialize(m);
    EXPECT_TRUE(m.at("attendees").as_array().empty()) << json::serialize(m);
  }
  EXPECT_EQ(held, 5u) << "the five spring 2024 meetings";
  EXPECT_EQ(months, (std::set<std::string>{"2024-04", "2024-05", "2024-10"}));
}

TEST(DemoData, FullAddsTheIllustrativePart) {
  TempDir dir;
  auto server = E2eServer::start(dir.sub("data"), {.demo = true, .extra_args = {"--demo", "full"}});
  ASSERT_TRUE(server);
  expect_bulletin_facts(*server);
  EXPECT_GT(count_items(*server, "/v1/networks/oulu/members"), 0u);
  Answer held = server->call("GET", "/v1/meetings?status=held&limit=1000");
  ASSERT_EQ(held.status, 200u) << held.body;
  const auto& items = held.json.at("items").as_array();
  EXPECT_EQ(items.size(), 5u) << "the five spring 2024 meetings";
  for (const auto& m : items) {
    ASSERT_TRUE(m.at("notes").is_string()) << json::serialize(m);
    EXPECT_TRUE(m.at("notes").as_string().starts_with("Illustrative:")) << json::serialize(m);
    EXPECT_TRUE(m.at("attendee_count").is_int64()) << "the illustrative amendment's attendance";
  }
}

TEST(DemoData, NoDemoIsDemoNone) {
  TempDir dir;
  auto server = E2eServer::start(dir.sub("data"), {.demo = true, .extra_args = {"--no-demo"}});
  ASSERT_TRUE(server);
  EXPECT_TRUE(network_ids(*server).empty());
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
