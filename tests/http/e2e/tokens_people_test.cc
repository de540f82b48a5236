// Tokens and data-subject requests end to end (API.md, Release 2, "Tokens" and
// "People"): expiry (401 naming it), rotation with a grace period that
// survives a restart, finding a person by e-mail across networks, everything
// held about them (and the access log entries both answers make), erasure
// with its reason and request reference in history and audit, and the roles.
#include <chrono>
#include <ctime>
#include <thread>

#include <gtest/gtest.h>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

namespace json = boost::json;
using Clock = std::chrono::system_clock;

// RFC 3339 UTC, to the second, `offset` from now.
std::string instant_from_now(std::chrono::seconds offset) {
  const std::time_t t = Clock::to_time_t(Clock::now() + offset);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

std::string detail_of(const Answer& a) {
  return a.json.is_object() && a.json.as_object().contains("detail")
             ? std::string(a.json.at("detail").as_string())
             : std::string();
}

class TokensPeople : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = E2eServer::start(dir_.sub("data"));
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    if (server_) server_->stop();
  }
  Answer get(const std::string& target, const std::string& secret) {
    return server_->call("GET", target, {}, {}, Auth::bearer(secret));
  }
  // Issues a token; returns {id, secret}.
  std::pair<std::string, std::string> issue(const json::object& o) {
    Answer a = server_->call("POST", "/v1/tokens", body(o));
    EXPECT_EQ(a.status, 201u) << a.body;
    return {a.str("id"), a.str("token")};
  }
  json::object token_row(const std::string& id) {
    Answer list = server_->call("GET", "/v1/tokens?limit=1000");
    EXPECT_EQ(list.status, 200u) << list.body;
    for (const auto& t : list.json.at("items").as_array()) {
      if (t.at("id").as_string() == id) return t.as_object();
    }
    ADD_FAILURE() << "no token " << id;
    return {};
  }

  TempDir dir_;
  std::unique_ptr<E2eServer> server_;
};

TEST_F(TokensPeople, AnExpiredTokenIsRefusedWithADetailSayingSo) {
  const std::string expires = instant_from_now(std::chrono::seconds(2));
  auto [id, secret] =
      issue({{"name", "short-lived"}, {"role", "analyst"}, {"expires_at", expires}});
  EXPECT_EQ(get("/v1/networks", secret).status, 200u);
  const json::object row = token_row(id);
  ASSERT_TRUE(row.contains("expires_at"));
  EXPECT_EQ(std::string(row.at("expires_at").as_string()).substr(0, 19), expires.substr(0, 19));
  EXPECT_TRUE(token_row(issue({{"name", "forever"}, {"role", "analyst"}}).first)
                  .at("expires_at")
                  .is_null());

  std::this_thread::sleep_for(std::chrono::milliseconds(3100));
  Answer late = get("/v1/networks", secret);
  EXPECT_EQ(late.status, 401u) << late.body;
  EXPECT_NE(detail_of(late).find("expired"), std::string::npos) << late.body;
  EXPECT_EQ(late.header("Content-Type"), "application/problem+json");
  EXPECT_TRUE(late.has_header("WWW-Authenticate"));
  // A secret that was never issued is not said to have expired.
  Answer unknown = get("/v1/networks", "ikv_never-issued");
  EXPECT_EQ(unknown.status, 401u);
  EXPECT_EQ(detail_of(unknown).find("expired"), std::string::npos) << unknown.body;
}

TEST_F(TokensPeople, AMalformedOrPastExpiryIs422) {
  for (const char* bad : {"tomorrow", "2030-02-30T00:00:00Z", "2030-01-01"}) {
    Answer a =
        server_->call("POST", "/v1/tokens",
                      body({{"name", "bad-expiry"}, {"role", "analyst"}, {"expires_at", bad}}));
    EXPECT_EQ(a.status, 422u) << bad << ": " << a.body;
    EXPECT_EQ(a.header("Content-Type"), "application/problem+json");
  }
  Answer past = server_->call(
      "POST", "/v1/tokens",
      body({{"name", "past-expiry"}, {"role", "analyst"}, {"expires_at", "2020-01-01T00:00:00Z"}}));
  EXPECT_EQ(past.status, 422u) << past.body;
  EXPECT_NE(past.body.find("/expires_at"), std::string::npos) << past.body;
  // Nothing was issued: the names are still free.
  EXPECT_EQ(
      server_->call("POST", "/v1/tokens", body({{"name", "past-expiry"}, {"role", "analyst"}}))
          .status,
      201u);
}

TEST_F(TokensPeople, ARotatedSecretKeepsWorkingForItsGraceThenIsRefused) {
  auto [id, old_secret] = issue({{"name", "rotating"}, {"role", "auditor"}});
  Answer rotated =
      server_->call("POST", "/v1/tokens/" + id + "/rotate", body({{"grace_seconds", 2}}));
  ASSERT_EQ(rotated.status, 200u) << rotated.body;
  EXPECT_EQ(rotated.str("id"), id);
  const std::string new_secret = rotated.str("token");
  ASSERT_FALSE(new_secret.empty());
  EXPECT_NE(new_secret, old_secret);
  EXPECT_EQ(get("/v1/audit/verify", new_secret).status, 200u);
  EXPECT_EQ(get("/v1/audit/verify", old_secret).status, 200u);
  // The event shows no secret hash.
  Answer events = server_->call("GET", "/v1/events?type=TokenRotated");
  ASSERT_EQ(events.status, 200u) << events.body;
  ASSERT_EQ(events.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(events.body.find("secret_hash"), std::string::npos) << events.body;

  // Durable: a restart keeps the rotation (and the grace period).
  server_->stop();
  server_ = E2eServer::start(dir_.sub("data"));
  ASSERT_NE(server_, nullptr);
  EXPECT_EQ(get("/v1/audit/verify", new_secret).status, 200u);
  std::this_thread::sleep_for(std::chrono::milliseconds(2600));
  Answer old_after = get("/v1/audit/verify", old_secret);
  EXPECT_EQ(old_after.status, 401u) << old_after.body;
  EXPECT_EQ(get("/v1/audit/verify", new_secret).status, 200u);
  server_->stop();
  server_ = E2eServer::start(dir_.sub("data"));
  ASSERT_NE(server_, nullptr);
  EXPECT_EQ(get("/v1/audit/verify", old_secret).status, 401u);
  EXPECT_EQ(get("/v1/audit/verify", new_secret).status, 200u);
}

TEST_F(TokensPeople, RotationWithTheDefaultGraceAndItsRefusals) {
  auto [id, old_secret] = issue({{"name", "rot-default"}, {"role", "analyst"}});
  Answer rotated = server_->call("POST", "/v1/tokens/" + id + "/rotate");
  ASSERT_EQ(rotated.status, 200u) << rotated.body;
  EXPECT_EQ(get("/v1/networks", old_secret).status, 200u);  // within the 300 s grace

  for (const char* grace : {R"({"grace_seconds":86401})", R"({"grace_seconds":-1})",
                            R"({"grace_seconds":"300"})", R"({"grace":5})"}) {
    Answer a = server_->call("POST", "/v1/tokens/" + id + "/rotate", grace);
    EXPECT_EQ(a.status, 422u) << grace << ": " << a.body;
    EXPECT_EQ(a.header("Content-Type"), "application/problem+json");
  }
  EXPECT_EQ(server_->call("POST", "/v1/tokens/no-such-token/rotate").status, 404u);
  Answer by_analyst = server_->call("POST", "/v1/tokens/" + id + "/rotate", {}, {},
                                    Auth::bearer(rotated.str("token")));
  EXPECT_EQ(by_analyst.status, 403u) << by_analyst.body;

  ASSERT_EQ(server_->call("DELETE", "/v1/tokens/" + id).status, 200u);
  Answer revoked = server_->call("POST", "/v1/tokens/" + id + "/rotate");
  EXPECT_EQ(revoked.status, 409u) << revoked.body;
  EXPECT_EQ(revoked.header("Content-Type"), "application/problem+json");
  // Revoking ends the previous secret's grace too.
  EXPECT_EQ(get("/v1/networks", old_secret).status, 401u);
}

class People : public TokensPeople {
 protected:
  void SetUp() override {
    TokensPeople::SetUp();
    ASSERT_NE(server_, nullptr);
    for (const char* n : {"turku", "oulu"}) {
      ASSERT_EQ(server_->call("POST", "/v1/networks", network_body(n)).status, 201u);
    }
    Answer a = server_->call("POST", "/v1/networks/turku/members",
                             member_body("Ilona Dsr", "Ilona.Dsr@Example.org"));
    ASSERT_EQ(a.status, 201u) << a.body;
    turku_ = a.str("member_id");
    a = server_->call("POST", "/v1/networks/oulu/members",
                      member_body("Ilona Dsr", "ilona.dsr@example.ORG"));
    ASSERT_EQ(a.status, 201u) << a.body;
    oulu_ = a.str("member_id");
    a = server_->call("POST", "/v1/networks/oulu/members",
                      member_body("Someone Else", "else@example.org"));
    ASSERT_EQ(a.status, 201u) << a.body;
    a = server_->call(
        "POST", "/v1/networks/oulu/meetings",
        body({{"scheduled_for", "2024-03-01"}, {"format", "remote"}, {"location", "Teams"}}));
    ASSERT_EQ(a.status, 201u) << a.body;
    meeting_ = a.str("meeting_id");
    a = server_->call("POST", "/v1/meetings/" + meeting_ + "/record",
                      body({{"held_on", "2024-03-01"}, {"attendees", json::array{oulu_}}}));
    ASSERT_EQ(a.status, 200u) << a.body;
  }

  std::string turku_;
  std::string oulu_;
  std::string meeting_;
};

TEST_F(People, FindsEveryRecordOfAnEmailCaseInsensitivelyAcrossNetworks) {
  Answer a = server_->call("GET", "/v1/people?email=%20ILONA.DSR%40EXAMPLE.ORG");
  ASSERT_EQ(a.status, 200u) << a.body;
  const auto& items = a.json.at("items").as_array();
  ASSERT_EQ(items.size(), 2u) << a.body;
  EXPECT_EQ(items[0].at("network").as_string(), "oulu");
  EXPECT_EQ(items[0].at("member_id").as_string(), oulu_);
  EXPECT_EQ(items[1].at("network").as_string(), "turku");
  EXPECT_EQ(items[1].at("member_id").as_string(), turku_);
  EXPECT_EQ(items[1].at("joined_on").as_string(), "2024-02-01");
  EXPECT_TRUE(items[1].at("left_on").is_null());
  EXPECT_FALSE(items[1].at("erased").as_bool());

  Answer none = server_->call("GET", "/v1/people?email=nobody%40example.org");
  ASSERT_EQ(none.status, 200u);
  EXPECT_TRUE(none.json.at("items").as_array().empty());
  EXPECT_EQ(server_->call("GET", "/v1/people").status, 422u);
  EXPECT_EQ(server_->call("GET", "/v1/people?email=").status, 422u);
  EXPECT_EQ(server_->call("GET", "/v1/people?email=a%40b.fi&extra=1").status, 422u);
}

TEST_F(People, ShowsEverythingHeldAboutAPerson) {
  ASSERT_EQ(server_->call("DELETE", "/v1/networks/turku/members/" + turku_ + "?left_on=2024-06-01")
                .status,
            200u);
  Answer a = server_->call("GET", "/v1/people/" + oulu_);
  ASSERT_EQ(a.status, 200u) << a.body;
  EXPECT_EQ(a.str("member_id"), oulu_);
  EXPECT_EQ(a.str("network"), "oulu");
  EXPECT_EQ(a.str("name"), "Ilona Dsr");
  EXPECT_EQ(a.str("email"), "ilona.dsr@example.ORG");
  EXPECT_FALSE(a.json.at("erased").as_bool());
  const auto& memberships = a.json.at("memberships").as_array();
  ASSERT_EQ(memberships.size(), 2u) << a.body;
  EXPECT_EQ(memberships[1].at("left_on").as_string(), "2024-06-01");
  const auto& meetings = a.json.at("meetings_attended").as_array();
  ASSERT_EQ(meetings.size(), 1u) << a.body;
  EXPECT_EQ(meetings[0].at("meeting_id").as_string(), meeting_);
  EXPECT_EQ(meetings[0].at("held_on").as_string(), "2024-03-01");
  // Their events, decrypted, in log order: two joins, the meeting record, the leave.
  std::vector<std::string> types;
  std::int64_t last = 0;
  for (const auto& e : a.json.at("events").as_array()) {
    types.emplace_back(e.at("type").as_string());
    EXPECT_GT(e.at("position").to_number<std::int64_t>(), last);
    last = e.at("position").to_number<std::int64_t>();
    EXPECT_TRUE(e.as_object().contains("hash"));
  }
  EXPECT_EQ(types,
            (std::vector<std::string>{"MemberJoined", "MemberJoined", "MeetingHeld", "MemberLeft"}))
      << a.body;
  EXPECT_NE(a.body.find("Ilona.Dsr@Example.org"), std::string::npos);
  EXPECT_EQ(a.body.find("else@example.org"), std::string::npos) << "another person's data";

  EXPECT_EQ(server_->call("GET", "/v1/people/no-such-member").status, 404u);
  EXPECT_EQ(server_->call("GET", "/v1/people/" + oulu_ + "?x=1").status, 422u);
}

TEST_F(People, BothAnswersAreInTheAccessLog) {
  ASSERT_EQ(server_->call("GET", "/v1/people?email=ilona.dsr%40example.org").status, 200u);
  ASSERT_EQ(server_->call("GET", "/v1/people/" + turku_).status, 200u);
  Answer log = server_->call("GET", "/v1/audit/access?limit=1000");
  ASSERT_EQ(log.status, 200u) << log.body;
  int find_entries = 0;
  int detail_entries = 0;
  for (const auto& e : log.json.at("items").as_array()) {
    if (e.at("route").as_string() == "/v1/people") ++find_entries;
    if (e.at("route").as_string() == "/v1/people/{member_id}") ++detail_entries;
  }
  EXPECT_EQ(find_entries, 2) << log.body;  // one entry per network
  EXPECT_EQ(detail_entries, 2) << log.body;
  // The searched address is never recorded.
  EXPECT_EQ(log.body.find("ilona"), std::string::npos) << log.body;
  EXPECT_EQ(log.body.find("Ilona"), std::string::npos) << log.body;
}

TEST_F(People, OnlyAnAdminMayAsk) {
  const std::string coordinator = issue_token(*server_, "coord-all", "coordinator");
  const std::string auditor = issue_token(*server_, "auditor-1", "auditor");
  const std::string analyst = issue_token(*server_, "analyst-1", "analyst");
  for (const std::string& secret : {coordinator, auditor, analyst}) {
    EXPECT_EQ(get("/v1/people?email=ilona.dsr%40example.org", secret).status, 403u);
    EXPECT_EQ(get("/v1/people/" + oulu_, secret).status, 403u);
    EXPECT_EQ(
        server_
            ->call("DELETE", "/v1/people/" + oulu_ + "/personal-data", {}, {}, Auth::bearer(secret))
            .status,
        403u);
  }
  EXPECT_EQ(server_->call("GET", "/v1/people/" + oulu_, {}, {}, Auth::none()).status, 401u);
}

TEST_F(People, AnErasureRecordsItsReasonAndRequestReference) {
  Answer erased =
      server_->call("DELETE", "/v1/people/" + turku_ + "/personal-data",
                    body({{"reason", "data-subject request"}, {"request_ref", "DSR-2024-017"}}));
  ASSERT_EQ(erased.status, 200u) << erased.body;
  Answer q = server_->call("DELETE", "/v1/people/" + oulu_ +
                                         "/personal-data?reason=left%20the%20field"
                                         "&request_ref=DSR-2024-018");
  ASSERT_EQ(q.status, 200u) << q.body;

  Answer history = server_->call("GET", "/v1/networks/turku/history");
  ASSERT_EQ(history.status, 200u) << history.body;
  const auto& items = history.json.at("items").as_array();
  const auto& last = items.back().as_object();
  EXPECT_EQ(last.at("type").as_string(), "PersonalDataErased");
  EXPECT_EQ(last.at("payload").at("reason").as_string(), "data-subject request");
  EXPECT_EQ(last.at("payload").at("request_ref").as_string(), "DSR-2024-017");

  Answer audit = server_->call("GET", "/v1/audit?type=PersonalDataErased");
  ASSERT_EQ(audit.status, 200u) << audit.body;
  ASSERT_EQ(audit.json.at("items").as_array().size(), 2u) << audit.body;
  const auto& second = audit.json.at("items").as_array()[1].at("payload");
  EXPECT_EQ(second.at("reason").as_string(), "left the field");
  EXPECT_EQ(second.at("request_ref").as_string(), "DSR-2024-018");

  // An erased person is found no more, and their detail has no personal field left.
  Answer found = server_->call("GET", "/v1/people?email=ilona.dsr%40example.org");
  EXPECT_TRUE(found.json.at("items").as_array().empty()) << found.body;
  Answer detail = server_->call("GET", "/v1/people/" + turku_);
  ASSERT_EQ(detail.status, 200u) << detail.body;
  EXPECT_TRUE(detail.json.at("erased").as_bool());
  EXPECT_TRUE(detail.json.at("email").is_null());
  EXPECT_EQ(detail.body.find("Ilona"), std::string::npos) << detail.body;

  Answer unknown_field =
      server_->call("DELETE", "/v1/people/" + turku_ + "/personal-data", body({{"why", "x"}}));
  EXPECT_EQ(unknown_field.status, 422u) << unknown_field.body;
  Answer long_ref = server_->call("DELETE", "/v1/people/" + turku_ + "/personal-data",
                                  body({{"request_ref", std::string(201, 'x')}}));
  EXPECT_EQ(long_ref.status, 422u) << long_ref.body;
}

}  // namespace
}  // namespace ikv::e2e
