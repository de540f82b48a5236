// The stored and shown forms of the field's model: month dates, unknown
// founding dates and formats, stewards as lists.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "codec/event_codec.h"
#include "codec/event_json.h"
#include "tests/codec/fake_vault.h"
#include "tests/codec/sample_events.h"

namespace ikv::codec::testing {
namespace {

TEST(FieldModelCodec, RoundTripsThroughTheBinaryForm) {
  FakeVault vault;
  for (const domain::Event& e : field_model_events()) {
    Result<EncodedEvent> enc = encode(e, vault);
    ASSERT_TRUE(enc.ok()) << enc.error().message;
    Result<domain::Event> dec = decode(enc->type, enc->schema_version, enc->payload, vault);
    ASSERT_TRUE(dec.ok()) << enc->type << ": " << dec.error().message;
    EXPECT_TRUE(*dec == e) << enc->type;
  }
}

TEST(FieldModelCodec, ADayDatePayloadIsUnchanged) {
  // A date known to the day writes no precision (the field's default), so a
  // payload of release 2 written for a release-1 fact is the same bytes.
  FakeVault vault;
  domain::MemberLeft day{"m-1", {2024, 4, 20}, std::nullopt};
  domain::MemberLeft month{"m-1", domain::month_date(2024, 4), std::nullopt};
  Result<EncodedEvent> a = encode(day, vault);
  Result<EncodedEvent> b = encode(month, vault);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_LT(a->payload.size(), b->payload.size());
}

TEST(FieldModelCodec, ShowsDatesAsWrittenAndUnknownsAsNull) {
  const std::vector<domain::Event> events = field_model_events();
  const auto view = [](const domain::Event& e) {
    return boost::json::serialize(event_payload_json(e));
  };
  EXPECT_EQ(view(events[0]),
            R"({"network_id":"karelia","name":{"fi":"Etelä-Karjala","sv":"Södra Karelen",)"
            R"("en":"South Karelia"},"region":"South Karelia","seat":"Lappeenranta",)"
            R"("steward":["Victim Support Finland","Pro-tukipiste"],"established_on":null})");
  EXPECT_NE(view(events[1]).find(R"("established_on":"2019-09")"), std::string::npos);
  EXPECT_EQ(view(events[2]), R"({"steward":["RIKU"],"effective_on":"2024-04"})");
  EXPECT_NE(view(events[8]).find(R"("scheduled_for":"2024-04","format":null)"), std::string::npos);
  EXPECT_NE(view(events[10]).find(R"("format":"remote")"), std::string::npos);
  EXPECT_EQ(view(domain::MeetingHeld{{2024, 4, 9}, {}, 9, {}, std::nullopt}),
            R"({"held_on":"2024-04-09","attendees":[],"attendee_count":9,"themes":[],)"
            R"("notes":null})");
}

}  // namespace
}  // namespace ikv::codec::testing
