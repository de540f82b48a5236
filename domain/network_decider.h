// The network decider: decides a NetworkCommand against a NetworkState.
//
// Rejections (code, kind, field):
//   any command but EstablishNetwork on a network not established: network_not_found (404)
//   EstablishNetwork: invalid_network_id (422 /network_id), missing_field (422;
//     /steward for an empty list, /steward/<i> for an empty name in it),
//     invalid_date (422), network_exists (409); established_on may be unknown
//     (nullopt)
//   ChangeNetworkDetails: missing_field (422 /name/<lang>, /region, /seat); nothing
//     different: no events
//   TransferStewardship: missing_field (422 /steward, /steward/<i>),
//     stewardship_date_not_after_last (409 /effective_on: not after the last
//     dated entry in the order of first days, so "2024-04" is not after
//     2024-04-01 nor after "2024-04", 2024-04-02 is after "2024-04"; any date
//     is after an establishment of unknown date); the current steward again,
//     written the same way (a string, or the same list): no events
//   JoinNetwork: missing_field, invalid_email (422 /email), unknown_sector (422 /sector),
//     member_exists (409 /member_id), email_taken (409 /email)
//   LeaveNetwork: member_not_found (404), member_already_left (409),
//     left_before_joined (422 /left_on: only when left_on is surely before
//     joined_on, every day of it before every day of joined_on: joined
//     "2024-04" may leave on 2024-04-20 or in "2024-04", joined 2024-04-20 may
//     leave in "2024-04", leaving in "2024-03" is before joining "2024-04")
//   ChangeMemberDetails: member_not_found (404), nothing_to_change (422, no field
//     but `reason`), member_already_left (409), missing_field (422 /name,
//     /organisation), invalid_email, unknown_sector, personal_data_erased (409),
//     email_taken; nothing different: no events
//   ErasePersonalData: member_not_found (404); already erased: no events; a blank
//     reason or request_ref is none
//   RecordObservation: unknown_theme (422 /theme), missing_field (422
//     /target_groups/<i>), unknown_meeting (422 /meeting_id); a target group that
//     matches a target group's code, label or alias (TaxonomyState::target_group_of)
//     is stored as the code, each code once; other text is kept as written (trimmed)
//   RetractObservation: observation_not_found (404), missing_field (422 /reason);
//     already retracted: no events
//   RequestTraining / DeliverTraining: unknown_training_topic (422 /topic),
//     negative_participants (422 /participants)
//   RequestToJoin: join_request_exists (409 /request_id), missing_field (422 /name,
//     /organisation), invalid_email (422 /email), unknown_sector (422 /sector); who is
//     a member is not checked (a request must not tell), that is for the approval
//   ApproveJoinRequest: join_request_not_found (404), join_request_answered (409),
//     personal_data_erased (409: the request's details cannot be read), then the rules
//     of JoinNetwork (invalid_date 422 /joined_on, member_exists, email_taken 409 /email)
//   DeclineJoinRequest: join_request_not_found (404), join_request_answered (409); a
//     blank reason is none
//   ExpireJoinRequest: join_request_not_found (404), join_request_answered (409),
//     join_request_not_due (409: younger than max_age_us at now_us)
//   DeliverTraining with request_id: unknown_training_request (422 /request_id)
//     when the network has no such request; training_request_delivered (409
//     /request_id) when a training already answered it (a request is delivered
//     once; its topic need not be the delivery's)
//   RecordWish: unknown_wish_kind (422 /kind: joint_meeting, meeting_format, training,
//     other), missing_field (422 /text), invalid_date (422 /recorded_on); the format
//     rule: a meeting_format wish must name a format (format_missing, 422 /format)
//     that is a meeting format of the taxonomy (unknown_meeting_format, 422 /format);
//     any other kind must name none (format_not_allowed, 422 /format); an unknown
//     kind leaves the format unjudged. The text is kept trimmed; a wish names no person
// Every command date must be a real date, known to the day or to the month
// (domain/date.h; invalid_date, 422).
// A decider answers the first rejection; domain/form_checks.h lists every
// invalid field of JoinNetwork, ChangeMemberDetails, RecordObservation and
// RecordWish at once.
//
// Thread-safety: a pure function; safe from any thread.
//
//   Decision<NetworkEvent> d = decide(JoinNetwork{...}, state, context);
#pragma once

#include "domain/context.h"
#include "domain/decision.h"
#include "domain/network_commands.h"
#include "domain/network_events.h"
#include "domain/network_state.h"

namespace ikv::domain {

Decision<NetworkEvent> decide(const NetworkCommand& command, const NetworkState& state,
                              const DecisionContext& context);

}  // namespace ikv::domain
