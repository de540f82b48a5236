// Dates known to the month, unknowns kept unknown and stewards as lists, over
// HTTP (API.md, Release 2, "The field's model"): answered as written, placed
// in their month by the calendar's filter and the trends.
#include <gtest/gtest.h>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

namespace json = boost::json;

TEST(MonthDates, AreAnsweredAsWrittenAndPlacedInTheirMonth) {
  TempDir dir;
  auto server = E2eServer::start(dir.sub("data"));
  ASSERT_NE(server, nullptr);
  const json::value network = {{"id", "lakeside"},
                               {"name", {{"fi", "Järvi"}, {"sv", "Sjö"}, {"en", "Lakeside"}}},
                               {"region", "Lake District"},
                               {"seat", "Lakeside"},
                               {"steward", json::array{"Victim Support Finland", "Pro-tukipiste"}}};
  ASSERT_EQ(server->call("POST", "/v1/networks", body(network)).status, 201u);

  Answer read = server->call("GET", "/v1/networks/lakeside");
  ASSERT_EQ(read.status, 200u) << read.body;
  EXPECT_TRUE(read.json.at("established_on").is_null()) << read.body;
  EXPECT_EQ(read.json.at("steward"), (json::array{"Victim Support Finland", "Pro-tukipiste"}));
  const auto& first = read.json.at("stewardship_history").as_array().at(0);
  EXPECT_TRUE(first.at("effective_on").is_null()) << read.body;

  // Both former stewards handed over at the start of 2024, written as a month.
  Answer moved =
      server->call("POST", "/v1/networks/lakeside/stewardship-transfers",
                   body({{"steward", "Assistance System for Victims of Human Trafficking"},
                         {"effective_on", "2024-01"}}));
  ASSERT_EQ(moved.status, 200u) << moved.body;
  EXPECT_EQ(server
                ->call("POST", "/v1/networks/lakeside/stewardship-transfers",
                       body({{"steward", json::array{}}, {"effective_on", "2024-06"}}))
                .status,
            422u);

  Answer planned = server->call("POST", "/v1/networks/lakeside/meetings",
                                body({{"scheduled_for", "2024-04"}, {"location", "Lakeside"}}));
  ASSERT_EQ(planned.status, 201u) << planned.body;
  const std::string meeting = "/v1/meetings/" + planned.str("meeting_id");
  Answer plan = server->call("GET", meeting);
  EXPECT_EQ(plan.str("scheduled_for"), "2024-04");
  EXPECT_TRUE(plan.json.at("format").is_null()) << plan.body;

  // Held with no format anywhere: 422; with the format it was held in: recorded.
  Answer no_format = server->call("POST", meeting + "/record",
                                  body({{"held_on", "2024-04"}, {"attendee_count", 12}}));
  ASSERT_EQ(no_format.status, 422u) << no_format.body;
  EXPECT_EQ(no_format.json.at("errors").as_array().at(0).at("field"), "/format");
  Answer held = server->call("POST", meeting + "/record",
                             body({{"held_on", "2024-04"},
                                   {"attendee_count", 12},
                                   {"format", "in_person"},
                                   {"themes", json::array{"forced_labour"}}}));
  ASSERT_EQ(held.status, 200u) << held.body;
  Answer after = server->call("GET", meeting);
  EXPECT_EQ(after.str("held_on"), "2024-04");
  EXPECT_EQ(after.str("format"), "in_person");

  // The calendar's April holds the April meeting; March does not.
  Answer april = server->call("GET", "/v1/meetings?from=2024-04-01&to=2024-04-30");
  ASSERT_EQ(april.status, 200u) << april.body;
  ASSERT_EQ(april.json.at("items").as_array().size(), 1u) << april.body;
  EXPECT_EQ(april.json.at("items").as_array().at(0).at("held_on"), "2024-04");
  Answer march = server->call("GET", "/v1/meetings?from=2024-03-01&to=2024-03-31");
  EXPECT_TRUE(march.json.at("items").as_array().empty()) << march.body;

  // The trends count it in April.
  Answer trends = server->call(
      "GET", "/v1/reports/trends?from=2024-01-01&to=2024-12-31&granularity=month&network=lakeside");
  ASSERT_EQ(trends.status, 200u) << trends.body;
  bool april_counted = false;
  for (const auto& p : trends.json.at("periods").as_array()) {
    const auto& held_by_format = p.at("meetings_held").as_object();
    if (held_by_format.contains("in_person")) {
      EXPECT_EQ(p.at("period"), "2024-04") << trends.body;
      april_counted = true;
    }
  }
  EXPECT_TRUE(april_counted) << trends.body;

  // A month that does not exist is refused like a day that does not.
  EXPECT_EQ(
      server->call("POST", meeting + "/amend", body({{"held_on", "2024-13"}, {"reason", "typo"}}))
          .status,
      422u);
}

// A meeting the source says was held but gives no attendance for: held with
// "attendee_count": null written out; leaving both out is still a 422.
TEST(MonthDates, AMeetingHeldWithUnknownAttendance) {
  TempDir dir;
  auto server = E2eServer::start(dir.sub("data"));
  ASSERT_NE(server, nullptr);
  const json::value network = {{"id", "lakeside"},
                               {"name", {{"fi", "Järvi"}, {"sv", "Sjö"}, {"en", "Lakeside"}}},
                               {"region", "Lake District"},
                               {"seat", "Lakeside"},
                               {"steward", "Pro-tukipiste"}};
  ASSERT_EQ(server->call("POST", "/v1/networks", body(network)).status, 201u);
  Answer planned = server->call(
      "POST", "/v1/networks/lakeside/meetings",
      body({{"scheduled_for", "2024-05"}, {"location", "Lakeside"}, {"format", "in_person"}}));
  ASSERT_EQ(planned.status, 201u) << planned.body;
  const std::string meeting = "/v1/meetings/" + planned.str("meeting_id");

  Answer missing = server->call("POST", meeting + "/record", body({{"held_on", "2024-05"}}));
  ASSERT_EQ(missing.status, 422u) << missing.body;
  EXPECT_EQ(missing.json.at("errors").as_array().at(0).at("field"), "/attendees") << missing.body;

  Answer held = server->call("POST", meeting + "/record",
                             body({{"held_on", "2024-05"}, {"attendee_count", nullptr}}));
  ASSERT_EQ(held.status, 200u) << held.body;
  Answer after = server->call("GET", meeting);
  EXPECT_EQ(after.str("status"), "held") << after.body;
  EXPECT_TRUE(after.json.at("attendee_count").is_null()) << after.body;
  EXPECT_TRUE(after.json.at("attendees").as_array().empty()) << after.body;

  // An amendment may leave it unknown; it survives a restart.
  Answer amended =
      server->call("POST", meeting + "/amend",
                   body({{"themes", json::array{"forced_labour"}}, {"reason", "themes added"}}));
  ASSERT_EQ(amended.status, 200u) << amended.body;
  server->stop();
  server = E2eServer::start(dir.sub("data"));
  ASSERT_NE(server, nullptr);
  Answer again = server->call("GET", meeting);
  EXPECT_TRUE(again.json.at("attendee_count").is_null()) << again.body;
  EXPECT_EQ(again.json.at("themes"), (json::array{"forced_labour"})) << again.body;
}

}  // namespace
}  // namespace ikv::e2e
