// Wishes and goals of a network (RecordWish) and the national findings
// (domain/national.h): given events / when a command / then events or a rejection.
#include "domain/form_checks.h"
#include "domain/national.h"
#include "tests/domain/decider_spec.h"

namespace ikv::domain::testing {
namespace {

using K = RejectionKind;
using NationalSpec = DeciderSpec<NationalState, NationalEvent, NationalCommand>;

NationalSpec national_spec(World world = {}) {
  return NationalSpec(initial_national_state(), std::move(world));
}

RecordWish wish(std::string kind, std::optional<std::string> format = std::nullopt) {
  return {"w-1", std::move(kind), " More joint meetings with the south ", month_date(2024, 3),
          std::move(format)};
}

WishRecorded wished(WishKind kind, std::optional<std::string> format = std::nullopt) {
  return {"w-1", kind, "More joint meetings with the south", month_date(2024, 3),
          std::move(format)};
}

// ---- wishes ----

TEST(Wishes, RecordsAWishOfEachKindWithoutAFormat) {
  network_spec()
      .given({oulu_established()})
      .when(wish("joint_meeting"))
      .then({wished(WishKind::kJointMeeting)});
  network_spec()
      .given({oulu_established()})
      .when(wish("training"))
      .then({wished(WishKind::kTraining)});
  network_spec().given({oulu_established()}).when(wish("other")).then({wished(WishKind::kOther)});
}

TEST(Wishes, RecordsAMeetingFormatWishWithItsFormat) {
  network_spec()
      .given({oulu_established()})
      .when(wish("meeting_format", "remote"))
      .then({wished(WishKind::kMeetingFormat, "remote")});
}

TEST(Wishes, RecordsAWishKnownToTheDay) {
  RecordWish c = wish("other");
  c.recorded_on = {2024, 11, 5};
  WishRecorded e = wished(WishKind::kOther);
  e.recorded_on = {2024, 11, 5};
  network_spec().given({oulu_established()}).when(c).then({e});
}

TEST(Wishes, RejectsAWishOfAnUnknownNetwork) {
  network_spec().when(wish("other")).rejects(K::kNotFound, "network_not_found");
}

TEST(Wishes, RejectsAnUnknownKind) {
  network_spec()
      .given({oulu_established()})
      .when(wish("party"))
      .rejects(K::kValidation, "unknown_wish_kind", "/kind");
}

TEST(Wishes, RejectsABlankText) {
  RecordWish c = wish("other");
  c.text = "  ";
  network_spec()
      .given({oulu_established()})
      .when(c)
      .rejects(K::kValidation, "missing_field", "/text");
}

TEST(Wishes, RejectsADateThatDoesNotExist) {
  RecordWish c = wish("other");
  c.recorded_on = {2024, 2, 30};
  network_spec()
      .given({oulu_established()})
      .when(c)
      .rejects(K::kValidation, "invalid_date", "/recorded_on");
}

TEST(Wishes, AMeetingFormatWishMustNameAFormat) {
  network_spec()
      .given({oulu_established()})
      .when(wish("meeting_format"))
      .rejects(K::kValidation, "format_missing", "/format");
  network_spec()
      .given({oulu_established()})
      .when(wish("meeting_format", " "))
      .rejects(K::kValidation, "format_missing", "/format");
}

TEST(Wishes, AMeetingFormatWishNamesAFormatOfTheTaxonomy) {
  network_spec()
      .given({oulu_established()})
      .when(wish("meeting_format", "by_letter"))
      .rejects(K::kValidation, "unknown_meeting_format", "/format");
}

TEST(Wishes, OtherKindsNameNoFormat) {
  network_spec()
      .given({oulu_established()})
      .when(wish("joint_meeting", "hybrid"))
      .rejects(K::kValidation, "format_not_allowed", "/format");
}

TEST(Wishes, TheFormListsEveryInvalidField) {
  const auto fields_of = [](const RecordWish& c) {
    std::vector<std::string> fields;
    for (const Rejection& r : wish_issues(c, initial_taxonomy_state())) fields.push_back(r.field);
    return fields;
  };
  EXPECT_EQ(fields_of({"", "other", " ", {2024, 2, 30}, "hybrid"}),
            (std::vector<std::string>{"/wish_id", "/text", "/recorded_on", "/format"}));
  // The format rule depends on the kind: an unknown kind leaves the format unjudged.
  EXPECT_EQ(fields_of({"w-1", "party", "x", {2024, 2, 1}, "hybrid"}),
            (std::vector<std::string>{"/kind"}));
}

TEST(Wishes, AWishChangesNothingTheDeciderChecks) {
  const NetworkState before = evolve(initial_network_state(), oulu_established());
  EXPECT_EQ(evolve(before, wished(WishKind::kOther)), before);
}

TEST(Wishes, KindsHaveStableSpellings) {
  for (WishKind k : kAllWishKinds) EXPECT_EQ(parse_wish_kind(to_string(k)), k);
  EXPECT_EQ(to_string(WishKind::kMeetingFormat), "meeting_format");
  EXPECT_FALSE(parse_wish_kind("Training").has_value());
}

// ---- national findings ----

RecordObservation finding() {
  return {"o-1",
          "labour_exploitation",
          month_date(2024, 5),
          {"ukrainalaiset", " Berry pickers "},
          std::nullopt,
          " Seen in several regions "};
}

ObservationRecorded found() {
  return {
      "o-1",        "labour_exploitation",    month_date(2024, 5), {"ukrainian", "Berry pickers"},
      std::nullopt, "Seen in several regions"};
}

TEST(NationalFindings, RecordsAFindingWithItsTargetGroupsAsCodes) {
  national_spec().when(finding()).then({found()});
}

TEST(NationalFindings, RejectsAnUnknownTheme) {
  RecordObservation c = finding();
  c.theme = "weather";
  national_spec().when(c).rejects(K::kValidation, "unknown_theme", "/theme");
}

TEST(NationalFindings, RejectsADateThatDoesNotExist) {
  RecordObservation c = finding();
  c.observed_on = {2023, 2, 29};
  national_spec().when(c).rejects(K::kValidation, "invalid_date", "/observed_on");
}

TEST(NationalFindings, RejectsABlankTargetGroup) {
  RecordObservation c = finding();
  c.target_groups.emplace_back(" ");
  national_spec().when(c).rejects(K::kValidation, "missing_field", "/target_groups/2");
}

TEST(NationalFindings, BelongsToNoMeeting) {
  RecordObservation c = finding();
  c.meeting_id = "m-1";
  national_spec().when(c).rejects(K::kValidation, "meeting_not_allowed", "/meeting_id");
}

TEST(NationalFindings, RejectsAnIdRecordedBefore) {
  national_spec().given({found()}).when(finding()).rejects(K::kConflict, "observation_exists",
                                                           "/observation_id");
}

TEST(NationalFindings, TheFormListsEveryInvalidField) {
  RecordObservation c{"", "weather", {2023, 2, 29}, {""}, "m-1", std::nullopt};
  std::vector<std::string> fields;
  for (const Rejection& r : national_observation_issues(c, initial_taxonomy_state())) {
    fields.push_back(r.field);
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"/observation_id", "/theme", "/observed_on",
                                              "/target_groups/0", "/meeting_id"}));
}

TEST(NationalFindings, RetractsAFinding) {
  national_spec()
      .given({found()})
      .when(RetractObservation{"o-1", " recorded twice "})
      .then({ObservationRetracted{"o-1", "recorded twice"}});
}

TEST(NationalFindings, RetractingTwiceChangesNothing) {
  national_spec()
      .given({found(), ObservationRetracted{"o-1", "recorded twice"}})
      .when(RetractObservation{"o-1", "again"})
      .then_nothing();
}

TEST(NationalFindings, RejectsRetractingAnUnknownFinding) {
  national_spec()
      .when(RetractObservation{"o-9", "why"})
      .rejects(K::kNotFound, "observation_not_found");
}

TEST(NationalFindings, ARetractionGivesAReason) {
  national_spec()
      .given({found()})
      .when(RetractObservation{"o-1", "  "})
      .rejects(K::kValidation, "missing_field", "/reason");
}

}  // namespace
}  // namespace ikv::domain::testing
