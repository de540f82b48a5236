// The binary form (storage contract v2): round trips, and hostile buffers
// built with the generated schema code, which must give kCorruption.
#include <gtest/gtest.h>

#include <flatbuffers/flatbuffers.h>

#include <algorithm>
#include <cstdint>
#include <random>

#include "codec/event_codec.h"
#include "codec/events_generated.h"
#include "tests/codec/fake_vault.h"
#include "tests/codec/sample_events.h"

namespace ikv::codec::testing {
namespace {

std::string bytes_of(const flatbuffers::FlatBufferBuilder& b) {
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

// A payload of `tag` holding the table `body`.
std::string finish(flatbuffers::FlatBufferBuilder& b, fb::Event tag,
                   flatbuffers::Offset<void> body) {
  fb::FinishPayloadBuffer(b, fb::CreatePayload(b, tag, body));
  return bytes_of(b);
}

ErrorCode decode_error(std::string_view type, std::string_view payload) {
  FakeVault vault;
  Result<domain::Event> r = decode(type, *current_schema_version(type), payload, vault);
  return r ? ErrorCode::kInternal : r.error().code;
}

TEST(BinaryPayload, RoundTripsWithAndWithoutPersonalData) {
  FakeVault vault;
  std::vector<domain::Event> events = sample_events();
  domain::MemberJoined without = anna_joined();
  without.personal.reset();
  without.title.reset();
  events.emplace_back(without);
  events.emplace_back(domain::MemberDetailsChanged{"m-anna", std::nullopt, false, std::nullopt,
                                                   std::nullopt, std::nullopt});
  for (const domain::Event& e : events) {
    Result<EncodedEvent> enc = encode(e, vault);
    ASSERT_TRUE(enc.ok()) << enc.error().message;
    Result<domain::Event> dec = decode(enc->type, enc->schema_version, enc->payload, vault);
    ASSERT_TRUE(dec.ok()) << enc->type << ": " << dec.error().message;
    EXPECT_TRUE(*dec == e) << enc->type;
  }
}

TEST(BinaryPayload, SealsAJoinRequestsDetailsWithTheRequestsOwnKey) {
  FakeVault vault;
  const std::vector<domain::Event> samples = sample_events();
  const auto it = std::find_if(samples.begin(), samples.end(), [](const domain::Event& s) {
    return std::holds_alternative<domain::JoinRequested>(s);
  });
  ASSERT_NE(it, samples.end());
  const domain::Event e = *it;  // JoinRequested q-anna
  Result<EncodedEvent> enc = encode(e, vault);
  ASSERT_TRUE(enc.ok()) << enc.error().message;
  for (const char* clear : {"Anna", "anna.virtanen@example.fi", "358 40", "Sosiaality", "Hei!"}) {
    EXPECT_EQ(enc->payload.find(clear), std::string::npos) << clear;
  }
  vault.erase("m-anna");  // another subject's key: the request still opens
  Result<domain::Event> dec = decode(enc->type, enc->schema_version, enc->payload, vault);
  ASSERT_TRUE(dec.ok());
  EXPECT_TRUE(*dec == e);
  vault.erase("q-anna");  // crypto-shredded: the request reads back without details
  dec = decode(enc->type, enc->schema_version, enc->payload, vault);
  ASSERT_TRUE(dec.ok()) << dec.error().message;
  const auto& back = std::get<domain::JoinRequested>(*dec);
  EXPECT_FALSE(back.details.has_value());
  EXPECT_EQ(back.organisation, "Oulun kaupunki");
}

TEST(BinaryPayload, CarriesItsIdentifierAndIsNeverJson) {
  FakeVault vault;
  for (const domain::Event& e : sample_events()) {
    Result<EncodedEvent> enc = encode(e, vault);
    ASSERT_TRUE(enc.ok());
    ASSERT_GE(enc->payload.size(), 8u);
    EXPECT_EQ(enc->payload.substr(4, 4), "IKV2") << enc->type;
    EXPECT_NE(enc->payload.front(), '{') << enc->type;
  }
}

TEST(BinaryPayload, ReadsAPayloadAtAnyAddress) {
  FakeVault vault;
  Result<EncodedEvent> enc = encode(sample_events()[19], vault);  // a MeetingHeld
  ASSERT_TRUE(enc.ok());
  for (std::size_t shift = 0; shift < 8; ++shift) {
    const std::string buffer = std::string(shift, '\0') + enc->payload;
    Result<domain::Event> dec =
        decode(enc->type, enc->schema_version, std::string_view(buffer).substr(shift), vault);
    ASSERT_TRUE(dec.ok()) << "shift " << shift << ": " << dec.error().message;
    EXPECT_TRUE(*dec == sample_events()[19]);
  }
}

TEST(BinaryPayload, RejectsBytesThatAreNoPayload) {
  for (std::string_view payload :
       {std::string_view(""), std::string_view("\0\0\0\0", 4), std::string_view("IKV2"),
        std::string_view("\x08\0\0\0IKV2", 8), std::string_view("{\"token_id\":\"t\"}"),
        std::string_view("\x0c\0\0\0IKV3\0\0\0\0", 12)}) {
    EXPECT_EQ(decode_error("TokenRevoked", payload), ErrorCode::kCorruption) << payload;
  }
}

TEST(BinaryPayload, RejectsRandomBytes) {
  std::mt19937 rng(20240517);
  const auto& names = event_type_names();
  for (int i = 0; i < 20000; ++i) {
    std::string payload(rng() % 96, '\0');
    for (char& c : payload) c = static_cast<char>(rng());
    if (payload.size() >= 8 && i % 2 == 0) payload.replace(4, 4, "IKV2");
    // Decoding must not crash; a random buffer that verifies is still checked
    // for its type, dates and text.
    FakeVault vault;
    const std::string_view type = names[i % names.size()];
    Result<domain::Event> r = decode(type, *current_schema_version(type), payload, vault);
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
    }
  }
}

TEST(BinaryPayload, RejectsAPayloadOfAnotherType) {
  FakeVault vault;
  Result<EncodedEvent> renamed = encode(sample_events()[1], vault);  // NetworkRenamed
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(decode_error("MemberLeft", renamed->payload), ErrorCode::kCorruption);
  EXPECT_EQ(decode_error("TaxonomyEntryAdded", renamed->payload), ErrorCode::kCorruption);
}

TEST(BinaryPayload, RejectsAPayloadWithoutAnEvent) {
  flatbuffers::FlatBufferBuilder b;
  EXPECT_EQ(decode_error("TokenRevoked", finish(b, fb::Event::NONE, {})), ErrorCode::kCorruption);
  flatbuffers::FlatBufferBuilder c;
  const auto id = c.CreateString("t");
  const std::string unknown_tag =
      finish(c, static_cast<fb::Event>(200), fb::CreateTokenRevoked(c, id).Union());
  EXPECT_EQ(decode_error("TokenRevoked", unknown_tag), ErrorCode::kCorruption);
}

TEST(BinaryPayload, RejectsAMissingRequiredField) {
  // A TokenRevoked table without token_id (built by hand: the generated
  // builder asserts on a missing required field in builds with assertions).
  flatbuffers::FlatBufferBuilder b;
  const flatbuffers::uoffset_t start = b.StartTable();
  const flatbuffers::Offset<void> body(b.EndTable(start));
  fb::FinishPayloadBuffer(b, fb::CreatePayload(b, fb::Event::TokenRevoked, body));
  EXPECT_EQ(decode_error("TokenRevoked", bytes_of(b)), ErrorCode::kCorruption);
}

TEST(BinaryPayload, RejectsADateThatDoesNotExist) {
  for (const fb::Date& day : {fb::Date(2024, 2, 30), fb::Date(2023, 13, 1), fb::Date(0, 1, 1),
                              fb::Date(-5, 1, 1), fb::Date(2024, 0, 0)}) {
    flatbuffers::FlatBufferBuilder b;
    const auto id = b.CreateString("m-1");
    const std::string payload =
        finish(b, fb::Event::MemberLeft, fb::CreateMemberLeft(b, id, &day).Union());
    EXPECT_EQ(decode_error("MemberLeft", payload), ErrorCode::kCorruption)
        << day.year() << "-" << int{day.month()} << "-" << int{day.day()};
  }
}

TEST(BinaryPayload, RejectsAnUnknownRoleOrTaxonomyKind) {
  flatbuffers::FlatBufferBuilder b;
  const auto id = b.CreateString("tok-1");
  const auto name = b.CreateString("app");
  const auto networks = b.CreateVectorOfStrings(std::vector<std::string>{});
  const auto hash = b.CreateString("ab");
  const std::string token =
      finish(b, fb::Event::TokenIssued,
             fb::CreateTokenIssued(b, id, name, static_cast<fb::Role>(9), networks, hash).Union());
  EXPECT_EQ(decode_error("TokenIssued", token), ErrorCode::kCorruption);

  flatbuffers::FlatBufferBuilder c;
  const auto code = c.CreateString("x");
  const auto fi = c.CreateString("a");
  const auto sv = c.CreateString("b");
  const auto en = c.CreateString("c");
  const auto labels = fb::CreateLocalizedText(c, fi, sv, en);
  const std::string entry = finish(
      c, fb::Event::TaxonomyEntryAdded,
      fb::CreateTaxonomyEntryAdded(c, static_cast<fb::TaxonomyKind>(9), code, labels).Union());
  EXPECT_EQ(decode_error("TaxonomyEntryAdded", entry), ErrorCode::kCorruption);
}

TEST(BinaryPayload, RejectsTextThatIsNotUtf8) {
  for (std::string_view text : {std::string_view("\xff"), std::string_view("a\xc3"),
                                std::string_view("\xed\xa0\x80"), std::string_view("\xc0\xaf")}) {
    flatbuffers::FlatBufferBuilder b;
    const auto id = b.CreateString(text.data(), text.size());
    const std::string payload =
        finish(b, fb::Event::TokenRevoked, fb::CreateTokenRevoked(b, id).Union());
    EXPECT_EQ(decode_error("TokenRevoked", payload), ErrorCode::kCorruption);
  }
}

TEST(BinaryPayload, RejectsSealedTextThatIsNotPersonalFields) {
  FakeVault vault;
  // Release 1 sealed JSON; in a binary payload the sealed text is a buffer.
  Result<std::string> sealed = vault.seal("m-1", R"({"name":"A","email":"a@b.fi","phone":null})");
  ASSERT_TRUE(sealed.ok());
  flatbuffers::FlatBufferBuilder b;
  const auto subject = b.CreateString("m-1");
  const auto bytes =
      b.CreateVector(reinterpret_cast<const std::uint8_t*>(sealed->data()), sealed->size());
  const auto block = fb::CreateSealed(b, subject, bytes);
  const auto id = b.CreateString("m-1");
  const std::string payload = finish(b, fb::Event::MemberDetailsChanged,
                                     fb::CreateMemberDetailsChanged(b, id, block).Union());
  Result<domain::Event> dec = decode("MemberDetailsChanged", 2, payload, vault);
  ASSERT_FALSE(dec.ok());
  EXPECT_EQ(dec.error().code, ErrorCode::kCorruption);
}

}  // namespace
}  // namespace ikv::codec::testing
