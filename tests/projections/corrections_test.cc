// Corrections in the main view: a network's details changed, a member's
// details corrected (shown before and after by known_at, erased for good with
// the person), an observation retracted (listed, marked, not counted), a held
// meeting's record amended; and all of it through a snapshot of the view.
#include <gtest/gtest.h>

#include "projection_test_support.h"
#include "projections/view_snapshot.h"

namespace ikv::projections {
namespace {

using testing::day;
using testing::instant;
using testing::item_field;
using testing::items;
using testing::TestLog;

namespace json = boost::json;

const std::string kOulu = domain::network_stream("oulu");
const std::string kMeeting = domain::meeting_stream("mt-1");

domain::MemberDetailsChanged corrected(const char* email, std::optional<std::string> sector) {
  domain::MemberDetailsChanged e;
  e.member_id = "m1";
  e.personal = domain::PersonalData{"Anna Virtanen", email, std::nullopt};
  e.sector = std::move(sector);
  e.reason = "typo";
  return e;
}

// m1 joins in January (police) and is corrected in March (ngo, new e-mail);
// o1 is observed and then retracted; mt-1 is held and then amended.
TestLog corrections_log() {
  TestLog log;
  log.at(instant("2024-01-02T08:00:00Z")).add(kOulu, testing::established("oulu"));
  log.at(instant("2024-01-10T10:00:00Z")).add(kOulu, testing::joined("m1", "police", "2024-01-10"));
  log.add(kOulu, testing::observed("o1", "forced_labour", "2024-02-01", {"Berry pickers"}));
  log.add(kOulu, testing::observed("o2", "forced_marriage", "2024-02-02"));
  log.add(kMeeting, testing::scheduled("mt-1", "oulu", "2024-02-10"));
  log.add(kMeeting, testing::held("2024-02-10", {"m1"}, 8));
  log.at(instant("2024-03-01T12:00:00Z")).add(kOulu, corrected("anna@example.org", "ngo"));
  log.add(kOulu, domain::ObservationRetracted{"o1", "recorded twice"});
  log.add(kOulu,
          domain::NetworkDetailsChanged{domain::LocalizedText{"Oulun seutu", "Uleåborg", "Oulu"},
                                        std::nullopt, std::string("Kempele"), std::nullopt});
  log.add(kMeeting,
          domain::MeetingRecordAmended{
              day("2024-02-12"), {"m1"}, 9, {"seasonal_work"}, std::nullopt, "wrong day"});
  return log;
}

json::object member_m1(const RegistryView& view, MemberQuery q) {
  q.include_personal = true;
  auto answer = view.members("oulu", q);
  EXPECT_TRUE(answer.ok());
  if (!answer.ok() || items(*answer).empty()) return {};
  return items(*answer)[0].as_object();
}

TEST(Corrections, NetworkDetailsChangeTheNameAndSeat) {
  const RegistryView view = corrections_log().replay();
  auto n = view.network("oulu", {});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->at("name").at("fi"), "Oulun seutu");
  EXPECT_EQ(n->at("seat"), "Kempele");
  EXPECT_EQ(n->at("region"), json::value(view.find_network("oulu")->region));
}

TEST(Corrections, TheRosterShowsTheCorrectedDetailsAndTheEarlierOnesAsKnownBefore) {
  const RegistryView view = corrections_log().replay();
  const json::object now = member_m1(view, {});
  EXPECT_EQ(now.at("email"), "anna@example.org");
  EXPECT_EQ(now.at("sector"), "ngo");
  const json::object before = member_m1(view, {.known_at_us = instant("2024-02-15T00:00:00Z")});
  EXPECT_EQ(before.at("email"), "m1@example.fi");
  EXPECT_EQ(before.at("sector"), "police");
  // The sector filter as known then.
  EXPECT_EQ(item_field(*view.members("oulu", {.sector = "police",
                                              .known_at_us = instant("2024-02-15T00:00:00Z")}),
                       "member_id"),
            std::vector<std::string>{"m1"});
  EXPECT_TRUE(item_field(*view.members("oulu", {.sector = "police"}), "member_id").empty());
  // A correction is not effective-dated: as_of alone shows what is known now.
  EXPECT_EQ(member_m1(view, {.as_of = day("2024-01-15")}).at("sector"), "ngo");
}

TEST(Corrections, ErasureRemovesTheEarlierPersonalDataToo) {
  TestLog log = corrections_log();
  log.add(kOulu, domain::PersonalDataErased{"m1"});
  const RegistryView view = log.replay();
  for (const auto known : {std::optional<std::int64_t>(),
                           std::optional<std::int64_t>(instant("2024-02-15T00:00:00Z"))}) {
    const json::object m = member_m1(view, {.known_at_us = known});
    EXPECT_TRUE(m.at("email").is_null());
    EXPECT_TRUE(m.at("name").is_null());
    EXPECT_EQ(m.at("erased"), true);
  }
  for (const MemberDetails& d : view.find_network("oulu")->members.at("m1").earlier) {
    EXPECT_TRUE(d.sealed_personal.empty());
  }
}

TEST(Corrections, ARetractedObservationStaysListedMarkedAndLeavesTheCount) {
  const RegistryView view = corrections_log().replay();
  auto list = view.observations("oulu", {});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(items(*list).size(), 2u);
  const auto& o1 = items(*list)[0].as_object();
  EXPECT_EQ(o1.at("observation_id"), "o1");
  EXPECT_EQ(o1.at("retracted"), true);
  EXPECT_EQ(o1.at("retraction_reason"), "recorded twice");
  EXPECT_FALSE(o1.at("retracted_at").is_null());
  EXPECT_EQ(items(*list)[1].at("retracted"), false);
  EXPECT_EQ(view.network("oulu", {})->at("observation_count"), 1);
}

TEST(Corrections, AnAmendedMeetingShowsTheAmendedRecordAndBothEventsInItsHistory) {
  const TestLog log = corrections_log();
  const RegistryView view = log.replay();
  auto m = view.meeting("mt-1", log);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->at("held_on"), "2024-02-12");
  EXPECT_EQ(m->at("attendee_count"), 9);
  EXPECT_EQ(m->at("themes"), json::array{"seasonal_work"});
  const auto& history = m->at("history").as_array();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[1].at("type"), "MeetingHeld");
  EXPECT_EQ(history[1].at("payload").at("held_on"), "2024-02-10");
  EXPECT_EQ(history[2].at("type"), "MeetingRecordAmended");
  EXPECT_EQ(history[2].at("payload").at("reason"), "wrong day");
  // The calendar files it under its amended date.
  auto page = view.meetings({.from = day("2024-02-11")});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(item_field(*page, "meeting_id"), std::vector<std::string>{"mt-1"});
}

TEST(Corrections, ASnapshotOfTheViewKeepsEveryCorrection) {
  const RegistryView view = corrections_log().replay();
  SnapshotWriter out;
  write_view(view, out);
  SnapshotReader in(out.bytes());
  auto loaded = read_view(in, view.personal_seal());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_TRUE(in.at_end());
  EXPECT_TRUE(*loaded == view);
  EXPECT_EQ(loaded->dump(), view.dump());
  // The earlier e-mail is in the body only sealed.
  EXPECT_EQ(out.bytes().find("m1@example.fi"), std::string::npos);
}

}  // namespace
}  // namespace ikv::projections
