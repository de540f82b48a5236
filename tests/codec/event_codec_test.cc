#include "codec/event_codec.h"

#include <gtest/gtest.h>

#include <set>

#include "codec/event_json.h"
#include "codec/release1.h"
#include "tests/codec/fake_vault.h"
#include "tests/codec/sample_events.h"

namespace ikv::codec::testing {
namespace {

ErrorCode decode_error(std::string_view type, std::uint32_t version, std::string_view payload) {
  FakeVault vault;
  Result<domain::Event> r = decode(type, version, payload, vault);
  return r ? ErrorCode::kInternal : r.error().code;
}

// The last schema version of `type` stored as JSON (release 1).
std::uint32_t json_version(std::string_view type) { return *current_schema_version(type) - 1; }

// A stored form of an event: its type, schema version and payload.
struct Stored {
  std::string type;
  std::uint32_t version;
  std::string payload;
};

// Every sample event in both stored forms: binary (as written now) and JSON
// (as release 1 wrote it).
std::vector<Stored> both_forms(FakeVault& vault) {
  std::vector<Stored> out;
  for (const domain::Event& e : sample_events()) {
    Result<EncodedEvent> enc = encode(e, vault);
    Result<std::string> json = encode_release1(e, vault);
    if (!enc || !json) continue;
    out.push_back({enc->type, enc->schema_version, enc->payload});
    // Types added after release 1 have no JSON form.
    if (json_version(enc->type) > 0) out.push_back({enc->type, json_version(enc->type), *json});
  }
  return out;
}

TEST(EventCodec, RoundTripsEveryEventType) {
  FakeVault vault;
  std::set<std::string_view> seen;
  std::vector<domain::Event> events = sample_events();
  for (domain::Event& e : release2_events()) events.push_back(std::move(e));
  for (const domain::Event& e : events) {
    Result<EncodedEvent> enc = encode(e, vault);
    ASSERT_TRUE(enc.ok()) << enc.error().message;
    EXPECT_EQ(enc->type, type_name(e));
    EXPECT_EQ(enc->schema_version, current_schema_version(enc->type));
    Result<domain::Event> dec = decode(enc->type, enc->schema_version, enc->payload, vault);
    ASSERT_TRUE(dec.ok()) << enc->type << ": " << dec.error().message;
    EXPECT_TRUE(*dec == e) << enc->type << " " << enc->payload;
    seen.insert(type_name(e));
  }
  EXPECT_EQ(seen, std::set<std::string_view>(event_type_names().begin(), event_type_names().end()));
  EXPECT_EQ(event_type_names().size(), std::variant_size_v<domain::Event>);
}

TEST(EventCodec, ShowsFieldsAddedAfterReleaseOneOnlyWhenSet) {
  const auto view = [](const domain::Event& e) {
    return boost::json::serialize(event_payload_json(e));
  };
  const std::vector<domain::Event> later = release2_events();
  EXPECT_EQ(view(later[0]),
            R"({"token_id":"tok-2","name":"expiring-app","role":"analyst","networks":[],)"
            R"("secret_hash":"0a1b2c3d","expires_at":"2030-01-01T00:00:00.123456Z"})");
  EXPECT_EQ(view(later[2]), R"({"member_id":"m-anna","request_ref":"DSR-2024-18"})");
  EXPECT_EQ(view(later[3]), R"({"token_id":"tok-2","secret_hash":"4e5f6a7b",)"
                            R"("previous_valid_until":"2030-01-01T00:05:00.000000Z"})");
  EXPECT_EQ(view(domain::PersonalDataErased{"m-anna", std::nullopt, std::nullopt}),
            R"({"member_id":"m-anna"})");
}

TEST(EventCodec, ReadsAnInstantBackAsWritten) {
  FakeVault vault;
  for (const domain::Event& e : release2_events()) {
    if (!std::holds_alternative<domain::TokenIssued>(e)) continue;
    Result<std::string> json = encode_release1(e, vault);
    ASSERT_TRUE(json.ok());
    Result<domain::Event> dec = decode("TokenIssued", 1, *json, vault);
    ASSERT_TRUE(dec.ok()) << dec.error().message;
    EXPECT_TRUE(*dec == e) << *json;
  }
}

TEST(EventCodec, NamesTypesAfterTheirStructs) {
  EXPECT_EQ(type_name(anna_joined()), "MemberJoined");
  EXPECT_EQ(type_name(domain::TokenRevoked{"t"}), "TokenRevoked");
  EXPECT_EQ(current_schema_version("MemberJoined"), 3u);
  EXPECT_EQ(current_schema_version("MemberLeft"), 2u);
  EXPECT_FALSE(current_schema_version("MemberArrived").has_value());
}

TEST(EventCodec, KeepsPersonalDataOutOfThePayload) {
  FakeVault vault;
  Result<EncodedEvent> enc = encode(anna_joined(), vault);
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(enc->payload.find("anna.virtanen@example.fi"), std::string::npos) << enc->payload;
  EXPECT_EQ(enc->payload.find("Anna Virtanen"), std::string::npos);
  EXPECT_EQ(enc->payload.find("123 4567"), std::string::npos);
  EXPECT_NE(enc->payload.find("Oulun poliisilaitos"), std::string::npos);
  // The sealed block names its subject beside the member id.
  const std::size_t at = enc->payload.find("m-anna");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(enc->payload.find("m-anna", at + 1), std::string::npos) << "the sealed block's subject";
}

TEST(EventCodec, ReadsErasedPersonalDataAsAbsent) {
  FakeVault vault;
  Result<EncodedEvent> joined = encode(anna_joined(), vault);
  Result<EncodedEvent> changed = encode(
      domain::MemberDetailsChanged{"m-anna", domain::PersonalData{"A", "a@b.fi", std::nullopt},
                                   false, std::nullopt, std::nullopt, std::nullopt},
      vault);
  ASSERT_TRUE(joined.ok() && changed.ok());
  vault.erase("m-anna");
  Result<domain::Event> j = decode(joined->type, joined->schema_version, joined->payload, vault);
  ASSERT_TRUE(j.ok()) << j.error().message;
  const auto& member = std::get<domain::MemberJoined>(*j);
  EXPECT_FALSE(member.personal.has_value());
  EXPECT_EQ(member.organisation, "Oulun poliisilaitos");
  Result<domain::Event> c = decode(changed->type, changed->schema_version, changed->payload, vault);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(std::get<domain::MemberDetailsChanged>(*c).personal.has_value());
  EXPECT_TRUE(std::get<domain::MemberDetailsChanged>(*c).personal_erased);
}

TEST(EventCodec, ReadsWithoutPersonalDataAsErased) {
  FakeVault vault;
  Result<EncodedEvent> enc = encode(anna_joined(), vault);
  ASSERT_TRUE(enc.ok());
  Result<domain::Event> dec =
      decode(enc->type, enc->schema_version, enc->payload, WithoutPersonalData());
  ASSERT_TRUE(dec.ok());
  EXPECT_FALSE(std::get<domain::MemberJoined>(*dec).personal.has_value());
}

TEST(EventCodec, PassesOnTheSealersError) {
  FakeVault vault;
  vault.fail_next_seal();
  Result<EncodedEvent> enc = encode(anna_joined(), vault);
  ASSERT_FALSE(enc.ok());
  EXPECT_EQ(enc.error().code, ErrorCode::kIOError);
}

TEST(EventCodec, RejectsAnUnknownType) {
  EXPECT_EQ(decode_error("MemberArrived", 1, "{}"), ErrorCode::kCorruption);
  EXPECT_EQ(decode_error("", 1, "{}"), ErrorCode::kCorruption);
}

TEST(EventCodec, RejectsAnUnknownSchemaVersion) {
  EXPECT_EQ(decode_error("TokenRevoked", 0, R"({"token_id":"t"})"), ErrorCode::kCorruption);
  EXPECT_EQ(decode_error("TokenRevoked", 3, R"({"token_id":"t"})"), ErrorCode::kCorruption);
  // Version 2 of TokenRevoked is the binary form: JSON text is not one.
  EXPECT_EQ(decode_error("TokenRevoked", 2, R"({"token_id":"t"})"), ErrorCode::kCorruption);
}

TEST(EventCodec, RejectsAPayloadThatIsNotAJsonObject) {
  for (std::string_view payload :
       {"", "{", "[]", "\"x\"", "null", "{\"token_id\":\"t\"} x", "{\"token_id\":\"\xff\"}"}) {
    EXPECT_EQ(decode_error("TokenRevoked", 1, payload), ErrorCode::kCorruption) << payload;
  }
}

TEST(EventCodec, RejectsAMissingField) {
  EXPECT_EQ(decode_error("MemberLeft", 1, R"({"member_id":"m","reason":null})"),
            ErrorCode::kCorruption);
}

TEST(EventCodec, RejectsAFieldOfTheWrongType) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"MemberLeft", R"({"member_id":"m","left_on":20240601})"},
      {"MemberLeft", R"({"member_id":7,"left_on":"2024-06-01"})"},
      {"MemberLeft", R"({"member_id":"m","left_on":"2024-02-30"})"},
      {"TrainingDelivered",
       R"({"training_id":"t","topic":"x","delivered_on":"2024-01-01","participants":"3"})"},
      {"TrainingDelivered",
       R"({"training_id":"t","topic":"x","delivered_on":"2024-01-01","participants":1e20})"},
      {"TrainingDelivered",
       R"({"training_id":"t","topic":"x","delivered_on":"2024-01-01","participants":9999999999})"},
      {"NetworkRenamed", R"({"name":"Oulu"})"},
      {"NetworkRenamed", R"({"name":{"fi":"Oulu","sv":"Uleåborg"}})"},
      {"ObservationRecorded",
       R"({"observation_id":"o","theme":"t","observed_on":"2024-01-01","target_groups":[1]})"},
      {"TokenIssued",
       R"({"token_id":"t","name":"n","role":"root","networks":[],"secret_hash":"ab"})"},
      {"TaxonomyEntryAdded",
       R"({"kind":"colour","code":"red","labels":{"fi":"a","sv":"b","en":"c"}})"},
      {"MemberJoined",
       R"({"member_id":"m","personal":"x","organisation":"o","sector":"s","title":null,"joined_on":"2024-01-01"})"},
      {"MemberJoined",
       R"({"member_id":"m","personal":{"subject":"m"},"organisation":"o","sector":"s","title":null,"joined_on":"2024-01-01"})"},
  };
  for (const auto& [type, payload] : cases) {
    EXPECT_EQ(decode_error(type, json_version(type), payload), ErrorCode::kCorruption)
        << type << " " << payload;
  }
}

TEST(EventCodec, RejectsPersonalDataSealedForAnotherSubject) {
  FakeVault vault;
  Result<std::string> json = encode_release1(anna_joined(), vault);
  ASSERT_TRUE(json.ok());
  std::string payload = *json;
  payload.replace(payload.find("\"subject\":\"m-anna\""), 18, "\"subject\":\"m-bert\"");
  Result<domain::Event> dec = decode("MemberJoined", 2, payload, vault);
  ASSERT_FALSE(dec.ok());
  EXPECT_EQ(dec.error().code, ErrorCode::kCorruption);

  // Binary: the member id is written first, the sealed block's subject later.
  Result<EncodedEvent> enc = encode(anna_joined(), vault);
  ASSERT_TRUE(enc.ok());
  for (std::size_t at = enc->payload.find("m-anna"); at != std::string::npos;
       at = enc->payload.find("m-anna", at + 1)) {
    std::string changed = enc->payload;
    changed.replace(at, 6, "m-bert");
    Result<domain::Event> d = decode(enc->type, enc->schema_version, changed, vault);
    ASSERT_FALSE(d.ok()) << "m-anna at " << at;
    EXPECT_EQ(d.error().code, ErrorCode::kCorruption);
  }
}

TEST(EventCodec, RejectsEveryTruncationOfAValidPayload) {
  FakeVault vault;
  for (const Stored& stored : both_forms(vault)) {
    const bool binary = stored.version == *current_schema_version(stored.type);
    Result<domain::Event> whole = decode(stored.type, stored.version, stored.payload, vault);
    ASSERT_TRUE(whole.ok()) << stored.type << " v" << stored.version;
    for (std::size_t n = 0; n < stored.payload.size(); ++n) {
      Result<domain::Event> dec =
          decode(stored.type, stored.version, stored.payload.substr(0, n), vault);
      if (dec.ok() && binary) {
        // A FlatBuffers buffer may end in alignment padding that nothing
        // refers to: cutting only that leaves the same event.
        ASSERT_TRUE(*dec == *whole) << stored.type << " cut at " << n;
        continue;
      }
      ASSERT_FALSE(dec.ok()) << stored.type << " v" << stored.version << " cut at " << n;
      ASSERT_EQ(dec.error().code, ErrorCode::kCorruption);
    }
  }
}

TEST(EventCodec, SurvivesFlippedBytes) {
  FakeVault vault;
  for (const Stored& stored : both_forms(vault)) {
    for (std::size_t i = 0; i < stored.payload.size(); ++i) {
      for (const unsigned char mask : {0x01, 0x21, 0x80, 0xff}) {
        std::string payload = stored.payload;
        payload[i] = static_cast<char>(payload[i] ^ mask);
        Result<domain::Event> dec = decode(stored.type, stored.version, payload, vault);
        if (!dec.ok()) {
          EXPECT_EQ(dec.error().code, ErrorCode::kCorruption)
              << stored.type << " v" << stored.version << " byte " << i;
        }
      }
    }
  }
}

}  // namespace
}  // namespace ikv::codec::testing
