// The wishes of a network and the national findings in the registry view:
// listed in their order, the accessors the reports read, and kept by a snapshot.
#include <gtest/gtest.h>

#include "projection_test_support.h"
#include "projections/registry_view.h"
#include "projections/view_snapshot.h"

namespace ikv::projections {
namespace {

using testing::day;
using testing::item_field;
using testing::items;
using testing::TestLog;

const std::string kOulu = domain::network_stream("oulu");
const std::string kNational = domain::national_stream();

domain::WishRecorded wish(const char* id, domain::WishKind kind, domain::Date on,
                          std::optional<std::string> format = std::nullopt) {
  return {id, kind, std::string("wish ") + id, on, std::move(format)};
}

TestLog field_log() {
  TestLog log;
  log.add(kOulu, testing::established("oulu"));
  log.add(kOulu, wish("w1", domain::WishKind::kTraining, day("2024-11-05")));
  log.add(kOulu, wish("w2", domain::WishKind::kMeetingFormat, domain::month_date(2024, 11),
                      std::string("remote")));
  log.add(kOulu, wish("w3", domain::WishKind::kJointMeeting, day("2024-10-01")));
  log.add(kNational, testing::observed("n1", "labour_exploitation", "2024-08-02", {"thai"}));
  log.add(kNational, testing::observed("n2", "forced_marriage", "2024-07-01", {}));
  log.add(kNational, domain::ObservationRetracted{"n1", "recorded twice"});
  log.add(kOulu, testing::observed("o1", "forced_marriage", "2024-05-13", {}));
  return log;
}

TEST(Wishes, AreListedByDateThenRecordingOrder) {
  const RegistryView view = field_log().replay();
  auto page = view.wishes("oulu", {});
  ASSERT_TRUE(page.ok());
  // "2024-11" sorts as its first day: before 2024-11-05.
  EXPECT_EQ(item_field(*page, "wish_id"), (std::vector<std::string>{"w3", "w2", "w1"}));
  EXPECT_EQ(items(*page)[1].at("recorded_on"), "2024-11");
  EXPECT_EQ(items(*page)[1].at("format"), "remote");
  EXPECT_EQ(items(*page)[1].at("kind"), "meeting_format");
  EXPECT_TRUE(items(*page)[0].at("format").is_null());
  auto first = view.wishes("oulu", {.limit = 2});
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->at("next_cursor").is_string());
  auto rest = view.wishes(
      "oulu", {.limit = 2, .cursor = std::string(first->at("next_cursor").as_string())});
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(item_field(*rest, "wish_id"), std::vector<std::string>{"w1"});
  EXPECT_EQ(view.wishes("nowhere", {}).error().code, ErrorCode::kNotFound);
}

TEST(Wishes, TheAccessorHoldsThemInLogOrder) {
  const RegistryView view = field_log().replay();
  const auto& wishes = view.wishes_of("oulu");
  ASSERT_EQ(wishes.size(), 3u);
  EXPECT_EQ(wishes[0].kind, domain::WishKind::kTraining);
  EXPECT_EQ(wishes[1].recorded_on, domain::month_date(2024, 11));
  EXPECT_TRUE(view.wishes_of("nowhere").empty());
}

TEST(NationalFindings, AreListedWithNoNetworkAndNoNetworkListsThem) {
  const RegistryView view = field_log().replay();
  auto page = view.national_observations({});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(item_field(*page, "observation_id"), (std::vector<std::string>{"n2", "n1"}));
  EXPECT_TRUE(items(*page)[0].at("network").is_null());
  EXPECT_EQ(items(*page)[1].at("retracted"), true);
  auto themed = view.national_observations({.theme = "forced_marriage"});
  ASSERT_TRUE(themed.ok());
  EXPECT_EQ(item_field(*themed, "observation_id"), std::vector<std::string>{"n2"});
  auto oulu = view.observations("oulu", {});
  ASSERT_TRUE(oulu.ok());
  EXPECT_EQ(item_field(*oulu, "observation_id"), std::vector<std::string>{"o1"});
  EXPECT_EQ(items(*oulu)[0].at("network"), "oulu");
  EXPECT_EQ(view.find_network("national"), nullptr);
}

TEST(NationalFindings, TheAccessorHoldsThemWithTheirRetraction) {
  const RegistryView view = field_log().replay();
  const auto& found = view.national_findings();
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].observation_id, "n1");
  EXPECT_TRUE(found[0].retracted);
  EXPECT_EQ(found[0].target_groups, std::vector<std::string>{"thai"});
  EXPECT_FALSE(found[1].retracted);
  EXPECT_EQ(*view.taxonomy().family(found[0].theme), "forced_labour");
}

TEST(FieldView, ASnapshotKeepsWishesAndNationalFindings) {
  const RegistryView view = field_log().replay();
  SnapshotWriter out;
  write_view(view, out);
  SnapshotReader in(out.bytes());
  auto loaded = read_view(in, view.personal_seal());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_TRUE(in.at_end());
  EXPECT_TRUE(*loaded == view);
  EXPECT_EQ(loaded->dump(), view.dump());
  // The indexes are rebuilt: the lists answer as before.
  EXPECT_EQ(boost::json::serialize(*loaded->national_observations({})),
            boost::json::serialize(*view.national_observations({})));
  EXPECT_EQ(boost::json::serialize(*loaded->wishes("oulu", {})),
            boost::json::serialize(*view.wishes("oulu", {})));
}

TEST(FieldView, SplitApplicationGivesTheSameViewAsOneGo) {
  const TestLog log = field_log();
  const RegistryView whole = log.replay();
  for (std::size_t split = 0; split <= log.entries().size(); ++split) {
    RegistryView view;
    log.apply_to(view, 0, split);
    log.apply_to(view, split);
    EXPECT_TRUE(view == whole) << "split at " << split;
  }
}

}  // namespace
}  // namespace ikv::projections
