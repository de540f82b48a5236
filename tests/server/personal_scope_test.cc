// The rule of who sees personal fields in clear (API.md, "Who sees personal
// data"), for every role and scope; the routes that apply it are walked end to
// end in tests/http/e2e/personal_scope_test.cc.
#include <gtest/gtest.h>

#include "app/registry.h"

namespace ikv::app {
namespace {

Principal principal(domain::Role role, std::vector<std::string> networks = {}) {
  return Principal{.token_id = "t", .name = "n", .role = role, .networks = std::move(networks)};
}

TEST(PersonalDataScope, AdminSeesEveryNetworkAndEveryStream) {
  const auto s = principal(domain::Role::kAdmin).personal_data_scope();
  EXPECT_TRUE(s.covers_network("oulu"));
  EXPECT_TRUE(s.covers_stream("network-turku"));
  EXPECT_TRUE(s.covers_stream("meeting-0b6c"));
  EXPECT_TRUE(s.covers_stream("taxonomy"));
}

TEST(PersonalDataScope, CoordinatorSeesOnlyTheNetworksItsTokenNames) {
  const auto s = principal(domain::Role::kCoordinator, {"oulu", "kuopio"}).personal_data_scope();
  EXPECT_TRUE(s.covers_network("oulu"));
  EXPECT_TRUE(s.covers_network("kuopio"));
  EXPECT_FALSE(s.covers_network("turku"));
  EXPECT_FALSE(s.covers_network("oul"));
  EXPECT_FALSE(s.covers_network(""));
  EXPECT_TRUE(s.covers_stream("network-oulu"));
  EXPECT_FALSE(s.covers_stream("network-turku"));
  EXPECT_FALSE(s.covers_stream("network-oulu2"));
  EXPECT_FALSE(s.covers_stream("oulu"));
  EXPECT_FALSE(s.covers_stream("meeting-oulu"));
  EXPECT_FALSE(s.covers_stream("token-oulu"));
}

TEST(PersonalDataScope, CoordinatorWithoutNetworksSeesEveryNetwork) {
  const auto s = principal(domain::Role::kCoordinator).personal_data_scope();
  EXPECT_TRUE(s.covers_network("turku"));
  EXPECT_TRUE(s.covers_stream("network-turku"));
}

TEST(PersonalDataScope, AnalystAndAuditorSeeNone) {
  for (auto role : {domain::Role::kAnalyst, domain::Role::kAuditor}) {
    // A network list on such a token (the API refuses one) grants nothing either.
    for (const auto& s :
         {principal(role).personal_data_scope(), principal(role, {"oulu"}).personal_data_scope()}) {
      EXPECT_FALSE(s.covers_network("oulu"));
      EXPECT_FALSE(s.covers_stream("network-oulu"));
      EXPECT_FALSE(s.covers_stream("taxonomy"));
    }
  }
}

}  // namespace
}  // namespace ikv::app
