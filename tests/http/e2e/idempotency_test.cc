// Idempotency-Key over the wire: a retry gets the first answer and appends
// nothing, also after a restart; another body under the same key is 422.
#include <gtest/gtest.h>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

namespace json = boost::json;

void expect_same_answer(const Answer& first, const Answer& again) {
  EXPECT_EQ(again.status, first.status) << again.body;
  EXPECT_EQ(again.json, first.json) << first.body << "\n" << again.body;
  EXPECT_EQ(again.header("Location"), first.header("Location"));
}

TEST(Idempotency, SameKeySameBodyReplaysTheFirstAnswer) {
  TempDir dir;
  auto server = E2eServer::start(dir.sub("data"));
  ASSERT_TRUE(server);
  ASSERT_EQ(server->call("POST", "/v1/networks", network_body("idem")).status, 201u);
  const std::string join = member_body("Kaisa Lahtinen", "kaisa.idem@example.org");
  const Headers key{{"Idempotency-Key", "join-kaisa-1"}};
  Answer first = server->call("POST", "/v1/networks/idem/members", join, key);
  ASSERT_EQ(first.status, 201u) << first.body;
  const auto position = server->log_position();
  EXPECT_EQ(first.num("position"), position);

  Answer again = server->call("POST", "/v1/networks/idem/members", join, key);
  expect_same_answer(first, again);
  EXPECT_EQ(server->log_position(), position);
  EXPECT_EQ(server->call("GET", "/v1/networks/idem").num("member_count"), 1);

  // Another body under the same key.
  Answer other = server->call("POST", "/v1/networks/idem/members",
                              member_body("Someone Else", "else.idem@example.org"), key);
  EXPECT_EQ(other.status, 422u) << other.body;
  EXPECT_EQ(other.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(server->log_position(), position);

  // Keys are per token: another token may use the same key for its own request.
  const std::string coordinator = issue_token(*server, "idem-coord", "coordinator");
  const auto after_token = server->log_position();
  Answer theirs = server->call("POST", "/v1/networks/idem/members",
                               member_body("Third Person", "third.idem@example.org"), key,
                               Auth::bearer(coordinator));
  EXPECT_EQ(theirs.status, 201u) << theirs.body;
  EXPECT_EQ(server->log_position(), after_token + 1);

  // A command answered 200 replays too (stewardship transfer).
  const std::string transfer = body({{"steward", "Pro-tukipiste"}, {"effective_on", "2024-02-01"}});
  const Headers tkey{{"Idempotency-Key", "transfer-1"}};
  Answer t1 = server->call("POST", "/v1/networks/idem/stewardship-transfers", transfer, tkey);
  ASSERT_EQ(t1.status, 200u) << t1.body;
  const auto after_transfer = server->log_position();
  expect_same_answer(
      t1, server->call("POST", "/v1/networks/idem/stewardship-transfers", transfer, tkey));
  EXPECT_EQ(server->log_position(), after_transfer);
}

TEST(Idempotency, ReplayAfterARestartStillReturnsTheFirstAnswer) {
  TempDir dir;
  const std::string data = dir.sub("data");
  const std::string join = member_body("Ville Nieminen", "ville.restart@example.org");
  const Headers key{{"Idempotency-Key", "restart-key-42"}};
  const std::string token_body = body({{"name", "restart-token"}, {"role", "analyst"}});
  const Headers token_key{{"Idempotency-Key", "token-key-1"}};
  Answer first;
  Answer first_token;
  std::int64_t position = 0;
  {
    auto server = E2eServer::start(data);
    ASSERT_TRUE(server);
    ASSERT_EQ(server->call("POST", "/v1/networks", network_body("restart")).status, 201u);
    first = server->call("POST", "/v1/networks/restart/members", join, key);
    ASSERT_EQ(first.status, 201u) << first.body;
    first_token = server->call("POST", "/v1/tokens", token_body, token_key);
    ASSERT_EQ(first_token.status, 201u) << first_token.body;
    position = server->log_position();
    const auto exit = server->stop();
    EXPECT_TRUE(exit.exited && exit.code == 0);
  }
  auto server = E2eServer::start(data);
  ASSERT_TRUE(server);
  EXPECT_EQ(server->log_position(), position);
  expect_same_answer(first, server->call("POST", "/v1/networks/restart/members", join, key));
  // The token's secret is part of its first answer, and comes back the same.
  Answer again_token = server->call("POST", "/v1/tokens", token_body, token_key);
  expect_same_answer(first_token, again_token);
  EXPECT_EQ(again_token.str("token"), first_token.str("token"));
  EXPECT_EQ(server->log_position(), position);
  EXPECT_EQ(server
                ->call("POST", "/v1/networks/restart/members",
                       member_body("Other", "other.restart@example.org"), key)
                .status,
            422u);
  EXPECT_EQ(server->log_position(), position);
  EXPECT_EQ(server->call("GET", "/v1/networks/restart").num("member_count"), 1);
}

TEST(Idempotency, MalformedKeyIs400) {
  TempDir dir;
  auto server = E2eServer::start(dir.sub("data"));
  ASSERT_TRUE(server);
  Answer a = server->call("POST", "/v1/networks", network_body("badkey"),
                          {{"Idempotency-Key", std::string(300, 'k')}});
  EXPECT_EQ(a.status, 400u) << a.body;
  EXPECT_EQ(server->call("GET", "/v1/networks/badkey").status, 404u);
}

}  // namespace
}  // namespace ikv::e2e
