// The access-token decider.
#include "tests/domain/decider_spec.h"

namespace ikv::domain::testing {
namespace {

using K = RejectionKind;

IssueToken issue(std::string role = "coordinator", std::vector<std::string> networks = {"oulu"}) {
  return {"tok-1", " oulu-app ", std::move(role), std::move(networks), "9f86d081884c7d65"};
}
TokenIssued issued() {
  return {"tok-1", "oulu-app", Role::kCoordinator, {"oulu"}, "9f86d081884c7d65"};
}

TEST(TokenDecider, IssuesACoordinatorTokenLimitedToANetwork) {
  token_spec().when(issue()).then({issued()});
}

TEST(TokenDecider, RejectsATakenName) {
  World world;
  world.token_names.insert("oulu-app");
  token_spec(world).when(issue()).rejects(K::kConflict, "token_name_taken", "/name");
}

TEST(TokenDecider, RejectsAnInvalidRole) {
  token_spec().when(issue("root", {})).rejects(K::kValidation, "invalid_role", "/role");
}

TEST(TokenDecider, RejectsNetworksForAnAnalyst) {
  token_spec()
      .when(issue("analyst", {"oulu"}))
      .rejects(K::kValidation, "networks_only_for_coordinator", "/networks");
}

TEST(TokenDecider, RejectsAnUnknownNetwork) {
  token_spec()
      .when(issue("coordinator", {"oulu", "vaasa"}))
      .rejects(K::kValidation, "unknown_network", "/networks/1");
}

TEST(TokenDecider, RejectsASecretHashThatIsNotHex) {
  IssueToken c = issue();
  c.secret_hash = "secret";
  token_spec().when(c).rejects(K::kValidation, "invalid_secret_hash", "/secret_hash");
}

TEST(TokenDecider, RejectsIssuingTwice) {
  token_spec().given({issued()}).when(issue()).rejects(K::kConflict, "token_exists");
}

TEST(TokenDecider, RevokesAToken) {
  token_spec().given({issued()}).when(RevokeToken{"tok-1"}).then({TokenRevoked{"tok-1"}});
}

TEST(TokenDecider, RejectsRevokingAnUnknownToken) {
  token_spec().when(RevokeToken{"tok-1"}).rejects(K::kNotFound, "token_not_found");
}

TEST(TokenDecider, RejectsRevokingTwice) {
  token_spec()
      .given({issued(), TokenRevoked{"tok-1"}})
      .when(RevokeToken{"tok-1"})
      .rejects(K::kConflict, "token_already_revoked");
}

constexpr std::int64_t kNow = 1'700'000'000'000'000;  // 2023-11-14T22:13:20Z
constexpr std::int64_t kSecond = 1'000'000;

TEST(TokenDecider, IssuesATokenThatExpires) {
  IssueToken c = issue();
  c.now_us = kNow;
  c.expires_at_us = kNow + 60 * kSecond;
  TokenIssued e = issued();
  e.expires_at_us = kNow + 60 * kSecond;
  token_spec().when(c).then({e});
}

TEST(TokenDecider, RejectsAnExpiryThatIsNotInTheFuture) {
  IssueToken c = issue();
  c.now_us = kNow;
  c.expires_at_us = kNow;
  token_spec().when(c).rejects(K::kValidation, "expires_at_not_in_future", "/expires_at");
}

RotateToken rotate(std::int64_t grace_seconds = kDefaultGraceSeconds) {
  return {"tok-1", "abcdef0123", grace_seconds, kNow};
}

TEST(TokenDecider, RotatesASecretWithAGracePeriod) {
  token_spec()
      .given({issued()})
      .when(rotate())
      .then({TokenRotated{"tok-1", "abcdef0123", kNow + 300 * kSecond}});
}

TEST(TokenDecider, RotatesWithoutGrace) {
  token_spec().given({issued()}).when(rotate(0)).then({TokenRotated{"tok-1", "abcdef0123", kNow}});
}

TEST(TokenDecider, RejectsAGraceOutsideItsRange) {
  token_spec()
      .given({issued()})
      .when(rotate(kMaxGraceSeconds + 1))
      .rejects(K::kValidation, "invalid_grace_seconds", "/grace_seconds");
  token_spec()
      .given({issued()})
      .when(rotate(-1))
      .rejects(K::kValidation, "invalid_grace_seconds", "/grace_seconds");
}

TEST(TokenDecider, RejectsRotatingAnUnknownToken) {
  token_spec().when(rotate()).rejects(K::kNotFound, "token_not_found");
}

TEST(TokenDecider, RejectsRotatingARevokedToken) {
  token_spec()
      .given({issued(), TokenRevoked{"tok-1"}})
      .when(rotate())
      .rejects(K::kConflict, "token_already_revoked");
}

TEST(TokenDecider, RejectsRotatingAnExpiredToken) {
  TokenIssued e = issued();
  e.expires_at_us = kNow - kSecond;
  token_spec().given({e}).when(rotate()).rejects(K::kConflict, "token_expired");
}

TEST(TokenDecider, RejectsARotatedSecretHashThatIsNotHex) {
  RotateToken c = rotate();
  c.secret_hash = "Secret";
  token_spec()
      .given({issued()})
      .when(c)
      .rejects(K::kValidation, "invalid_secret_hash", "/secret_hash");
}

TEST(TokenState, ARotationReplacesTheSecretHash) {
  const TokenState s =
      evolve(evolve(initial_token_state(), issued()), TokenRotated{"tok-1", "abc", kNow});
  EXPECT_EQ(std::get<ActiveToken>(s).info.secret_hash, "abc");
}

TEST(TokenState, ACoordinatorCoversOnlyItsNetworks) {
  const TokenState s = evolve(initial_token_state(), issued());
  const TokenInfo& info = std::get<ActiveToken>(s).info;
  EXPECT_TRUE(info.covers_network("oulu"));
  EXPECT_FALSE(info.covers_network("turku"));
  EXPECT_TRUE(std::holds_alternative<RevokedToken>(evolve(s, TokenRevoked{"tok-1"})));
}

}  // namespace
}  // namespace ikv::domain::testing
