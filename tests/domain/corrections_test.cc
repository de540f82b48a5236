// Corrections (release 2): a network's details, a member's details, an
// observation retracted and a held meeting's record amended. Nothing already
// recorded is rewritten: each correction is a new event.
#include "tests/domain/decider_spec.h"

namespace ikv::domain::testing {
namespace {

using K = RejectionKind;

ChangeNetworkDetails change_network() { return {}; }
ChangeMemberDetails change_member(std::string id = "m-1") {
  ChangeMemberDetails c;
  c.member_id = std::move(id);
  return c;
}
ObservationRecorded observed(std::string id = "o-1") {
  return {std::move(id),     "forced_labour", {2024, 5, 2},
          {"Berry pickers"}, std::nullopt,    std::nullopt};
}

// ---- ChangeNetworkDetails ----

TEST(NetworkCorrections, ChangesOneLanguageOfTheNameAndKeepsTheOthers) {
  ChangeNetworkDetails c = change_network();
  c.name.en = " Oulu region ";
  c.reason = " typo ";
  NetworkDetailsChanged e;
  e.name = LocalizedText{"Oulu", "Uleåborg", "Oulu region"};
  e.reason = "typo";
  network_spec().given({oulu_established()}).when(c).then({e});
}

TEST(NetworkCorrections, ChangesRegionAndSeatOnlyWhereTheyDiffer) {
  ChangeNetworkDetails c = change_network();
  c.region = "North Ostrobothnia";
  c.seat = "Kempele";
  NetworkDetailsChanged e;
  e.seat = "Kempele";
  network_spec().given({oulu_established()}).when(c).then({e});
}

TEST(NetworkCorrections, AChangeToTheSameDetailsRecordsNothing) {
  ChangeNetworkDetails c = change_network();
  c.name.fi = "Oulu ";
  c.region = "North Ostrobothnia";
  c.reason = "checked";
  network_spec().given({oulu_established()}).when(c).then_nothing();
  network_spec().given({oulu_established()}).when(change_network()).then_nothing();
}

TEST(NetworkCorrections, ReadsTheNameAsARenameOfRelease1LeftIt) {
  ChangeNetworkDetails c = change_network();
  c.name.fi = "Oulun seutu";
  network_spec()
      .given({oulu_established(), NetworkRenamed{{"Oulun seutu", "Uleåborg", "Oulu"}}})
      .when(c)
      .then_nothing();
}

TEST(NetworkCorrections, RejectsABlankNameRegionOrSeat) {
  ChangeNetworkDetails c = change_network();
  c.name.sv = " ";
  network_spec()
      .given({oulu_established()})
      .when(c)
      .rejects(K::kValidation, "missing_field", "/name/sv");
  c = change_network();
  c.region = "";
  network_spec()
      .given({oulu_established()})
      .when(c)
      .rejects(K::kValidation, "missing_field", "/region");
  c = change_network();
  c.seat = " ";
  network_spec()
      .given({oulu_established()})
      .when(c)
      .rejects(K::kValidation, "missing_field", "/seat");
}

TEST(NetworkCorrections, ANewNameIsWhatTheStateHoldsAfterwards) {
  NetworkDetailsChanged e;
  e.name = LocalizedText{"Oulun seutu", "Uleåborg", "Oulu"};
  e.region = "Northern Finland";
  auto spec = network_spec().given({oulu_established(), e});
  const EstablishedNetwork* n = established(spec.state());
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->name.fi, "Oulun seutu");
  EXPECT_EQ(n->region, "Northern Finland");
  EXPECT_EQ(n->seat, "Oulu");
}

// ---- ChangeMemberDetails ----

TEST(MemberCorrections, RecordsTheReasonWithTheChange) {
  ChangeMemberDetails c = change_member();
  c.organisation = "Oulun kaupunki";
  c.reason = " wrong employer ";
  MemberDetailsChanged e;
  e.member_id = "m-1";
  e.organisation = "Oulun kaupunki";
  e.reason = "wrong employer";
  network_spec().given({oulu_established(), joined("m-1", "anna@example.fi")}).when(c).then({e});
}

TEST(MemberCorrections, ClearsThePhoneWithTheWholeNewPersonalData) {
  MemberJoined j = joined("m-1", "anna@example.fi");
  j.personal->phone = "+358 40 1";
  ChangeMemberDetails c = change_member();
  c.phone = "";
  MemberDetailsChanged e;
  e.member_id = "m-1";
  e.personal = PersonalData{"Person m-1", "anna@example.fi", std::nullopt};
  network_spec().given({oulu_established(), j}).when(c).then({e});
}

TEST(MemberCorrections, ClearsTheTitle) {
  MemberJoined j = joined("m-1", "anna@example.fi");
  j.title = "Inspector";
  ChangeMemberDetails c = change_member();
  c.title = "";
  MemberDetailsChanged e;
  e.member_id = "m-1";
  e.title = "";
  network_spec().given({oulu_established(), j}).when(c).then({e});
}

TEST(MemberCorrections, RejectsAPatchWithNoFieldButTheReason) {
  ChangeMemberDetails c = change_member();
  c.reason = "nothing";
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi")})
      .when(c)
      .rejects(K::kValidation, "nothing_to_change", "");
}

TEST(MemberCorrections, RejectsAnUnknownMember) {
  ChangeMemberDetails c = change_member("m-9");
  c.title = "Chief";
  network_spec().given({oulu_established()}).when(c).rejects(K::kNotFound, "member_not_found");
}

TEST(MemberCorrections, RejectsABlankNameOrOrganisationAndAMalformedEmail) {
  const auto given = std::vector<NetworkEvent>{oulu_established(), joined("m-1", "a@example.fi")};
  ChangeMemberDetails c = change_member();
  c.name = " ";
  network_spec().given(given).when(c).rejects(K::kValidation, "missing_field", "/name");
  c = change_member();
  c.organisation = "";
  network_spec().given(given).when(c).rejects(K::kValidation, "missing_field", "/organisation");
  c = change_member();
  c.email = "anna@";
  network_spec().given(given).when(c).rejects(K::kValidation, "invalid_email", "/email");
  c = change_member();
  c.sector = "fire_brigade";
  network_spec().given(given).when(c).rejects(K::kValidation, "unknown_sector", "/sector");
}

TEST(MemberCorrections, RejectsCorrectingAMemberWhoHasLeft) {
  ChangeMemberDetails c = change_member();
  c.title = "Chief";
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi"),
              MemberLeft{"m-1", {2024, 6, 1}, std::nullopt}})
      .when(c)
      .rejects(K::kConflict, "member_already_left");
}

TEST(MemberCorrections, AChangedEmailFreesTheOldOne) {
  MemberDetailsChanged e;
  e.member_id = "m-1";
  e.personal = PersonalData{"Person m-1", "anna.v@example.fi", std::nullopt};
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi"), e})
      .when(join("m-2", "anna@example.fi"))
      .then({joined("m-2", "anna@example.fi")});
}

// ---- RetractObservation ----

TEST(ObservationCorrections, RetractsAnObservationWithTheReason) {
  network_spec()
      .given({oulu_established(), observed()})
      .when(RetractObservation{"o-1", " recorded twice "})
      .then({ObservationRetracted{"o-1", "recorded twice"}});
}

TEST(ObservationCorrections, RetractingTwiceRecordsNothing) {
  network_spec()
      .given({oulu_established(), observed(), ObservationRetracted{"o-1", "recorded twice"}})
      .when(RetractObservation{"o-1", "again"})
      .then_nothing();
}

TEST(ObservationCorrections, RejectsAnObservationNotOfThisNetwork) {
  network_spec()
      .given({oulu_established(), observed()})
      .when(RetractObservation{"o-2", "wrong"})
      .rejects(K::kNotFound, "observation_not_found");
}

TEST(ObservationCorrections, RejectsARetractionWithoutAReason) {
  network_spec()
      .given({oulu_established(), observed()})
      .when(RetractObservation{"o-1", "  "})
      .rejects(K::kValidation, "missing_field", "/reason");
}

// ---- AmendMeetingRecord ----

MeetingScheduled scheduled_oulu() {
  return {"meet-1", "oulu", {"turku"}, {2024, 10, 8}, "in_person", "Oulu", {}};
}
MeetingHeld held_oulu() {
  return {{2024, 10, 8}, {"m-1"}, 6, {"forced_labour"}, std::string("Good")};
}
World with_members() {
  World w;
  w.members = {{"oulu", "m-1"}, {"oulu", "m-2"}, {"turku", "t-1"}};
  return w;
}
AmendMeetingRecord amend(std::string reason = "wrong day") {
  AmendMeetingRecord c;
  c.reason = std::move(reason);
  return c;
}

TEST(MeetingCorrections, AmendsAHeldMeetingWithTheWholeRecord) {
  AmendMeetingRecord c = amend(" wrong day ");
  c.held_on = Date{2024, 10, 9};
  c.themes = std::vector<std::string>{"forced_labour", "forced_marriage"};
  meeting_spec(with_members())
      .given({scheduled_oulu(), held_oulu()})
      .when(c)
      .then({MeetingRecordAmended{{2024, 10, 9},
                                  {"m-1"},
                                  6,
                                  {"forced_labour", "forced_marriage"},
                                  std::string("Good"),
                                  "wrong day"}});
}

TEST(MeetingCorrections, RemovesTheNotesWithAnEmptyText) {
  AmendMeetingRecord c = amend("no notes were taken");
  c.notes = " ";
  meeting_spec(with_members())
      .given({scheduled_oulu(), held_oulu()})
      .when(c)
      .then({MeetingRecordAmended{
          {2024, 10, 8}, {"m-1"}, 6, {"forced_labour"}, std::nullopt, "no notes were taken"}});
}

TEST(MeetingCorrections, ARecordWhoseAttendanceIsUnknownMayStaySo) {
  AmendMeetingRecord c = amend("the themes were wrong");
  c.themes = std::vector<std::string>{"forced_marriage"};
  meeting_spec(with_members())
      .given({scheduled_oulu(),
              MeetingHeld{{2024, 10, 8}, {}, std::nullopt, {"forced_labour"}, std::nullopt}})
      .when(c)
      .then({MeetingRecordAmended{{2024, 10, 8},
                                  {},
                                  std::nullopt,
                                  {"forced_marriage"},
                                  std::nullopt,
                                  "the themes were wrong"}});
}

TEST(MeetingCorrections, AKnownAttendanceCannotBeAmendedAway) {
  AmendMeetingRecord c = amend("no one came");
  c.attendees = std::vector<std::string>{};
  meeting_spec(with_members())
      .given({scheduled_oulu(),
              MeetingHeld{{2024, 10, 8}, {"m-1"}, std::nullopt, {"forced_labour"}, std::nullopt}})
      .when(c)
      .rejects(K::kValidation, "attendance_missing", "/attendees");
}

TEST(MeetingCorrections, AnAmendmentThatChangesNothingRecordsNothing) {
  AmendMeetingRecord c = amend();
  c.held_on = Date{2024, 10, 8};
  c.attendee_count = 6;
  meeting_spec(with_members()).given({scheduled_oulu(), held_oulu()}).when(c).then_nothing();
}

TEST(MeetingCorrections, KeepsAnAttendeeRecordedBeforeWhoHasSinceLeft) {
  AmendMeetingRecord c = amend("one more attendee");
  c.attendees = std::vector<std::string>{"m-1", "t-1"};
  World w;
  w.members = {{"turku", "t-1"}};  // m-1 has left oulu since the meeting
  meeting_spec(w)
      .given({scheduled_oulu(), held_oulu()})
      .when(c)
      .then({MeetingRecordAmended{{2024, 10, 8},
                                  {"m-1", "t-1"},
                                  6,
                                  {"forced_labour"},
                                  std::string("Good"),
                                  "one more attendee"}});
}

TEST(MeetingCorrections, RejectsANewAttendeeWhoIsNoCurrentMember) {
  AmendMeetingRecord c = amend();
  c.attendees = std::vector<std::string>{"m-1", "p-1"};
  meeting_spec(with_members())
      .given({scheduled_oulu(), held_oulu()})
      .when(c)
      .rejects(K::kValidation, "unknown_attendee", "/attendees/1");
}

TEST(MeetingCorrections, RejectsAnAmendedRecordThatBreaksTheRecordRules) {
  const std::vector<MeetingEvent> given{scheduled_oulu(), held_oulu()};
  AmendMeetingRecord c = amend();
  c.attendee_count = 0;
  c.attendees = std::vector<std::string>{"m-1", "m-2"};
  meeting_spec(with_members())
      .given(given)
      .when(c)
      .rejects(K::kValidation, "attendee_count_too_small", "/attendee_count");
  c = amend();
  c.themes = std::vector<std::string>{"forced_labour", "alchemy"};
  meeting_spec(with_members())
      .given(given)
      .when(c)
      .rejects(K::kValidation, "unknown_theme", "/themes/1");
  c = amend();
  c.held_on = Date{2024, 2, 30};
  meeting_spec(with_members())
      .given(given)
      .when(c)
      .rejects(K::kValidation, "invalid_date", "/held_on");
  c = amend();
  c.attendees = std::vector<std::string>{"m-1", "m-1"};
  meeting_spec(with_members())
      .given(given)
      .when(c)
      .rejects(K::kValidation, "duplicate_attendee", "/attendees/1");
}

TEST(MeetingCorrections, RejectsAnAmendmentWithoutAReason) {
  AmendMeetingRecord c = amend(" ");
  c.notes = "More";
  meeting_spec(with_members())
      .given({scheduled_oulu(), held_oulu()})
      .when(c)
      .rejects(K::kValidation, "missing_field", "/reason");
}

TEST(MeetingCorrections, RejectsAmendingAMeetingNotHeld) {
  meeting_spec(with_members())
      .given({scheduled_oulu()})
      .when(amend())
      .rejects(K::kConflict, "meeting_not_held");
  meeting_spec(with_members())
      .given({scheduled_oulu(), MeetingCancelled{std::nullopt}})
      .when(amend())
      .rejects(K::kConflict, "meeting_cancelled");
  meeting_spec(with_members()).when(amend()).rejects(K::kNotFound, "meeting_not_found");
}

TEST(MeetingCorrections, TheAmendedRecordIsWhatTheStateHoldsAfterwards) {
  auto spec = meeting_spec(with_members())
                  .given({scheduled_oulu(), held_oulu(),
                          MeetingRecordAmended{
                              {2024, 10, 9}, {}, 12, {"forced_marriage"}, std::nullopt, "fixed"}});
  const auto* held = std::get_if<HeldMeeting>(&spec.state());
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->record.held_on, (Date{2024, 10, 9}));
  EXPECT_EQ(held->attendance(), 12);
  EXPECT_EQ(held->record.themes, std::vector<std::string>{"forced_marriage"});
}

}  // namespace
}  // namespace ikv::domain::testing
