// The meeting decider: scheduling, moving, cancelling and recording meetings.
#include "tests/domain/decider_spec.h"

namespace ikv::domain::testing {
namespace {

using K = RejectionKind;

ScheduleMeeting schedule(std::vector<std::string> joint = {}) {
  return {"meet-1", "oulu", std::move(joint), {2024, 10, 8}, "in_person", " Oulu ", {" Welcome "}};
}
MeetingScheduled scheduled(std::vector<std::string> joint = {}) {
  return {"meet-1", "oulu", std::move(joint), {2024, 10, 8}, "in_person", "Oulu", {"Welcome"}};
}
RecordMeetingHeld record(std::vector<std::string> attendees, std::optional<int> count) {
  return {{2024, 10, 8}, std::move(attendees), count, {"forced_labour"}, std::nullopt};
}
World with_members() {
  World w;
  w.members = {{"oulu", "m-1"}, {"oulu", "m-2"}, {"turku", "t-1"}, {"tampere", "p-1"}};
  return w;
}

TEST(MeetingDecider, SchedulesAJointMeeting) {
  meeting_spec().when(schedule({"turku"})).then({scheduled({"turku"})});
}

TEST(MeetingDecider, RejectsSchedulingForAnUnknownOrganiser) {
  ScheduleMeeting c = schedule();
  c.network_id = "vaasa";
  meeting_spec().when(c).rejects(K::kNotFound, "network_not_found");
}

TEST(MeetingDecider, RejectsAJointNetworkThatDoesNotExist) {
  meeting_spec()
      .when(schedule({"turku", "vaasa"}))
      .rejects(K::kValidation, "unknown_network", "/joint_with/1");
}

TEST(MeetingDecider, RejectsTheOrganiserAsAJointNetwork) {
  meeting_spec()
      .when(schedule({"oulu"}))
      .rejects(K::kValidation, "joint_with_organiser", "/joint_with/0");
}

TEST(MeetingDecider, RejectsADuplicateJointNetwork) {
  meeting_spec()
      .when(schedule({"turku", "turku"}))
      .rejects(K::kValidation, "duplicate_joint_network", "/joint_with/1");
}

TEST(MeetingDecider, RejectsAFormatNotInTheTaxonomy) {
  ScheduleMeeting c = schedule();
  c.format = "webinar";
  meeting_spec().when(c).rejects(K::kValidation, "unknown_meeting_format", "/format");
}

TEST(MeetingDecider, RejectsSchedulingTwice) {
  meeting_spec().given({scheduled()}).when(schedule()).rejects(K::kConflict, "meeting_exists");
}

TEST(MeetingDecider, RejectsCommandsOnAMeetingThatDoesNotExist) {
  meeting_spec().when(CancelMeeting{}).rejects(K::kNotFound, "meeting_not_found");
  meeting_spec().when(record({}, 5)).rejects(K::kNotFound, "meeting_not_found");
}

TEST(MeetingDecider, ReschedulesOnlyWhatChanged) {
  meeting_spec()
      .given({scheduled()})
      .when(RescheduleMeeting{{2024, 10, 15}, "remote", std::string("Oulu")})
      .then({MeetingRescheduled{{2024, 10, 15}, std::string("remote"), std::nullopt}});
}

TEST(MeetingDecider, ReschedulingToTheSameDateChangesNothing) {
  meeting_spec()
      .given({scheduled()})
      .when(RescheduleMeeting{{2024, 10, 8}, std::nullopt, std::nullopt})
      .then_nothing();
}

TEST(MeetingDecider, RejectsReschedulingAHeldMeeting) {
  meeting_spec()
      .given({scheduled(), MeetingHeld{{2024, 10, 8}, {}, 12, {}, std::nullopt}})
      .when(RescheduleMeeting{{2024, 11, 1}, std::nullopt, std::nullopt})
      .rejects(K::kConflict, "meeting_already_held");
}

TEST(MeetingDecider, RejectsReschedulingACancelledMeeting) {
  meeting_spec()
      .given({scheduled(), MeetingCancelled{}})
      .when(RescheduleMeeting{{2024, 11, 1}, std::nullopt, std::nullopt})
      .rejects(K::kConflict, "meeting_cancelled");
}

TEST(MeetingDecider, CancelsAMeeting) {
  meeting_spec()
      .given({scheduled()})
      .when(CancelMeeting{" storm "})
      .then({MeetingCancelled{std::string("storm")}});
}

TEST(MeetingDecider, CancellingTwiceChangesNothing) {
  meeting_spec().given({scheduled(), MeetingCancelled{}}).when(CancelMeeting{}).then_nothing();
}

TEST(MeetingDecider, RejectsCancellingAHeldMeeting) {
  meeting_spec()
      .given({scheduled(), MeetingHeld{{2024, 10, 8}, {}, 12, {}, std::nullopt}})
      .when(CancelMeeting{})
      .rejects(K::kConflict, "meeting_already_held");
}

TEST(MeetingDecider, RecordsAMeetingAsHeld) {
  meeting_spec(with_members())
      .given({scheduled({"turku"})})
      .when(record({"m-1", "t-1"}, 14))
      .then({MeetingHeld{{2024, 10, 8}, {"m-1", "t-1"}, 14, {"forced_labour"}, std::nullopt}});
}

TEST(MeetingDecider, RejectsRecordingACancelledMeeting) {
  meeting_spec()
      .given({scheduled(), MeetingCancelled{}})
      .when(record({}, 5))
      .rejects(K::kConflict, "meeting_cancelled");
}

TEST(MeetingDecider, RejectsRecordingTwice) {
  meeting_spec()
      .given({scheduled(), MeetingHeld{{2024, 10, 8}, {}, 12, {}, std::nullopt}})
      .when(record({}, 12))
      .rejects(K::kConflict, "meeting_already_held");
}

TEST(MeetingDecider, RejectsAnAttendeeWhoIsNotAMemberOfTheMeetingsNetworks) {
  meeting_spec(with_members())
      .given({scheduled({"turku"})})
      .when(record({"m-1", "p-1"}, std::nullopt))
      .rejects(K::kValidation, "unknown_attendee", "/attendees/1");
}

TEST(MeetingDecider, RejectsADuplicateAttendee) {
  meeting_spec(with_members())
      .given({scheduled()})
      .when(record({"m-1", "m-1"}, std::nullopt))
      .rejects(K::kValidation, "duplicate_attendee", "/attendees/1");
}

TEST(MeetingDecider, RejectsAnAttendeeCountBelowTheAttendees) {
  meeting_spec(with_members())
      .given({scheduled()})
      .when(record({"m-1", "m-2"}, 1))
      .rejects(K::kValidation, "attendee_count_too_small", "/attendee_count");
}

TEST(MeetingDecider, RejectsARecordWithoutAttendance) {
  meeting_spec()
      .given({scheduled()})
      .when(record({}, std::nullopt))
      .rejects(K::kValidation, "attendance_missing", "/attendees");
}

TEST(MeetingDecider, RecordsAMeetingWhoseAttendanceIsUnknown) {
  RecordMeetingHeld c = record({}, std::nullopt);
  c.held_on = month_date(2024, 4);
  c.attendance_unknown = true;
  meeting_spec()
      .given({scheduled()})
      .when(c)
      .then({MeetingHeld{month_date(2024, 4), {}, std::nullopt, {"forced_labour"}, std::nullopt}});
}

TEST(MeetingDecider, AnUnknownAttendanceStillTakesTheAttendeesGiven) {
  RecordMeetingHeld c = record({"m-1"}, std::nullopt);
  c.attendance_unknown = true;
  meeting_spec(with_members())
      .given({scheduled()})
      .when(c)
      .then({MeetingHeld{{2024, 10, 8}, {"m-1"}, std::nullopt, {"forced_labour"}, std::nullopt}});
}

TEST(MeetingDecider, RejectsAnImpossibleHeldOnDate) {
  RecordMeetingHeld c = record({}, 3);
  c.held_on = {2024, 4, 31};
  meeting_spec().given({scheduled()}).when(c).rejects(K::kValidation, "invalid_date", "/held_on");
}

TEST(MeetingDecider, RejectsAThemeNotInTheTaxonomy) {
  RecordMeetingHeld c = record({}, 3);
  c.themes = {"forced_labour", "hybrid"};
  meeting_spec().given({scheduled()}).when(c).rejects(K::kValidation, "unknown_theme", "/themes/1");
}

TEST(MeetingState, FollowsTheMeetingsLife) {
  MeetingState s = evolve(initial_meeting_state(), scheduled({"turku"}));
  EXPECT_EQ(status_name(s), "scheduled");
  ASSERT_NE(details(s), nullptr);
  EXPECT_TRUE(details(s)->involves("turku"));
  EXPECT_FALSE(details(s)->involves("tampere"));
  s = evolve(std::move(s), MeetingHeld{{2024, 10, 8}, {"m-1"}, std::nullopt, {}, std::nullopt});
  ASSERT_EQ(status_name(s), "held");
  EXPECT_EQ(std::get<HeldMeeting>(s).attendance(), 1);
  s = evolve(std::move(s), MeetingCancelled{});
  EXPECT_EQ(status_name(s), "held");
}

}  // namespace
}  // namespace ikv::domain::testing
