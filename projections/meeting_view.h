// The read model of one meeting (stream "meeting-<uuid>"): its details, its
// status (scheduled, held, cancelled) and when its stream was first and last
// written; the stream's events themselves stay in the log (stream_events.h). Plain records
// folded by apply_event(); RegistryView owns one per meeting and renders them
// (see registry_view.h).
//
// Thread-safety: plain values and pure functions; a record must not be
// folded while another thread reads it.
//
//   MeetingRecord m = schedule_meeting(meta, scheduled);
//   apply_event(m, meta, held);
//   m.status == MeetingStatus::kHeld;
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/date.h"
#include "domain/meeting.h"
#include "eventstore/event_store.h"

namespace ikv::projections {

enum class MeetingStatus { kScheduled, kHeld, kCancelled };
// "scheduled", "held", "cancelled".
std::string_view to_string(MeetingStatus status);
std::optional<MeetingStatus> parse_meeting_status(std::string_view text);

struct MeetingRecord {
  std::string meeting_id;
  std::string network_id;               // the organiser
  std::vector<std::string> joint_with;  // other networks taking part
  domain::Date scheduled_for;
  std::optional<std::string> format;  // as planned, then as held when the record names one
  std::string location;
  std::vector<std::string> agenda;
  MeetingStatus status = MeetingStatus::kScheduled;
  std::optional<domain::Date> held_on;
  std::vector<std::string> attendees;  // member ids
  std::optional<int> attendee_count;   // as recorded
  std::vector<std::string> themes;
  std::optional<std::string> notes;
  std::optional<std::string> cancel_reason;
  // The stream's events are in the log, not here (StreamEvents reads them
  // back for the history and for reports as known at an earlier instant):
  // when its first (the scheduling) and its last were recorded.
  std::int64_t first_recorded_at_us = 0;
  std::int64_t last_recorded_at_us = 0;

  // The meeting's date: held_on when held, else scheduled_for.
  domain::Date date() const { return held_on ? *held_on : scheduled_for; }
  // The organiser, then the joint networks: where the calendar files it.
  std::vector<std::string> networks() const;
  // True for the organiser and every joint network.
  bool involves(std::string_view network_id) const;
  // When held: attendee_count if recorded, else the number of attendees;
  // nullopt when not held or when the record gives no attendance (unknown).
  std::optional<int> attendance() const;

  bool operator==(const MeetingRecord&) const = default;
};

// A record as one string and back: the snapshot's bytes for a meeting
// (primitives of snapshot_io.h), a few hundred bytes where the record of
// strings takes a kilobyte and more. RegistryView keeps every meeting so.
// decode_meeting: nullopt when the bytes do not parse.
std::string encode_meeting(const MeetingRecord& m);
std::optional<MeetingRecord> decode_meeting(std::string_view bytes);

// What the calendar files a meeting by, read from its encoding as views into
// `bytes` (no record built). nullopt exactly when decode_meeting() would be.
struct MeetingFiling {
  std::string_view meeting_id;
  domain::Date date;  // MeetingRecord::date()
  MeetingStatus status = MeetingStatus::kScheduled;
  std::vector<std::string_view> networks;  // MeetingRecord::networks()
};
std::optional<MeetingFiling> peek_meeting(std::string_view bytes);

// The record a MeetingScheduled starts.
MeetingRecord schedule_meeting(const eventstore::RecordedEvent& meta,
                               const domain::MeetingScheduled& event);

// Fold one later event of the meeting's stream into its record: its last
// recorded time always moves; the details change only where the event fits the status (as
// domain::evolve does), e.g. a held meeting is not rescheduled. One overload
// per event type.
void apply_event(MeetingRecord& m, const eventstore::RecordedEvent& meta,
                 const domain::MeetingScheduled& e);
void apply_event(MeetingRecord& m, const eventstore::RecordedEvent& meta,
                 const domain::MeetingRescheduled& e);
void apply_event(MeetingRecord& m, const eventstore::RecordedEvent& meta,
                 const domain::MeetingCancelled& e);
void apply_event(MeetingRecord& m, const eventstore::RecordedEvent& meta,
                 const domain::MeetingHeld& e);
void apply_event(MeetingRecord& m, const eventstore::RecordedEvent& meta,
                 const domain::MeetingRecordAmended& e);

}  // namespace ikv::projections
