#include "domain/event.h"

#include <gtest/gtest.h>

namespace ikv::domain {
namespace {

TEST(Event, WidensAndNarrowsAggregateEvents) {
  const NetworkEvent left = MemberLeft{"m-1", {2024, 6, 1}, std::nullopt};
  const Event e = to_event(left);
  ASSERT_TRUE(std::holds_alternative<MemberLeft>(e));
  EXPECT_EQ(narrow<NetworkEvent>(e), left);
  EXPECT_FALSE(narrow<MeetingEvent>(e).has_value());
  EXPECT_TRUE(std::holds_alternative<TokenRevoked>(to_event(TokenRevoked{"t"})));
}

TEST(Event, EveryAggregateEventIsAnEvent) {
  EXPECT_EQ(std::variant_size_v<Event>,
            std::variant_size_v<NetworkEvent> + std::variant_size_v<MeetingEvent> +
                std::variant_size_v<TaxonomyEvent> + std::variant_size_v<TokenEvent>);
}

}  // namespace
}  // namespace ikv::domain
