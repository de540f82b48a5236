// The reports of the field's model over HTTP (API.md, Release 2, "Reports"):
// a fresh server, members joining and leaving across quarters, meetings held
// with and without an attendee count (one joint), observations; then a leave
// and an observation recorded later. The trends answer members_at_end,
// attendance and the national row (network null, the sums; in CSV an empty
// network column); known_at hides what was recorded after it, in the trends
// and in coverage.
#include <chrono>
#include <ctime>
#include <thread>

#include <gtest/gtest.h>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

namespace json = boost::json;

// Now as RFC 3339 in whole seconds (UTC).
std::string now_seconds() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

// The row of `period` for `network` (nullptr: the national row); null when absent.
const json::object* row(const Answer& a, std::string_view period, const char* network) {
  for (const auto& p : a.json.at("periods").as_array()) {
    const json::value& n = p.at("network");
    const bool match = network == nullptr ? n.is_null() : n == json::value(network);
    if (p.at("period") == json::value(period) && match) return &p.as_object();
  }
  return nullptr;
}

TEST(Reports, MembersAtEndAttendanceTheNationalRowAndKnownAt) {
  TempDir dir;
  auto server = E2eServer::start(dir.sub("data"));
  ASSERT_NE(server, nullptr);
  const auto post = [&](std::string_view path, const json::value& v) {
    Answer a = server->call("POST", path, body(v));
    EXPECT_LT(a.status, 300u) << path << " " << a.body;
    return a;
  };
  for (const char* id : {"north", "south"}) {
    json::object n = json::parse(network_body(id)).as_object();
    n["name"] = {{"fi", id}, {"sv", id}, {"en", id}};
    ASSERT_EQ(server->call("POST", "/v1/networks", body(n)).status, 201u);
  }
  // Given: north has m1 and m2 from February, m2 leaving in "2024-04" (a
  // month); south has m3.
  const std::string m1 =
      post("/v1/networks/north/members", json::parse(member_body("One", "r.one@example.org")))
          .str("member_id");
  const std::string m2 =
      post("/v1/networks/north/members", json::parse(member_body("Two", "r.two@example.org")))
          .str("member_id");
  const std::string m3 = post("/v1/networks/south/members",
                              json::parse(member_body("Three", "r.three@example.org", "ngo")))
                             .str("member_id");
  ASSERT_EQ(
      server->call("DELETE", "/v1/networks/north/members/" + m2, body({{"left_on", "2024-04"}}))
          .status,
      200u);
  // A joint meeting with 9 attendees; one of south's own with m3 listed and
  // no count (it counts the one attendee listed).
  Answer joint = post("/v1/networks/north/meetings", {{"scheduled_for", "2024-03-10"},
                                                      {"format", "in_person"},
                                                      {"location", "Kuopio"},
                                                      {"joint_with", {"south"}}});
  post("/v1/meetings/" + joint.str("meeting_id") + "/record",
       {{"held_on", "2024-03-10"}, {"attendee_count", 9}, {"themes", {"forced_labour"}}});
  Answer own = post("/v1/networks/south/meetings",
                    {{"scheduled_for", "2024-03-20"}, {"format", "remote"}, {"location", "Teams"}});
  post("/v1/meetings/" + own.str("meeting_id") + "/record",
       {{"held_on", "2024-03-20"}, {"attendees", {m3}}});
  post("/v1/networks/north/observations",
       {{"theme", "forced_labour"}, {"observed_on", "2024-03-05"}});

  // A national finding and a wish of north, in March.
  post("/v1/observations", {{"theme", "forced_marriage"}, {"observed_on", "2024-03-01"}});
  post("/v1/networks/north/wishes",
       {{"kind", "joint_meeting"}, {"text", "with south"}, {"recorded_on", "2024-03"}});

  // The instant between what was recorded so far and what follows.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const std::string known_at = now_seconds();
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  // Recorded later: m1 left in March, south observed seasonal work in March.
  ASSERT_EQ(
      server->call("DELETE", "/v1/networks/north/members/" + m1 + "?left_on=2024-03-15").status,
      200u);
  post("/v1/networks/south/observations",
       {{"theme", "seasonal_work"}, {"observed_on", "2024-03-07"}});

  // When: the quarters of 2024, as known now.
  const std::string trends = "/v1/reports/trends?from=2024-01-01&to=2024-12-31&granularity=quarter";
  Answer now = server->call("GET", trends);
  ASSERT_EQ(now.status, 200u) << now.body;
  // Then: per network and nationally.
  const json::object* north = row(now, "2024-Q1", "north");
  const json::object* south = row(now, "2024-Q1", "south");
  const json::object* national = row(now, "2024-Q1", nullptr);
  ASSERT_TRUE(north != nullptr && south != nullptr && national != nullptr) << now.body;
  EXPECT_EQ(north->at("members_joined"), 2);
  EXPECT_EQ(north->at("members_left"), 1);
  EXPECT_EQ(north->at("members_at_end"), 1);  // m2, until April
  EXPECT_EQ(north->at("attendance"), 9);
  EXPECT_EQ(south->at("attendance"), 10);  // the joint meeting's 9, its own 1 listed
  EXPECT_EQ(south->at("meetings_held"), (json::object{{"in_person", 1}, {"remote", 1}}));
  EXPECT_EQ(south->at("members_at_end"), 1);
  EXPECT_EQ(national->at("members_joined"), 3);
  EXPECT_EQ(national->at("members_left"), 1);
  EXPECT_EQ(national->at("members_at_end"), 2);
  EXPECT_EQ(national->at("attendance"), 19);
  EXPECT_EQ(national->at("meetings_held"), (json::object{{"in_person", 2}, {"remote", 1}}));
  // The national finding counts in the national row and the ranking only; the wish in both rows.
  EXPECT_EQ(north->at("observations"), (json::object{{"forced_labour", 1}}));
  EXPECT_EQ(national->at("observations"),
            (json::object{{"forced_labour", 1}, {"forced_marriage", 1}, {"seasonal_work", 1}}))
      << now.body;
  EXPECT_EQ(north->at("wishes"), (json::object{{"joint_meeting", 1}}));
  EXPECT_EQ(national->at("wishes"), (json::object{{"joint_meeting", 1}}));
  bool ranked = false;
  for (const auto& t : now.json.at("themes_ranked").as_array()) {
    if (t.at("theme") != "forced_marriage") continue;
    ranked = true;
    EXPECT_EQ(t.at("networks"), 0);
    EXPECT_EQ(t.at("national"), true);
  }
  EXPECT_TRUE(ranked) << now.body;
  // Q2: north's April leave; the national row counts south's m3 though south has no Q2 row.
  ASSERT_NE(row(now, "2024-Q2", "north"), nullptr) << now.body;
  EXPECT_EQ(row(now, "2024-Q2", "north")->at("members_at_end"), 0);
  EXPECT_EQ(row(now, "2024-Q2", "south"), nullptr);
  EXPECT_EQ(row(now, "2024-Q2", nullptr)->at("members_at_end"), 1);
  // The national row comes after the period's network rows.
  const auto& periods = now.json.at("periods").as_array();
  EXPECT_TRUE(periods.at(2).at("network").is_null()) << now.body;
  EXPECT_EQ(server->call("GET", trends + "&network=all").json, now.json);
  Answer only_north = server->call("GET", trends + "&network=north");
  ASSERT_EQ(only_north.status, 200u);
  for (const auto& p : only_north.json.at("periods").as_array())
    EXPECT_EQ(p.at("network"), "north");

  // As known between the two: m1 had not left, south had observed nothing.
  Answer then = server->call("GET", trends + "&known_at=" + known_at);
  ASSERT_EQ(then.status, 200u) << then.body;
  EXPECT_EQ(row(then, "2024-Q1", "north")->at("members_left"), 0);
  EXPECT_EQ(row(then, "2024-Q1", "north")->at("members_at_end"), 2);
  EXPECT_EQ(row(then, "2024-Q1", "south")->at("observations"), json::object{});
  EXPECT_EQ(row(then, "2024-Q1", nullptr)->at("members_at_end"), 3);
  EXPECT_EQ(row(then, "2024-Q1", nullptr)->at("observations"),
            (json::object{{"forced_labour", 1}, {"forced_marriage", 1}}));
  EXPECT_EQ(row(then, "2024-Q2", "north")->at("members_at_end"), 1);
  EXPECT_EQ(server->call("GET", trends + "&known_at=soon").status, 422u);

  // The CSV's national rows have an empty network column.
  Answer csv = server->call("GET", trends, {}, {{"Accept", "text/csv"}});
  ASSERT_EQ(csv.status, 200u);
  EXPECT_NE(csv.body.find("2024-Q1,,members_at_end,,2\r\n"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find("2024-Q1,north,attendance,,9\r\n"), std::string::npos) << csv.body;

  // Coverage on 1 May: north has nobody now; as known then, m1.
  Answer cover = server->call("GET", "/v1/reports/coverage?as_of=2024-05-01");
  ASSERT_EQ(cover.status, 200u) << cover.body;
  EXPECT_EQ(cover.json.at("networks").at(0).at("members_by_sector"), json::object{});
  Answer cover_then =
      server->call("GET", "/v1/reports/coverage?as_of=2024-05-01&known_at=" + known_at);
  ASSERT_EQ(cover_then.status, 200u) << cover_then.body;
  EXPECT_EQ(cover_then.json.at("networks").at(0).at("members_by_sector"),
            (json::object{{"police", 1}}));
  EXPECT_EQ(server->call("GET", "/v1/reports/coverage?known_at=2024-02-30T00:00:00Z").status, 422u);
}

}  // namespace
}  // namespace ikv::e2e
