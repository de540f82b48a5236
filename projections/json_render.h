// JSON renderings of the read-model records, shared by RegistryView's queries
// and dump(): snake_case fields, dates "YYYY-MM-DD", instants RFC 3339 UTC with
// microseconds, absent values as null.
//
// Thread-safety: pure functions; safe from any thread.
//
//   boost::json::object m = render::member(record, {});   // personal fields null
//   boost::json::object shown = render::member(record, {.personal = &view.personal_seal()});
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "domain/date.h"
#include "domain/meeting.h"
#include "domain/values.h"
#include "projections/meeting_view.h"
#include "projections/network_view.h"
#include "projections/stream_events.h"

namespace ikv::projections {
struct TokenRecord;
}

namespace ikv::projections::render {

boost::json::value date(const domain::Date& d);
boost::json::value date(const std::optional<domain::Date>& d);
boost::json::value instant(std::int64_t unix_us);
boost::json::value instant(const std::optional<std::int64_t>& unix_us);
boost::json::value text(const std::optional<std::string>& s);
boost::json::array strings(const std::vector<std::string>& items);
// {"fi", "sv", "en"}
boost::json::object labels(const domain::LocalizedText& t);
// {code: n}
boost::json::object counts(const std::map<std::string, std::size_t>& by_code);

// How a member is shown.
struct MemberOptions {
  std::optional<std::int64_t> known_at_us;  // a leave or correction recorded later is not shown
  // The seal to open the personal fields with (the view's); nullptr: name,
  // email and phone are null.
  const PersonalSeal* personal = nullptr;
};
// {"member_id", "name", "email", "phone", "organisation", "sector", "title",
//  "joined_on", "left_on", "leave_reason", "erased", "joined_recorded_at",
//  "left_recorded_at"}
boost::json::object member(std::string_view member_id, const MemberRecord& m,
                           const MemberOptions& options);

// {"observation_id", "network", "theme", "observed_on", "target_groups",
//  "meeting_id", "summary", "position", "recorded_at", "retracted",
//  "retraction_reason", "retracted_at"}
boost::json::object observation(const std::string& network_id, const ObservationRecord& o);
// {"wish_id", "network", "kind", "text", "recorded_on", "format", "position",
//  "recorded_at"}
boost::json::object wish(const std::string& network_id, const WishRecord& w);
// {"request_id", "topic", "requested_on", "notes", "recorded_at"}
boost::json::object training_request(const TrainingRequestRecord& r);
// {"training_id", "topic", "delivered_on", "participants", "recorded_at"}
boost::json::object training_delivery(const TrainingDeliveryRecord& t);
// The steward as written: a string, or a list of organisations.
boost::json::value steward(const StewardshipEntry& s);
// {"steward", "effective_on"} (effective_on null: an establishment of unknown date)
boost::json::object stewardship(const StewardshipEntry& s);

// {"meeting_id", "network" (the organiser), "joint_with", "status",
//  "scheduled_for", "format", "location", "agenda", "held_on", "attendees",
//  "attendee_count", "themes", "notes", "cancel_reason", "version"}
boost::json::object meeting(const MeetingRecord& m, std::uint64_t version);
// The envelope of a stored event in the Event shape of the event feed, with
// `payload` as given: {"position", "stream", "version", "event_id", "type",
// "schema_version", "actor", "recorded_at", "payload"}.
boost::json::object event_envelope(const eventstore::RecordedEvent& meta,
                                   boost::json::object payload);
// The meeting's stream (`events`, oldest first, as StreamEvents reads them)
// in the Event shape of the event feed: [{"position", "stream", "version",
// "event_id", "type", "schema_version", "actor", "recorded_at", "payload"}],
// the payload being the event's public JSON (codec::event_payload_json;
// meeting events hold no personal data).
boost::json::array meeting_history(const std::vector<DecodedEvent>& events);

// {"id", "name", "role", "networks", "issued_at", "revoked", "revoked_at"}
boost::json::object token(const TokenRecord& t);

}  // namespace ikv::projections::render
