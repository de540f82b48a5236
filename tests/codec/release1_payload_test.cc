// Payloads as release 1 stored them (JSON, schema versions up to each type's
// last JSON version) still decode to the same domain events. The texts below
// are what release 1's encoder wrote for sample_events() with a fresh
// FakeVault: they are history, never to be regenerated from today's code.
#include <gtest/gtest.h>

#include <iterator>
#include <set>

#include "codec/event_codec.h"
#include "codec/release1.h"
#include "tests/codec/fake_vault.h"
#include "tests/codec/sample_events.h"

namespace ikv::codec::testing {
namespace {

struct Release1Payload {
  std::size_t sample;  // index into sample_events()
  std::string_view type;
  std::uint32_t schema_version;
  std::string_view payload;
};

// clang-format off
constexpr Release1Payload kRelease1[] = {
      {0, "NetworkEstablished", 1, R"({"network_id":"south-karelia","name":{"fi":"Etelä-Karjala","sv":"Södra Karelen","en":"South Karelia"},"region":"South Karelia","seat":"Lappeenranta","steward":"Pro-tukipiste","established_on":"2023-02-01"})"},
      {1, "NetworkRenamed", 1, R"({"name":{"fi":"Etelä-Karjalan IKV","sv":"Södra Karelens IKV","en":"South Karelia IKV"}})"},
      {2, "StewardshipTransferred", 1, R"({"steward":"Ihmiskaupan uhrien auttamisjärjestelmä","effective_on":"2024-01-01"})"},
      {3, "MemberJoined", 2, R"({"member_id":"m-anna","organisation":"Oulun poliisilaitos","sector":"police","title":"Rikoskomisario","joined_on":"2024-05-14","personal":{"subject":"m-anna","sealed":"1049050a060e4951492a05050a4b3d02191f0a050e054947490e060a02074951490a05050a451d02191f0a050e052b0e130a061b070e450d024947491b0304050e49514940585e534b5f5b4b5a59584b5f5e5d5c4916"}})"},
      {4, "MemberJoined", 2, R"({"member_id":"m-bert","organisation":"Kela","sector":"kela","title":null,"joined_on":"2024-04-02","personal":{"subject":"m-bert","sealed":"075e121d11195e465e3e190e085e505e19111d15105e465e1e190e083c19041d110c1019521a155e505e0c141312195e461209101001"}})"},
      {5, "MemberLeft", 1, R"({"member_id":"m-bert","left_on":"2024-09-30","reason":"new job"})"},
      {6, "MemberLeft", 1, R"({"member_id":"m-bert","left_on":"2024-09-30","reason":null})"},
      {7, "MemberDetailsChanged", 1, R"({"member_id":"m-anna","organisation":"Poliisihallitus","sector":"border_guard","title":"","personal":{"subject":"m-anna","sealed":"1049050a060e4951492a05050a4b3d454947490e060a02074951490a05050a2b0e130a061b070e450d024947491b0304050e4951051e070716"}})"},
      {8, "MemberDetailsChanged", 1, R"({"member_id":"m-anna","organisation":null,"sector":"kela","title":null,"personal":null})"},
      {9, "PersonalDataErased", 1, R"({"member_id":"m-anna"})"},
      {10, "ObservationRecorded", 1, R"({"observation_id":"o-1","theme":"forced_labour","observed_on":"2024-04-17","target_groups":["Thai","Ukrainian"],"meeting_id":"meet-1","summary":"Berry pickers"})"},
      {11, "ObservationRecorded", 1, R"({"observation_id":"o-2","theme":"forced_marriage","observed_on":"2024-05-03","target_groups":[],"meeting_id":null,"summary":null})"},
      {12, "TrainingRequested", 1, R"({"request_id":"r-1","topic":"victim_identification","requested_on":"2024-05-03","notes":"autumn"})"},
      {13, "TrainingDelivered", 1, R"({"training_id":"t-1","topic":"trafficking_phenomenon","delivered_on":"2024-10-01","participants":42})"},
      {14, "MeetingScheduled", 1, R"({"meeting_id":"meet-1","network_id":"south-karelia","joint_with":["oulu"],"scheduled_for":"2024-04-17","format":"in_person","location":"Joutseno","agenda":["Tutustuminen","Ajankohtaiset asiat"]})"},
      {15, "MeetingRescheduled", 1, R"({"scheduled_for":"2024-04-18","format":"hybrid","location":null})"},
      {16, "MeetingRescheduled", 1, R"({"scheduled_for":"2024-04-19","format":null,"location":"Lappeenranta"})"},
      {17, "MeetingCancelled", 1, R"({"reason":"illness"})"},
      {18, "MeetingCancelled", 1, R"({"reason":null})"},
      {19, "MeetingHeld", 1, R"({"held_on":"2024-04-17","attendees":["m-anna"],"attendee_count":17,"themes":["forced_labour","seasonal_work"],"notes":"Good turnout"})"},
      {20, "MeetingHeld", 1, R"({"held_on":"2024-04-17","attendees":[],"attendee_count":null,"themes":[],"notes":null})"},
      {21, "TaxonomyEntryAdded", 1, R"({"kind":"theme","code":"debt_bondage","labels":{"fi":"Velkaorjuus","sv":"Skuldslaveri","en":"Debt bondage"}})"},
      {22, "TokenIssued", 1, R"({"token_id":"tok-1","name":"oulu-app","role":"coordinator","networks":["oulu"],"secret_hash":"9f86d081884c7d65"})"},
      {23, "TokenRevoked", 1, R"({"token_id":"tok-1"})"},
};
// clang-format on

// A vault with the keys release 1's run made, in the same order.
FakeVault release1_vault() {
  FakeVault vault;
  (void)vault.seal("m-anna", "");
  (void)vault.seal("m-bert", "");
  return vault;
}

TEST(Release1Payload, EveryTypeDecodesToTheSameEvent) {
  FakeVault vault = release1_vault();
  const std::vector<domain::Event> samples = sample_events();
  ASSERT_EQ(std::size(kRelease1), kRelease1Samples);
  std::set<std::string_view> types;
  for (const Release1Payload& stored : kRelease1) {
    Result<domain::Event> dec = decode(stored.type, stored.schema_version, stored.payload, vault);
    ASSERT_TRUE(dec.ok()) << stored.type << ": " << dec.error().message;
    EXPECT_TRUE(*dec == samples[stored.sample]) << stored.payload;
    types.insert(stored.type);
  }
  // Every type of release 1: those with a JSON version (their binary one is 2 or more).
  std::set<std::string_view> release1_types;
  for (std::string_view name : event_type_names()) {
    if (*current_schema_version(name) > 1) release1_types.insert(name);
  }
  EXPECT_EQ(types, release1_types);
}

TEST(Release1Payload, ReadsErasedSubjectsAsErased) {
  FakeVault vault = release1_vault();
  vault.erase("m-anna");
  const Release1Payload& joined = kRelease1[3];
  Result<domain::Event> j = decode(joined.type, joined.schema_version, joined.payload, vault);
  ASSERT_TRUE(j.ok()) << j.error().message;
  EXPECT_FALSE(std::get<domain::MemberJoined>(*j).personal.has_value());
  const Release1Payload& changed = kRelease1[7];
  Result<domain::Event> c = decode(changed.type, changed.schema_version, changed.payload, vault);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_FALSE(std::get<domain::MemberDetailsChanged>(*c).personal.has_value());
  EXPECT_TRUE(std::get<domain::MemberDetailsChanged>(*c).personal_erased);
}

TEST(Release1Payload, TheJsonWriterStillWritesWhatReleaseOneWrote) {
  FakeVault vault;
  const std::vector<domain::Event> samples = sample_events();
  for (const Release1Payload& stored : kRelease1) {
    Result<std::string> json = encode_release1(samples[stored.sample], vault);
    ASSERT_TRUE(json.ok());
    EXPECT_EQ(*json, stored.payload) << stored.type;
  }
}

TEST(Release1Payload, IsNotTakenForTheBinaryForm) {
  // A release-1 payload under the type's current (binary) version is corrupt,
  // never guessed at: the version alone says which form a payload has.
  FakeVault vault = release1_vault();
  for (const Release1Payload& stored : kRelease1) {
    Result<domain::Event> dec =
        decode(stored.type, *current_schema_version(stored.type), stored.payload, vault);
    ASSERT_FALSE(dec.ok()) << stored.type;
    EXPECT_EQ(dec.error().code, ErrorCode::kCorruption);
  }
}

}  // namespace
}  // namespace ikv::codec::testing
