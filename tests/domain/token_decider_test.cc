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

TEST(TokenState, ACoordinatorCoversOnlyItsNetworks) {
  const TokenState s = evolve(initial_token_state(), issued());
  const TokenInfo& info = std::get<ActiveToken>(s).info;
  EXPECT_TRUE(info.covers_network("oulu"));
  EXPECT_FALSE(info.covers_network("turku"));
  EXPECT_TRUE(std::holds_alternative<RevokedToken>(evolve(s, TokenRevoked{"tok-1"})));
}

}  // namespace
}  // namespace ikv::domain::testing
