// clang-format off
// JSON field grammar of each event, as release 1 stored it (schema versions up
// to json_version) and as reads show it; `?` marks a field that may be null,
// `[]` an array of strings. New payloads are FlatBuffers (events.fbs).
//
//   NetworkEstablished     {network_id, name{fi,sv,en}, region, seat, steward, established_on?}
//   NetworkRenamed         {name{fi,sv,en}}
//   StewardshipTransferred {steward, effective_on}
//   MemberJoined (v2)      {member_id, personal, organisation, sector, title?, joined_on}
//   MemberLeft             {member_id, left_on, reason?}
//   MemberDetailsChanged   {member_id, personal?, organisation?, sector?, title?, reason?}
//   PersonalDataErased     {member_id, reason?, request_ref?}
//   ObservationRecorded    {observation_id, theme, observed_on, target_groups[], meeting_id?, summary?}
//   TrainingRequested      {request_id, topic, requested_on, notes?}
//   TrainingDelivered      {training_id, topic, delivered_on, participants, request_id?}
//   MeetingScheduled       {meeting_id, network_id, joint_with[], scheduled_for, format?, location, agenda[]}
//   MeetingRescheduled     {scheduled_for, format?, location?}
//   MeetingCancelled       {reason?}
//   MeetingHeld            {held_on, attendees[], attendee_count?, themes[], notes?, format?}
//   TaxonomyEntryAdded     {kind, code, labels{fi,sv,en}, family?, aliases[]?}
//   TokenIssued            {token_id, name, role, networks[], secret_hash, expires_at?}
//   TokenRevoked           {token_id}
//   TokenRotated           {token_id, secret_hash, previous_valid_until}   (no JSON version)
//   NetworkDetailsChanged  {name{fi,sv,en}?, region?, seat?, reason?}       (release 2: no JSON version)
//   ObservationRetracted   {observation_id, reason}                          (release 2)
//   MeetingRecordAmended   {held_on, attendees[], attendee_count?, themes[], notes?, reason, format?} (release 2)
//   JoinRequested          {request_id, organisation, sector, requested_at}  (release 2; details sealed)
//   JoinRequestApproved    {request_id, member_id}                           (release 2)
//   JoinRequestDeclined    {request_id, reason?}                             (release 2)
//   JoinRequestExpired     {request_id}                                      (release 2)
//   WishRecorded           {wish_id, kind, text, recorded_on, format?}       (release 2)
//
// A release-1 MemberDetailsChanged has no "reason" (read as absent); reads
// show it (event_json.cc), the release-1 writer does not write it.
//
// Fields added after release 1 (reason?, request_ref?, expires_at?, request_id?
// of a delivery, family? and aliases[]? of a taxonomy entry) are written
// only when set, so an event without them has release 1's exact shape; absent,
// they read as null. Release 2 also widens: a steward is a string or, when
// written as a list, an array of strings; established_on and the scheduled
// format may be null (not known); MeetingHeld and MeetingRecordAmended carry
// format? only when the record named one. Dates are "YYYY-MM-DD" or, known to
// the month, "YYYY-MM", instants RFC 3339
// UTC with six fractional digits; kind and role are their stable spellings
// (domain/values.h). `personal` is {"subject", "sealed"} (see event_codec.cc);
// MemberJoined v1 is upcast.cc's business.
// clang-format on
#include "codec/event_schema.h"

namespace ikv::codec {

namespace json = boost::json;
using namespace ikv::domain;  // NOLINT(google-build-using-namespace): .cc only

void write_fields(const NetworkEstablished& e, json::object& o) {
  o["network_id"] = e.network_id;
  o["name"] = to_json(e.name);
  o["region"] = e.region;
  o["seat"] = e.seat;
  o["steward"] = to_json(e.steward, e.stewards);
  o["established_on"] = to_json(e.established_on);
}
void read_fields(JsonReader& r, NetworkEstablished& e) {
  e.network_id = r.str("network_id");
  e.name = r.localized("name");
  e.region = r.str("region");
  e.seat = r.str("seat");
  r.str_or_list("steward", e.steward, e.stewards);
  e.established_on = r.opt_date("established_on");
}

void write_fields(const NetworkRenamed& e, json::object& o) { o["name"] = to_json(e.name); }
void read_fields(JsonReader& r, NetworkRenamed& e) { e.name = r.localized("name"); }

void write_fields(const StewardshipTransferred& e, json::object& o) {
  o["steward"] = to_json(e.steward, e.stewards);
  o["effective_on"] = to_json(e.effective_on);
}
void read_fields(JsonReader& r, StewardshipTransferred& e) {
  r.str_or_list("steward", e.steward, e.stewards);
  e.effective_on = r.date("effective_on");
}

void write_fields(const MemberJoined& e, json::object& o) {
  o["member_id"] = e.member_id;
  o["organisation"] = e.organisation;
  o["sector"] = e.sector;
  o["title"] = to_json(e.title);
  o["joined_on"] = to_json(e.joined_on);
}
void read_fields(JsonReader& r, MemberJoined& e) {
  e.member_id = r.str("member_id");
  e.organisation = r.str("organisation");
  e.sector = r.str("sector");
  e.title = r.opt_str("title");
  e.joined_on = r.date("joined_on");
}

void write_fields(const MemberLeft& e, json::object& o) {
  o["member_id"] = e.member_id;
  o["left_on"] = to_json(e.left_on);
  o["reason"] = to_json(e.reason);
}
void read_fields(JsonReader& r, MemberLeft& e) {
  e.member_id = r.str("member_id");
  e.left_on = r.date("left_on");
  e.reason = r.opt_str("reason");
}

void write_fields(const MemberDetailsChanged& e, json::object& o) {
  o["member_id"] = e.member_id;
  o["organisation"] = to_json(e.organisation);
  o["sector"] = to_json(e.sector);
  o["title"] = to_json(e.title);  // "reason": added by reads (event_json.cc)
}
void read_fields(JsonReader& r, MemberDetailsChanged& e) {
  e.member_id = r.str("member_id");
  e.organisation = r.opt_str("organisation");
  e.sector = r.opt_str("sector");
  e.title = r.opt_str("title");
  e.reason = r.opt_str("reason");
}

void write_fields(const PersonalDataErased& e, json::object& o) {
  o["member_id"] = e.member_id;
  if (e.reason) o["reason"] = *e.reason;
  if (e.request_ref) o["request_ref"] = *e.request_ref;
}
void read_fields(JsonReader& r, PersonalDataErased& e) {
  e.member_id = r.str("member_id");
  e.reason = r.opt_str("reason");
  e.request_ref = r.opt_str("request_ref");
}

void write_fields(const ObservationRecorded& e, json::object& o) {
  o["observation_id"] = e.observation_id;
  o["theme"] = e.theme;
  o["observed_on"] = to_json(e.observed_on);
  o["target_groups"] = to_json(e.target_groups);
  o["meeting_id"] = to_json(e.meeting_id);
  o["summary"] = to_json(e.summary);
}
void read_fields(JsonReader& r, ObservationRecorded& e) {
  e.observation_id = r.str("observation_id");
  e.theme = r.str("theme");
  e.observed_on = r.date("observed_on");
  e.target_groups = r.str_list("target_groups");
  e.meeting_id = r.opt_str("meeting_id");
  e.summary = r.opt_str("summary");
}

void write_fields(const TrainingRequested& e, json::object& o) {
  o["request_id"] = e.request_id;
  o["topic"] = e.topic;
  o["requested_on"] = to_json(e.requested_on);
  o["notes"] = to_json(e.notes);
}
void read_fields(JsonReader& r, TrainingRequested& e) {
  e.request_id = r.str("request_id");
  e.topic = r.str("topic");
  e.requested_on = r.date("requested_on");
  e.notes = r.opt_str("notes");
}

void write_fields(const TrainingDelivered& e, json::object& o) {
  o["training_id"] = e.training_id;
  o["topic"] = e.topic;
  o["delivered_on"] = to_json(e.delivered_on);
  o["participants"] = e.participants;
  if (e.request_id) o["request_id"] = *e.request_id;
}
void read_fields(JsonReader& r, TrainingDelivered& e) {
  e.training_id = r.str("training_id");
  e.topic = r.str("topic");
  e.delivered_on = r.date("delivered_on");
  e.participants = r.integer("participants");
  e.request_id = r.opt_str("request_id");
}

void write_fields(const MeetingScheduled& e, json::object& o) {
  o["meeting_id"] = e.meeting_id;
  o["network_id"] = e.network_id;
  o["joint_with"] = to_json(e.joint_with);
  o["scheduled_for"] = to_json(e.scheduled_for);
  o["format"] = to_json(e.format);
  o["location"] = e.location;
  o["agenda"] = to_json(e.agenda);
}
void read_fields(JsonReader& r, MeetingScheduled& e) {
  e.meeting_id = r.str("meeting_id");
  e.network_id = r.str("network_id");
  e.joint_with = r.str_list("joint_with");
  e.scheduled_for = r.date("scheduled_for");
  e.format = r.opt_str("format");
  e.location = r.str("location");
  e.agenda = r.str_list("agenda");
}

void write_fields(const MeetingRescheduled& e, json::object& o) {
  o["scheduled_for"] = to_json(e.scheduled_for);
  o["format"] = to_json(e.format);
  o["location"] = to_json(e.location);
}
void read_fields(JsonReader& r, MeetingRescheduled& e) {
  e.scheduled_for = r.date("scheduled_for");
  e.format = r.opt_str("format");
  e.location = r.opt_str("location");
}

void write_fields(const MeetingCancelled& e, json::object& o) { o["reason"] = to_json(e.reason); }
void read_fields(JsonReader& r, MeetingCancelled& e) { e.reason = r.opt_str("reason"); }

void write_fields(const MeetingHeld& e, json::object& o) {
  o["held_on"] = to_json(e.held_on);
  o["attendees"] = to_json(e.attendees);
  o["attendee_count"] = to_json(e.attendee_count);
  o["themes"] = to_json(e.themes);
  o["notes"] = to_json(e.notes);
  if (e.format) o["format"] = *e.format;
}
void read_fields(JsonReader& r, MeetingHeld& e) {
  e.held_on = r.date("held_on");
  e.attendees = r.str_list("attendees");
  e.attendee_count = r.opt_integer("attendee_count");
  e.themes = r.str_list("themes");
  e.notes = r.opt_str("notes");
  e.format = r.opt_str("format");
}

void write_fields(const TaxonomyEntryAdded& e, json::object& o) {
  o["kind"] = to_string(e.kind);
  o["code"] = e.code;
  o["labels"] = to_json(e.labels);
  if (e.family) o["family"] = *e.family;
  if (!e.aliases.empty()) o["aliases"] = to_json(e.aliases);
}
void read_fields(JsonReader& r, TaxonomyEntryAdded& e) {
  e.kind = r.taxonomy_kind("kind");
  e.code = r.str("code");
  e.labels = r.localized("labels");
  e.family = r.opt_str("family");
  e.aliases = r.opt_str_list("aliases");
}

void write_fields(const TokenIssued& e, json::object& o) {
  o["token_id"] = e.token_id;
  o["name"] = e.name;
  o["role"] = to_string(e.role);
  o["networks"] = to_json(e.networks);
  o["secret_hash"] = e.secret_hash;
  if (e.expires_at_us) o["expires_at"] = instant_json(e.expires_at_us);
}
void read_fields(JsonReader& r, TokenIssued& e) {
  e.token_id = r.str("token_id");
  e.name = r.str("name");
  e.role = r.role("role");
  e.networks = r.str_list("networks");
  e.secret_hash = r.str("secret_hash");
  e.expires_at_us = r.opt_instant("expires_at");
}

void write_fields(const TokenRevoked& e, json::object& o) { o["token_id"] = e.token_id; }
void read_fields(JsonReader& r, TokenRevoked& e) { e.token_id = r.str("token_id"); }

void write_fields(const TokenRotated& e, json::object& o) {
  o["token_id"] = e.token_id;
  o["secret_hash"] = e.secret_hash;
  o["previous_valid_until"] = instant_json(e.previous_valid_until_us);
}
void read_fields(JsonReader& r, TokenRotated& e) {
  e.token_id = r.str("token_id");
  e.secret_hash = r.str("secret_hash");
  e.previous_valid_until_us = r.instant("previous_valid_until");
}

void write_fields(const NetworkDetailsChanged& e, json::object& o) {
  o["name"] = e.name ? json::value(to_json(*e.name)) : json::value(nullptr);
  o["region"] = to_json(e.region);
  o["seat"] = to_json(e.seat);
  o["reason"] = to_json(e.reason);
}
void read_fields(JsonReader& r, NetworkDetailsChanged& e) {
  if (r.opt_object("name") != nullptr) e.name = r.localized("name");
  e.region = r.opt_str("region");
  e.seat = r.opt_str("seat");
  e.reason = r.opt_str("reason");
}

void write_fields(const ObservationRetracted& e, json::object& o) {
  o["observation_id"] = e.observation_id;
  o["reason"] = e.reason;
}
void read_fields(JsonReader& r, ObservationRetracted& e) {
  e.observation_id = r.str("observation_id");
  e.reason = r.str("reason");
}

void write_fields(const MeetingRecordAmended& e, json::object& o) {
  o["held_on"] = to_json(e.held_on);
  o["attendees"] = to_json(e.attendees);
  o["attendee_count"] = to_json(e.attendee_count);
  o["themes"] = to_json(e.themes);
  o["notes"] = to_json(e.notes);
  o["reason"] = e.reason;
  if (e.format) o["format"] = *e.format;
}
void read_fields(JsonReader& r, MeetingRecordAmended& e) {
  e.held_on = r.date("held_on");
  e.attendees = r.str_list("attendees");
  e.attendee_count = r.opt_integer("attendee_count");
  e.themes = r.str_list("themes");
  e.notes = r.opt_str("notes");
  e.reason = r.str("reason");
  e.format = r.opt_str("format");
}

void write_fields(const JoinRequested& e, json::object& o) {
  o["request_id"] = e.request_id;
  o["organisation"] = e.organisation;
  o["sector"] = e.sector;
  o["requested_at"] = instant_json(e.requested_at_us);
}
void read_fields(JsonReader& r, JoinRequested& e) {
  e.request_id = r.str("request_id");
  e.organisation = r.str("organisation");
  e.sector = r.str("sector");
  e.requested_at_us = r.instant("requested_at");
}

void write_fields(const JoinRequestApproved& e, json::object& o) {
  o["request_id"] = e.request_id;
  o["member_id"] = e.member_id;
}
void read_fields(JsonReader& r, JoinRequestApproved& e) {
  e.request_id = r.str("request_id");
  e.member_id = r.str("member_id");
}

void write_fields(const JoinRequestDeclined& e, json::object& o) {
  o["request_id"] = e.request_id;
  o["reason"] = to_json(e.reason);
}
void read_fields(JsonReader& r, JoinRequestDeclined& e) {
  e.request_id = r.str("request_id");
  e.reason = r.opt_str("reason");
}

void write_fields(const JoinRequestExpired& e, json::object& o) { o["request_id"] = e.request_id; }
void read_fields(JsonReader& r, JoinRequestExpired& e) { e.request_id = r.str("request_id"); }

void write_fields(const WishRecorded& e, json::object& o) {
  o["wish_id"] = e.wish_id;
  o["kind"] = to_string(e.kind);
  o["text"] = e.text;
  o["recorded_on"] = to_json(e.recorded_on);
  o["format"] = to_json(e.format);
}
void read_fields(JsonReader& r, WishRecorded& e) {
  e.wish_id = r.str("wish_id");
  const std::string kind = r.str("kind");
  if (auto k = parse_wish_kind(kind)) {
    e.kind = *k;
  } else {
    r.fail("field 'kind' is not a wish kind");
  }
  e.text = r.str("text");
  e.recorded_on = r.date("recorded_on");
  e.format = r.opt_str("format");
}

}  // namespace ikv::codec
