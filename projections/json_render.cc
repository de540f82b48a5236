#include "projections/json_render.h"

#include "codec/event_json.h"
#include "domain/event.h"
#include "projections/instant.h"
#include "projections/registry_view.h"

namespace ikv::projections::render {

namespace json = boost::json;

json::value date(const domain::Date& d) { return json::value(domain::to_string(d)); }

json::value date(const std::optional<domain::Date>& d) {
  return d ? date(*d) : json::value(nullptr);
}

json::value instant(std::int64_t unix_us) { return json::value(format_instant(unix_us)); }

json::value instant(const std::optional<std::int64_t>& unix_us) {
  return unix_us ? instant(*unix_us) : json::value(nullptr);
}

json::value text(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

json::array strings(const std::vector<std::string>& items) {
  json::array out;
  out.reserve(items.size());
  for (const std::string& s : items) out.emplace_back(s);
  return out;
}

json::object labels(const domain::LocalizedText& t) {
  return json::object{{"fi", t.fi}, {"sv", t.sv}, {"en", t.en}};
}

json::object counts(const std::map<std::string, std::size_t>& by_code) {
  json::object out;
  for (const auto& [code, n] : by_code) out[code] = static_cast<std::uint64_t>(n);
  return out;
}

json::object member(std::string_view member_id, const MemberRecord& m,
                    const MemberOptions& options) {
  const MemberDetails d = m.details_known(options.known_at_us);
  std::optional<domain::PersonalData> personal;
  if (options.personal != nullptr && !m.erased && !d.sealed_personal.empty()) {
    personal = options.personal->open_fields(member_id, d.sealed_personal.text);
  }
  const std::optional<domain::Date> left_on = m.left_on_known(options.known_at_us);
  json::object o;
  o.reserve(13);
  o["member_id"] = member_id;
  o["name"] = personal ? json::value(personal->name) : json::value(nullptr);
  o["email"] = personal ? json::value(personal->email) : json::value(nullptr);
  o["phone"] = personal ? text(personal->phone) : json::value(nullptr);
  o["organisation"] = d.organisation;
  o["sector"] = d.sector;
  o["title"] = text(d.title);
  o["joined_on"] = date(m.joined_on);
  o["left_on"] = date(left_on);
  o["leave_reason"] = left_on ? text(m.leave_reason) : json::value(nullptr);
  o["erased"] = m.personal_gone();
  o["joined_recorded_at"] = instant(m.joined_recorded_at_us);
  o["left_recorded_at"] = left_on ? instant(m.left_recorded_at_us) : json::value(nullptr);
  return o;
}

json::object observation(const std::string& network_id, const ObservationRecord& o) {
  json::object out;
  out.reserve(12);
  out["observation_id"] = o.observation_id;
  out["network"] = network_id;
  out["theme"] = o.theme;
  out["observed_on"] = date(o.observed_on);
  out["target_groups"] = strings(o.target_groups);
  out["meeting_id"] = text(o.meeting_id);
  out["summary"] = text(o.summary);
  out["position"] = o.position;
  out["recorded_at"] = instant(o.recorded_at_us);
  out["retracted"] = o.retracted;
  out["retraction_reason"] = text(o.retraction_reason);
  out["retracted_at"] = instant(o.retracted_at_us);
  return out;
}

json::object wish(const std::string& network_id, const WishRecord& w) {
  json::object out;
  out["wish_id"] = w.wish_id;
  out["network"] = network_id;
  out["kind"] = domain::to_string(w.kind);
  out["text"] = w.text;
  out["recorded_on"] = date(w.recorded_on);
  out["format"] = text(w.format);
  out["position"] = w.position;
  out["recorded_at"] = instant(w.recorded_at_us);
  return out;
}

json::object training_request(const TrainingRequestRecord& r) {
  json::object out;
  out["request_id"] = r.request_id;
  out["topic"] = r.topic;
  out["requested_on"] = date(r.requested_on);
  out["notes"] = text(r.notes);
  out["recorded_at"] = instant(r.recorded_at_us);
  return out;
}

json::object training_delivery(const TrainingDeliveryRecord& t) {
  json::object out;
  out["training_id"] = t.training_id;
  out["topic"] = t.topic;
  out["delivered_on"] = date(t.delivered_on);
  out["participants"] = t.participants;
  out["recorded_at"] = instant(t.recorded_at_us);
  out["request_id"] = text(t.request_id);
  return out;
}

json::value steward(const StewardshipEntry& s) {
  if (s.stewards.empty()) return json::value(s.steward);
  json::array names;
  for (const std::string& name : s.stewards) names.emplace_back(name);
  return names;
}

json::object stewardship(const StewardshipEntry& s) {
  return json::object{{"steward", steward(s)}, {"effective_on", date(s.from)}};
}

json::object meeting(const MeetingRecord& m, std::uint64_t version) {
  const std::optional<int> attendance = m.attendance();
  json::object o;
  o["meeting_id"] = m.meeting_id;
  o["network"] = m.network_id;
  o["joint_with"] = strings(m.joint_with);
  o["status"] = to_string(m.status);
  o["scheduled_for"] = date(m.scheduled_for);
  o["format"] = text(m.format);
  o["location"] = m.location;
  o["agenda"] = strings(m.agenda);
  o["held_on"] = date(m.held_on);
  o["attendees"] = strings(m.attendees);
  o["attendee_count"] = attendance ? json::value(*attendance) : json::value(nullptr);
  o["themes"] = strings(m.themes);
  o["notes"] = text(m.notes);
  o["cancel_reason"] = text(m.cancel_reason);
  o["version"] = version;
  return o;
}

json::object event_envelope(const eventstore::RecordedEvent& meta, json::object payload) {
  json::object o;
  o["position"] = meta.position;
  o["stream"] = meta.stream;
  o["version"] = meta.version;
  o["event_id"] = meta.event_id;
  o["type"] = meta.type;
  o["schema_version"] = meta.schema_version;
  o["actor"] = meta.metadata.actor;
  o["recorded_at"] = instant(meta.recorded_at_us);
  o["payload"] = std::move(payload);
  return o;
}

json::array meeting_history(const std::vector<DecodedEvent>& events) {
  codec::EventJsonOptions payload_options;
  payload_options.include_personal = false;
  json::array out;
  out.reserve(events.size());
  for (const DecodedEvent& e : events) {
    out.push_back(event_envelope(e.meta, codec::event_payload_json(e.event, payload_options)));
  }
  return out;
}

json::object token(const TokenRecord& t) {
  json::object o;
  o["id"] = t.token_id;
  o["name"] = t.name;
  o["role"] = domain::to_string(t.role);
  o["networks"] = strings(t.networks);
  o["issued_at"] = instant(t.issued_at_us);
  o["revoked"] = t.revoked_at_us.has_value();
  o["revoked_at"] = instant(t.revoked_at_us);
  o["expires_at"] = instant(t.expires_at_us);
  return o;
}

}  // namespace ikv::projections::render
