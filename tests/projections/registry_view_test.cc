// The whole view: determinism of the fold, redelivery, stream versions,
// members by sector in the network list, and paging across pages.
#include <set>

#include <gtest/gtest.h>

#include "projection_test_support.h"

namespace ikv::projections {
namespace {

using testing::day;
using testing::instant;
using testing::item_field;
using testing::items;
using testing::TestLog;

using Ids = std::vector<std::string>;

const std::string kOulu = domain::network_stream("oulu");
const std::string kVaasa = domain::network_stream("vaasa");

// A log touching every event type.
TestLog mixed_log() {
  TestLog log;
  log.add(kOulu, testing::established("oulu"));
  log.add(kVaasa, testing::established("vaasa"));
  log.add(kOulu, testing::joined("a", "police", "2024-01-10"));
  log.add(kOulu, testing::joined("b", "ngo", "2024-01-11"));
  log.add(kVaasa, testing::joined("c", "police", "2024-02-01"));
  log.add(kOulu, domain::NetworkRenamed{{"Oulu", "Uleåborg", "Oulu"}});
  log.add(kOulu, domain::StewardshipTransferred{"Assistance System", day("2024-01-01")});
  domain::MemberDetailsChanged change;
  change.member_id = "b";
  change.organisation = "Pro-tukipiste";
  log.add(kOulu, change);
  log.add(kOulu, testing::left("a", "2024-06-30", "retired"));
  log.add(kOulu, domain::PersonalDataErased{"b"});
  log.add(kOulu, testing::observed("o1", "forced_marriage", "2024-05-13", {"young people"}));
  log.add(kOulu, domain::TrainingRequested{"r1", "victim_identification", day("2024-05-13"), {}});
  log.add(kOulu, domain::TrainingDelivered{"t1", "victim_identification", day("2024-10-01"), 14});
  log.add(domain::meeting_stream("m1"), testing::scheduled("m1", "oulu", "2024-05-13", {"vaasa"}));
  log.add(domain::meeting_stream("m1"),
          domain::MeetingRescheduled{day("2024-05-14"), std::nullopt, "Oulu city hall"});
  log.add(domain::meeting_stream("m1"), testing::held("2024-05-14", {"b"}, 20));
  log.add(domain::meeting_stream("m2"), testing::scheduled("m2", "vaasa", "2024-04-20"));
  log.add(domain::meeting_stream("m2"), domain::MeetingCancelled{std::nullopt});
  log.add(domain::taxonomy_stream(),
          domain::TaxonomyEntryAdded{domain::TaxonomyKind::kTrainingTopic,
                                     "labour_law",
                                     {"Työlainsäädäntö", "Arbetslagstiftning", "Labour law"}});
  log.add(domain::token_stream("t1"),
          domain::TokenIssued{"t1", "admin-1", domain::Role::kAdmin, {}, std::string(64, 'c')});
  log.add(domain::token_stream("t1"), domain::TokenRevoked{"t1"});
  log.add(domain::token_stream("t2"), domain::TokenIssued{"t2",
                                                          "app-2",
                                                          domain::Role::kAnalyst,
                                                          {},
                                                          std::string(64, 'd'),
                                                          instant("2030-01-01T00:00:00Z")});
  log.add(domain::token_stream("t2"),
          domain::TokenRotated{"t2", std::string(64, 'e'), instant("2025-01-01T00:05:00Z")});
  return log;
}

TEST(RegistryTokens, ARotatedTokenAcceptsItsPreviousSecretUntilTheGraceEnds) {
  const RegistryView view = mixed_log().replay();
  const TokenRecord* by_old = view.find_token_by_hash(std::string(64, 'd'));
  const TokenRecord* by_new = view.find_token_by_hash(std::string(64, 'e'));
  ASSERT_NE(by_old, nullptr);
  ASSERT_EQ(by_old, by_new);
  EXPECT_EQ(by_new->secret_hash, std::string(64, 'e'));
  EXPECT_EQ(by_new->expires_at_us, instant("2030-01-01T00:00:00Z"));
  const std::int64_t grace_end = instant("2025-01-01T00:05:00Z");
  EXPECT_TRUE(by_new->accepts(std::string(64, 'd'), grace_end - 1));
  EXPECT_FALSE(by_new->accepts(std::string(64, 'd'), grace_end));
  EXPECT_TRUE(by_new->accepts(std::string(64, 'e'), grace_end + 1));
  EXPECT_FALSE(by_new->accepts(std::string(64, 'f'), grace_end - 1));
  auto listed = view.token("t2");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->at("expires_at").as_string(), "2030-01-01T00:00:00.000000Z");
  EXPECT_EQ(boost::json::serialize(*listed).find(std::string(64, 'e')), std::string::npos);
}

TEST(RegistryDeterminism, SplitApplicationGivesTheSameViewAsOneGo) {
  const TestLog log = mixed_log();
  const RegistryView whole = log.replay();
  const boost::json::value expected = whole.dump();
  for (std::size_t split = 0; split <= log.entries().size(); ++split) {
    RegistryView view;
    log.apply_to(view, 0, split);
    // Reads between commits do not disturb the fold.
    ASSERT_TRUE(view.networks({}).ok());
    log.apply_to(view, split);
    EXPECT_EQ(view.dump(), expected) << "split at " << split;
    EXPECT_TRUE(view == whole) << "split at " << split;
  }
}

TEST(RegistryDeterminism, DumpChangesWithEveryEvent) {
  const TestLog log = mixed_log();
  std::set<std::string> dumps;
  RegistryView view;
  dumps.insert(boost::json::serialize(view.dump()));
  for (std::size_t i = 0; i < log.entries().size(); ++i) {
    log.apply_to(view, i, i + 1);
    dumps.insert(boost::json::serialize(view.dump()));
  }
  EXPECT_EQ(dumps.size(), log.entries().size() + 1);
}

TEST(RegistryDeterminism, RedeliveredEventsAreIgnored) {
  const TestLog log = mixed_log();
  RegistryView view;
  log.apply_to(view, 0, 10);
  log.apply_to(view);  // positions 1..10 again, then the rest
  EXPECT_EQ(view.position(), log.entries().size());
  EXPECT_EQ(view.dump(), log.replay().dump());
}

TEST(RegistryView, TracksTheVersionOfEveryStream) {
  const TestLog log = mixed_log();
  const RegistryView view = log.replay();
  EXPECT_EQ(view.version_of(kOulu), 11U);
  EXPECT_EQ(view.version_of(kVaasa), 2U);
  EXPECT_EQ(view.version_of(domain::meeting_stream("m1")), 3U);
  EXPECT_EQ(view.version_of(domain::token_stream("t1")), 2U);
  EXPECT_EQ(view.version_of("taxonomy"), 1U);
  EXPECT_EQ(view.version_of("network-nowhere"), 0U);
  auto oulu = view.network("oulu", {});
  ASSERT_TRUE(oulu.ok());
  EXPECT_EQ(oulu->at("version"), 11);
  EXPECT_EQ(view.meeting("m1", log)->at("version"), 3);
}

TEST(RegistryView, EventsForUnknownAggregatesOnlyMoveTheStreamVersion) {
  TestLog log;
  log.add(kOulu, testing::joined("a", "police", "2024-01-10"));
  log.add(domain::meeting_stream("m9"), domain::MeetingCancelled{"x"});
  log.add(kOulu, testing::established("vaasa"));  // wrong stream for this id
  const RegistryView view = log.replay();
  EXPECT_EQ(view.find_network("oulu"), nullptr);
  EXPECT_EQ(view.find_network("vaasa"), nullptr);
  EXPECT_FALSE(view.find_meeting("m9"));
  EXPECT_EQ(view.version_of(kOulu), 2U);
  EXPECT_EQ(view.position(), 3U);
}

TEST(RegistryView, NetworkListShowsCurrentMembersBySector) {
  const RegistryView view = mixed_log().replay();
  auto list = view.networks({});
  ASSERT_TRUE(list.ok());
  const auto& oulu = items(*list)[0].as_object();
  EXPECT_EQ(oulu.at("member_count"), 1);  // a left, b stays (erased)
  EXPECT_EQ(oulu.at("members_by_sector"), (boost::json::object{{"ngo", 1}}));
  EXPECT_EQ(oulu.at("steward"), "Assistance System");
  const auto& vaasa = items(*list)[1].as_object();
  EXPECT_EQ(vaasa.at("members_by_sector"), (boost::json::object{{"police", 1}}));
  EXPECT_EQ(vaasa.at("last_meeting").as_object().at("meeting_id"), "m1");
  auto detail = view.network("oulu", {});
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->at("former_member_count"), 1);
  EXPECT_EQ(detail->at("observation_count"), 1);
}

domain::MemberJoined numbered_member(int i, const domain::Date& on) {
  domain::MemberJoined e = testing::joined("x" + std::to_string(1000 + i), "police", "2020-01-01");
  e.joined_on = on;
  return e;
}

// Walks every page of the roster; `between` runs after the first page.
Ids walk_roster(TestLog& log, RegistryView& view, std::size_t limit,
                const std::function<void()>& between) {
  Ids seen;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    auto answer = view.members("oulu", {.page = {.limit = limit, .cursor = cursor}});
    EXPECT_TRUE(answer.ok());
    if (!answer.ok()) break;
    EXPECT_LE(items(*answer).size(), limit);
    for (const std::string& id : item_field(*answer, "member_id")) seen.push_back(id);
    const auto& next = answer->at("next_cursor");
    cursor = next.is_null() ? std::nullopt : std::optional<std::string>(next.as_string());
    if (++pages == 1 && between) between();
  } while (cursor && pages < 1000);
  (void)log;
  return seen;
}

TEST(RegistryPaging, RosterPagesServeEveryMemberOnce) {
  TestLog log;
  log.add(kOulu, testing::established("oulu"));
  for (int i = 0; i < 250; ++i) {
    log.add(kOulu, numbered_member(i, domain::add_days(day("2024-01-01"), (i * 37) % 90)));
  }
  RegistryView view = log.replay();
  const Ids seen = walk_roster(log, view, 100, {});
  EXPECT_EQ(seen.size(), 250U);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 250U);
  auto all = view.members("oulu", {.page = {.limit = 1000, .cursor = std::nullopt}});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(item_field(*all, "member_id"), seen);
}

TEST(RegistryPaging, MembersJoiningBetweenPagesCauseNoDuplicatesOrGaps) {
  TestLog log;
  log.add(kOulu, testing::established("oulu"));
  for (int i = 0; i < 30; ++i) {
    log.add(kOulu, numbered_member(i, domain::add_days(day("2024-03-01"), i)));
  }
  RegistryView view = log.replay();
  const std::size_t before = log.entries().size();
  const Ids seen = walk_roster(log, view, 10, [&] {
    // One joins before the first page's last key, one after everything.
    log.add(kOulu, numbered_member(500, day("2024-01-01")));
    log.add(kOulu, numbered_member(501, day("2025-01-01")));
    log.apply_to(view, before);
  });
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
  EXPECT_EQ(seen.size(), 31U);  // the 30, plus the one that sorts after the cursor
  EXPECT_EQ(seen.back(), "x1501");
  EXPECT_EQ(std::count(seen.begin(), seen.end(), "x1500"), 0);
}

TEST(RegistryPaging, CalendarPagesAndRejectsForeignCursors) {
  TestLog log;
  log.add(kOulu, testing::established("oulu"));
  for (int i = 0; i < 7; ++i) {
    const std::string id = "m" + std::to_string(i);
    domain::MeetingScheduled s = testing::scheduled(id, "oulu", "2024-01-01");
    s.scheduled_for = domain::add_days(day("2024-01-01"), (i * 3) % 4);  // repeated dates
    log.add(domain::meeting_stream(id), s);
  }
  const RegistryView view = log.replay();
  Ids seen;
  std::optional<std::string> cursor;
  for (int pages = 0; pages < 10; ++pages) {
    auto answer = view.meetings({.page = {.limit = 3, .cursor = cursor}});
    ASSERT_TRUE(answer.ok());
    for (const std::string& id : item_field(*answer, "meeting_id")) seen.push_back(id);
    if (answer->at("next_cursor").is_null()) break;
    cursor = std::string(answer->at("next_cursor").as_string());
  }
  EXPECT_EQ(seen, (Ids{"m0", "m4", "m3", "m2", "m6", "m1", "m5"}));

  auto roster = view.members("oulu", {.page = {.limit = 1, .cursor = std::nullopt}});
  ASSERT_TRUE(roster.ok());
  auto members_cursor = encode_cursor("members", "2024-01-01");
  auto wrong = view.meetings({.page = {.limit = 3, .cursor = members_cursor}});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidArgument);
  auto bad_limit = view.meetings({.page = {.limit = 0, .cursor = std::nullopt}});
  ASSERT_FALSE(bad_limit.ok());
  EXPECT_EQ(bad_limit.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace ikv::projections
