// Every invalid field of a command at once. A decider rejects a command with
// the first problem it finds; a form wants them all, so that one 422 can mark
// every field. These functions list the validation rejections of a command in
// the order its decider checks them (the decider answers with the first), and
// leave out the conflicts (409) that need the aggregate's state.
//
//   JoinNetwork: missing_field (/member_id, /name, /organisation),
//     invalid_email (/email), unknown_sector (/sector), invalid_date (/joined_on)
//   ChangeMemberDetails (the fields given): missing_field (/name, /organisation),
//     invalid_email (/email), unknown_sector (/sector)
//   RecordObservation: missing_field (/observation_id), unknown_theme (/theme),
//     invalid_date (/observed_on), missing_field (/target_groups/<i>), unknown_meeting
//     (/meeting_id)
//   ScheduleMeeting: joint_with_organiser, duplicate_joint_network, unknown_network
//     (/joint_with/<i>), invalid_date (/scheduled_for), unknown_meeting_format (/format),
//     missing_field (/location, /agenda/<i>)
//   RescheduleMeeting: invalid_date (/scheduled_for), unknown_meeting_format (/format),
//     missing_field (/location)
//   a held meeting's record (RecordMeetingHeld, AmendMeetingRecord): unknown_meeting_format,
//     format_missing (/format: neither the record nor the plan has one), invalid_date
//     (/held_on), attendance_missing (/attendees), duplicate_attendee, unknown_attendee
//     (/attendees/<i>), attendee_count_too_small (/attendee_count), unknown_theme
//     (/themes/<i>)
//   RequestToJoin: missing_field (/request_id, /name, /organisation),
//     invalid_email (/email), unknown_sector (/sector)
//   RecordWish: missing_field (/wish_id), unknown_wish_kind (/kind), missing_field
//     (/text), invalid_date (/recorded_on), format_missing, format_not_allowed,
//     unknown_meeting_format (/format)
//   a national finding (RecordObservation, domain/national.h): missing_field
//     (/observation_id), unknown_theme (/theme), invalid_date (/observed_on),
//     missing_field (/target_groups/<i>), meeting_not_allowed (/meeting_id)
//
// Thread-safety: pure functions; safe from any thread.
//
//   for (const Rejection& r : join_issues(cmd, taxonomy)) mark(r.field, r.message);
#pragma once

#include <vector>

#include "domain/context.h"
#include "domain/decision.h"
#include "domain/meeting.h"
#include "domain/network_commands.h"
#include "domain/taxonomy.h"

namespace ikv::domain {

std::vector<Rejection> join_issues(const JoinNetwork& c, const TaxonomyState& taxonomy);
std::vector<Rejection> join_request_issues(const RequestToJoin& c, const TaxonomyState& taxonomy);

std::vector<Rejection> details_issues(const ChangeMemberDetails& c, const TaxonomyState& taxonomy);

// `network_id`: the network the observation is recorded in.
std::vector<Rejection> observation_issues(const RecordObservation& c, std::string_view network_id,
                                          const DecisionContext& ctx);

std::vector<Rejection> wish_issues(const RecordWish& c, const TaxonomyState& taxonomy);

// A finding the source ties to no single network (no meeting either).
std::vector<Rejection> national_observation_issues(const RecordObservation& c,
                                                   const TaxonomyState& taxonomy);

std::vector<Rejection> schedule_issues(const ScheduleMeeting& c, const DecisionContext& ctx);

std::vector<Rejection> reschedule_issues(const RescheduleMeeting& c, const DecisionContext& ctx);

// The rules of the record `e` of the meeting `d` (whose format, when `e` names
// none, must have been planned). An attendee in `recorded`
// (the record being amended) need not be a current member any more; every
// other attendee must be a current member of the organiser or a joint network.
// `attendance_unknown`: a record with neither attendees nor a count is allowed
// (the source gives no attendance).
std::vector<Rejection> record_issues(const MeetingDetails& d, const MeetingHeld& e,
                                     const std::vector<std::string>& recorded,
                                     bool attendance_unknown, const DecisionContext& ctx);

}  // namespace ikv::domain
