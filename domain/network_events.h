// Events of the network aggregate (stream "network-<id>"): facts, in the past
// tense, as they are kept in the log (see codec/ for their stored form).
// Event type names and field names are part of the storage contract.
//
// Thread-safety: plain values; safe from any thread.
//
//   NetworkEvent e = MemberLeft{.member_id = id, .left_on = {2024, 6, 30}};
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/date.h"
#include "domain/values.h"

namespace ikv::domain {

struct NetworkEstablished {
  std::string network_id;
  LocalizedText name;
  std::string region;
  std::string seat;
  std::string steward;                 // one organisation ("" when `stewards` is set)
  std::optional<Date> established_on;  // nullopt: not known
  std::vector<std::string> stewards;   // the organisations, when written as a list

  bool operator==(const NetworkEstablished&) const = default;
};

struct NetworkRenamed {
  LocalizedText name;

  bool operator==(const NetworkRenamed&) const = default;
};

struct StewardshipTransferred {
  std::string steward;  // as NetworkEstablished
  Date effective_on;
  std::vector<std::string> stewards;

  bool operator==(const StewardshipTransferred&) const = default;
};

struct MemberJoined {
  std::string member_id;
  std::optional<PersonalData> personal;  // nullopt once the person's data is erased
  std::string organisation;
  std::string sector;  // a sector code
  std::optional<std::string> title;
  Date joined_on;

  bool operator==(const MemberJoined&) const = default;
};

struct MemberLeft {
  std::string member_id;
  Date left_on;
  std::optional<std::string> reason;

  bool operator==(const MemberLeft&) const = default;
};

// Only the fields that changed are set. `personal` holds the complete new
// personal data; when it was changed but has since been erased, it reads back
// as nullopt with personal_erased = true.
struct MemberDetailsChanged {
  std::string member_id;
  std::optional<PersonalData> personal;
  bool personal_erased = false;
  std::optional<std::string> organisation;
  std::optional<std::string> sector;
  std::optional<std::string> title;   // "" removes the title
  std::optional<std::string> reason;  // why, as the corrector gave it (absent before release 2)

  bool operator==(const MemberDetailsChanged&) const = default;
};

struct PersonalDataErased {
  std::string member_id;
  std::optional<std::string> reason;       // why, as the admin gave it
  std::optional<std::string> request_ref;  // the data-subject request it answers

  bool operator==(const PersonalDataErased&) const = default;
};

struct ObservationRecorded {
  std::string observation_id;
  std::string theme;  // a theme code
  Date observed_on;
  // A target group's code when the text matched one (taxonomy.h), else the
  // text as written (trimmed); release-1 events hold text only.
  std::vector<std::string> target_groups;
  std::optional<std::string> meeting_id;
  std::optional<std::string> summary;

  bool operator==(const ObservationRecorded&) const = default;
};

struct TrainingRequested {
  std::string request_id;
  std::string topic;  // a training topic code
  Date requested_on;
  std::optional<std::string> notes;

  bool operator==(const TrainingRequested&) const = default;
};

struct TrainingDelivered {
  std::string training_id;
  std::string topic;  // a training topic code
  Date delivered_on;
  int participants = 0;
  std::optional<std::string> request_id;  // the request it answers (release 2)

  bool operator==(const TrainingDelivered&) const = default;
};

// A correction of the network's details: only what changed is set; `name`
// is the whole new name. (NetworkRenamed, of release 1, changed the name only.)
struct NetworkDetailsChanged {
  std::optional<LocalizedText> name;
  std::optional<std::string> region;
  std::optional<std::string> seat;
  std::optional<std::string> reason;

  bool operator==(const NetworkDetailsChanged&) const = default;
};

// An observation withdrawn: it stays in the log and in the list, marked
// retracted, and no report counts it any more.
struct ObservationRetracted {
  std::string observation_id;
  std::string reason;

  bool operator==(const ObservationRetracted&) const = default;
};

// What a person asking to join gave about themselves: sealed with the
// request's own key (subject: the request id), never with a member's.
struct JoinRequestDetails {
  PersonalData personal;
  std::optional<std::string> title;
  std::optional<std::string> message;

  bool operator==(const JoinRequestDetails&) const = default;
};

// A professional asked, without a token, to join the network (POST
// /v1/join-requests). `details` is nullopt once the request's key is
// destroyed (answered or expired: crypto-shredded).
struct JoinRequested {
  std::string request_id;
  std::optional<JoinRequestDetails> details;
  std::string organisation;
  std::string sector;                // a sector code
  std::int64_t requested_at_us = 0;  // the instant it was received (UTC microseconds)

  bool operator==(const JoinRequested&) const = default;
};

// A coordinator or an admin let the request in; a MemberJoined for
// `member_id` follows in the same append.
struct JoinRequestApproved {
  std::string request_id;
  std::string member_id;

  bool operator==(const JoinRequestApproved&) const = default;
};

struct JoinRequestDeclined {
  std::string request_id;
  std::optional<std::string> reason;

  bool operator==(const JoinRequestDeclined&) const = default;
};

// Not answered in time: the request's key was destroyed before this was recorded.
struct JoinRequestExpired {
  std::string request_id;

  bool operator==(const JoinRequestExpired&) const = default;
};

// What a network wishes for or aims at (release 2). Stable spellings:
// "joint_meeting", "meeting_format", "training", "other".
enum class WishKind { kJointMeeting, kMeetingFormat, kTraining, kOther };
inline constexpr WishKind kAllWishKinds[] = {WishKind::kJointMeeting, WishKind::kMeetingFormat,
                                             WishKind::kTraining, WishKind::kOther};
std::string_view to_string(WishKind kind);
std::optional<WishKind> parse_wish_kind(std::string_view text);

// A wish or goal the network recorded (release 2). It names no person.
// `format` (a meeting format code) is set for kMeetingFormat only.
struct WishRecorded {
  std::string wish_id;
  WishKind kind = WishKind::kOther;
  std::string text;
  Date recorded_on;
  std::optional<std::string> format;

  bool operator==(const WishRecorded&) const = default;
};

inline std::string_view to_string(WishKind kind) {
  switch (kind) {
    case WishKind::kJointMeeting:
      return "joint_meeting";
    case WishKind::kMeetingFormat:
      return "meeting_format";
    case WishKind::kTraining:
      return "training";
    case WishKind::kOther:
      return "other";
  }
  return "unknown";
}

inline std::optional<WishKind> parse_wish_kind(std::string_view text) {
  for (WishKind k : kAllWishKinds) {
    if (to_string(k) == text) return k;
  }
  return std::nullopt;
}

using NetworkEvent =
    std::variant<NetworkEstablished, NetworkRenamed, StewardshipTransferred, MemberJoined,
                 MemberLeft, MemberDetailsChanged, PersonalDataErased, ObservationRecorded,
                 TrainingRequested, TrainingDelivered, NetworkDetailsChanged, ObservationRetracted,
                 JoinRequested, JoinRequestApproved, JoinRequestDeclined, JoinRequestExpired,
                 WishRecorded>;

}  // namespace ikv::domain
