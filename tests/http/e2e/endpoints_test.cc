// A walk through every endpoint of the route table with each role: the happy
// path of each command and query, coordinators limited to their networks,
// analysts never seeing personal data.
#include <set>

#include <gtest/gtest.h>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

namespace json = boost::json;

class Endpoints : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = start_suite_server({{"coord-north", "coordinator", {"north"}},
                                 {"analyst-1", "analyst"},
                                 {"auditor-1", "auditor"}})
                 .release();
    if (suite_ == nullptr) return;
    server_ = suite_->server.get();
    coordinator_ = &suite_->secrets[0];
    analyst_ = &suite_->secrets[1];
    auditor_ = &suite_->secrets[2];
  }
  static void TearDownTestSuite() {
    if (server_ != nullptr) server_->stop();
    delete suite_;
    suite_ = nullptr;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(server_, nullptr); }

  static Answer join(std::string_view network, std::string_view email, const Auth& auth = {}) {
    return server_->call("POST", "/v1/networks/" + std::string(network) + "/members",
                         member_body("Member " + std::string(email), email), {}, auth);
  }
  static Answer schedule(std::string_view network, const json::object& extra = {},
                         const Auth& auth = {}) {
    json::object o{
        {"scheduled_for", "2024-10-15"}, {"format", "in_person"}, {"location", "Rovaniemi"}};
    for (const auto& kv : extra) o[kv.key()] = kv.value();
    return server_->call("POST", "/v1/networks/" + std::string(network) + "/meetings", body(o), {},
                         auth);
  }
  // The member `member_id` in `network`'s roster as `auth` sees it.
  static json::object member_in(std::string_view network, std::string_view member_id,
                                const Auth& auth, std::string_view query = "") {
    Answer a = server_->call(
        "GET", "/v1/networks/" + std::string(network) + "/members" + std::string(query), {}, {},
        auth);
    EXPECT_EQ(a.status, 200u) << a.body;
    if (a.status != 200) return {};
    for (const auto& m : a.json.at("items").as_array()) {
      if (m.at("member_id") == json::value(member_id)) return m.as_object();
    }
    return {};
  }

  static inline SuiteServer* suite_ = nullptr;
  static inline E2eServer* server_ = nullptr;
  static inline std::string* coordinator_ = nullptr;
  static inline std::string* analyst_ = nullptr;
  static inline std::string* auditor_ = nullptr;
};

TEST_F(Endpoints, StewardshipTransferAnswers200WithTheNewVersion) {
  Answer before = server_->call("GET", "/v1/networks/south");
  Answer t = server_->call("POST", "/v1/networks/south/stewardship-transfers",
                           body({{"steward", "Pro-tukipiste"}, {"effective_on", "2024-03-01"}}));
  ASSERT_EQ(t.status, 200u) << t.body;
  EXPECT_FALSE(t.has_header("Location"));
  EXPECT_EQ(t.str("id"), "south");
  EXPECT_EQ(t.num("version"), before.num("version") + 1);
  Answer after = server_->call("GET", "/v1/networks/south");
  EXPECT_EQ(after.str("steward"), "Pro-tukipiste");
  // The same steward again changes nothing; a transfer dated before the last one is a conflict.
  Answer same = server_->call("POST", "/v1/networks/south/stewardship-transfers",
                              body({{"steward", "Pro-tukipiste"}, {"effective_on", "2024-04-01"}}));
  EXPECT_EQ(same.status, 200u) << same.body;
  EXPECT_EQ(same.num("version"), t.num("version"));
  EXPECT_EQ(server_
                ->call("POST", "/v1/networks/south/stewardship-transfers",
                       body({{"steward", "RIKU"}, {"effective_on", "2024-02-01"}}))
                .status,
            409u);
}

TEST_F(Endpoints, MembersJoinLeaveAndRosterFilters) {
  Answer a = join("north", "walk.one@example.org");
  ASSERT_EQ(a.status, 201u) << a.body;
  Answer b = server_->call("POST", "/v1/networks/north/members",
                           member_body("Walk Two", "walk.two@example.org", "ngo"));
  ASSERT_EQ(b.status, 201u) << b.body;
  Answer left = server_->call("DELETE", "/v1/networks/north/members/" + a.str("member_id"),
                              body({{"left_on", "2024-06-01"}, {"reason", "moved"}}));
  ASSERT_EQ(left.status, 200u) << left.body;
  EXPECT_EQ(left.str("member_id"), a.str("member_id"));
  Answer c = join("north", "walk.three@example.org");
  Answer left_q = server_->call("DELETE", "/v1/networks/north/members/" + c.str("member_id") +
                                              "?left_on=2024-07-01&reason=retired");
  EXPECT_EQ(left_q.status, 200u) << left_q.body;
  EXPECT_EQ(server_->call("DELETE", "/v1/networks/north/members/" + c.str("member_id")).status,
            409u);

  EXPECT_TRUE(member_in("north", a.str("member_id"), {}).empty());
  EXPECT_FALSE(member_in("north", a.str("member_id"), {}, "?as_of=2024-03-01").empty());
  json::object former = member_in("north", a.str("member_id"), {}, "?include_former=true");
  ASSERT_FALSE(former.empty());
  EXPECT_EQ(former.at("left_on"), json::value("2024-06-01"));
  Answer ngo = server_->call("GET", "/v1/networks/north/members?sector=ngo");
  ASSERT_EQ(ngo.status, 200u);
  for (const auto& m : ngo.json.at("items").as_array())
    EXPECT_EQ(m.at("sector"), json::value("ngo"));
  EXPECT_FALSE(ngo.json.at("items").as_array().empty());
  Answer early = server_->call("GET", "/v1/networks/north/members?known_at=2000-01-01T00:00:00Z");
  ASSERT_EQ(early.status, 200u) << early.body;
  EXPECT_TRUE(early.json.at("items").as_array().empty());
}

TEST_F(Endpoints, MeetingLifecycle) {
  Answer m = schedule("north", {{"agenda", json::array{"Getting organised", "Current matters"}},
                                {"joint_with", json::array{"south"}}});
  ASSERT_EQ(m.status, 201u) << m.body;
  const std::string id = m.str("meeting_id");
  EXPECT_EQ(m.header("Location"), "/v1/meetings/" + id);
  EXPECT_EQ(m.str("id"), id);
  Answer r = server_->call("POST", "/v1/meetings/" + id + "/reschedule",
                           body({{"scheduled_for", "2024-10-22"}, {"format", "hybrid"}}));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.num("version"), 2);
  Answer member = join("north", "attendee@example.org");
  Answer held = server_->call("POST", "/v1/meetings/" + id + "/record",
                              body({{"held_on", "2024-10-22"},
                                    {"attendees", json::array{member.str("member_id")}},
                                    {"attendee_count", 12},
                                    {"themes", json::array{"forced_labour", "seasonal_work"}},
                                    {"notes", "Seasonal work discussed."}}));
  ASSERT_EQ(held.status, 200u) << held.body;
  Answer g = server_->call("GET", "/v1/meetings/" + id);
  ASSERT_EQ(g.status, 200u);
  EXPECT_EQ(g.str("status"), "held");
  EXPECT_EQ(g.str("format"), "hybrid");
  EXPECT_EQ(g.header("ETag"), "\"3\"");
  EXPECT_EQ(g.json.at("history").as_array().size(), 3u);
  // A held meeting cannot be cancelled.
  EXPECT_EQ(server_->call("POST", "/v1/meetings/" + id + "/cancel").status, 409u);
  // attendee_count below the number of attendees is refused.
  Answer other = schedule("south");
  Answer south_member = join("south", "south.attendee@example.org");
  Answer too_few = server_->call("POST", "/v1/meetings/" + other.str("meeting_id") + "/record",
                                 body({{"held_on", "2024-10-15"},
                                       {"attendees", json::array{south_member.str("member_id")}},
                                       {"attendee_count", 0}}));
  EXPECT_EQ(too_few.status, 422u) << too_few.body;
  Answer cancelled = server_->call("POST", "/v1/meetings/" + other.str("meeting_id") + "/cancel",
                                   body({{"reason", "Snow storm"}}));
  EXPECT_EQ(cancelled.status, 200u) << cancelled.body;

  // The calendar: joint meetings count for every network taking part.
  Answer south = server_->call("GET", "/v1/meetings?network=south");
  ASSERT_EQ(south.status, 200u);
  bool joint_found = false;
  for (const auto& x : south.json.at("items").as_array())
    joint_found = joint_found || x.at("meeting_id") == json::value(id);
  EXPECT_TRUE(joint_found) << south.body;
  Answer cancelled_list =
      server_->call("GET", "/v1/meetings?status=cancelled&from=2024-01-01&to=2024-12-31");
  ASSERT_EQ(cancelled_list.status, 200u);
  for (const auto& x : cancelled_list.json.at("items").as_array())
    EXPECT_EQ(x.at("status"), json::value("cancelled"));
  EXPECT_FALSE(cancelled_list.json.at("items").as_array().empty());
  Answer hybrid = server_->call("GET", "/v1/meetings?format=hybrid");
  ASSERT_EQ(hybrid.status, 200u);
  EXPECT_EQ(hybrid.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(server_->call("GET", "/v1/meetings?status=postponed").status, 422u);
}

TEST_F(Endpoints, ObservationsAndTraining) {
  Answer o = server_->call("POST", "/v1/networks/south/observations",
                           body({{"theme", "forced_labour"},
                                 {"observed_on", "2024-04-16"},
                                 {"target_groups", json::array{"Thai", "Ukrainian"}},
                                 {"summary", "Forced labour cases."}}));
  ASSERT_EQ(o.status, 200u) << o.body;
  EXPECT_FALSE(o.str("observation_id").empty());
  EXPECT_EQ(server_
                ->call("POST", "/v1/networks/south/observations",
                       body({{"theme", "no_such_theme"}, {"observed_on", "2024-04-16"}}))
                .status,
            422u);
  Answer list = server_->call(
      "GET", "/v1/networks/south/observations?theme=forced_labour&from=2024-01-01&to=2024-12-31");
  ASSERT_EQ(list.status, 200u);
  ASSERT_EQ(list.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(list.json.at("items").as_array()[0].at("summary"), json::value("Forced labour cases."));
  Answer none = server_->call("GET", "/v1/networks/south/observations?from=2025-01-01");
  EXPECT_TRUE(none.json.at("items").as_array().empty());

  Answer req =
      server_->call("POST", "/v1/networks/south/training-requests",
                    body({{"topic", "victim_identification"}, {"requested_on", "2024-05-02"}}));
  EXPECT_EQ(req.status, 200u) << req.body;
  Answer del = server_->call("POST", "/v1/networks/south/trainings",
                             body({{"topic", "victim_identification"},
                                   {"delivered_on", "2024-09-10"},
                                   {"participants", 23}}));
  EXPECT_EQ(del.status, 200u) << del.body;
  EXPECT_EQ(server_
                ->call("POST", "/v1/networks/south/trainings",
                       body({{"topic", "victim_identification"},
                             {"delivered_on", "2024-09-10"},
                             {"participants", "many"}}))
                .status,
            422u);
}

TEST_F(Endpoints, TaxonomyEntries) {
  Answer t = server_->call(
      "POST", "/v1/taxonomy/themes",
      body({{"code", "debt_bondage"},
            {"labels", {{"fi", "Velkaorjuus"}, {"sv", "Skuldslaveri"}, {"en", "Debt bondage"}}}}));
  ASSERT_EQ(t.status, 201u) << t.body;
  EXPECT_EQ(t.header("Location"), "/v1/taxonomy/themes/debt_bondage");
  Answer s = server_->call(
      "POST", "/v1/taxonomy/sectors",
      body({{"code", "health_care"},
            {"labels", {{"fi", "Terveydenhuolto"}, {"sv", "Hälsovård"}, {"en", "Health care"}}}}));
  ASSERT_EQ(s.status, 201u) << s.body;
  Answer dup = server_->call(
      "POST", "/v1/taxonomy/themes",
      body({{"code", "debt_bondage"}, {"labels", {{"fi", "x"}, {"sv", "y"}, {"en", "z"}}}}));
  EXPECT_EQ(dup.status, 409u) << dup.body;
  Answer g = server_->call("GET", "/v1/taxonomy", {}, {}, Auth::bearer(*analyst_));
  ASSERT_EQ(g.status, 200u);
  EXPECT_EQ(g.header("ETag"), "\"2\"") << "two entries added to the taxonomy stream";
  EXPECT_NE(g.body.find("debt_bondage"), std::string::npos);
  // The new theme can be used at once.
  EXPECT_EQ(server_
                ->call("POST", "/v1/networks/north/observations",
                       body({{"theme", "debt_bondage"}, {"observed_on", "2024-04-16"}}))
                .status,
            200u);
  EXPECT_EQ(server_
                ->call("POST", "/v1/taxonomy/themes",
                       body({{"code", "x"}, {"labels", {{"fi", "x"}, {"sv", "y"}, {"en", "z"}}}}),
                       {}, Auth::bearer(*coordinator_))
                .status,
            403u);
}

TEST_F(Endpoints, TokensIssueListRevoke) {
  Answer issued =
      server_->call("POST", "/v1/tokens", body({{"name", "short-lived"}, {"role", "auditor"}}));
  ASSERT_EQ(issued.status, 201u) << issued.body;
  const std::string id = issued.str("id");
  const std::string secret = issued.str("token");
  EXPECT_EQ(issued.header("Location"), "/v1/tokens/" + id);
  EXPECT_EQ(issued.str("role"), "auditor");
  ASSERT_FALSE(secret.empty());
  EXPECT_EQ(server_->call("GET", "/v1/networks", {}, {}, Auth::bearer(secret)).status, 200u);
  Answer list = server_->call("GET", "/v1/tokens");
  ASSERT_EQ(list.status, 200u);
  EXPECT_EQ(list.body.find(secret), std::string::npos) << "a secret is listed";
  bool listed = false;
  for (const auto& t : list.json.at("items").as_array())
    listed = listed || t.at("id") == json::value(id);
  EXPECT_TRUE(listed);
  Answer revoked = server_->call("DELETE", "/v1/tokens/" + id);
  ASSERT_EQ(revoked.status, 200u) << revoked.body;
  EXPECT_EQ(server_->call("GET", "/v1/networks", {}, {}, Auth::bearer(secret)).status, 401u);
  EXPECT_EQ(server_->call("POST", "/v1/tokens", body({{"name", "bad-role"}, {"role", "superuser"}}))
                .status,
            422u);
  EXPECT_EQ(server_->call("DELETE", "/v1/tokens/no-such-token").status, 404u);
}

TEST_F(Endpoints, CoordinatorChangesOnlyItsNetworks) {
  const Auth coord = Auth::bearer(*coordinator_);
  EXPECT_EQ(join("north", "coord.own@example.org", coord).status, 201u);
  const auto before = server_->log_position();
  EXPECT_EQ(join("south", "coord.other@example.org", coord).status, 403u);
  EXPECT_EQ(schedule("south", {}, coord).status, 403u);
  EXPECT_EQ(server_
                ->call("POST", "/v1/networks/south/observations",
                       body({{"theme", "forced_labour"}, {"observed_on", "2024-04-16"}}), {}, coord)
                .status,
            403u);
  EXPECT_EQ(server_
                ->call("POST", "/v1/networks/south/training-requests",
                       body({{"topic", "victim_identification"}, {"requested_on", "2024-05-02"}}),
                       {}, coord)
                .status,
            403u);
  EXPECT_EQ(server_
                ->call("POST", "/v1/networks/south/trainings",
                       body({{"topic", "victim_identification"},
                             {"delivered_on", "2024-05-02"},
                             {"participants", 3}}),
                       {}, coord)
                .status,
            403u);
  Answer south_member = join("south", "south.member@example.org");
  ASSERT_EQ(south_member.status, 201u);
  const auto after_admin = server_->log_position();
  EXPECT_EQ(server_
                ->call("DELETE", "/v1/networks/south/members/" + south_member.str("member_id"), {},
                       {}, coord)
                .status,
            403u);
  Answer south_meeting = schedule("south");
  ASSERT_EQ(south_meeting.status, 201u);
  const auto after_meeting = server_->log_position();
  const std::string sm = "/v1/meetings/" + south_meeting.str("meeting_id");
  EXPECT_EQ(server_->call("POST", sm + "/cancel", {}, {}, coord).status, 403u);
  EXPECT_EQ(
      server_->call("POST", sm + "/reschedule", body({{"scheduled_for", "2024-11-01"}}), {}, coord)
          .status,
      403u);
  EXPECT_EQ(server_
                ->call("POST", sm + "/record",
                       body({{"held_on", "2024-11-01"}, {"attendee_count", 3}}), {}, coord)
                .status,
            403u);
  // Admin-only operations.
  EXPECT_EQ(server_->call("POST", "/v1/networks", network_body("coord-net"), {}, coord).status,
            403u);
  EXPECT_EQ(server_
                ->call("POST", "/v1/networks/north/stewardship-transfers",
                       body({{"steward", "X"}, {"effective_on", "2024-05-01"}}), {}, coord)
                .status,
            403u);
  EXPECT_EQ(server_
                ->call("DELETE", "/v1/people/" + south_member.str("member_id") + "/personal-data",
                       {}, {}, coord)
                .status,
            403u);
  EXPECT_EQ(server_->log_position(), after_meeting);
  EXPECT_EQ(after_admin, before + 1);
  // A joint meeting organised by south with north: the coordinator of north may change it.
  Answer joint = schedule("south", {{"joint_with", json::array{"north"}}});
  ASSERT_EQ(joint.status, 201u);
  EXPECT_EQ(
      server_->call("POST", "/v1/meetings/" + joint.str("meeting_id") + "/cancel", {}, {}, coord)
          .status,
      200u);
  // Reads are open to coordinators.
  EXPECT_EQ(server_->call("GET", "/v1/networks/south/members", {}, {}, coord).status, 200u);
}

TEST_F(Endpoints, AnalystNeverSeesPersonalData) {
  Answer m = join("north", "private.person@example.org");
  ASSERT_EQ(m.status, 201u);
  const std::string id = m.str("member_id");
  const json::object as_admin = member_in("north", id, {});
  ASSERT_FALSE(as_admin.empty());
  EXPECT_EQ(as_admin.at("email"), json::value("private.person@example.org"));
  // No audit needs personal data: an auditor sees the row with the fields null.
  const json::object as_auditor = member_in("north", id, Auth::bearer(*auditor_));
  ASSERT_FALSE(as_auditor.empty());
  EXPECT_TRUE(as_auditor.at("email").is_null()) << json::serialize(as_auditor);
  const json::object as_analyst = member_in("north", id, Auth::bearer(*analyst_));
  ASSERT_FALSE(as_analyst.empty());
  for (const char* field : {"name", "email", "phone"}) {
    ASSERT_TRUE(as_analyst.contains(field)) << field;
    EXPECT_TRUE(as_analyst.at(field).is_null()) << field << ": " << json::serialize(as_analyst);
  }
  EXPECT_EQ(as_analyst.at("organisation"), as_admin.at("organisation"));
  EXPECT_EQ(as_analyst.at("erased"), json::value(false));
  // No read an analyst may make carries the address.
  for (const char* path :
       {"/v1/networks", "/v1/networks/north", "/v1/networks/north/members?include_former=true",
        "/v1/meetings", "/v1/networks/north/observations"}) {
    Answer a = server_->call("GET", path, {}, {}, Auth::bearer(*analyst_));
    EXPECT_EQ(a.status, 200u) << path;
    EXPECT_EQ(a.body.find("private.person@example.org"), std::string::npos) << path;
  }
  if (has_route("GET", "/v1/events")) {
    Answer events = server_->call("GET", "/v1/events?type=MemberJoined&limit=1000", {}, {},
                                  Auth::bearer(*analyst_));
    EXPECT_EQ(events.status, 200u) << events.body;
    EXPECT_EQ(events.body.find("private.person@example.org"), std::string::npos);
  }
}

// The operations that read history and reports (present once implemented).
TEST_F(Endpoints, ReportsEventsAuditAndBackups) {
  int driven = 0;
  const Auth analyst = Auth::bearer(*analyst_);
  const Auth auditor = Auth::bearer(*auditor_);
  const Auth coord = Auth::bearer(*coordinator_);
  ASSERT_EQ(join("north", "audited.by.coord@example.org", coord).status,
            201u);  // an event by coord-north
  if (has_route("GET", "/v1/reports/trends")) {
    ++driven;
    Answer t =
        server_->call("GET", "/v1/reports/trends?from=2024-01-01&to=2024-12-31&granularity=quarter",
                      {}, {}, analyst);
    EXPECT_EQ(t.status, 200u) << t.body;
    EXPECT_TRUE(t.json.is_object() && t.json.as_object().contains("periods") &&
                t.json.as_object().contains("themes_ranked"))
        << t.body;
    EXPECT_EQ(
        server_->call("GET", "/v1/reports/trends?from=2024-12-31&to=2024-01-01", {}, {}, analyst)
            .status,
        422u);
    EXPECT_EQ(server_->call("GET", "/v1/reports/trends", {}, {}, coord).status, 403u);
    Answer csv = server_->call("GET", "/v1/reports/trends?from=2024-01-01&to=2024-12-31", {},
                               {{"Accept", "text/csv"}}, analyst);
    EXPECT_EQ(csv.status, 200u);
    EXPECT_TRUE(csv.body.starts_with("period,network,measure,code,count"))
        << csv.body.substr(0, 80);
  }
  if (has_route("GET", "/v1/reports/coverage")) {
    ++driven;
    Answer c = server_->call("GET", "/v1/reports/coverage", {}, {}, auditor);
    EXPECT_EQ(c.status, 200u) << c.body;
    EXPECT_TRUE(c.json.is_object() && c.json.as_object().contains("networks")) << c.body;
    Answer then = server_->call("GET", "/v1/reports/coverage?as_of=2000-01-01", {}, {}, auditor);
    ASSERT_EQ(then.status, 200u) << then.body;
    EXPECT_EQ(then.str("as_of"), "2000-01-01");
    for (const auto& n : then.json.at("networks").as_array()) {
      EXPECT_TRUE(n.at("members_by_sector").as_object().empty()) << then.body;
    }
    EXPECT_EQ(server_->call("GET", "/v1/reports/coverage?as_of=2024-02-30", {}, {}, auditor).status,
              422u);
    Answer csv = server_->call("GET", "/v1/reports/coverage", {},
                               {{"Accept", "text/csv"}, {"Accept-Language", "sv"}}, auditor);
    EXPECT_EQ(csv.status, 200u);
    EXPECT_TRUE(csv.body.starts_with("nätverk,sektor,medlemmar\r\n")) << csv.body.substr(0, 80);
  }
  if (has_route("GET", "/v1/events")) {
    ++driven;
    Answer e = server_->call("GET", "/v1/events?after=0&limit=2", {}, {}, analyst);
    ASSERT_EQ(e.status, 200u) << e.body;
    ASSERT_EQ(e.json.at("items").as_array().size(), 2u);
    EXPECT_EQ(e.json.at("items").as_array()[0].at("position").to_number<int>(), 1);
    EXPECT_TRUE(e.has_header("Link"));
    EXPECT_EQ(server_->call("GET", "/v1/events", {}, {}, coord).status, 403u);
  }
  if (has_route("GET", "/v1/streams/{stream}")) {
    ++driven;
    Answer s = server_->call("GET", "/v1/streams/network-north", {}, {}, auditor);
    EXPECT_EQ(s.status, 200u) << s.body;
    EXPECT_EQ(server_->call("GET", "/v1/streams/network-north", {}, {}, analyst).status, 403u);
    EXPECT_EQ(server_->call("GET", "/v1/streams/network-nowhere", {}, {}, auditor).status, 404u);
  }
  if (has_route("GET", "/v1/networks/{id}/history")) {
    ++driven;
    Answer h = server_->call("GET", "/v1/networks/north/history", {}, {}, auditor);
    EXPECT_EQ(h.status, 200u) << h.body;
    EXPECT_EQ(server_->call("GET", "/v1/networks/north/history", {}, {}, analyst).status, 403u);
  }
  if (has_route("GET", "/v1/audit")) {
    ++driven;
    Answer a = server_->call("GET", "/v1/audit?actor=coord-north", {}, {}, auditor);
    ASSERT_EQ(a.status, 200u) << a.body;
    for (const auto& e : a.json.at("items").as_array())
      EXPECT_EQ(e.at("actor"), json::value("coord-north"));
    EXPECT_FALSE(a.json.at("items").as_array().empty());
    EXPECT_EQ(server_
                  ->call("GET", "/v1/audit?from=2024-06-01T00:00:00Z&to=2024-01-01T00:00:00Z", {},
                         {}, auditor)
                  .status,
              422u);
  }
  if (has_route("GET", "/v1/audit/verify")) {
    ++driven;
    Answer v = server_->call("GET", "/v1/audit/verify", {}, {}, auditor);
    ASSERT_EQ(v.status, 200u) << v.body;
    EXPECT_EQ(v.json.at("ok"), json::value(true));
    EXPECT_EQ(v.num("head_position"), server_->log_position());
  }
  if (has_route("GET", "/v1/audit/access")) {
    ++driven;
    // A roster the coordinator sees in clear is recorded; the list holds member ids only.
    ASSERT_EQ(join("north", "access.log@example.org").status, 201u);
    ASSERT_EQ(server_->call("GET", "/v1/networks/north/members", {}, {}, coord).status, 200u);
    Answer a =
        server_->call("GET", "/v1/audit/access?actor=coord-north&network=north", {}, {}, auditor);
    ASSERT_EQ(a.status, 200u) << a.body;
    EXPECT_FALSE(a.json.at("items").as_array().empty());
    for (const auto& e : a.json.at("items").as_array()) {
      EXPECT_EQ(e.at("token_name"), json::value("coord-north"));
      EXPECT_EQ(e.at("route"), json::value("/v1/networks/{id}/members"));
    }
    EXPECT_EQ(a.body.find("access.log@example.org"), std::string::npos) << a.body;
    EXPECT_EQ(server_->call("GET", "/v1/audit/access", {}, {}, analyst).status, 403u);
    EXPECT_EQ(server_->call("GET", "/v1/audit/access", {}, {}, coord).status, 403u);
  }
  if (has_route("POST", "/v1/admin/backups")) {
    ++driven;
    Answer b = server_->call("POST", "/v1/admin/backups", "", {}, {});
    EXPECT_TRUE(b.status == 201u || b.status == 200u || b.status == 503u) << b.body;
    EXPECT_EQ(server_->call("POST", "/v1/admin/backups", "", {}, auditor).status, 403u);
  }
  if (driven == 0) GTEST_SKIP() << "no report, event, audit or backup route yet";
}

// Every route of the server is one this suite drives (a new route needs its test here).
TEST(EndpointCoverage, EveryRouteIsDrivenByTheSuite) {
  const std::set<std::string> driven{
      "GET /livez", "GET /healthz", "GET /readyz", "GET /metrics", "GET /openapi.yaml",
      "POST /v1/networks", "GET /v1/networks", "GET /v1/networks/{id}",
      "POST /v1/networks/{id}/stewardship-transfers", "POST /v1/networks/{id}/members",
      "GET /v1/networks/{id}/members", "DELETE /v1/networks/{id}/members/{member_id}",
      "POST /v1/networks/{id}/meetings", "GET /v1/meetings", "GET /v1/meetings/{meeting_id}",
      "POST /v1/meetings/{meeting_id}/reschedule", "POST /v1/meetings/{meeting_id}/cancel",
      "POST /v1/meetings/{meeting_id}/record", "POST /v1/networks/{id}/observations",
      "GET /v1/networks/{id}/observations", "POST /v1/networks/{id}/training-requests",
      "POST /v1/networks/{id}/trainings", "GET /v1/taxonomy", "POST /v1/taxonomy/themes",
      "POST /v1/taxonomy/sectors", "GET /v1/reports/trends", "GET /v1/reports/coverage",
      "GET /v1/events", "GET /v1/streams/{stream}", "GET /v1/networks/{id}/history",
      "GET /v1/audit", "GET /v1/audit/verify", "GET /v1/audit/access", "POST /v1/tokens",
      "GET /v1/tokens", "DELETE /v1/tokens/{id}", "DELETE /v1/people/{member_id}/personal-data",
      "POST /v1/admin/backups",
      // Driven by audit_evidence_test.cc.
      "GET /v1/audit/export", "GET /v1/audit/public-key", "GET /v1/audit/checkpoints/latest",
      "POST /v1/audit/checkpoints",
      // Driven by tokens_people_test.cc.
      "POST /v1/tokens/{id}/rotate", "GET /v1/people", "GET /v1/people/{member_id}",
      // Driven by corrections_test.cc.
      "PATCH /v1/networks/{id}", "PATCH /v1/networks/{id}/members/{member_id}",
      "POST /v1/networks/{id}/observations/{observation_id}/retract",
      "POST /v1/meetings/{meeting_id}/amend",
      // Driven by dashboard_test.cc.
      "GET /", "GET /accessibility", "GET /assets/{file}", "GET /v1/session",
      // Driven by field_taxonomy_test.cc.
      "POST /v1/taxonomy/target-groups", "POST /v1/taxonomy/training-topics",
      "GET /v1/networks/{id}/training-requests",
      // Driven by joining_test.cc.
      "GET /v1/directory", "POST /v1/join-requests", "GET /v1/networks/{id}/join-requests",
      "POST /v1/join-requests/{id}/approve", "POST /v1/join-requests/{id}/decline",
      // Driven by wishes_national_test.cc.
      "POST /v1/networks/{id}/wishes", "GET /v1/networks/{id}/wishes", "POST /v1/observations",
      "GET /v1/observations", "POST /v1/observations/{observation_id}/retract"};
  const auto routes = printed_routes();
  ASSERT_GE(routes.size(), 30u) << "ikv-server --print-routes printed too little";
  for (const auto& line : routes) {
    const std::string route = line.substr(0, line.rfind(' '));
    EXPECT_TRUE(driven.contains(route)) << route << " has no end-to-end test";
  }
}

}  // namespace
}  // namespace ikv::e2e
