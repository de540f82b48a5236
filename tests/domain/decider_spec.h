// DeciderSpec: given events / when command / then events, rejection or nothing,
// for any of the domain's deciders; and World, the cross-aggregate facts a test
// hands to the decider through a DecisionContext.
//
// Thread-safety: one test at a time.
//
//   NetworkSpec()
//       .given({oulu_established(), anna_joined()})
//       .when(join("m-2", " Anna@Example.FI "))
//       .rejects(RejectionKind::kConflict, "email_taken");
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "domain/context.h"
#include "domain/decision.h"
#include "domain/event.h"
#include "domain/network_decider.h"

namespace ikv::domain::testing {

// Facts outside the aggregate under test.
struct World {
  std::set<std::string, std::less<>> networks = {"oulu", "turku", "tampere"};
  std::set<std::pair<std::string, std::string>, std::less<>> members;   // (network, member)
  std::set<std::pair<std::string, std::string>, std::less<>> meetings;  // (meeting, network)
  std::set<std::string, std::less<>> token_names;
  TaxonomyState taxonomy = initial_taxonomy_state();

  // A context that reads this world; valid while the world lives.
  DecisionContext context() const {
    DecisionContext ctx;
    ctx.taxonomy = &taxonomy;
    ctx.network_exists = [this](std::string_view id) { return networks.count(id) > 0; };
    ctx.is_current_member = [this](std::string_view n, std::string_view m) {
      return members.count(std::pair<std::string, std::string>(n, m)) > 0;
    };
    ctx.meeting_involves = [this](std::string_view meeting, std::string_view n) {
      return meetings.count(std::pair<std::string, std::string>(meeting, n)) > 0;
    };
    ctx.token_name_taken = [this](std::string_view name) { return token_names.count(name) > 0; };
    return ctx;
  }
};

template <class State, class Event, class Command>
class DeciderSpec {
 public:
  explicit DeciderSpec(State initial, World world = {})
      : state_(std::move(initial)), world_(std::move(world)) {}

  DeciderSpec& given(const std::vector<Event>& events) {
    for (const Event& e : events) state_ = ikv::domain::evolve(std::move(state_), e);
    return *this;
  }
  DeciderSpec& when(const Command& command) {
    decision_ = ikv::domain::decide(command, state_, world_.context());
    return *this;
  }
  void then(const std::vector<Event>& expected) const {
    ASSERT_TRUE(decision_.has_value()) << "when() was not called";
    const Rejection* r = rejection_of(*decision_);
    ASSERT_EQ(r, nullptr) << "rejected: " << r->code << " " << r->field << ": " << r->message;
    EXPECT_TRUE(events_of(*decision_) == expected)
        << "got " << events_of(*decision_).size() << " event(s), expected " << expected.size();
  }
  void then_nothing() const { then({}); }
  void rejects(RejectionKind kind, const std::string& code,
               std::optional<std::string> field = std::nullopt) const {
    ASSERT_TRUE(decision_.has_value()) << "when() was not called";
    const Rejection* r = rejection_of(*decision_);
    ASSERT_NE(r, nullptr) << "accepted with " << events_of(*decision_).size() << " event(s)";
    EXPECT_EQ(r->kind, kind) << to_string(r->kind) << " " << r->code;
    EXPECT_EQ(r->code, code) << r->message;
    if (field) {
      EXPECT_EQ(r->field, *field);
    }
    EXPECT_FALSE(r->message.empty());
  }
  const State& state() const { return state_; }

 private:
  State state_;
  World world_;
  std::optional<Decision<Event>> decision_;
};

using NetworkSpec = DeciderSpec<NetworkState, NetworkEvent, NetworkCommand>;
using MeetingSpec = DeciderSpec<MeetingState, MeetingEvent, MeetingCommand>;
using TaxonomySpec = DeciderSpec<TaxonomyState, TaxonomyEvent, TaxonomyCommand>;
using TokenSpec = DeciderSpec<TokenState, TokenEvent, TokenCommand>;

inline NetworkSpec network_spec(World world = {}) {
  return NetworkSpec(initial_network_state(), std::move(world));
}
inline MeetingSpec meeting_spec(World world = {}) {
  return MeetingSpec(initial_meeting_state(), std::move(world));
}
inline TaxonomySpec taxonomy_spec(World world = {}) {
  return TaxonomySpec(initial_taxonomy_state(), std::move(world));
}
inline TokenSpec token_spec(World world = {}) {
  return TokenSpec(initial_token_state(), std::move(world));
}

// ---- sample facts of the network "oulu" ----
inline NetworkEstablished oulu_established() {
  return {
      "oulu",           {"Oulu", "Uleåborg", "Oulu"}, "North Ostrobothnia", "Oulu", "Pro-tukipiste",
      Date{2023, 1, 15}};
}
inline PersonalData person(std::string name, std::string email) {
  return {std::move(name), std::move(email), std::nullopt};
}
inline MemberJoined joined(std::string id, std::string email, std::string sector = "police",
                           Date on = {2024, 5, 14}) {
  return {id,
          person("Person " + id, std::move(email)),
          "Oulun poliisilaitos",
          std::move(sector),
          std::nullopt,
          on};
}
inline JoinNetwork join(std::string id, std::string email, std::string sector = "police") {
  return {id,
          person("Person " + id, std::move(email)),
          "Oulun poliisilaitos",
          std::move(sector),
          std::nullopt,
          {2024, 5, 14}};
}

}  // namespace ikv::domain::testing
