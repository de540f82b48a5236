// Meetings: the calendar with its filters, joint meetings, status changes,
// history, and each network's last and next meeting.
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

using Ids = std::vector<std::string>;

std::string meeting(const char* id) { return domain::meeting_stream(id); }

TestLog meetings_log() {
  TestLog log;
  for (const char* id : {"oulu", "tampere", "turku"}) {
    log.add(domain::network_stream(id), testing::established(id));
  }
  log.add(meeting("m-a"), testing::scheduled("m-a", "oulu", "2024-10-15", {"tampere"}));
  log.add(meeting("m-b"), testing::scheduled("m-b", "turku", "2024-05-20"));
  log.add(meeting("m-c"), testing::scheduled("m-c", "oulu", "2024-05-10", {}, "remote"));
  log.add(meeting("m-d"), testing::scheduled("m-d", "tampere", "2024-11-05", {}, "hybrid"));
  log.add(meeting("m-e"), testing::scheduled("m-e", "oulu", "2024-12-01"));
  log.add(meeting("m-b"), testing::held("2024-05-21", {}, 9));
  log.add(meeting("m-c"), domain::MeetingCancelled{"snow storm"});
  log.as("tampere-app")
      .at(instant("2024-09-01T12:00:00.250000Z"))
      .add(meeting("m-d"), domain::MeetingRescheduled{day("2024-11-12"), "remote", "Tampere-talo"});
  log.as("demo-loader").add(meeting("m-a"), testing::held("2024-10-16", {}, 12));
  return log;
}

Ids calendar(const RegistryView& view, MeetingQuery query) {
  auto answer = view.meetings(query);
  EXPECT_TRUE(answer.ok()) << (answer.ok() ? "" : answer.error().message);
  return answer.ok() ? item_field(*answer, "meeting_id") : Ids{};
}

TEST(MeetingCalendar, OrdersByMeetingDateThenId) {
  const RegistryView view = meetings_log().replay();
  EXPECT_EQ(calendar(view, {}), (Ids{"m-c", "m-b", "m-a", "m-d", "m-e"}));
}

TEST(MeetingCalendar, JointMeetingAppearsUnderEveryNetworkTakingPart) {
  const RegistryView view = meetings_log().replay();
  EXPECT_EQ(calendar(view, {.network = "tampere"}), (Ids{"m-a", "m-d"}));
  EXPECT_EQ(calendar(view, {.network = "oulu"}), (Ids{"m-c", "m-a", "m-e"}));
  EXPECT_EQ(calendar(view, {.network = "turku"}), (Ids{"m-b"}));
}

TEST(MeetingCalendar, FiltersByStatusAndFormat) {
  const RegistryView view = meetings_log().replay();
  EXPECT_EQ(calendar(view, {.status = MeetingStatus::kHeld}), (Ids{"m-b", "m-a"}));
  EXPECT_EQ(calendar(view, {.status = MeetingStatus::kCancelled}), (Ids{"m-c"}));
  EXPECT_EQ(calendar(view, {.status = MeetingStatus::kScheduled}), (Ids{"m-d", "m-e"}));
  // m-d was moved to a remote meeting.
  EXPECT_EQ(calendar(view, {.format = "remote"}), (Ids{"m-c", "m-d"}));
  EXPECT_EQ(calendar(view, {.network = "oulu", .status = MeetingStatus::kScheduled}), (Ids{"m-e"}));
}

TEST(MeetingCalendar, DateRangeUsesHeldOnWhenHeld) {
  const RegistryView view = meetings_log().replay();
  // m-a was scheduled for 15 October and held on the 16th.
  EXPECT_EQ(calendar(view, {.from = day("2024-10-15"), .to = day("2024-10-15")}), Ids{});
  EXPECT_EQ(calendar(view, {.from = day("2024-10-16"), .to = day("2024-11-12")}),
            (Ids{"m-a", "m-d"}));
  EXPECT_EQ(calendar(view, {.from = day("2024-11-06")}), (Ids{"m-d", "m-e"}));
}

TEST(MeetingCalendar, RejectsInvalidFilters) {
  const RegistryView view = meetings_log().replay();
  EXPECT_EQ(view.meetings({.network = "vaasa"}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(view.meetings({.format = "carrier_pigeon"}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(view.meetings({.from = day("2024-12-01"), .to = day("2024-11-01")}).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_FALSE(parse_meeting_status("postponed").has_value());
  EXPECT_EQ(parse_meeting_status("held"), MeetingStatus::kHeld);
}

TEST(MeetingView, ShowsStatusTransitions) {
  const TestLog log = meetings_log();
  const RegistryView view = log.replay();
  auto held = view.meeting("m-a", log);
  ASSERT_TRUE(held.ok());
  EXPECT_EQ(held->at("status"), "held");
  EXPECT_EQ(held->at("held_on"), "2024-10-16");
  EXPECT_EQ(held->at("scheduled_for"), "2024-10-15");
  EXPECT_EQ(held->at("network"), "oulu");
  EXPECT_FALSE(held->contains("network_id"));
  EXPECT_FALSE(held->contains("date"));
  EXPECT_EQ(held->at("attendee_count"), 12);
  EXPECT_EQ(held->at("themes").as_array()[0], "forced_labour");
  EXPECT_EQ(held->at("joint_with").as_array()[0], "tampere");

  auto cancelled = view.meeting("m-c", log);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->at("status"), "cancelled");
  EXPECT_EQ(cancelled->at("cancel_reason"), "snow storm");
  EXPECT_TRUE(cancelled->at("held_on").is_null());
  EXPECT_TRUE(cancelled->at("attendee_count").is_null());

  auto moved = view.meeting("m-d", log);
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->at("status"), "scheduled");
  EXPECT_EQ(moved->at("scheduled_for"), "2024-11-12");
  EXPECT_EQ(moved->at("format"), "remote");
  EXPECT_EQ(moved->at("location"), "Tampere-talo");
  EXPECT_EQ(moved->at("version"), 2);
}

TEST(MeetingView, AttendeeCountFallsBackToTheAttendees) {
  TestLog log = meetings_log();
  log.add(meeting("m-e"), testing::held("2024-12-01", {"x1", "x2", "x3"}, std::nullopt));
  auto m = log.replay().meeting("m-e", log);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->at("attendee_count"), 3);
  EXPECT_EQ(m->at("attendees").as_array().size(), 3U);
}

TEST(MeetingView, HistoryListsEveryEventInTheEventShape) {
  const TestLog log = meetings_log();
  const RegistryView view = log.replay();
  auto m = view.meeting("m-d", log);
  ASSERT_TRUE(m.ok());
  const auto& history = m->at("history").as_array();
  ASSERT_EQ(history.size(), 2U);
  const auto& first = history[0].as_object();
  EXPECT_EQ(first.size(), 9U);
  EXPECT_EQ(first.at("position"), 7);
  EXPECT_EQ(first.at("stream"), "meeting-m-d");
  EXPECT_EQ(first.at("version"), 1);
  EXPECT_EQ(first.at("event_id"), "event-7");
  EXPECT_EQ(first.at("type"), "MeetingScheduled");
  EXPECT_EQ(first.at("schema_version"), 1);
  EXPECT_EQ(first.at("actor"), "demo-loader");
  const boost::json::object scheduled{{"meeting_id", "m-d"},
                                      {"network_id", "tampere"},
                                      {"joint_with", boost::json::array{}},
                                      {"scheduled_for", "2024-11-05"},
                                      {"format", "hybrid"},
                                      {"location", "Joutseno"},
                                      {"agenda", boost::json::array{"getting acquainted"}}};
  EXPECT_EQ(first.at("payload"), scheduled);
  const auto& second = history[1].as_object();
  EXPECT_EQ(second.at("type"), "MeetingRescheduled");
  EXPECT_EQ(second.at("version"), 2);
  EXPECT_EQ(second.at("event_id"), "event-11");
  EXPECT_EQ(second.at("actor"), "tampere-app");
  EXPECT_EQ(second.at("recorded_at"), "2024-09-01T12:00:00.250000Z");
  const boost::json::object moved{
      {"scheduled_for", "2024-11-12"}, {"format", "remote"}, {"location", "Tampere-talo"}};
  EXPECT_EQ(second.at("payload"), moved);
  EXPECT_EQ(view.meeting("nope", log).error().code, ErrorCode::kNotFound);
}

TEST(MeetingView, HistoryKeepsTheStoredSchemaVersion) {
  TestLog log = meetings_log();
  eventstore::RecordedEvent meta = log.entries().back().meta;
  meta.position += 1;
  meta.version += 1;
  meta.event_id = "event-upcast";
  meta.type = "MeetingCancelled";
  meta.schema_version = 2;
  RegistryView view = log.replay();
  view.apply(meta, domain::MeetingCancelled{std::nullopt});
  // The log holds the upcast event as stored.
  struct WithUpcast final : StreamEvents {
    const TestLog& log;
    DecodedEvent upcast;
    WithUpcast(const TestLog& l, DecodedEvent e) : log(l), upcast(std::move(e)) {}
    Result<std::vector<DecodedEvent>> read(std::string_view stream,
                                           std::uint64_t up_to) const override {
      auto events = log.read(stream, up_to);
      if (events && stream == upcast.meta.stream && up_to >= upcast.meta.version) {
        events->push_back(upcast);
      }
      return events;
    }
  };
  const WithUpcast events(log, {meta, domain::MeetingCancelled{std::nullopt}});
  auto m = view.meeting("m-a", events);
  ASSERT_TRUE(m.ok());
  const auto& last = m->at("history").as_array().back().as_object();
  EXPECT_EQ(last.at("schema_version"), 2);
  EXPECT_EQ(last.at("event_id"), "event-upcast");
  EXPECT_EQ(last.at("payload"), (boost::json::object{{"reason", nullptr}}));
}

TEST(MeetingView, EventsThatDoNotFitTheStatusOnlyExtendTheHistory) {
  TestLog log = meetings_log();
  log.add(meeting("m-a"),
          domain::MeetingRescheduled{day("2025-01-01"), std::nullopt, std::nullopt});
  log.add(meeting("m-a"), domain::MeetingCancelled{"too late"});
  auto m = log.replay().meeting("m-a", log);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->at("status"), "held");
  EXPECT_EQ(m->at("scheduled_for"), "2024-10-15");
  EXPECT_TRUE(m->at("cancel_reason").is_null());
  EXPECT_EQ(m->at("history").as_array().size(), 4U);
  EXPECT_EQ(m->at("version"), 4);
}

TEST(NetworkMeetings, LastAndNextMeetingIncludeJointMeetings) {
  const RegistryView view = meetings_log().replay();
  auto list = view.networks({});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(item_field(*list, "id"), (Ids{"oulu", "tampere", "turku"}));
  const auto& oulu = items(*list)[0].as_object();
  EXPECT_EQ(oulu.at("last_meeting").as_object().at("meeting_id"), "m-a");
  EXPECT_EQ(oulu.at("next_meeting").as_object().at("meeting_id"), "m-e");
  const auto& tampere = items(*list)[1].as_object();
  EXPECT_EQ(tampere.at("last_meeting"),
            (boost::json::object{
                {"meeting_id", "m-a"}, {"held_on", "2024-10-16"}, {"format", "in_person"}}));
  EXPECT_EQ(tampere.at("next_meeting").as_object().at("scheduled_for"), "2024-11-12");
  const auto& turku = items(*list)[2].as_object();
  EXPECT_EQ(turku.at("last_meeting").as_object().at("meeting_id"), "m-b");
  EXPECT_EQ(turku.at("last_meeting").as_object().at("format"), "in_person");
  EXPECT_TRUE(turku.at("next_meeting").is_null());
}

TEST(NetworkMeetings, NextMeetingStartsFromTodayWhenGiven) {
  const RegistryView view = meetings_log().replay();
  auto oulu = view.network("oulu", {.today = day("2024-12-02")});
  ASSERT_TRUE(oulu.ok());
  EXPECT_TRUE(oulu->at("next_meeting").is_null());
  auto tampere = view.network("tampere", {.today = day("2024-11-12")});
  ASSERT_TRUE(tampere.ok());
  EXPECT_EQ(tampere->at("next_meeting").as_object().at("meeting_id"), "m-d");
  TestLog empty;
  empty.add(domain::network_stream("vaasa"), testing::established("vaasa"));
  auto vaasa = empty.replay().network("vaasa", {});
  ASSERT_TRUE(vaasa.ok());
  EXPECT_TRUE(vaasa->at("last_meeting").is_null());
  EXPECT_TRUE(vaasa->at("next_meeting").is_null());
}

TEST(MeetingCodec, EveryFieldSurvivesAndDamagedBytesDoNotDecode) {
  MeetingRecord m;
  m.meeting_id = "m-1";
  m.network_id = "oulu";
  m.joint_with = {"tampere", "turku"};
  m.scheduled_for = domain::Date{2024, 5, 1, domain::DatePrecision::kMonth};
  m.format = "hybrid";
  m.location = "Oulu city hall";
  m.agenda = {"current matters", "wishes and goals"};
  m.status = MeetingStatus::kHeld;
  m.held_on = domain::Date{2024, 5, 14, domain::DatePrecision::kDay};
  m.attendees = {"member-1", "member-2"};
  m.attendee_count = 14;
  m.themes = {"forced_labour"};
  m.notes = "Getting organised";
  m.first_recorded_at_us = -5;
  m.last_recorded_at_us = 1'750'000'000'000'000;
  const std::string bytes = encode_meeting(m);
  EXPECT_EQ(decode_meeting(bytes), m);
  MeetingRecord bare;
  bare.meeting_id = "m-2";
  bare.status = MeetingStatus::kCancelled;
  bare.cancel_reason = "";
  EXPECT_EQ(decode_meeting(encode_meeting(bare)), bare);
  // Cut anywhere, or with a byte too many, the bytes are refused.
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(decode_meeting(std::string_view(bytes).substr(0, n))) << n;
  }
  EXPECT_FALSE(decode_meeting(bytes + "x"));
}

TEST(MeetingCodec, APeekFindsWhatTheCalendarFilesByAndRefusesWhatDecodingRefuses) {
  MeetingRecord held;
  held.meeting_id = "m-1";
  held.network_id = "oulu";
  held.joint_with = {"tampere", "turku"};
  held.scheduled_for = domain::Date{2024, 5, 1, domain::DatePrecision::kDay};
  held.format = "hybrid";
  held.location = "Oulu city hall";
  held.agenda = {"current matters"};
  held.status = MeetingStatus::kHeld;
  held.held_on = domain::Date{2024, 5, 14, domain::DatePrecision::kDay};
  held.attendees = {"member-1", "member-2"};
  held.attendee_count = 14;
  held.themes = {"forced_labour"};
  held.notes = "Getting organised";
  MeetingRecord planned;
  planned.meeting_id = "m-2";
  planned.network_id = "turku";
  planned.scheduled_for = domain::Date{2025, 2, 1, domain::DatePrecision::kMonth};
  MeetingRecord cancelled = planned;
  cancelled.meeting_id = "m-3";
  cancelled.status = MeetingStatus::kCancelled;
  cancelled.cancel_reason = "";
  for (const MeetingRecord& m : {held, planned, cancelled}) {
    const std::string bytes = encode_meeting(m);
    const auto f = peek_meeting(bytes);
    ASSERT_TRUE(f) << m.meeting_id;
    EXPECT_EQ(f->meeting_id, m.meeting_id);
    EXPECT_EQ(f->date, m.date());
    EXPECT_EQ(f->status, m.status);
    const std::vector<std::string> networks(f->networks.begin(), f->networks.end());
    EXPECT_EQ(networks, m.networks());
    // Cut anywhere, or with a byte too many: refused, as decode_meeting refuses.
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      const std::string_view cut = std::string_view(bytes).substr(0, n);
      EXPECT_EQ(peek_meeting(cut).has_value(), decode_meeting(cut).has_value()) << n;
    }
    EXPECT_FALSE(peek_meeting(bytes + "x"));
  }
}

TEST(MeetingView, ASnapshotKeepsEveryMeetingAndItsCalendar) {
  const RegistryView view = meetings_log().replay();
  SnapshotWriter out;
  write_view(view, out);
  SnapshotReader in(out.bytes());
  auto loaded = read_view(in, view.personal_seal());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_TRUE(*loaded == view);
  EXPECT_EQ(loaded->dump(), view.dump());
  EXPECT_EQ(item_field(*loaded->meetings({}), "meeting_id"),
            item_field(*view.meetings({}), "meeting_id"));
  EXPECT_EQ(loaded->find_meeting("m-b"), view.find_meeting("m-b"));
  EXPECT_FALSE(loaded->find_meeting("m-z"));
}

}  // namespace
}  // namespace ikv::projections
