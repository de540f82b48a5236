// Every status of API.md's conventions, over a socket against the real binary,
// and the problem+json shape of every error.
#include <gtest/gtest.h>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

namespace json = boost::json;

// One server (empty registry) for the whole suite; each test uses its own network.
class Statuses : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    server_ = E2eServer::start(dir_->sub("data")).release();
  }
  static void TearDownTestSuite() {
    if (server_ != nullptr) {
      const auto exit = server_->stop();
      EXPECT_TRUE(exit.exited && exit.code == 0) << "signal " << exit.signal;
    }
    delete server_;
    delete dir_;
    server_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(server_, nullptr); }

  // Establishes network `id`; returns its answer.
  static Answer establish(std::string_view id) {
    return server_->call("POST", "/v1/networks", network_body(id));
  }

  // The problem+json shape of API.md.
  static void expect_problem(const Answer& a, unsigned status) {
    EXPECT_EQ(a.status, status) << a.body;
    EXPECT_EQ(a.header("Content-Type"), "application/problem+json") << a.body;
    ASSERT_TRUE(a.json.is_object()) << a.body;
    const auto& o = a.json.as_object();
    ASSERT_TRUE(o.contains("type") && o.at("type").is_string()) << a.body;
    ASSERT_TRUE(o.contains("title") && o.at("title").is_string()) << a.body;
    EXPECT_FALSE(o.at("title").as_string().empty());
    ASSERT_TRUE(o.contains("status")) << a.body;
    EXPECT_EQ(o.at("status").to_number<unsigned>(), status);
    ASSERT_TRUE(o.contains("detail") && o.at("detail").is_string()) << a.body;
    EXPECT_TRUE(a.has_header("X-Request-Id"));
  }

  // A 422 problem with an error naming `field`.
  static void expect_field_error(const Answer& a, std::string_view field) {
    expect_problem(a, 422);
    const auto* errors = a.json.as_object().if_contains("errors");
    ASSERT_NE(errors, nullptr) << a.body;
    ASSERT_TRUE(errors->is_array()) << a.body;
    bool found = false;
    for (const auto& e : errors->as_array()) {
      ASSERT_TRUE(e.is_object()) << a.body;
      ASSERT_TRUE(e.as_object().contains("field") && e.as_object().contains("message")) << a.body;
      EXPECT_TRUE(e.as_object().at("message").is_string());
      found = found || e.as_object().at("field") == json::value(field);
    }
    EXPECT_TRUE(found) << "no error for " << field << " in " << a.body;
  }

  static TempDir* dir_;
  static E2eServer* server_;
};

TempDir* Statuses::dir_ = nullptr;
E2eServer* Statuses::server_ = nullptr;

TEST_F(Statuses, CreatedHasLocationAndCommandAnswer) {
  Answer a = establish("created-net");
  ASSERT_EQ(a.status, 201u) << a.body;
  EXPECT_EQ(a.header("Location"), "/v1/networks/created-net");
  EXPECT_EQ(a.header("Content-Type"), "application/json");
  EXPECT_EQ(a.str("id"), "created-net");
  EXPECT_EQ(a.num("version"), 1);
  EXPECT_GE(a.num("position"), 1);
  EXPECT_EQ(a.num("position"), server_->log_position());
}

TEST_F(Statuses, ReadHasETagOfTheStreamVersion) {
  ASSERT_EQ(establish("etag-net").status, 201u);
  Answer m = server_->call("POST", "/v1/networks/etag-net/members",
                           member_body("Aino Virtanen", "aino.etag@example.org"));
  ASSERT_EQ(m.status, 201u) << m.body;
  EXPECT_EQ(m.header("Location"), "/v1/networks/etag-net/members/" + m.str("member_id"));
  Answer g = server_->call("GET", "/v1/networks/etag-net");
  ASSERT_EQ(g.status, 200u) << g.body;
  EXPECT_EQ(g.header("ETag"), "\"2\"");
  EXPECT_EQ(g.num("version"), 2);
  EXPECT_EQ(g.num("member_count"), 1);
}

TEST_F(Statuses, MalformedJsonIs400) {
  const auto before = server_->log_position();
  expect_problem(server_->call("POST", "/v1/networks", R"({"id": "x",)"), 400);
  expect_problem(server_->call("POST", "/v1/networks", "{\"id\": \"\xff\xfe\"}"), 400);
  EXPECT_EQ(server_->log_position(), before);
}

TEST_F(Statuses, MissingOrBadTokenIs401WithBearerChallenge) {
  for (const Auth& auth : {Auth::none(), Auth::bearer("not-a-token"), Auth::bearer("")}) {
    Answer a = server_->call("GET", "/v1/networks", {}, {}, auth);
    expect_problem(a, 401);
    EXPECT_TRUE(a.header("WWW-Authenticate").starts_with("Bearer")) << a.header("WWW-Authenticate");
  }
  Answer basic =
      server_->call("GET", "/v1/networks", {}, {{"Authorization", "Basic YTpi"}}, Auth::none());
  expect_problem(basic, 401);
  EXPECT_TRUE(basic.header("WWW-Authenticate").starts_with("Bearer"));
}

TEST_F(Statuses, WrongRoleIs403AndAppendsNothing) {
  const std::string analyst = issue_token(*server_, "status-analyst", "analyst");
  const auto before = server_->log_position();
  expect_problem(
      server_->call("POST", "/v1/networks", network_body("analyst-net"), {}, Auth::bearer(analyst)),
      403);
  expect_problem(server_->call("GET", "/v1/tokens", {}, {}, Auth::bearer(analyst)), 403);
  EXPECT_EQ(server_->log_position(), before);
}

TEST_F(Statuses, UnknownResourceIs404) {
  expect_problem(server_->call("GET", "/v1/networks/no-such-net"), 404);
  expect_problem(server_->call("GET", "/v1/meetings/0b3c2c8e-8f1d-4a57-9c2e-1f4b7d905f0c"), 404);
  expect_problem(server_->call("GET", "/v1/no-such-collection"), 404);
  expect_problem(server_->call("POST", "/v1/networks/no-such-net/members",
                               member_body("Ghost", "ghost@example.org")),
                 404);
  expect_problem(
      server_->call("DELETE", "/v1/people/0b3c2c8e-8f1d-4a57-9c2e-1f4b7d905f0c/personal-data"),
      404);
}

TEST_F(Statuses, WrongMethodIs405WithAllow) {
  Answer a = server_->call("PUT", "/v1/networks", network_body("put-net"));
  expect_problem(a, 405);
  const std::string allow = a.header("Allow");
  EXPECT_NE(allow.find("GET"), std::string::npos) << allow;
  EXPECT_NE(allow.find("POST"), std::string::npos) << allow;
  Answer d = server_->call("DELETE", "/v1/networks/etag-net");
  expect_problem(d, 405);
  EXPECT_NE(d.header("Allow").find("GET"), std::string::npos);
}

TEST_F(Statuses, BusinessConflictsAre409) {
  ASSERT_EQ(establish("conflict-net").status, 201u);
  expect_problem(establish("conflict-net"), 409);
  ASSERT_EQ(server_
                ->call("POST", "/v1/networks/conflict-net/members",
                       member_body("Aino Virtanen", "aino.taken@example.org"))
                .status,
            201u);
  const auto before = server_->log_position();
  // The same person (e-mail compared case-insensitively) joins again.
  expect_problem(server_->call("POST", "/v1/networks/conflict-net/members",
                               member_body("Aino V.", "AINO.Taken@Example.org")),
                 409);
  // Token names are unique.
  issue_token(*server_, "unique-name", "auditor");
  const auto tokens_before = server_->log_position();
  expect_problem(
      server_->call("POST", "/v1/tokens", body({{"name", "unique-name"}, {"role", "analyst"}})),
      409);
  EXPECT_EQ(server_->log_position(), tokens_before);
  EXPECT_GT(tokens_before, before);
}

TEST_F(Statuses, IfMatchMismatchIs412AndAppendsNothing) {
  ASSERT_EQ(establish("ifmatch-net").status, 201u);
  Answer g = server_->call("GET", "/v1/networks/ifmatch-net");
  ASSERT_EQ(g.header("ETag"), "\"1\"");
  const auto before = server_->log_position();
  Answer stale =
      server_->call("POST", "/v1/networks/ifmatch-net/members",
                    member_body("Eero Mäkinen", "eero@example.org"), {{"If-Match", "\"7\""}});
  expect_problem(stale, 412);
  EXPECT_EQ(server_->log_position(), before);
  Answer fresh = server_->call("POST", "/v1/networks/ifmatch-net/members",
                               member_body("Eero Mäkinen", "eero@example.org"),
                               {{"If-Match", g.header("ETag")}});
  EXPECT_EQ(fresh.status, 201u) << fresh.body;
  EXPECT_EQ(fresh.num("version"), 2);
  // A meeting's commands match the meeting's stream.
  Answer meeting = server_->call(
      "POST", "/v1/networks/ifmatch-net/meetings",
      body({{"scheduled_for", "2024-10-15"}, {"format", "remote"}, {"location", "Teams"}}),
      {{"If-Match", "\"2\""}});
  ASSERT_EQ(meeting.status, 201u) << meeting.body;
  const std::string mid = meeting.str("meeting_id");
  Answer mg = server_->call("GET", "/v1/meetings/" + mid);
  EXPECT_EQ(mg.header("ETag"), "\"1\"");
  expect_problem(
      server_->call("POST", "/v1/meetings/" + mid + "/cancel", "", {{"If-Match", "\"5\""}}), 412);
  expect_problem(
      server_->call(
          "POST", "/v1/networks/ifmatch-net/meetings",
          body({{"scheduled_for", "2024-10-16"}, {"format", "remote"}, {"location", "Teams"}}),
          {{"If-Match", "\"1\""}}),
      412);
}

TEST_F(Statuses, OversizeBodyIs413) {
  const auto before = server_->log_position();
  std::string big = R"({"id": "big-net", "region": ")" + std::string(1100 * 1024, 'a') + "\"}";
  Answer a = server_->call("POST", "/v1/networks", big);
  expect_problem(a, 413);
  EXPECT_EQ(server_->log_position(), before);
  // The server keeps serving.
  EXPECT_EQ(server_->call("GET", "/livez", {}, {}, Auth::none()).status, 200u);
}

TEST_F(Statuses, BodyThatIsNotJsonIs415) {
  Answer a = server_->call("POST", "/v1/networks", network_body("text-net"),
                           {{"Content-Type", "text/plain"}});
  expect_problem(a, 415);
  EXPECT_EQ(server_->call("GET", "/v1/networks/text-net").status, 404u);
}

TEST_F(Statuses, InvalidBodiesAre422WithFieldPointers) {
  ASSERT_EQ(establish("valid-net").status, 201u);
  const auto before = server_->log_position();
  json::value unknown = json::parse(member_body("Liisa Korhonen", "liisa@example.org"));
  unknown.as_object()["shoe_size"] = 42;
  expect_field_error(server_->call("POST", "/v1/networks/valid-net/members", body(unknown)),
                     "/shoe_size");

  json::value wrong_type = json::parse(member_body("Liisa Korhonen", "liisa@example.org"));
  wrong_type.as_object()["joined_on"] = 20240201;
  expect_field_error(server_->call("POST", "/v1/networks/valid-net/members", body(wrong_type)),
                     "/joined_on");

  json::value bad_date = json::parse(member_body("Liisa Korhonen", "liisa@example.org"));
  bad_date.as_object()["joined_on"] = "2024-02-30";
  expect_field_error(server_->call("POST", "/v1/networks/valid-net/members", body(bad_date)),
                     "/joined_on");

  expect_field_error(server_->call("POST", "/v1/networks/valid-net/members",
                                   member_body("Liisa Korhonen", "liisa@example.org", "polis")),
                     "/sector");

  json::value missing = json::parse(network_body("missing-net"));
  missing.as_object()["name"].as_object().erase("sv");
  expect_field_error(server_->call("POST", "/v1/networks", body(missing)), "/name/sv");

  expect_problem(server_->call("POST", "/v1/networks", "[1, 2]"), 422);
  EXPECT_EQ(server_->log_position(), before);
}

TEST_F(Statuses, InvalidQueryParametersAre422) {
  expect_field_error(server_->call("GET", "/v1/meetings?from=2024-05-01&to=2024-04-01"), "from");
  expect_field_error(server_->call("GET", "/v1/meetings?from=2024-02-30"), "from");
  expect_field_error(server_->call("GET", "/v1/networks?limit=0"), "limit");
  expect_field_error(server_->call("GET", "/v1/networks?limit=1001"), "limit");
  expect_field_error(server_->call("GET", "/v1/networks?colour=red"), "colour");
  ASSERT_EQ(establish("query-net").status, 201u);
  expect_field_error(
      server_->call("GET", "/v1/networks/query-net/observations?from=2024-06-01&to=2024-01-01"),
      "from");
  expect_field_error(server_->call("GET", "/v1/networks/query-net/members?known_at=yesterday"),
                     "known_at");
}

TEST_F(Statuses, RequestIdIsEchoedOrMade) {
  Answer echoed = server_->call("GET", "/v1/networks", {}, {{"X-Request-Id", "trace-4711"}});
  EXPECT_EQ(echoed.header("X-Request-Id"), "trace-4711");
  Answer error = server_->call("GET", "/v1/networks/none", {}, {{"X-Request-Id", "trace-4712"}});
  EXPECT_EQ(error.header("X-Request-Id"), "trace-4712");
  Answer unauthorised =
      server_->call("GET", "/v1/networks", {}, {{"X-Request-Id", "trace-4713"}}, Auth::none());
  EXPECT_EQ(unauthorised.header("X-Request-Id"), "trace-4713");
  Answer made = server_->call("GET", "/livez", {}, {}, Auth::none());
  EXPECT_FALSE(made.header("X-Request-Id").empty());
}

TEST_F(Statuses, ListsPageWithCursorAndLink) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(establish("page-net-" + std::to_string(i)).status, 201u);
  Answer first = server_->call("GET", "/v1/networks?limit=2");
  ASSERT_EQ(first.status, 200u) << first.body;
  ASSERT_EQ(first.json.at("items").as_array().size(), 2u);
  ASSERT_TRUE(first.json.at("next_cursor").is_string());
  const std::string link = first.header("Link");
  ASSERT_TRUE(link.starts_with("</v1/networks?")) << link;
  ASSERT_NE(link.find("rel=\"next\""), std::string::npos);
  const std::string next = link.substr(1, link.find('>') - 1);
  std::size_t seen = 2;
  Answer page = server_->call("GET", next);
  while (true) {
    ASSERT_EQ(page.status, 200u) << page.body;
    seen += page.json.at("items").as_array().size();
    if (page.json.at("next_cursor").is_null()) {
      EXPECT_FALSE(page.has_header("Link"));
      break;
    }
    page = server_->call("GET", "/v1/networks?limit=2&cursor=" + page.str("next_cursor"));
  }
  Answer all = server_->call("GET", "/v1/networks?limit=1000");
  EXPECT_EQ(seen, all.json.at("items").as_array().size());
}

TEST_F(Statuses, PublicEndpointsNeedNoToken) {
  for (const char* path : {"/livez", "/healthz", "/readyz", "/metrics", "/openapi.yaml"}) {
    Answer a = server_->call("GET", path, {}, {}, Auth::none());
    EXPECT_EQ(a.status, 200u) << path << ": " << a.body;
  }
  Answer metrics = server_->call("GET", "/metrics", {}, {}, Auth::none());
  EXPECT_NE(metrics.body.find("ikv_events_stored"), std::string::npos);
  Answer doc = server_->call("GET", "/openapi.yaml", {}, {}, Auth::none());
  EXPECT_TRUE(doc.body.starts_with("openapi: 3.1")) << doc.body.substr(0, 40);
}

}  // namespace
}  // namespace ikv::e2e
