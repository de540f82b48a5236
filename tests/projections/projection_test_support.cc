#include "projection_test_support.h"

#include <array>
#include <stdexcept>

#include "projections/instant.h"

namespace ikv::projections::testing {

std::string type_name(const domain::Event& event) {
  static constexpr std::array<const char*, std::variant_size_v<domain::Event>> kNames = {
      "NetworkEstablished",    "NetworkRenamed",       "StewardshipTransferred",
      "MemberJoined",          "MemberLeft",           "MemberDetailsChanged",
      "PersonalDataErased",    "ObservationRecorded",  "TrainingRequested",
      "TrainingDelivered",     "MeetingScheduled",     "MeetingRescheduled",
      "MeetingCancelled",      "MeetingHeld",          "TaxonomyEntryAdded",
      "TokenIssued",           "TokenRevoked",         "TokenRotated",
      "NetworkDetailsChanged", "ObservationRetracted", "MeetingRecordAmended",
      "JoinRequested",         "JoinRequestApproved",  "JoinRequestDeclined",
      "JoinRequestExpired",    "WishRecorded"};
  return kNames.at(event.index());
}

domain::Date day(const char* text) {
  const auto d = domain::parse_date(text);
  if (!d) throw std::invalid_argument(std::string("bad date literal ") + text);
  return *d;
}

std::int64_t instant(const char* text) {
  const auto t = parse_instant(text);
  if (!t) throw std::invalid_argument(std::string("bad instant literal ") + text);
  return *t;
}

TestLog& TestLog::at(std::int64_t recorded_at_us) {
  next_recorded_at_us_ = recorded_at_us;
  return *this;
}

TestLog& TestLog::as(std::string actor) {
  actor_ = std::move(actor);
  return *this;
}

TestLog& TestLog::add(const std::string& stream, domain::Event event) {
  std::uint64_t version = 1;
  for (const Entry& e : entries_) {
    if (e.meta.stream == stream) version = e.meta.version + 1;
  }
  eventstore::RecordedEvent meta;
  meta.position = entries_.size() + 1;
  meta.stream = stream;
  meta.version = version;
  meta.event_id = "event-" + std::to_string(meta.position);
  meta.type = type_name(event);
  meta.metadata.actor = actor_;
  meta.recorded_at_us = next_recorded_at_us_;
  next_recorded_at_us_ += 1'000'000;
  entries_.push_back({std::move(meta), std::move(event)});
  return *this;
}

void TestLog::apply_to(Projection& unit, std::size_t from, std::size_t to) const {
  for (std::size_t i = from; i < entries_.size() && i < to; ++i) {
    unit.apply(entries_[i].meta, entries_[i].event);
  }
}

ReadModels TestLog::replay_models() const {
  ReadModels models;
  for (const Entry& e : entries_) models.apply(e.meta, e.event);
  return models;
}

Result<std::vector<DecodedEvent>> TestLog::read(std::string_view stream,
                                                std::uint64_t up_to) const {
  std::vector<DecodedEvent> out;
  for (const Entry& e : entries_) {
    if (e.meta.stream == stream && e.meta.version <= up_to) out.push_back(e);
  }
  return out;
}

RegistryView TestLog::replay() const {
  RegistryView view;
  apply_to(view);
  return view;
}

domain::NetworkEstablished established(const std::string& id, const char* on,
                                       const std::string& steward) {
  return {id,     {id + "-fi", id + "-sv", id + "-en"}, "Region of " + id, "Seat of " + id, steward,
          day(on)};
}

domain::MemberJoined joined(const std::string& member_id, const std::string& sector, const char* on,
                            const std::string& name) {
  domain::MemberJoined e;
  e.member_id = member_id;
  e.personal = domain::PersonalData{name, member_id + "@example.fi", "+358 40 123 4567"};
  e.organisation = "Organisation of " + member_id;
  e.sector = sector;
  e.title = "Coordinator";
  e.joined_on = day(on);
  return e;
}

domain::MemberLeft left(const std::string& member_id, const char* on,
                        std::optional<std::string> reason) {
  return {member_id, day(on), std::move(reason)};
}

domain::MeetingScheduled scheduled(const std::string& meeting_id, const std::string& network,
                                   const char* on, std::vector<std::string> joint_with,
                                   const std::string& format) {
  return {meeting_id, network,    std::move(joint_with), day(on),
          format,     "Joutseno", {"getting acquainted"}};
}

domain::MeetingHeld held(const char* on, std::vector<std::string> attendees,
                         std::optional<int> count) {
  return {day(on), std::move(attendees), count, {"forced_labour"}, std::nullopt};
}

domain::ObservationRecorded observed(const std::string& id, const std::string& theme,
                                     const char* on, std::vector<std::string> target_groups) {
  return {id, theme, day(on), std::move(target_groups), std::nullopt, std::nullopt};
}

const boost::json::array& items(const boost::json::object& answer) {
  return answer.at("items").as_array();
}

std::vector<std::string> item_field(const boost::json::object& answer, const char* field) {
  std::vector<std::string> out;
  for (const boost::json::value& item : items(answer)) {
    const boost::json::value& v = item.as_object().at(field);
    out.push_back(v.is_string() ? std::string(v.as_string()) : boost::json::serialize(v));
  }
  return out;
}

}  // namespace ikv::projections::testing
