// The state of a network as its decider and readers need it, folded from the
// network's events by evolve(). A sum type: a network is either not yet
// established (the initial state) or established.
//
// Thread-safety: plain values and pure functions; a state must not be evolved
// while another thread reads it.
//
//   NetworkState s = initial_network_state();
//   for (const NetworkEvent& e : events) s = evolve(std::move(s), e);
//   if (const EstablishedNetwork* n = established(s)) n->current_member_count();
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/id_map.h"
#include "domain/date.h"
#include "domain/network_events.h"
#include "domain/values.h"

namespace ikv::domain {

struct Stewardship {
  std::string steward;                // one organisation ("" when `stewards` is set)
  std::optional<Date> from;           // nullopt: the establishment, date not known
  std::vector<std::string> stewards;  // the organisations, when written as a list

  bool operator==(const Stewardship&) const = default;
};

// A text a member names (organisation, sector, title) by its number in its
// network's EstablishedNetwork::texts; kNoText: none (a member without title).
using TextNumber = std::uint32_t;
inline constexpr TextNumber kNoText = IdMap<char>::kNone;

// One member of a network, current or former. Its id is the key it is kept
// under (EstablishedNetwork::members); its normalised e-mail, when it has
// personal data, is normalize_email(personal->email). Its organisation,
// sector and title are numbers of texts the network keeps once
// (EstablishedNetwork::text()): thousands of members share a few hundred.
struct Member {
  TextNumber organisation = kNoText;
  TextNumber sector = kNoText;
  TextNumber title = kNoText;
  Date joined_on;
  std::optional<Date> left_on;
  std::optional<PersonalData> personal;  // nullopt when erased or not readable
  bool erased = false;                   // PersonalDataErased was recorded

  // Joined and not left.
  bool is_current() const { return !left_on.has_value(); }
  // Counts on day `d`: joined_on <= d < left_on.
  bool is_member_on(const Date& d) const { return joined_on <= d && (!left_on || d < *left_on); }

  bool operator==(const Member&) const = default;
};

// What the decider keeps of an observation: whether it was retracted.
enum class ObservationStatus : std::uint8_t { kRecorded, kRetracted };

enum class JoinRequestStatus { kPending, kApproved, kDeclined, kExpired };
// "pending", "approved", "declined", "expired".
std::string_view to_string(JoinRequestStatus status);

struct JoinRequest {
  std::string request_id;
  std::optional<JoinRequestDetails> details;  // nullopt once answered, expired or unreadable
  std::string organisation;
  std::string sector;
  std::int64_t requested_at_us = 0;
  JoinRequestStatus status = JoinRequestStatus::kPending;

  bool is_pending() const { return status == JoinRequestStatus::kPending; }
  // Pending and older than `max_age_us` at `now_us`: due to be erased.
  bool is_due(std::int64_t now_us, std::int64_t max_age_us) const {
    return is_pending() && now_us - requested_at_us >= max_age_us;
  }

  bool operator==(const JoinRequest&) const = default;
};

struct EstablishedNetwork {
  std::string network_id;
  LocalizedText name;
  std::string region;
  std::string seat;
  std::optional<Date> established_on;    // nullopt: not known
  std::vector<Stewardship> stewardship;  // oldest first; never empty
  // Members, observations and training requests are looked up by id only
  // and a network records tens to hundreds of thousands of them over the
  // years, so they sit in flat id maps (common/id_map.h): an id's characters
  // once, no node per entry. The six networks' states of the bench's
  // 1,000,000-event log took about 110 MiB resident as trees of strings and
  // take about 75 MiB so (bench/README.md, "Decider states").
  IdMap<Member> members;  // every member ever, by id
  // The texts members name (Member::organisation, sector, title), each once,
  // numbered in first-seen order (the value is unused).
  IdMap<char> texts;
  // normalised e-mail -> the member's number in `members` (IdMap::number_of)
  IdMap<std::uint32_t> current_emails;
  IdMap<ObservationStatus> observations;  // by id
  // request id -> the id of the training that delivered it ("" while open)
  IdMap<std::string> training_requests;
  std::map<std::string, JoinRequest, std::less<>> join_requests;  // every request ever, by id

  // The current steward.
  const Stewardship& steward() const { return stewardship.back(); }
  // The text numbered `n` ("" for kNoText).
  std::string_view text(TextNumber n) const { return n == kNoText ? "" : texts.id_at(n); }
  // The number of `t`, kept from now on.
  TextNumber intern(std::string_view t);
  // The member with this id (current or former), or nullptr.
  const Member* find_member(std::string_view member_id) const;
  bool is_current_member(std::string_view member_id) const;
  // The current member using this e-mail (compared normalised), or nullptr.
  const Member* current_member_with_email(std::string_view email) const;
  std::size_t current_member_count() const;
  // Current members per sector code.
  std::map<std::string, std::size_t> current_members_by_sector() const;
  // Members per sector code counted on day `d` (joined_on <= d < left_on).
  std::map<std::string, std::size_t> members_by_sector_on(const Date& d) const;

  bool operator==(const EstablishedNetwork&) const = default;
};

struct NetworkNotEstablished {
  bool operator==(const NetworkNotEstablished&) const = default;
};

using NetworkState = std::variant<NetworkNotEstablished, EstablishedNetwork>;

inline NetworkState initial_network_state() { return NetworkNotEstablished{}; }

// The established network, or nullptr for the initial state.
inline const EstablishedNetwork* established(const NetworkState& state) {
  return std::get_if<EstablishedNetwork>(&state);
}

// Applies one event. Never fails: events that do not fit the state (which the
// decider never produces) leave it unchanged.
NetworkState evolve(NetworkState state, const NetworkEvent& event);

}  // namespace ikv::domain
