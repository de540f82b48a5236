// NetworkState: what evolve() folds and what readers ask of it.
#include <random>

#include "domain/text.h"
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

TEST(NetworkState, MembersNameTheirOrganisationSectorAndTitleByNumbersOfTextsKeptOnce) {
  MemberJoined titled = joined("m-2", "b@x.fi", "ngo");
  titled.title = "Coordinator";
  MemberDetailsChanged moved{"m-1",        std::nullopt,   false, std::string("Pro-tukipiste"),
                             std::nullopt, std::string("")};
  const NetworkState s =
      fold({oulu_established(), joined("m-1", "a@x.fi"), titled, joined("m-3", "c@x.fi"), moved});
  const EstablishedNetwork& n = *established(s);
  const Member& m1 = *n.find_member("m-1");
  const Member& m2 = *n.find_member("m-2");
  const Member& m3 = *n.find_member("m-3");
  EXPECT_EQ(n.text(m1.organisation), "Pro-tukipiste");
  EXPECT_EQ(n.text(m2.organisation), "Oulun poliisilaitos");
  EXPECT_EQ(m2.organisation, m3.organisation) << "one number for one text";
  EXPECT_EQ(m1.sector, m3.sector);
  EXPECT_EQ(n.text(m2.sector), "ngo");
  EXPECT_EQ(n.text(m2.title), "Coordinator");
  EXPECT_EQ(m1.title, kNoText);
  EXPECT_EQ(n.text(kNoText), "");
  // Oulun poliisilaitos, police, ngo, Coordinator, Pro-tukipiste.
  EXPECT_EQ(n.texts.size(), 5u);
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
  EXPECT_EQ(n.find_member("m-1")->title, kNoText);
}

TEST(NetworkState, AMemberJoinedWithUnreadablePersonalDataHasNoEmail) {
  MemberJoined e = joined("m-1", "anna@example.fi");
  e.personal.reset();
  const NetworkState s = fold({oulu_established(), e});
  const EstablishedNetwork& n = *established(s);
  EXPECT_TRUE(n.is_current_member("m-1"));
  EXPECT_TRUE(n.current_emails.empty());
}

// Members joining, leaving, changing e-mails and erased at random, over a
// few e-mails that collide (in case too), with each command decided before
// it is folded: after every step the state answers as a model of the
// members does: who is current, which current member holds an e-mail, and
// whether a join with that e-mail is refused as email_taken.
TEST(NetworkState, MembersAndTheirEmailsAnswerAsAModelUnderRandomCommands) {
  struct ModelMember {
    bool current = true;
    bool erased = false;
    std::string email;  // normalised
  };
  const std::vector<std::string> emails = {"a@x.fi", "B@x.fi", "b@X.fi", "c@x.fi", "d@x.fi"};
  const World world;
  const DecisionContext ctx = world.context();
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    NetworkState s = fold({oulu_established()});
    std::map<std::string, ModelMember> model;
    std::vector<std::string> ids;
    for (int step = 0; step < 300; ++step) {
      NetworkCommand c;
      const std::size_t roll = pick(10);
      const std::string email = emails[pick(emails.size())];
      if (roll < 4 || ids.empty()) {
        c = JoinNetwork{"m-" + std::to_string(step),
                        person("P", email),
                        "Org",
                        "police",
                        std::nullopt,
                        Date{2024, 5, 14}};
      } else if (roll < 6) {
        c = LeaveNetwork{ids[pick(ids.size())], Date{2024, 6, 1}, std::nullopt};
      } else if (roll < 9) {
        ChangeMemberDetails change;
        change.member_id = ids[pick(ids.size())];
        change.email = email;
        c = change;
      } else {
        c = ErasePersonalData{ids[pick(ids.size())], std::nullopt, std::nullopt};
      }
      const Decision<NetworkEvent> d = decide(c, s, ctx);
      // The model's verdict on the e-mail, before the command.
      const std::string key = to_lower_ascii(email);
      const auto holder = [&](const std::string& k) -> const std::string* {
        for (const auto& [id, m] : model) {
          if (m.current && !m.erased && m.email == k) return &id;
        }
        return nullptr;
      };
      if (const auto* join = std::get_if<JoinNetwork>(&c)) {
        const Rejection* r = rejection_of(d);
        ASSERT_EQ(r != nullptr, holder(key) != nullptr) << "seed " << seed << " step " << step;
        if (r == nullptr) {
          model[join->member_id] = ModelMember{true, false, key};
          ids.push_back(join->member_id);
        }
      } else if (const auto* leave = std::get_if<LeaveNetwork>(&c)) {
        ModelMember& m = model.at(leave->member_id);
        ASSERT_EQ(rejection_of(d) == nullptr, m.current) << "seed " << seed << " step " << step;
        m.current = false;
      } else if (const auto* change = std::get_if<ChangeMemberDetails>(&c)) {
        ModelMember& m = model.at(change->member_id);
        const std::string* other = holder(key);
        const bool taken = other != nullptr && *other != change->member_id;
        const bool allowed = m.current && !m.erased && !taken;
        ASSERT_EQ(rejection_of(d) == nullptr, allowed) << "seed " << seed << " step " << step;
        if (allowed) m.email = key;
      } else {
        model.at(std::get<ErasePersonalData>(c).member_id).erased = true;
      }
      if (rejection_of(d) == nullptr) {
        for (const NetworkEvent& e : events_of(d)) s = evolve(std::move(s), e);
      }
      const EstablishedNetwork& n = *established(s);
      std::size_t current = 0;
      for (const auto& [id, m] : model) {
        ASSERT_EQ(n.is_current_member(id), m.current) << id;
        ASSERT_EQ(n.find_member(id)->erased, m.erased) << id;
        current += m.current ? 1 : 0;
      }
      ASSERT_EQ(n.current_member_count(), current);
      for (const std::string& e : emails) {
        const std::string* expected = holder(to_lower_ascii(e));
        const Member* got = n.current_member_with_email(e);
        ASSERT_EQ(got, expected ? n.find_member(*expected) : nullptr)
            << "seed " << seed << " step " << step << " " << e;
      }
    }
  }
}

}  // namespace
}  // namespace ikv::domain::testing
