// The dashboard's routes against the real server: the page with its
// Content-Security-Policy, the content-hashed assets it names (long-cached),
// the accessibility page, /v1/session; and the language of problems
// (Accept-Language) and a member join's 422 that lists every invalid field.
#include <regex>

#include <gtest/gtest.h>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

TEST(Dashboard, PageAssetsAndSession) {
  TempDir dir;
  auto server = E2eServer::start(dir.sub("data"));
  ASSERT_NE(server, nullptr);
  Answer page = server->call("GET", "/", {}, {}, Auth::none());
  ASSERT_EQ(page.status, 200u);
  EXPECT_NE(page.header("Content-Type").find("text/html"), std::string::npos);
  const std::string csp = page.header("Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("style-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("connect-src 'self'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe"), std::string::npos) << csp;
  std::smatch m;
  std::string rest = page.body;
  int assets = 0;
  while (std::regex_search(rest, m, std::regex("\"(/assets/[^\"]+)\""))) {
    Answer a = server->call("GET", m[1].str(), {}, {}, Auth::none());
    EXPECT_EQ(a.status, 200u) << m[1];
    EXPECT_EQ(a.header("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_FALSE(a.body.empty());
    ++assets;
    rest = m.suffix();
  }
  EXPECT_EQ(assets, 2) << page.body;  // one script, one style sheet
  EXPECT_EQ(server->call("GET", "/assets/no-such-file.js", {}, {}, Auth::none()).status, 404u);
  EXPECT_EQ(server->call("GET", "/accessibility", {}, {}, Auth::none()).status, 200u);

  Answer who = server->call("GET", "/v1/session");
  ASSERT_EQ(who.status, 200u) << who.body;
  EXPECT_EQ(who.str("role"), "admin");
  EXPECT_EQ(who.json.at("networks").as_array().size(), 0u);
  EXPECT_EQ(who.body.find(kAdminToken), std::string::npos);
  EXPECT_EQ(server->call("GET", "/v1/session", {}, {}, Auth::none()).status, 401u);
  EXPECT_EQ(server->call("GET", "/v1/session?x=1").status, 422u);
}

TEST(Dashboard, ProblemsInTheLanguageAskedForWithEveryInvalidField) {
  TempDir dir;
  auto server = E2eServer::start(dir.sub("data"), {.demo = true});
  ASSERT_NE(server, nullptr);
  const std::string body =
      R"({"name": "X", "email": "no-address", "organisation": "O", "sector": "astronauts",
          "joined_on": "2024-01-01"})";
  Answer fi = server->call("POST", "/v1/networks/turku/members", body,
                           {{"Content-Type", "application/json"}, {"Accept-Language", "fi"}});
  ASSERT_EQ(fi.status, 422u) << fi.body;
  EXPECT_EQ(fi.str("title"), "Virheellisiä tietoja");
  EXPECT_EQ(fi.header("Content-Language"), "fi");
  const auto& errors = fi.json.at("errors").as_array();
  ASSERT_EQ(errors.size(), 2u) << fi.body;
  EXPECT_EQ(errors[0].at("field"), "/email");
  EXPECT_EQ(errors[1].at("field"), "/sector");
  Answer sv =
      server->call("GET", "/v1/networks", {}, {{"Accept-Language", "de, sv;q=0.8"}}, Auth::none());
  EXPECT_EQ(sv.str("title"), "Ej autentiserad");
  Answer en = server->call("GET", "/v1/networks", {}, {{"Accept-Language", "de"}}, Auth::none());
  EXPECT_EQ(en.str("title"), "Unauthorized");
}

// Every invalid field of a meeting form, an observation and a member's details in one 422.
TEST(Dashboard, MeetingAndObservationFormsHearOfEveryInvalidFieldAtOnce) {
  TempDir dir;
  auto server = E2eServer::start(dir.sub("data"), {.demo = true});
  ASSERT_NE(server, nullptr);
  const std::vector<std::pair<std::string, std::string>> json = {
      {"Content-Type", "application/json"}};
  const auto fields = [](const Answer& a) {
    std::vector<std::string> out;
    for (const auto& e : a.json.at("errors").as_array()) {
      out.emplace_back(e.at("field").as_string());
    }
    return out;
  };
  using Fields = std::vector<std::string>;

  Answer schedule = server->call("POST", "/v1/networks/turku/meetings",
                                 R"({"scheduled_for": "2024-04-31", "format": "telepathy",
                                     "location": " ", "joint_with": ["atlantis"]})",
                                 json);
  ASSERT_EQ(schedule.status, 422u) << schedule.body;
  EXPECT_EQ(fields(schedule), (Fields{"/scheduled_for", "/joint_with/0", "/format", "/location"}));

  Answer planned = server->call("POST", "/v1/networks/turku/meetings",
                                R"({"scheduled_for": "2030-04-20", "format": "in_person",
                                    "location": "Turku"})",
                                json);
  ASSERT_EQ(planned.status, 201u) << planned.body;
  const std::string meeting = "/v1/meetings/" + planned.str("meeting_id");

  Answer move = server->call("POST", meeting + "/reschedule",
                             R"({"scheduled_for": "2030-02-30", "format": "telepathy"})", json);
  ASSERT_EQ(move.status, 422u) << move.body;
  EXPECT_EQ(fields(move), (Fields{"/scheduled_for", "/format"}));

  Answer record = server->call("POST", meeting + "/record",
                               R"({"held_on": "2030-13-01", "attendees": ["stranger"],
                                   "themes": ["forced_labour", "weather"]})",
                               json);
  ASSERT_EQ(record.status, 422u) << record.body;
  EXPECT_EQ(fields(record), (Fields{"/held_on", "/attendees/0", "/themes/1"}));

  Answer observation = server->call("POST", "/v1/networks/turku/observations",
                                    R"({"theme": "weather", "observed_on": "2024-02-30",
                                        "meeting_id": "no-such-meeting"})",
                                    json);
  ASSERT_EQ(observation.status, 422u) << observation.body;
  EXPECT_EQ(fields(observation), (Fields{"/observed_on", "/theme", "/meeting_id"}));

  // Nothing of these was recorded: the meeting is still planned, as it was.
  Answer read = server->call("GET", meeting);
  ASSERT_EQ(read.status, 200u) << read.body;
  EXPECT_EQ(read.str("status"), "scheduled");
  EXPECT_EQ(read.str("scheduled_for"), "2030-04-20");
}

}  // namespace
}  // namespace ikv::e2e
