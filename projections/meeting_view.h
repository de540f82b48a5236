// The read model of one meeting (stream "meeting-<uuid>"): its details, its
// status (scheduled, held, cancelled) and the stream's history. Plain records
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

// One event of the meeting's stream with its envelope, as the history shows
// it (the Event shape of the event feed; the payload is rendered from `event`).
struct MeetingHistoryEntry {
  std::uint64_t position = 0;
  std::string stream;
  std::uint64_t version = 0;
  std::string event_id;
  std::string type;
  std::uint32_t schema_version = 1;  // as stored
  std::string actor;
  std::int64_t recorded_at_us = 0;
  domain::MeetingEvent event;

  bool operator==(const MeetingHistoryEntry&) const = default;
};

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
  std::vector<MeetingHistoryEntry> history;  // every event of the stream, in order

  // The meeting's date: held_on when held, else scheduled_for.
  domain::Date date() const { return held_on ? *held_on : scheduled_for; }
  // True for the organiser and every joint network.
  bool involves(std::string_view network_id) const;
  // When held: attendee_count if recorded, else the number of attendees;
  // nullopt when not held or when the record gives no attendance (unknown).
  std::optional<int> attendance() const;

  bool operator==(const MeetingRecord&) const = default;
};

// The record a MeetingScheduled starts (with its first history entry).
MeetingRecord schedule_meeting(const eventstore::RecordedEvent& meta,
                               const domain::MeetingScheduled& event);

// Fold one later event of the meeting's stream into its record: the history
// always grows; the details change only where the event fits the status (as
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
