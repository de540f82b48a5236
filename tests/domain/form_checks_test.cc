// form_checks.h: every invalid field of a command at once, first the one its
// decider rejects with.
#include "domain/form_checks.h"

#include "tests/domain/decider_spec.h"

namespace ikv::domain::testing {
namespace {

using K = RejectionKind;

std::vector<std::string> fields_of(const std::vector<Rejection>& issues) {
  std::vector<std::string> out;
  for (const auto& r : issues) out.push_back(r.field);
  return out;
}

TEST(FormChecks, AValidJoinHasNoIssues) {
  EXPECT_TRUE(join_issues(join("m-1", "anna@example.fi"), builtin_taxonomy()).empty());
}

TEST(FormChecks, ListsEveryInvalidFieldOfAJoin) {
  JoinNetwork c = join("m-1", "not-an-address");
  c.personal.name = " ";
  c.sector = "astronauts";
  c.joined_on = Date{2024, 2, 30};
  const auto issues = join_issues(c, builtin_taxonomy());
  EXPECT_EQ(fields_of(issues),
            (std::vector<std::string>{"/name", "/email", "/sector", "/joined_on"}));
  EXPECT_EQ(issues[1].code, "invalid_email");
  EXPECT_EQ(issues[2].code, "unknown_sector");
}

TEST(FormChecks, TheDeciderRejectsAJoinWithTheFirstIssue) {
  JoinNetwork c = join("m-1", "not-an-address");
  c.sector = "astronauts";
  network_spec()
      .given({oulu_established()})
      .when(c)
      .rejects(K::kValidation, "invalid_email", "/email");
}

TEST(FormChecks, ListsEveryInvalidFieldOfAMemberDetailsChange) {
  ChangeMemberDetails c;
  c.member_id = "m-1";
  c.name = " ";
  c.email = "no-address";
  c.organisation = "";
  c.sector = "astronauts";
  const auto issues = details_issues(c, builtin_taxonomy());
  EXPECT_EQ(fields_of(issues),
            (std::vector<std::string>{"/name", "/email", "/organisation", "/sector"}));
  ChangeMemberDetails only_title;
  only_title.member_id = "m-1";
  only_title.title = "";
  EXPECT_TRUE(details_issues(only_title, builtin_taxonomy()).empty());
}

TEST(FormChecks, ListsEveryInvalidFieldOfAnObservation) {
  World world;
  world.meetings.insert({"meeting-in-turku", "turku"});
  const DecisionContext ctx = world.context();
  RecordObservation c;
  c.observation_id = "o-1";
  c.theme = "weather";
  c.observed_on = Date{2023, 2, 29};
  c.target_groups = {"Ukrainians", " "};
  c.meeting_id = "meeting-in-turku";
  const auto issues = observation_issues(c, "oulu", ctx);
  EXPECT_EQ(fields_of(issues), (std::vector<std::string>{"/theme", "/observed_on",
                                                         "/target_groups/1", "/meeting_id"}));
  EXPECT_EQ(issues[0].code, "unknown_theme");
  EXPECT_EQ(issues[3].code, "unknown_meeting");
  EXPECT_EQ(fields_of(observation_issues(c, "turku", ctx)),
            (std::vector<std::string>{"/theme", "/observed_on", "/target_groups/1"}));
}

TEST(FormChecks, ListsEveryInvalidFieldOfAScheduledMeeting) {
  const World world;
  ScheduleMeeting c;
  c.meeting_id = "m";
  c.network_id = "oulu";
  c.joint_with = {"oulu", "turku", "turku", "atlantis"};
  c.scheduled_for = Date{2024, 4, 31};
  c.format = "telepathy";
  c.location = " ";
  c.agenda = {"Welcome", ""};
  const auto issues = schedule_issues(c, world.context());
  EXPECT_EQ(fields_of(issues),
            (std::vector<std::string>{"/joint_with/0", "/joint_with/2", "/joint_with/3",
                                      "/scheduled_for", "/format", "/location", "/agenda/1"}));
  EXPECT_EQ(issues[0].code, "joint_with_organiser");
  EXPECT_EQ(issues[1].code, "duplicate_joint_network");
  EXPECT_EQ(issues[2].code, "unknown_network");
  EXPECT_EQ(issues[4].code, "unknown_meeting_format");
}

TEST(FormChecks, ListsEveryInvalidFieldOfAReschedule) {
  RescheduleMeeting c;
  c.scheduled_for = Date{2024, 2, 30};
  c.format = "telepathy";
  c.location = "";
  EXPECT_EQ(fields_of(reschedule_issues(c, World{}.context())),
            (std::vector<std::string>{"/scheduled_for", "/format", "/location"}));
}

TEST(FormChecks, ListsEveryInvalidFieldOfAMeetingRecord) {
  World world;
  world.members.insert({"oulu", "m-1"});
  world.members.insert({"turku", "m-2"});
  MeetingDetails d;
  d.network_id = "oulu";
  d.joint_with = {"turku"};
  d.format = "in_person";
  MeetingHeld e;
  e.held_on = Date{2024, 6, 31};
  e.attendees = {"m-1", "m-2", "m-1", "stranger"};
  e.attendee_count = 2;
  e.themes = {"forced_labour", "weather"};
  const auto issues = record_issues(d, e, {}, false, world.context());
  EXPECT_EQ(fields_of(issues), (std::vector<std::string>{"/held_on", "/attendees/2", "/attendees/3",
                                                         "/attendee_count", "/themes/1"}));
  EXPECT_EQ(issues[1].code, "duplicate_attendee");
  EXPECT_EQ(issues[2].code, "unknown_attendee");
  EXPECT_EQ(issues[3].code, "attendee_count_too_small");
  EXPECT_EQ(issues[4].code, "unknown_theme");
  // An amendment keeps an attendee recorded before, even one who has left since.
  MeetingHeld amended;
  amended.held_on = Date{2024, 6, 1};
  amended.attendees = {"former"};
  EXPECT_TRUE(record_issues(d, amended, {"former"}, false, world.context()).empty());
  MeetingHeld empty;
  empty.held_on = Date{2024, 6, 1};
  EXPECT_EQ(record_issues(d, empty, {}, false, world.context()).front().code, "attendance_missing");
  // A meeting planned without a format needs one with its record, a known one.
  d.format.reset();
  EXPECT_EQ(fields_of(record_issues(d, empty, {}, false, world.context())),
            (std::vector<std::string>{"/format", "/attendees"}));
  empty.format = "telepathy";
  EXPECT_EQ(record_issues(d, empty, {}, false, world.context()).front().code,
            "unknown_meeting_format");
}

TEST(FormChecks, TheMeetingDeciderRejectsWithTheFirstIssue) {
  ScheduleMeeting c;
  c.meeting_id = "m";
  c.network_id = "oulu";
  c.scheduled_for = Date{2024, 4, 31};
  c.format = "telepathy";
  c.location = "Oulu";
  meeting_spec().when(c).rejects(K::kValidation, "invalid_date", "/scheduled_for");
}

}  // namespace
}  // namespace ikv::domain::testing
