// The field's model in the deciders: dates known to the month, unknown
// founding dates and formats, stewards written as lists.
#include "tests/domain/decider_spec.h"

namespace ikv::domain::testing {
namespace {

using K = RejectionKind;

const Date kApril = month_date(2024, 4);

EstablishNetwork establish_karelia() {
  EstablishNetwork c;
  c.network_id = "karelia";
  c.name = {"Etelä-Karjala", "Södra Karelen", "South Karelia"};
  c.region = "South Karelia";
  c.seat = "Lappeenranta";
  c.stewards = {" Victim Support Finland ", "Pro-tukipiste"};
  c.stewards_listed = true;
  return c;
}

NetworkEstablished karelia_established() {
  NetworkEstablished e;
  e.network_id = "karelia";
  e.name = {"Etelä-Karjala", "Södra Karelen", "South Karelia"};
  e.region = "South Karelia";
  e.seat = "Lappeenranta";
  e.stewards = {"Victim Support Finland", "Pro-tukipiste"};
  return e;
}

// ---- stewards and an unknown founding date ----

TEST(FieldModel, EstablishesANetworkOfUnknownDateRunByTwoOrganisations) {
  network_spec().when(establish_karelia()).then({karelia_established()});
}

TEST(FieldModel, EstablishesANetworkFoundedInAMonth) {
  EstablishNetwork c = establish_karelia();
  c.established_on = month_date(2019, 9);
  NetworkEstablished e = karelia_established();
  e.established_on = month_date(2019, 9);
  network_spec().when(c).then({e});
}

TEST(FieldModel, KeepsAListOfOneAsAList) {
  EstablishNetwork c = establish_karelia();
  c.stewards = {"Pro-tukipiste"};
  NetworkEstablished e = karelia_established();
  e.stewards = {"Pro-tukipiste"};
  network_spec().when(c).then({e});
}

TEST(FieldModel, RejectsAnEmptyListOfStewards) {
  EstablishNetwork c = establish_karelia();
  c.stewards.clear();
  network_spec().when(c).rejects(K::kValidation, "missing_field", "/steward");
}

TEST(FieldModel, RejectsAnEmptyStewardName) {
  EstablishNetwork c = establish_karelia();
  c.stewards = {"Pro-tukipiste", "  "};
  network_spec().when(c).rejects(K::kValidation, "missing_field", "/steward/1");
}

TEST(FieldModel, TransfersStewardshipToTwoOrganisations) {
  TransferStewardship c{"", {2024, 1, 1}, {"RIKU", " Pro-tukipiste "}, true};
  network_spec()
      .given({oulu_established()})
      .when(c)
      .then({StewardshipTransferred{"", {2024, 1, 1}, {"RIKU", "Pro-tukipiste"}}});
}

TEST(FieldModel, TransferToTheSameListChangesNothing) {
  TransferStewardship c{"", {2024, 1, 1}, {"Victim Support Finland", "Pro-tukipiste"}, true};
  network_spec().given({karelia_established()}).when(c).then_nothing();
}

TEST(FieldModel, ATransferFromAListToOneOfItsOrganisationsIsAChange) {
  network_spec()
      .given({karelia_established()})
      .when(TransferStewardship{"Pro-tukipiste", {2024, 1, 1}})
      .then({StewardshipTransferred{"Pro-tukipiste", {2024, 1, 1}}});
}

TEST(FieldModel, AnyTransferDateIsAfterAnEstablishmentOfUnknownDate) {
  network_spec()
      .given({karelia_established()})
      .when(TransferStewardship{"RIKU", {1990, 1, 1}})
      .then({StewardshipTransferred{"RIKU", {1990, 1, 1}}});
}

TEST(FieldModel, ATransferInAMonthIsNotAfterOneOnItsFirstDay) {
  network_spec()
      .given({oulu_established(), StewardshipTransferred{"RIKU", {2024, 4, 1}}})
      .when(TransferStewardship{"Assistance System", kApril})
      .rejects(K::kConflict, "stewardship_date_not_after_last", "/effective_on");
}

TEST(FieldModel, ATransferInAMonthIsNotAfterOneInTheSameMonth) {
  network_spec()
      .given({oulu_established(), StewardshipTransferred{"RIKU", kApril}})
      .when(TransferStewardship{"Assistance System", kApril})
      .rejects(K::kConflict, "stewardship_date_not_after_last", "/effective_on");
}

TEST(FieldModel, ATransferOnTheSecondDayIsAfterOneInTheMonth) {
  network_spec()
      .given({oulu_established(), StewardshipTransferred{"RIKU", kApril}})
      .when(TransferStewardship{"Assistance System", {2024, 4, 2}})
      .then({StewardshipTransferred{"Assistance System", {2024, 4, 2}}});
}

// ---- leaving and joining in months ----

TEST(FieldModel, AMemberWhoJoinedInAMonthMayLeaveOnADayOfIt) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi", "police", kApril)})
      .when(LeaveNetwork{"m-1", {2024, 4, 20}, std::nullopt})
      .then({MemberLeft{"m-1", {2024, 4, 20}, std::nullopt}});
}

TEST(FieldModel, AMemberWhoJoinedOnADayMayLeaveInThatMonth) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi", "police", {2024, 4, 20})})
      .when(LeaveNetwork{"m-1", kApril, std::nullopt})
      .then({MemberLeft{"m-1", kApril, std::nullopt}});
}

TEST(FieldModel, AMemberMayJoinAndLeaveInTheSameMonth) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi", "police", kApril)})
      .when(LeaveNetwork{"m-1", kApril, std::nullopt})
      .then({MemberLeft{"m-1", kApril, std::nullopt}});
}

TEST(FieldModel, LeavingInTheMonthBeforeJoiningIsBeforeJoining) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi", "police", kApril)})
      .when(LeaveNetwork{"m-1", month_date(2024, 3), std::nullopt})
      .rejects(K::kValidation, "left_before_joined", "/left_on");
}

TEST(FieldModel, LeavingOnTheLastDayOfTheMonthBeforeIsBeforeJoining) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi", "police", kApril)})
      .when(LeaveNetwork{"m-1", {2024, 3, 31}, std::nullopt})
      .rejects(K::kValidation, "left_before_joined", "/left_on");
}

TEST(FieldModel, RejectsAMonthDateThatIsNotOnItsFirstDay) {
  network_spec()
      .given({oulu_established()})
      .when(
          RequestTraining{"r-1", "victim_identification", Date{2024, 4, 9, DatePrecision::kMonth}})
      .rejects(K::kValidation, "invalid_date", "/requested_on");
}

TEST(FieldModel, RecordsAnObservationInAMonth) {
  network_spec()
      .given({oulu_established()})
      .when(RecordObservation{"o-1", "forced_labour", kApril, {"berry pickers"}})
      .then({ObservationRecorded{"o-1", "forced_labour", kApril, {"berry pickers"}}});
}

// ---- meetings: a month, no format yet, the format held ----

ScheduleMeeting schedule_in_april() {
  return {"meet-1", "oulu", {}, kApril, std::nullopt, "Oulu", {"Welcome"}};
}
MeetingScheduled scheduled_in_april() {
  return {"meet-1", "oulu", {}, kApril, std::nullopt, "Oulu", {"Welcome"}};
}
RecordMeetingHeld held_on_the_ninth(std::optional<std::string> format) {
  return {{2024, 4, 9}, {}, 12, {}, std::nullopt, std::move(format)};
}

TEST(FieldModel, SchedulesAMeetingInAMonthWithNoFormat) {
  meeting_spec().when(schedule_in_april()).then({scheduled_in_april()});
}

TEST(FieldModel, RecordsTheFormatAMeetingWasHeldIn) {
  meeting_spec()
      .given({scheduled_in_april()})
      .when(held_on_the_ninth("remote"))
      .then({MeetingHeld{{2024, 4, 9}, {}, 12, {}, std::nullopt, std::string("remote")}});
}

TEST(FieldModel, TheRecordsFormatIsKeptWhenThePlannedOneDiffers) {
  MeetingScheduled planned = scheduled_in_april();
  planned.format = "in_person";
  meeting_spec()
      .given({planned})
      .when(held_on_the_ninth("remote"))
      .then({MeetingHeld{{2024, 4, 9}, {}, 12, {}, std::nullopt, std::string("remote")}});
}

TEST(FieldModel, RecordsAMeetingWithAPlannedFormatAndNoneInTheRecord) {
  MeetingScheduled planned = scheduled_in_april();
  planned.format = "in_person";
  meeting_spec()
      .given({planned})
      .when(held_on_the_ninth(std::nullopt))
      .then({MeetingHeld{{2024, 4, 9}, {}, 12, {}, std::nullopt}});
}

TEST(FieldModel, RejectsRecordingAMeetingWithNoFormatAnywhere) {
  meeting_spec()
      .given({scheduled_in_april()})
      .when(held_on_the_ninth(std::nullopt))
      .rejects(K::kValidation, "format_missing", "/format");
}

TEST(FieldModel, RejectsRecordingAFormatNotInTheTaxonomy) {
  meeting_spec()
      .given({scheduled_in_april()})
      .when(held_on_the_ninth("carrier_pigeon"))
      .rejects(K::kValidation, "unknown_meeting_format", "/format");
}

TEST(FieldModel, MovingAMeetingFromAMonthToItsFirstDayIsAChange) {
  meeting_spec()
      .given({scheduled_in_april()})
      .when(RescheduleMeeting{{2024, 4, 1}, std::nullopt, std::nullopt})
      .then({MeetingRescheduled{{2024, 4, 1}, std::nullopt, std::nullopt}});
}

TEST(FieldModel, AMeetingHeldInAMonthKeepsItsFormatWhenAmended) {
  const MeetingHeld held{kApril, {}, 12, {}, std::nullopt, std::string("remote")};
  AmendMeetingRecord c;
  c.attendee_count = 14;
  c.reason = "counted again";
  meeting_spec()
      .given({scheduled_in_april(), held})
      .when(c)
      .then({MeetingRecordAmended{
          kApril, {}, 14, {}, std::nullopt, "counted again", std::string("remote")}});
}

}  // namespace
}  // namespace ikv::domain::testing
