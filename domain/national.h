// The national findings: observations that the source ties to no single
// network (API.md "National findings"), kept in one stream, "national"
// (domain/streams.h). The stream holds the network stream's observation events,
// ObservationRecorded and ObservationRetracted, without a meeting; reads show
// them with "network": null.
//
// Rejections (code, kind, field):
//   RecordObservation: missing_field (422 /observation_id), unknown_theme (422
//     /theme), invalid_date (422 /observed_on), missing_field (422
//     /target_groups/<i>), meeting_not_allowed (422 /meeting_id: a national
//     finding belongs to no meeting), observation_exists (409 /observation_id);
//     target groups are matched to their codes as a network's observation's are
//     (stored_target_groups in domain/checks.h); form_checks.h lists every
//     invalid field at once (national_observation_issues)
//   RetractObservation: observation_not_found (404), missing_field (422 /reason);
//     already retracted: no events
//
// Thread-safety: plain values and pure functions; safe from any thread.
//
//   NationalState s = initial_national_state();
//   Decision<NationalEvent> d = decide(NationalCommand(RecordObservation{...}), s, ctx);
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <variant>

#include "common/string_hash.h"
#include "domain/context.h"
#include "domain/decision.h"
#include "domain/network_commands.h"
#include "domain/network_events.h"

namespace ikv::domain {

using NationalCommand = std::variant<RecordObservation, RetractObservation>;
using NationalEvent = std::variant<ObservationRecorded, ObservationRetracted>;

struct NationalState {
  // id -> retracted; looked up by id only, hashed
  std::unordered_map<std::string, bool, StringHash, std::equal_to<>> observations;

  bool operator==(const NationalState&) const = default;
};

inline NationalState initial_national_state() { return {}; }

// Applies one event; never fails.
NationalState evolve(NationalState state, const NationalEvent& event);

Decision<NationalEvent> decide(const NationalCommand& command, const NationalState& state,
                               const DecisionContext& context);

}  // namespace ikv::domain
