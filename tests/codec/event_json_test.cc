#include "codec/event_json.h"

#include <gtest/gtest.h>

#include "tests/codec/sample_events.h"

namespace ikv::codec::testing {
namespace {

namespace json = boost::json;

TEST(EventJson, ShowsPersonalDataInTheClear) {
  const json::object o = event_payload_json(anna_joined());
  EXPECT_EQ(o.at("name"), "Anna Virtanen");
  EXPECT_EQ(o.at("email"), "anna.virtanen@example.fi");
  EXPECT_EQ(o.at("phone"), "+358 40 123 4567");
  EXPECT_EQ(o.at("erased"), false);
  EXPECT_EQ(o.at("joined_on"), "2024-05-14");
  EXPECT_FALSE(o.contains("personal"));
}

TEST(EventJson, ShowsErasedPersonalDataAsNulls) {
  domain::MemberJoined e = anna_joined();
  e.personal.reset();
  const json::object o = event_payload_json(e);
  EXPECT_TRUE(o.at("name").is_null());
  EXPECT_TRUE(o.at("email").is_null());
  EXPECT_TRUE(o.at("phone").is_null());
  EXPECT_EQ(o.at("erased"), true);
  EXPECT_EQ(o.at("sector"), "police");
}

TEST(EventJson, DropsPersonalDataForReadersWithoutTheRight) {
  const json::object o = event_payload_json(anna_joined(), {.include_personal = false});
  EXPECT_FALSE(o.contains("name"));
  EXPECT_FALSE(o.contains("email"));
  EXPECT_FALSE(o.contains("phone"));
  EXPECT_EQ(json::serialize(o).find("anna.virtanen"), std::string::npos);
  EXPECT_EQ(o.at("organisation"), "Oulun poliisilaitos");
}

TEST(EventJson, ShowsPersonalKeysOfADetailsChangeOnlyWhenPersonalDataChanged) {
  const json::object sector_only = event_payload_json(domain::MemberDetailsChanged{
      "m-1", std::nullopt, false, std::nullopt, std::string("kela"), std::nullopt});
  EXPECT_FALSE(sector_only.contains("name"));
  EXPECT_FALSE(sector_only.contains("erased"));
  EXPECT_EQ(sector_only.at("sector"), "kela");
  const json::object erased = event_payload_json(domain::MemberDetailsChanged{
      "m-1", std::nullopt, true, std::nullopt, std::nullopt, std::nullopt});
  EXPECT_TRUE(erased.at("email").is_null());
  EXPECT_EQ(erased.at("erased"), true);
}

TEST(EventJson, ShowsOtherEventsAsTheirFields) {
  const json::object o = event_payload_json(
      domain::MeetingHeld{{2024, 4, 17}, {"m-1"}, 17, {"forced_labour"}, std::nullopt});
  EXPECT_EQ(json::serialize(o),
            R"({"held_on":"2024-04-17","attendees":["m-1"],"attendee_count":17,)"
            R"("themes":["forced_labour"],"notes":null})");
}

}  // namespace
}  // namespace ikv::codec::testing
