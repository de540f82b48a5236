// The public JSON of an event's payload, as reads show it (event feed,
// stream and history reads): the stored fields, with personal data as plain
// "name", "email", "phone" instead of the sealed block. Erased personal data
// shows as nulls with "erased": true; readers without the right to personal
// data (analysts) get no personal fields at all.
//
// Thread-safety: a pure function; safe from any thread.
//
//   boost::json::object payload =
//       event_payload_json(*decoded, {.include_personal = role != Role::kAnalyst});
#pragma once

#include <boost/json.hpp>

#include "domain/event.h"

namespace ikv::codec {

struct EventJsonOptions {
  // false: drop "name", "email" and "phone" (the "erased" flag stays).
  bool include_personal = true;
};

// MemberJoined: {..., "name", "email", "phone", "erased"}; MemberDetailsChanged:
// the same four keys only when personal data changed; other events: their
// stored fields.
boost::json::object event_payload_json(const domain::Event& event,
                                       const EventJsonOptions& options = {});

}  // namespace ikv::codec
