// NetworkState: what evolve() folds and what readers ask of it.
#include "tests/domain/decider_spec.h"

namespace ikv::domain::testing {
namespace {

NetworkState fold(const std::vector<NetworkEvent>& events) {
  NetworkState s = initial_network_state();
  for (const NetworkEvent& e : events) s = evolve(std::move(s), e);
  return s;
}

TEST(NetworkState, StartsNotEstablished) {
  EXPECT_EQ(established(initial_network_state()), nullptr);
}

TEST(NetworkState, IgnoresEventsBeforeEstablishment) {
  const NetworkState s = fold({joined("m-1", "anna@example.fi")});
  EXPECT_TRUE(std::holds_alternative<NetworkNotEstablished>(s));
}

TEST(NetworkState, KeepsTheStewardshipHistory) {
  const NetworkState s = fold({oulu_established(), StewardshipTransferred{"IUA", {2024, 1, 1}}});
  const EstablishedNetwork* n = established(s);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->steward().steward, "IUA");
  ASSERT_EQ(n->stewardship.size(), 2u);
  EXPECT_EQ(n->stewardship[0], (Stewardship{"Pro-tukipiste", Date{2023, 1, 15}}));
}

TEST(NetworkState, CountsCurrentMembersBySector) {
  const NetworkState s = fold({oulu_established(), joined("m-1", "a@x.fi", "police"),
                               joined("m-2", "b@x.fi", "police"), joined("m-3", "c@x.fi", "kela"),
                               MemberLeft{"m-2", {2024, 8, 1}, std::nullopt}});
  const EstablishedNetwork& n = *established(s);
  EXPECT_EQ(n.current_member_count(), 2u);
  EXPECT_EQ(n.current_members_by_sector(),
            (std::map<std::string, std::size_t>{{"kela", 1}, {"police", 1}}));
  EXPECT_EQ(n.members_by_sector_on({2024, 7, 31}).at("police"), 2u);
  EXPECT_EQ(n.members_by_sector_on({2024, 8, 1}).at("police"), 1u);
  EXPECT_TRUE(n.members_by_sector_on({2024, 5, 13}).empty());
}

TEST(NetworkState, ErasureKeepsTheMemberCountedButForgetsTheEmail) {
  const NetworkState s =
      fold({oulu_established(), joined("m-1", "anna@example.fi"), PersonalDataErased{"m-1"}});
  const EstablishedNetwork& n = *established(s);
  EXPECT_EQ(n.current_member_count(), 1u);
  const Member* m = n.find_member("m-1");
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(m->erased);
  EXPECT_FALSE(m->personal.has_value());
  EXPECT_EQ(n.current_member_with_email("anna@example.fi"), nullptr);
}

TEST(NetworkState, ADetailsChangeMovesTheEmail) {
  MemberDetailsChanged change{"m-1",        PersonalData{"Anna", "anna@new.fi", std::nullopt},
                              false,        std::nullopt,
                              std::nullopt, std::string("")};
  const NetworkState s = fold({oulu_established(), joined("m-1", "anna@example.fi"), change});
  const EstablishedNetwork& n = *established(s);
  EXPECT_EQ(n.current_member_with_email("anna@example.fi"), nullptr);
  ASSERT_NE(n.current_member_with_email("ANNA@new.fi"), nullptr);
  EXPECT_FALSE(n.find_member("m-1")->title.has_value());
}

TEST(NetworkState, AMemberJoinedWithUnreadablePersonalDataHasNoEmail) {
  MemberJoined e = joined("m-1", "anna@example.fi");
  e.personal.reset();
  const NetworkState s = fold({oulu_established(), e});
  const EstablishedNetwork& n = *established(s);
  EXPECT_TRUE(n.is_current_member("m-1"));
  EXPECT_TRUE(n.current_emails.empty());
}

}  // namespace
}  // namespace ikv::domain::testing
