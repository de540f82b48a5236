// The roster: current and former members, as_of (effective date), known_at
// (recorded time), personal data hidden from analysts and erased for good.
#include <gtest/gtest.h>

#include "projection_test_support.h"

namespace ikv::projections {
namespace {

using testing::day;
using testing::instant;
using testing::item_field;
using testing::items;
using testing::TestLog;

const std::string kOulu = domain::network_stream("oulu");

using Ids = std::vector<std::string>;

// m4 joined in 2023 but was recorded only in June 2024; m3 was recorded in
// April, ahead of joining in May; m2 left on 31 March, recorded on 2 April.
TestLog roster_log() {
  TestLog log;
  log.at(instant("2024-01-02T08:00:00Z")).add(kOulu, testing::established("oulu"));
  log.at(instant("2024-01-10T10:00:00Z")).add(kOulu, testing::joined("m1", "police", "2024-01-10"));
  log.at(instant("2024-02-01T10:00:00Z")).add(kOulu, testing::joined("m2", "ngo", "2024-02-01"));
  log.at(instant("2024-04-02T09:00:00Z")).add(kOulu, testing::left("m2", "2024-03-31", "moved"));
  log.at(instant("2024-04-20T12:00:00Z")).add(kOulu, testing::joined("m3", "police", "2024-05-01"));
  log.at(instant("2024-06-01T07:00:00Z")).add(kOulu, testing::joined("m4", "kela", "2023-06-01"));
  return log;
}

Ids member_ids(const RegistryView& view, MemberQuery query) {
  auto answer = view.members("oulu", query);
  EXPECT_TRUE(answer.ok()) << (answer.ok() ? "" : answer.error().message);
  return answer.ok() ? item_field(*answer, "member_id") : Ids{};
}

TEST(Roster, ListsCurrentMembersByJoinDateByDefault) {
  const RegistryView view = roster_log().replay();
  EXPECT_EQ(member_ids(view, {}), (Ids{"m4", "m1", "m3"}));
}

TEST(Roster, IncludeFormerListsEveryMemberEver) {
  const RegistryView view = roster_log().replay();
  EXPECT_EQ(member_ids(view, {.include_former = true}), (Ids{"m4", "m1", "m2", "m3"}));
  auto answer = view.members("oulu", {.include_former = true, .include_personal = true});
  ASSERT_TRUE(answer.ok());
  const auto& m2 = items(*answer)[2].as_object();
  EXPECT_EQ(m2.at("left_on"), "2024-03-31");
  EXPECT_EQ(m2.at("leave_reason"), "moved");
  EXPECT_EQ(m2.at("left_recorded_at"), "2024-04-02T09:00:00.000000Z");
  EXPECT_EQ(m2.at("joined_recorded_at"), "2024-02-01T10:00:00.000000Z");
}

TEST(Roster, AsOfCountsFromJoinedOnUpToButNotIncludingLeftOn) {
  const RegistryView view = roster_log().replay();
  EXPECT_EQ(member_ids(view, {.as_of = day("2024-01-09")}), (Ids{"m4"}));
  EXPECT_EQ(member_ids(view, {.as_of = day("2024-01-10")}), (Ids{"m4", "m1"}));
  EXPECT_EQ(member_ids(view, {.as_of = day("2024-03-30")}), (Ids{"m4", "m1", "m2"}));
  EXPECT_EQ(member_ids(view, {.as_of = day("2024-03-31")}), (Ids{"m4", "m1"}));
  EXPECT_EQ(member_ids(view, {.as_of = day("2024-05-01")}), (Ids{"m4", "m1", "m3"}));
}

TEST(Roster, KnownAtHidesJoinsAndLeavesRecordedLater) {
  const RegistryView view = roster_log().replay();
  // On 1 April the registry knew m1 and m2, and not yet that m2 had left.
  const auto april_first = instant("2024-04-01T00:00:00Z");
  EXPECT_EQ(member_ids(view, {.known_at_us = april_first}), (Ids{"m1", "m2"}));
  auto answer = view.members("oulu", {.known_at_us = april_first});
  ASSERT_TRUE(answer.ok());
  EXPECT_TRUE(items(*answer)[1].as_object().at("left_on").is_null());
  EXPECT_TRUE(items(*answer)[1].as_object().at("leave_reason").is_null());
  // A fact recorded exactly at known_at is known.
  EXPECT_EQ(member_ids(view, {.known_at_us = instant("2024-04-02T09:00:00Z")}), (Ids{"m1"}));
  EXPECT_EQ(member_ids(view, {.known_at_us = instant("2024-04-02T08:59:59.999999Z")}),
            (Ids{"m1", "m2"}));
}

TEST(Roster, KnownAtCombinesWithAsOf) {
  const RegistryView view = roster_log().replay();
  // m4 counted on 31 Dec 2023 only once the backfill was recorded.
  EXPECT_EQ(member_ids(
                view, {.as_of = day("2023-12-31"), .known_at_us = instant("2024-05-31T00:00:00Z")}),
            Ids{});
  EXPECT_EQ(member_ids(
                view, {.as_of = day("2023-12-31"), .known_at_us = instant("2024-06-01T07:00:00Z")}),
            (Ids{"m4"}));
  // Before the leave was recorded, m2 still counted on 1 April.
  EXPECT_EQ(member_ids(
                view, {.as_of = day("2024-04-01"), .known_at_us = instant("2024-04-01T12:00:00Z")}),
            (Ids{"m1", "m2"}));
}

TEST(Roster, AnalystViewHidesPersonalFields) {
  const RegistryView view = roster_log().replay();
  auto analyst = view.members("oulu", {.include_personal = false});
  auto coordinator = view.members("oulu", {.include_personal = true});
  ASSERT_TRUE(analyst.ok());
  ASSERT_TRUE(coordinator.ok());
  const auto& hidden = items(*analyst)[1].as_object();
  EXPECT_EQ(hidden.at("member_id"), "m1");
  EXPECT_TRUE(hidden.at("name").is_null());
  EXPECT_TRUE(hidden.at("email").is_null());
  EXPECT_TRUE(hidden.at("phone").is_null());
  EXPECT_EQ(hidden.at("erased"), false);
  EXPECT_EQ(hidden.at("organisation"), "Organisation of m1");
  EXPECT_EQ(hidden.at("sector"), "police");
  const auto& shown = items(*coordinator)[1].as_object();
  EXPECT_EQ(shown.at("name"), "Anna Virtanen");
  EXPECT_EQ(shown.at("email"), "m1@example.fi");
  EXPECT_EQ(shown.at("phone"), "+358 40 123 4567");
}

TEST(Roster, ErasureNullsPersonalDataAndKeepsCounts) {
  TestLog log = roster_log();
  const RegistryView before = log.replay();
  log.add(kOulu, domain::PersonalDataErased{"m1"});
  const RegistryView after = log.replay();

  auto answer = after.members("oulu", {.include_personal = true});
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(item_field(*answer, "member_id"), (Ids{"m4", "m1", "m3"}));
  const auto& m1 = items(*answer)[1].as_object();
  EXPECT_EQ(m1.at("erased"), true);
  EXPECT_TRUE(m1.at("name").is_null());
  EXPECT_TRUE(m1.at("email").is_null());
  EXPECT_TRUE(m1.at("phone").is_null());
  EXPECT_EQ(m1.at("sector"), "police");

  auto n_before = before.network("oulu", {});
  auto n_after = after.network("oulu", {});
  ASSERT_TRUE(n_before.ok());
  ASSERT_TRUE(n_after.ok());
  EXPECT_EQ(n_after->at("member_count"), 3);
  EXPECT_EQ(n_after->at("members_by_sector"), n_before->at("members_by_sector"));
  // Nothing of the person is left anywhere in the view.
  EXPECT_EQ(boost::json::serialize(after.dump()).find("m1@example.fi"), std::string::npos);
}

TEST(Roster, ReplayWithoutTheErasedKeyGivesTheSameView) {
  TestLog live = roster_log();
  live.add(kOulu, domain::PersonalDataErased{"m1"});
  // After erasure the codec decodes m1's join without personal data.
  TestLog replayed;
  for (const auto& entry : live.entries()) {
    domain::Event e = entry.event;
    if (auto* j = std::get_if<domain::MemberJoined>(&e); j != nullptr && j->member_id == "m1") {
      j->personal.reset();
    }
    replayed.at(entry.meta.recorded_at_us).as(entry.meta.metadata.actor).add(entry.meta.stream, e);
  }
  EXPECT_EQ(live.replay().dump(), replayed.replay().dump());
  EXPECT_TRUE(live.replay() == replayed.replay());
}

TEST(Roster, DetailsChangesMoveSectorsButNotErasedData) {
  TestLog log = roster_log();
  domain::MemberDetailsChanged to_kela;
  to_kela.member_id = "m1";
  to_kela.sector = "kela";
  to_kela.title = "";
  log.add(kOulu, to_kela);
  log.add(kOulu, domain::PersonalDataErased{"m1"});
  domain::MemberDetailsChanged late;
  late.member_id = "m1";
  late.personal = domain::PersonalData{"New Name", "new@example.fi", std::nullopt};
  log.add(kOulu, late);
  const RegistryView view = log.replay();

  EXPECT_EQ(member_ids(view, {.sector = "kela"}), (Ids{"m4", "m1"}));
  EXPECT_EQ(member_ids(view, {.sector = "police"}), (Ids{"m3"}));
  auto answer = view.members("oulu", {.sector = "kela", .include_personal = true});
  ASSERT_TRUE(answer.ok());
  const auto& m1 = items(*answer)[1].as_object();
  EXPECT_TRUE(m1.at("title").is_null());
  EXPECT_TRUE(m1.at("name").is_null());
  EXPECT_EQ(m1.at("erased"), true);
}

TEST(Roster, RejectsUnknownNetworkAndUnknownSector) {
  const RegistryView view = roster_log().replay();
  auto no_network = view.members("tampere", {});
  ASSERT_FALSE(no_network.ok());
  EXPECT_EQ(no_network.error().code, ErrorCode::kNotFound);
  auto bad_sector = view.members("oulu", {.sector = "astronauts"});
  ASSERT_FALSE(bad_sector.ok());
  EXPECT_EQ(bad_sector.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad_sector.error().message.rfind("sector:", 0), 0U);
}

}  // namespace
}  // namespace ikv::projections
