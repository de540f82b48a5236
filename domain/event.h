// Event: every domain event in one variant, the unit the codec stores and the
// projections fold. Each aggregate's decider works on its own narrower variant
// (NetworkEvent, MeetingEvent, TaxonomyEvent, TokenEvent, NationalEvent); to_event() widens one
// of those to Event and narrow<>() goes back.
//
// Thread-safety: plain values and pure functions; safe from any thread.
//
//   for (const NetworkEvent& e : events_of(decision)) store(to_event(e));
//   if (auto e = narrow<NetworkEvent>(decoded)) state = evolve(std::move(state), *e);
#pragma once

#include <optional>
#include <type_traits>
#include <variant>

#include "domain/meeting.h"
#include "domain/network_events.h"
#include "domain/taxonomy.h"
#include "domain/token.h"

namespace ikv::domain {

using Event = std::variant<
    // network-<id>
    NetworkEstablished, NetworkRenamed, StewardshipTransferred, MemberJoined, MemberLeft,
    MemberDetailsChanged, PersonalDataErased, ObservationRecorded, TrainingRequested,
    TrainingDelivered,
    // meeting-<uuid>
    MeetingScheduled, MeetingRescheduled, MeetingCancelled, MeetingHeld,
    // taxonomy
    TaxonomyEntryAdded,
    // token-<id>
    TokenIssued, TokenRevoked, TokenRotated,
    // release 2 corrections: network-<id>, network-<id>, meeting-<uuid>
    NetworkDetailsChanged, ObservationRetracted, MeetingRecordAmended,
    // release 2 joining: network-<id>
    JoinRequested, JoinRequestApproved, JoinRequestDeclined, JoinRequestExpired,
    // release 2 wishes: network-<id>
    WishRecorded>;

template <class T, class Variant>
struct IsAlternative : std::false_type {};
template <class T, class... Ts>
struct IsAlternative<T, std::variant<Ts...>> : std::bool_constant<(std::is_same_v<T, Ts> || ...)> {
};

// Widens an aggregate's event (or variant of events) to Event.
template <class Sub>
Event to_event(const Sub& sub) {
  if constexpr (IsAlternative<Sub, Event>::value) {
    return Event(sub);
  } else {
    return std::visit([](const auto& e) { return Event(e); }, sub);
  }
}

// The event as an alternative of `Sub` (e.g. NetworkEvent), or nullopt when it
// belongs to another aggregate.
template <class Sub>
std::optional<Sub> narrow(const Event& event) {
  return std::visit(
      [](const auto& e) -> std::optional<Sub> {
        if constexpr (IsAlternative<std::decay_t<decltype(e)>, Sub>::value) {
          return Sub(e);
        } else {
          return std::nullopt;
        }
      },
      event);
}

}  // namespace ikv::domain
