// Commands of the network aggregate: what a client asks of a network. Ids
// (member, observation, training, wish) and dates are supplied by the application
// layer; the decider only checks them.
//
// Thread-safety: plain values; safe from any thread.
//
//   NetworkCommand c = LeaveNetwork{.member_id = id, .left_on = today};
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "domain/date.h"
#include "domain/values.h"

namespace ikv::domain {

struct EstablishNetwork {
  std::string network_id;  // [a-z0-9-], 2..64
  LocalizedText name;
  std::string region;
  std::string seat;
  std::string steward;                 // one organisation, or
  std::optional<Date> established_on;  // nullopt: not known
  std::vector<std::string> stewards;   // several (a list as written; non-empty when given)
  bool stewards_listed = false;        // the steward was written as a list (`stewards`)
};

// A merge patch of a trilingual text: each language given replaces that language.
struct LocalizedTextPatch {
  std::optional<std::string> fi;
  std::optional<std::string> sv;
  std::optional<std::string> en;
};

// Corrects the network's details. Unset fields stay as they are.
struct ChangeNetworkDetails {
  LocalizedTextPatch name;
  std::optional<std::string> region;
  std::optional<std::string> seat;
  std::optional<std::string> reason;
};

struct TransferStewardship {
  std::string steward;  // as EstablishNetwork
  Date effective_on;
  std::vector<std::string> stewards;
  bool stewards_listed = false;
};

struct JoinNetwork {
  std::string member_id;  // new, chosen by the application (a UUID)
  PersonalData personal;
  std::string organisation;
  std::string sector;
  std::optional<std::string> title;
  Date joined_on;
};

struct LeaveNetwork {
  std::string member_id;
  Date left_on;
  std::optional<std::string> reason;
};

// Unset fields stay as they are. phone = "" removes the phone, title = ""
// removes the title. At least one field besides `reason` must be set.
struct ChangeMemberDetails {
  std::string member_id;
  std::optional<std::string> name;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<std::string> organisation;
  std::optional<std::string> sector;
  std::optional<std::string> title;
  std::optional<std::string> reason;
};

struct ErasePersonalData {
  std::string member_id;
  std::optional<std::string> reason;       // kept trimmed; blank: none
  std::optional<std::string> request_ref;  // kept trimmed; blank: none
};

struct RecordObservation {
  std::string observation_id;  // new, chosen by the application
  std::string theme;
  Date observed_on;
  std::vector<std::string> target_groups;  // as written; matched against the taxonomy
  std::optional<std::string> meeting_id;
  std::optional<std::string> summary;
};

struct RequestTraining {
  std::string request_id;  // new, chosen by the application
  std::string topic;
  Date requested_on;
  std::optional<std::string> notes;
};

struct DeliverTraining {
  std::string training_id;  // new, chosen by the application
  std::string topic;
  Date delivered_on;
  int participants = 0;
  std::optional<std::string> request_id;  // an open request of this network it answers
};

// Withdraws a recorded observation (it stays listed, marked retracted).
struct RetractObservation {
  std::string observation_id;
  std::string reason;
};

// A professional's own request to join (no token). Every member rule but the
// roster's (member_exists, email_taken) is checked now; those are checked on
// approval, so that a request says nothing about who is a member.
struct RequestToJoin {
  std::string request_id;  // new, chosen by the application (a UUID)
  PersonalData personal;
  std::string organisation;
  std::string sector;
  std::optional<std::string> title;
  std::optional<std::string> message;
  std::int64_t now_us = 0;  // the instant of the request
};

// Lets a pending request in as a member (MemberJoined, the member rules of JoinNetwork).
struct ApproveJoinRequest {
  std::string request_id;
  std::string member_id;  // new, chosen by the application (a UUID)
  Date joined_on;         // the application defaults it to the day of approval
};

struct DeclineJoinRequest {
  std::string request_id;
  std::optional<std::string> reason;  // kept trimmed; blank: none
};

// Erases a pending request that was not answered within `max_age_us`.
struct ExpireJoinRequest {
  std::string request_id;
  std::int64_t now_us = 0;
  std::int64_t max_age_us = 0;
};

// How long a join request may wait for an answer (90 days).
inline constexpr std::int64_t kJoinRequestMaxAgeUs = std::int64_t{90} * 24 * 3600 * 1'000'000;

// Records a wish or goal of the network. `kind` as written (a WishKind
// spelling); `format` is for the kind "meeting_format" only, and required there.
struct RecordWish {
  std::string wish_id;  // new, chosen by the application
  std::string kind;
  std::string text;
  Date recorded_on;
  std::optional<std::string> format;
};

using NetworkCommand =
    std::variant<EstablishNetwork, ChangeNetworkDetails, TransferStewardship, JoinNetwork,
                 LeaveNetwork, ChangeMemberDetails, ErasePersonalData, RecordObservation,
                 RequestTraining, DeliverTraining, RetractObservation, RequestToJoin,
                 ApproveJoinRequest, DeclineJoinRequest, ExpireJoinRequest, RecordWish>;

}  // namespace ikv::domain
