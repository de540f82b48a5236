// Corrections over HTTP (API.md, Release 2): PATCH a network and a member
// (JSON merge patches), retract an observation, amend a held meeting's record.
// Each is a new event: the history shows the value before and after, reads as
// known earlier show the old value, reports drop what was retracted and follow
// an amendment, and an erasure makes corrected personal data unreadable too.
#include <gtest/gtest.h>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

namespace json = boost::json;

const Headers kMergePatch{{"Content-Type", "application/merge-patch+json"}};

class Corrections : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = start_suite_server({{"fix-north", "coordinator", {"north"}},
                                 {"fix-south", "coordinator", {"south"}},
                                 {"fix-analyst", "analyst"},
                                 {"fix-auditor", "auditor"}})
                 .release();
    if (suite_ == nullptr) return;
    server_ = suite_->server.get();
    coordinator_ = &suite_->secrets[0];
    other_ = &suite_->secrets[1];
    analyst_ = &suite_->secrets[2];
    auditor_ = &suite_->secrets[3];
  }
  static void TearDownTestSuite() {
    if (server_ != nullptr) server_->stop();
    delete suite_;
    suite_ = nullptr;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(server_, nullptr); }

  static Answer patch(std::string_view path, const json::value& v, const Auth& auth = {},
                      Headers headers = kMergePatch) {
    return server_->call("PATCH", path, body(v), headers, auth);
  }
  static Answer post(std::string_view path, const json::value& v, const Auth& auth = {},
                     const Headers& headers = {}) {
    return server_->call("POST", path, body(v), headers, auth);
  }
  static std::string join(std::string_view name, std::string_view email) {
    Answer a = server_->call("POST", "/v1/networks/north/members", member_body(name, email));
    EXPECT_EQ(a.status, 201u) << a.body;
    return a.str("member_id");
  }
  static json::object member(std::string_view id, std::string_view query = "") {
    Answer a = server_->call("GET", "/v1/networks/north/members" + std::string(query));
    EXPECT_EQ(a.status, 200u) << a.body;
    if (a.status != 200) return {};
    for (const auto& m : a.json.at("items").as_array()) {
      if (m.at("member_id") == json::value(id)) return m.as_object();
    }
    return {};
  }
  // The history events of `type` about `member_id` (any when empty).
  static std::vector<json::object> history(std::string_view type, std::string_view member_id = "",
                                           const Auth& auth = {}) {
    Answer a = server_->call("GET", "/v1/networks/north/history?limit=1000", {}, {}, auth);
    EXPECT_EQ(a.status, 200u) << a.body;
    std::vector<json::object> out;
    if (a.status != 200) return out;
    for (const auto& e : a.json.at("items").as_array()) {
      if (e.at("type") != json::value(type)) continue;
      const auto* id = e.at("payload").as_object().if_contains("member_id");
      if (!member_id.empty() && (id == nullptr || *id != json::value(member_id))) continue;
      out.push_back(e.as_object());
    }
    return out;
  }
  static std::int64_t version(std::string_view path) {
    return server_->call("GET", path).num("version");
  }

  static inline SuiteServer* suite_ = nullptr;
  static inline E2eServer* server_ = nullptr;
  static inline std::string* coordinator_ = nullptr;
  static inline std::string* other_ = nullptr;
  static inline std::string* analyst_ = nullptr;
  static inline std::string* auditor_ = nullptr;
};

TEST_F(Corrections, PatchANetworkMergesTheNameAndRecordsOneEvent) {
  Answer a = patch("/v1/networks/south", {{"name", {{"en", "South region"}}}, {"reason", "typo"}});
  ASSERT_EQ(a.status, 200u) << a.body;
  EXPECT_EQ(a.str("id"), "south");
  Answer n = server_->call("GET", "/v1/networks/south");
  EXPECT_EQ(n.json.at("name").at("en"), "South region");
  EXPECT_EQ(n.json.at("name").at("fi"), "Lappi");
  EXPECT_EQ(n.num("version"), a.num("version"));
  // application/json is a merge patch too; a patch that changes nothing records nothing.
  const std::int64_t head = server_->log_position();
  Answer same = patch("/v1/networks/south", {{"name", {{"en", "South region"}}}}, {},
                      {{"Content-Type", "application/json"}});
  ASSERT_EQ(same.status, 200u) << same.body;
  EXPECT_EQ(same.num("version"), a.num("version"));
  EXPECT_EQ(server_->log_position(), head);
  Answer events = server_->call("GET", "/v1/streams/network-south");
  const auto& last = events.json.at("items").as_array().back();
  EXPECT_EQ(last.at("type"), "NetworkDetailsChanged");
  EXPECT_EQ(last.at("payload").at("reason"), "typo");
}

TEST_F(Corrections, PatchANetworkRefusesWhatItMust) {
  const std::string path = "/v1/networks/south";
  EXPECT_EQ(patch(path, {{"seat", "Kemi"}}, Auth::bearer(*other_)).status, 403u);
  EXPECT_EQ(patch(path, {{"seat", "Kemi"}}, Auth::bearer(*analyst_)).status, 403u);
  EXPECT_EQ(patch(path, {{"seat", "Kemi"}}, Auth::bearer(*auditor_)).status, 403u);
  EXPECT_EQ(patch("/v1/networks/nowhere", {{"seat", "Kemi"}}).status, 404u);
  Answer null_region = patch(path, {{"region", nullptr}});
  EXPECT_EQ(null_region.status, 422u);
  EXPECT_EQ(null_region.json.at("errors").at(0).at("field"), "/region");
  EXPECT_EQ(patch(path, {{"name", {{"xx", "?"}}}}).status, 422u);
  EXPECT_EQ(patch(path, {{"seat", "Kemi"}}, {}, {{"Content-Type", "text/plain"}}).status, 415u);
  const std::int64_t v = version(path);
  const std::string stale_tag = "\"" + std::to_string(v + 7) + "\"";
  Answer stale = patch(path, {{"seat", "Kemi"}}, {},
                       {{"Content-Type", "application/merge-patch+json"}, {"If-Match", stale_tag}});
  EXPECT_EQ(stale.status, 412u);
  EXPECT_EQ(stale.header("ETag"), "\"" + std::to_string(v) + "\"");
  Answer fresh = patch(path, {{"seat", "Kemi"}}, {},
                       {{"Content-Type", "application/merge-patch+json"},
                        {"If-Match", "\"" + std::to_string(v) + "\""}});
  ASSERT_EQ(fresh.status, 200u) << fresh.body;
  EXPECT_EQ(fresh.num("version"), v + 1);
}

TEST_F(Corrections, APatchWithAnIdempotencyKeyIsAnsweredOnceAndRecordedOnce) {
  const Headers key{{"Content-Type", "application/merge-patch+json"}, {"Idempotency-Key", "fix-1"}};
  Answer first = patch("/v1/networks/north", {{"seat", "Oulu"}}, {}, key);
  ASSERT_EQ(first.status, 200u) << first.body;
  const std::int64_t head = server_->log_position();
  Answer again = patch("/v1/networks/north", {{"seat", "Oulu"}}, {}, key);
  EXPECT_EQ(again.status, 200u);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(server_->log_position(), head);
  EXPECT_EQ(patch("/v1/networks/north", {{"seat", "Kemi"}}, {}, key).status, 422u);
}

TEST_F(Corrections, PatchAMemberShowsTheNewValueNowAndTheOldOneAsKnownBefore) {
  const std::string id = join("Aino Before", "aino.b4f.before@example.org");
  const std::string path = "/v1/networks/north/members/" + id;
  const std::string before_fix = json::value_to<std::string>(
      member(id).at("joined_recorded_at"));  // an instant after the join, before the fix
  Answer a = patch(path,
                   {{"email", "aino.a7t.after@example.org"},
                    {"phone", nullptr},
                    {"title", nullptr},
                    {"sector", "ngo"},
                    {"reason", "new address"}},
                   Auth::bearer(*coordinator_));
  ASSERT_EQ(a.status, 200u) << a.body;
  EXPECT_EQ(a.str("member_id"), id);
  const json::object now = member(id);
  EXPECT_EQ(now.at("email"), "aino.a7t.after@example.org");
  EXPECT_TRUE(now.at("phone").is_null());
  EXPECT_TRUE(now.at("title").is_null());
  EXPECT_EQ(now.at("sector"), "ngo");
  const json::object then = member(id, "?known_at=" + before_fix);
  EXPECT_EQ(then.at("email"), "aino.b4f.before@example.org");
  EXPECT_EQ(then.at("phone"), "+358 40 765 4321");
  EXPECT_EQ(then.at("sector"), "police");
  // The history holds both: the join with the old e-mail, the change with the new.
  auto joined = history("MemberJoined", id);
  auto changed = history("MemberDetailsChanged", id);
  ASSERT_EQ(joined.size(), 1u);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(joined[0].at("payload").at("email"), "aino.b4f.before@example.org");
  EXPECT_EQ(changed[0].at("payload").at("email"), "aino.a7t.after@example.org");
  EXPECT_EQ(changed[0].at("payload").at("reason"), "new address");
  // An auditor sees the same events without the personal fields.
  auto hidden = history("MemberDetailsChanged", id, Auth::bearer(*auditor_));
  ASSERT_EQ(hidden.size(), 1u);
  EXPECT_TRUE(hidden[0].at("payload").at("email").is_null());
  EXPECT_EQ(hidden[0].at("payload").at("sector"), "ngo");
}

TEST_F(Corrections, PatchAMemberRefusesWhatItMust) {
  const std::string id = join("Eero Refused", "eero.r3f.refused@example.org");
  const std::string path = "/v1/networks/north/members/" + id;
  EXPECT_EQ(patch(path, {{"title", "Chief"}}, Auth::bearer(*other_)).status, 403u);
  EXPECT_EQ(patch(path, {{"title", "Chief"}}, Auth::bearer(*analyst_)).status, 403u);
  EXPECT_EQ(patch(path, {{"title", "Chief"}}, Auth::bearer(*auditor_)).status, 403u);
  EXPECT_EQ(
      patch("/v1/networks/north/members/0b3c2c8e-8f1d-4a57-9c2e-1f4b7d905f0c", {{"title", "Chief"}})
          .status,
      404u);
  const std::int64_t head = server_->log_position();
  Answer empty = patch(path, json::object{});
  EXPECT_EQ(empty.status, 422u);
  EXPECT_EQ(empty.json.at("type"), "urn:ikv:problem:nothing_to_change");
  EXPECT_EQ(patch(path, {{"reason", "just because"}}).status, 422u);
  Answer null_name = patch(path, {{"name", nullptr}, {"email", "bad"}});
  EXPECT_EQ(null_name.status, 422u);
  EXPECT_EQ(null_name.json.at("errors").at(0).at("field"), "/name");
  EXPECT_EQ(patch(path, {{"title", "Senior Constable"}}).status, 200u);  // no change
  EXPECT_EQ(server_->log_position(), head);
  join("Eeva Taken", "eeva.t6k.taken@example.org");
  Answer taken = patch(path, {{"email", "EEVA.t6k.taken@example.org"}});
  EXPECT_EQ(taken.status, 409u);
  EXPECT_EQ(taken.json.at("type"), "urn:ikv:problem:email_taken");
  EXPECT_EQ(patch(path, {{"title", "Chief"}}, {},
                  {{"Content-Type", "application/merge-patch+json"}, {"If-Match", "\"9999\""}})
                .status,
            412u);
  ASSERT_EQ(server_->call("DELETE", path).status, 200u);
  Answer left = patch(path, {{"title", "Chief"}});
  EXPECT_EQ(left.status, 409u);
  EXPECT_EQ(left.json.at("type"), "urn:ikv:problem:member_already_left");
}

TEST_F(Corrections, ErasureMakesTheCorrectedPersonalDataUnreadable) {
  const std::string id = join("Ilona Erased", "ilona.e5r.first@example.org");
  ASSERT_EQ(
      patch("/v1/networks/north/members/" + id, {{"email", "ilona.e5r.second@example.org"}}).status,
      200u);
  ASSERT_EQ(server_->call("DELETE", "/v1/people/" + id + "/personal-data").status, 200u);
  for (const auto& e : history("MemberJoined", id)) {
    EXPECT_TRUE(e.at("payload").at("email").is_null());
  }
  auto changed = history("MemberDetailsChanged", id);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_TRUE(changed[0].at("payload").at("email").is_null());
  EXPECT_EQ(changed[0].at("payload").at("erased"), true);
  EXPECT_TRUE(member(id).at("email").is_null());
  EXPECT_TRUE(files_containing(suite_->dir.sub("data"), "ilona.e5r.second@example.org").empty());
}

TEST_F(Corrections, ARetractedObservationStaysListedAndLeavesTheTrends) {
  const json::value obs = {{"theme", "forced_marriage"}, {"observed_on", "2023-03-03"}};
  Answer o = post("/v1/networks/north/observations", obs);
  ASSERT_EQ(o.status, 200u) << o.body;
  const std::string path =
      "/v1/networks/north/observations/" + o.str("observation_id") + "/retract";
  const std::string trends = "/v1/reports/trends?from=2023-03-01&to=2023-03-31&network=north";
  Answer counted = server_->call("GET", trends);
  ASSERT_EQ(counted.status, 200u);
  EXPECT_EQ(counted.json.at("periods").at(0).at("observations").at("forced_marriage"), 1);

  EXPECT_EQ(post(path, {{"reason", "x"}}, Auth::bearer(*other_)).status, 403u);
  EXPECT_EQ(post(path, {{"reason", "x"}}, Auth::bearer(*analyst_)).status, 403u);
  EXPECT_EQ(post(path, {{"reason", "x"}}, Auth::bearer(*auditor_)).status, 403u);
  EXPECT_EQ(post(path, json::object{}).status, 422u);
  EXPECT_EQ(post("/v1/networks/south/observations/" + o.str("observation_id") + "/retract",
                 {{"reason", "x"}})
                .status,
            404u);
  Answer r = post(path, {{"reason", "recorded twice"}}, Auth::bearer(*coordinator_));
  ASSERT_EQ(r.status, 200u) << r.body;
  const std::int64_t head = server_->log_position();
  EXPECT_EQ(post(path, {{"reason", "again"}}).status, 200u);
  EXPECT_EQ(server_->log_position(), head);

  Answer list =
      server_->call("GET", "/v1/networks/north/observations?from=2023-03-01&to=2023-03-31");
  ASSERT_EQ(list.status, 200u);
  ASSERT_EQ(list.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(list.json.at("items").at(0).at("retracted"), true);
  EXPECT_EQ(list.json.at("items").at(0).at("retraction_reason"), "recorded twice");
  Answer after = server_->call("GET", trends);
  EXPECT_TRUE(after.json.at("periods").as_array().empty()) << after.body;
}

TEST_F(Corrections, AnAmendedMeetingMovesInTheTrendsAndOnlyAHeldOneCanBeAmended) {
  const json::value plan = {
      {"scheduled_for", "2023-05-10"}, {"format", "remote"}, {"location", "Teams"}};
  Answer m = post("/v1/networks/north/meetings", plan);
  ASSERT_EQ(m.status, 201u) << m.body;
  const std::string mid = "/v1/meetings/" + m.str("meeting_id");
  const json::value amend = {{"held_on", "2023-06-01"}, {"reason", "wrong month"}};
  Answer planned = post(mid + "/amend", amend);
  EXPECT_EQ(planned.status, 409u);
  EXPECT_EQ(planned.json.at("type"), "urn:ikv:problem:meeting_not_held");
  EXPECT_EQ(planned.header("Content-Type"), "application/problem+json");
  ASSERT_EQ(post(mid + "/record",
                 {{"held_on", "2023-05-10"}, {"attendee_count", 7}, {"themes", {"forced_labour"}}})
                .status,
            200u);
  EXPECT_EQ(post(mid + "/amend", amend, Auth::bearer(*other_)).status, 403u);
  EXPECT_EQ(post(mid + "/amend", amend, Auth::bearer(*analyst_)).status, 403u);
  EXPECT_EQ(post(mid + "/amend", {{"held_on", "2023-06-01"}}).status, 422u);
  EXPECT_EQ(post(mid + "/amend", {{"themes", {"alchemy"}}, {"reason", "x"}}).status, 422u);
  EXPECT_EQ(post("/v1/meetings/0b3c2c8e-8f1d-4a57-9c2e-1f4b7d905f0c/amend", amend).status, 404u);
  EXPECT_EQ(post(mid + "/amend", amend, {}, {{"If-Match", "\"1\""}}).status, 412u);
  Answer ok =
      post(mid + "/amend",
           {{"held_on", "2023-06-01"}, {"themes", {"seasonal_work"}}, {"reason", "wrong month"}},
           Auth::bearer(*coordinator_));
  ASSERT_EQ(ok.status, 200u) << ok.body;
  Answer meeting = server_->call("GET", mid);
  EXPECT_EQ(meeting.json.at("held_on"), "2023-06-01");
  EXPECT_EQ(meeting.json.at("history").as_array().back().at("type"), "MeetingRecordAmended");
  Answer trends = server_->call(
      "GET", "/v1/reports/trends?from=2023-05-01&to=2023-06-30&network=north&granularity=month");
  ASSERT_EQ(trends.status, 200u);
  const auto& periods = trends.json.at("periods").as_array();
  ASSERT_EQ(periods.size(), 1u) << trends.body;
  EXPECT_EQ(periods[0].at("period"), "2023-06");
  EXPECT_EQ(periods[0].at("meeting_themes"), (json::object{{"seasonal_work", 1}}));

  Answer other = post("/v1/networks/north/meetings", plan);
  const std::string oid = "/v1/meetings/" + other.str("meeting_id");
  ASSERT_EQ(server_->call("POST", oid + "/cancel").status, 200u);
  Answer cancelled = post(oid + "/amend", amend);
  EXPECT_EQ(cancelled.status, 409u);
  EXPECT_EQ(cancelled.json.at("type"), "urn:ikv:problem:meeting_cancelled");
}

}  // namespace
}  // namespace ikv::e2e
