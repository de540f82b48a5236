// Sample events for codec tests: every event type at least once, with
// optional fields both set and unset.
#pragma once

#include <vector>

#include "domain/event.h"

namespace ikv::codec::testing {

inline domain::PersonalData anna() {
  return {"Anna Virtanen", "anna.virtanen@example.fi", std::string("+358 40 123 4567")};
}

inline domain::MemberJoined anna_joined() {
  return {"m-anna",     anna(), "Oulun poliisilaitos", "police", std::string("Rikoskomisario"),
          {2024, 5, 14}};
}

// The first kRelease1Samples of sample_events() are of release 1's types and
// shapes (tests/codec/release1_payload_test.cc holds their release-1 payloads).
inline constexpr std::size_t kRelease1Samples = 24;

inline std::vector<domain::Event> sample_events() {
  return {
      domain::NetworkEstablished{"south-karelia",
                                 {"Etelä-Karjala", "Södra Karelen", "South Karelia"},
                                 "South Karelia",
                                 "Lappeenranta",
                                 "Pro-tukipiste",
                                 domain::Date{2023, 2, 1}},
      domain::NetworkRenamed{{"Etelä-Karjalan IKV", "Södra Karelens IKV", "South Karelia IKV"}},
      domain::StewardshipTransferred{"Ihmiskaupan uhrien auttamisjärjestelmä", {2024, 1, 1}},
      anna_joined(),
      domain::MemberJoined{"m-bert",
                           domain::PersonalData{"Bert", "bert@example.fi", std::nullopt},
                           "Kela",
                           "kela",
                           std::nullopt,
                           {2024, 4, 2}},
      domain::MemberLeft{"m-bert", {2024, 9, 30}, std::string("new job")},
      domain::MemberLeft{"m-bert", {2024, 9, 30}, std::nullopt},
      domain::MemberDetailsChanged{
          "m-anna", domain::PersonalData{"Anna V.", "anna@example.fi", std::nullopt}, false,
          std::string("Poliisihallitus"), std::string("border_guard"), std::string("")},
      domain::MemberDetailsChanged{"m-anna", std::nullopt, false, std::nullopt, std::string("kela"),
                                   std::nullopt},
      domain::PersonalDataErased{"m-anna"},
      domain::ObservationRecorded{"o-1",
                                  "forced_labour",
                                  {2024, 4, 17},
                                  {"Thai", "Ukrainian"},
                                  std::string("meet-1"),
                                  std::string("Berry pickers")},
      domain::ObservationRecorded{
          "o-2", "forced_marriage", {2024, 5, 3}, {}, std::nullopt, std::nullopt},
      domain::TrainingRequested{
          "r-1", "victim_identification", {2024, 5, 3}, std::string("autumn")},
      domain::TrainingDelivered{"t-1", "trafficking_phenomenon", {2024, 10, 1}, 42},
      domain::MeetingScheduled{"meet-1",
                               "south-karelia",
                               {"oulu"},
                               {2024, 4, 17},
                               "in_person",
                               "Joutseno",
                               {"Tutustuminen", "Ajankohtaiset asiat"}},
      domain::MeetingRescheduled{{2024, 4, 18}, std::string("hybrid"), std::nullopt},
      domain::MeetingRescheduled{{2024, 4, 19}, std::nullopt, std::string("Lappeenranta")},
      domain::MeetingCancelled{std::string("illness")},
      domain::MeetingCancelled{std::nullopt},
      domain::MeetingHeld{{2024, 4, 17},
                          {"m-anna"},
                          17,
                          {"forced_labour", "seasonal_work"},
                          std::string("Good turnout")},
      domain::MeetingHeld{{2024, 4, 17}, {}, std::nullopt, {}, std::nullopt},
      domain::TaxonomyEntryAdded{domain::TaxonomyKind::kTheme,
                                 "debt_bondage",
                                 {"Velkaorjuus", "Skuldslaveri", "Debt bondage"}},
      domain::TokenIssued{
          "tok-1", "oulu-app", domain::Role::kCoordinator, {"oulu"}, "9f86d081884c7d65"},
      domain::TokenRevoked{"tok-1"},
      // Release 2 (no JSON form): kRelease1Samples above.
      domain::NetworkDetailsChanged{domain::LocalizedText{"Oulun seutu", "Uleåborg", "Oulu"},
                                    std::nullopt, std::string("Kempele"), std::string("typo")},
      domain::NetworkDetailsChanged{std::nullopt, std::string("Lapland"), std::nullopt,
                                    std::nullopt},
      domain::ObservationRetracted{"o-1", "recorded twice"},
      domain::MeetingRecordAmended{
          {2024, 4, 18}, {"m-anna"}, 17, {"forced_labour"}, std::nullopt, "wrong day"},
      domain::MeetingRecordAmended{{2024, 4, 18}, {}, std::nullopt, {}, std::string("x"), "y"},
      domain::MemberDetailsChanged{"m-anna", domain::PersonalData{"Anna", "a@example.fi", "1"},
                                   false, std::nullopt, std::nullopt, std::nullopt,
                                   std::string("typo")},
      // Release 2 fields of release 1 types: a theme's family, a target group's
      // aliases, the request a delivered training answers.
      domain::TaxonomyEntryAdded{domain::TaxonomyKind::kTheme,
                                 "wage_theft",
                                 {"Palkkavarkaus", "Lönestöld", "Wage theft"},
                                 std::string("forced_labour")},
      domain::TaxonomyEntryAdded{domain::TaxonomyKind::kTargetGroup,
                                 "vietnamese",
                                 {"vietnamilaiset", "vietnameser", "Vietnamese"},
                                 std::nullopt,
                                 {"vietnamilainen", "Viets"}},
      domain::TrainingDelivered{
          "t-2", "victim_identification", {2024, 11, 20}, 21, std::string("r-1")},
      domain::JoinRequested{"q-anna",
                            domain::JoinRequestDetails{anna(), std::string("Sosiaalityöntekijä"),
                                                       std::string("Hei! Haluaisin liittyä.")},
                            "Oulun kaupunki", "wellbeing_services_county",
                            std::int64_t{1'717'200'000'000'000}},
      domain::JoinRequested{
          "q-bert",
          domain::JoinRequestDetails{
              {"Bert", "bert@example.fi", std::nullopt}, std::nullopt, std::nullopt},
          "Kela", "kela", 0},
      domain::JoinRequestApproved{"q-anna", "m-anna"},
      domain::JoinRequestDeclined{"q-bert", std::string("not in the region")},
      domain::JoinRequestDeclined{"q-bert", std::nullopt},
      domain::JoinRequestExpired{"q-bert"},
      // Release 2 wishes: a month date and a format, a day date and none.
      domain::WishRecorded{"w-1", domain::WishKind::kMeetingFormat, "Etätapaamisia talvella",
                           domain::month_date(2024, 12), std::string("remote")},
      domain::WishRecorded{
          "w-2", domain::WishKind::kJointMeeting, "A joint meeting with Oulu", {2025, 3, 4}},
  };
}

// Events and fields added after release 1 (no release-1 form).
inline std::vector<domain::Event> release2_events() {
  return {
      domain::TokenIssued{"tok-2",
                          "expiring-app",
                          domain::Role::kAnalyst,
                          {},
                          "0a1b2c3d",
                          std::int64_t{1'893'456'000'123'456}},
      domain::PersonalDataErased{"m-anna", std::string("data-subject request"),
                                 std::string("DSR-2024-17")},
      domain::PersonalDataErased{"m-anna", std::nullopt, std::string("DSR-2024-18")},
      domain::TokenRotated{"tok-2", "4e5f6a7b", std::int64_t{1'893'456'300'000'000}},
  };
}

// The field's model (release 2): dates known to the month, an unknown
// founding date and format, stewards written as lists, the format held.
inline std::vector<domain::Event> field_model_events() {
  domain::NetworkEstablished unknown_date{"karelia",
                                          {"Etelä-Karjala", "Södra Karelen", "South Karelia"},
                                          "South Karelia",
                                          "Lappeenranta",
                                          "",
                                          std::nullopt,
                                          {"Victim Support Finland", "Pro-tukipiste"}};
  domain::NetworkEstablished in_a_month = unknown_date;
  in_a_month.established_on = domain::month_date(2019, 9);
  const domain::Date april = domain::month_date(2024, 4);
  return {
      unknown_date,
      in_a_month,
      domain::StewardshipTransferred{"", april, {"RIKU"}},
      domain::MemberJoined{"m-1", std::nullopt, "Kela", "kela", std::nullopt, april},
      domain::MemberLeft{"m-1", domain::month_date(2024, 12), std::nullopt},
      domain::ObservationRecorded{"o-1", "forced_labour", april, {"Thai"}},
      domain::TrainingRequested{"r-1", "victim_identification", april},
      domain::TrainingDelivered{"t-1", "victim_identification", april, 12},
      domain::MeetingScheduled{"meet-1", "karelia", {}, april, std::nullopt, "Imatra", {}},
      domain::MeetingRescheduled{domain::month_date(2024, 5), std::nullopt, std::nullopt},
      domain::MeetingHeld{april, {}, 9, {}, std::nullopt, std::string("remote")},
      domain::MeetingRecordAmended{
          april, {}, 10, {}, std::nullopt, "recount", std::string("hybrid")},
  };
}

}  // namespace ikv::codec::testing
