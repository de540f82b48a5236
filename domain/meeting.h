// The meeting aggregate (stream "meeting-<uuid>"): a meeting organised by one
// network, possibly joint with others, scheduled, moved, cancelled or recorded
// as held. Events, commands, the state (a sum type: no meeting, planned,
// cancelled, held), decide and evolve.
//
// Rejections (code, kind, field):
//   ScheduleMeeting: meeting_exists (409), network_not_found (404, the organiser),
//     unknown_network / joint_with_organiser / duplicate_joint_network (422 /joint_with/<i>),
//     unknown_meeting_format (422 /format), missing_field (422 /location, /agenda/<i>)
//   other commands on no meeting: meeting_not_found (404)
//   ScheduleMeeting's format may be unknown (nullopt).
//   RescheduleMeeting: meeting_already_held, meeting_cancelled (409); no change
//     (the date written the same way, "2024-04" to 2024-04-01 is a change): no events
//   CancelMeeting: meeting_already_held (409); already cancelled: no events
//   RecordMeetingHeld: meeting_cancelled, meeting_already_held (409);
//     unknown_meeting_format (422 /format), format_missing (422 /format: neither
//     the meeting nor the record names a format; a format given with the record
//     is the one it was held in and is recorded, whatever was planned),
//     attendance_missing (422 /attendees: neither attendees nor a count, and the
//     record does not say that the attendance is unknown), duplicate_attendee,
//     unknown_attendee (422 /attendees/<i>), attendee_count_too_small
//     (422 /attendee_count), unknown_theme (422 /themes/<i>)
//   RecordMeetingHeld with attendance_unknown and no attendees: held, with no
//     attendance (MeetingHeld with neither; the source gives none).
//   AmendMeetingRecord: meeting_not_held, meeting_cancelled (409); missing_field
//     (422 /reason); then as RecordMeetingHeld for the amended record, where an
//     attendee already recorded need not be a current member any more, and a
//     record whose attendance is unknown may stay so; the record unchanged: no
//     events
// Every command date must be a real date, known to the day or to the month
// (invalid_date, 422). No rule compares held_on with scheduled_for.
// The decider answers the first rejection; domain/form_checks.h lists every
// invalid field of a command at once.
//
// Thread-safety: plain values and pure functions; safe from any thread.
//
//   MeetingState s = initial_meeting_state();
//   auto d = decide(ScheduleMeeting{...}, s, ctx);
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/context.h"
#include "domain/date.h"
#include "domain/decision.h"

namespace ikv::domain {

// ---- events ----
struct MeetingScheduled {
  std::string meeting_id;
  std::string network_id;               // the organiser
  std::vector<std::string> joint_with;  // other networks taking part
  Date scheduled_for;
  std::optional<std::string> format;  // a meeting format code; nullopt: not known yet
  std::string location;
  std::vector<std::string> agenda;

  bool operator==(const MeetingScheduled&) const = default;
};

struct MeetingRescheduled {
  Date scheduled_for;
  std::optional<std::string> format;
  std::optional<std::string> location;

  bool operator==(const MeetingRescheduled&) const = default;
};

struct MeetingCancelled {
  std::optional<std::string> reason;

  bool operator==(const MeetingCancelled&) const = default;
};

struct MeetingHeld {
  Date held_on;
  std::vector<std::string> attendees;  // member ids
  std::optional<int> attendee_count;   // >= attendees.size() when given
  std::vector<std::string> themes;     // theme codes
  std::optional<std::string> notes;
  std::optional<std::string> format;  // the format it was held in, when the record named one

  bool operator==(const MeetingHeld&) const = default;
};

// A held meeting's record corrected: the whole record as it now stands (the
// fields of MeetingHeld) and why.
struct MeetingRecordAmended {
  Date held_on;
  std::vector<std::string> attendees;
  std::optional<int> attendee_count;
  std::vector<std::string> themes;
  std::optional<std::string> notes;
  std::string reason;
  std::optional<std::string> format;

  bool operator==(const MeetingRecordAmended&) const = default;
};

using MeetingEvent = std::variant<MeetingScheduled, MeetingRescheduled, MeetingCancelled,
                                  MeetingHeld, MeetingRecordAmended>;

// ---- commands ----
struct ScheduleMeeting {
  std::string meeting_id;  // new, chosen by the application (a UUID)
  std::string network_id;
  std::vector<std::string> joint_with;
  Date scheduled_for;
  std::optional<std::string> format;  // nullopt: not known yet
  std::string location;
  std::vector<std::string> agenda;
};

struct RescheduleMeeting {
  Date scheduled_for;
  std::optional<std::string> format;
  std::optional<std::string> location;
};

struct CancelMeeting {
  std::optional<std::string> reason;
};

struct RecordMeetingHeld {
  Date held_on;
  std::vector<std::string> attendees;
  std::optional<int> attendee_count;
  std::vector<std::string> themes;
  std::optional<std::string> notes;
  std::optional<std::string> format;  // the format it was held in (wins over the planned one)
  // The source gives no attendance ("attendee_count": null written out): held
  // with neither attendees nor a count, rather than attendance_missing.
  bool attendance_unknown = false;
};

// Corrects a held meeting's record; unset fields stay as recorded, notes = ""
// removes the notes.
struct AmendMeetingRecord {
  std::optional<Date> held_on;
  std::optional<std::vector<std::string>> attendees;
  std::optional<int> attendee_count;
  std::optional<std::vector<std::string>> themes;
  std::optional<std::string> notes;
  std::string reason;
};

using MeetingCommand = std::variant<ScheduleMeeting, RescheduleMeeting, CancelMeeting,
                                    RecordMeetingHeld, AmendMeetingRecord>;

// ---- state ----
struct MeetingDetails {
  std::string meeting_id;
  std::string network_id;
  std::vector<std::string> joint_with;
  Date scheduled_for;
  std::optional<std::string> format;  // as planned; nullopt: not known
  std::string location;
  std::vector<std::string> agenda;

  // True for the organiser and every joint network.
  bool involves(std::string_view network_id) const;

  bool operator==(const MeetingDetails&) const = default;
};

struct NoMeeting {
  bool operator==(const NoMeeting&) const = default;
};
struct PlannedMeeting {
  MeetingDetails details;
  bool operator==(const PlannedMeeting&) const = default;
};
struct CancelledMeeting {
  MeetingDetails details;
  std::optional<std::string> reason;
  bool operator==(const CancelledMeeting&) const = default;
};
struct HeldMeeting {
  MeetingDetails details;
  MeetingHeld record;
  // attendee_count if given, else the number of attendees.
  int attendance() const;
  // The format it was held in: the record's, else the planned one.
  const std::optional<std::string>& held_format() const {
    return record.format ? record.format : details.format;
  }
  bool operator==(const HeldMeeting&) const = default;
};

using MeetingState = std::variant<NoMeeting, PlannedMeeting, CancelledMeeting, HeldMeeting>;

inline MeetingState initial_meeting_state() { return NoMeeting{}; }
// The meeting's details, or nullptr for NoMeeting.
const MeetingDetails* details(const MeetingState& state);
// "none", "scheduled", "cancelled" or "held".
std::string_view status_name(const MeetingState& state);

Decision<MeetingEvent> decide(const MeetingCommand& command, const MeetingState& state,
                              const DecisionContext& context);
// Never fails; events that do not fit the state leave it unchanged.
MeetingState evolve(MeetingState state, const MeetingEvent& event);

}  // namespace ikv::domain
