#include "projections/network_view.h"

namespace ikv::projections {

const StewardshipEntry& NetworkRecord::steward_on(std::optional<domain::Date> today) const {
  const StewardshipEntry* best = nullptr;
  for (const StewardshipEntry& s : stewardship) {
    if (today && *today < s.from) continue;
    if (best == nullptr || !(s.from < best->from)) best = &s;
  }
  return best != nullptr ? *best : stewardship.front();
}

std::size_t NetworkRecord::current_member_count() const {
  std::size_t n = 0;
  for (const auto& [id, m] : members) n += m.is_current() ? 1 : 0;
  return n;
}

std::map<std::string, std::size_t> NetworkRecord::current_members_by_sector() const {
  std::map<std::string, std::size_t> out;
  for (const auto& [id, m] : members) {
    if (m.is_current()) ++out[m.sector];
  }
  return out;
}

std::map<std::string, std::size_t> NetworkRecord::members_by_sector_on(
    const domain::Date& d) const {
  std::map<std::string, std::size_t> out;
  for (const auto& [id, m] : members) {
    if (m.is_member_on(d)) ++out[m.sector];
  }
  return out;
}

NetworkRecord establish_network(const eventstore::RecordedEvent& meta,
                                const domain::NetworkEstablished& e) {
  NetworkRecord n;
  n.network_id = e.network_id;
  n.name = e.name;
  n.region = e.region;
  n.seat = e.seat;
  n.established_on = e.established_on;
  n.established_recorded_at_us = meta.recorded_at_us;
  n.stewardship.push_back({e.steward, e.established_on, meta.recorded_at_us});
  return n;
}

namespace {

MemberRecord* member(NetworkRecord& n, const std::string& id) {
  const auto it = n.members.find(id);
  return it == n.members.end() ? nullptr : &it->second;
}

}  // namespace

void apply_event(NetworkRecord& /*n*/, const eventstore::RecordedEvent& /*meta*/,
                 const domain::NetworkEstablished& /*e*/) {}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& /*meta*/,
                 const domain::NetworkRenamed& e) {
  n.name = e.name;
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::StewardshipTransferred& e) {
  n.stewardship.push_back({e.steward, e.effective_on, meta.recorded_at_us});
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::MemberJoined& e) {
  auto [it, inserted] = n.members.try_emplace(e.member_id);
  if (!inserted) return;
  MemberRecord& m = it->second;
  m.member_id = e.member_id;
  m.personal = e.personal;
  m.organisation = e.organisation;
  m.sector = e.sector;
  m.title = e.title;
  m.joined_on = e.joined_on;
  m.joined_recorded_at_us = meta.recorded_at_us;
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::MemberLeft& e) {
  MemberRecord* m = member(n, e.member_id);
  if (m == nullptr || m->left_on) return;
  m->left_on = e.left_on;
  m->leave_reason = e.reason;
  m->left_recorded_at_us = meta.recorded_at_us;
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& /*meta*/,
                 const domain::MemberDetailsChanged& e) {
  MemberRecord* m = member(n, e.member_id);
  if (m == nullptr) return;
  if (!m->erased) {
    if (e.personal) {
      m->personal = e.personal;
    } else if (e.personal_erased) {
      m->personal.reset();
    }
  }
  if (e.organisation) m->organisation = *e.organisation;
  if (e.sector) m->sector = *e.sector;
  if (e.title) m->title = e.title->empty() ? std::nullopt : e.title;
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& /*meta*/,
                 const domain::PersonalDataErased& e) {
  MemberRecord* m = member(n, e.member_id);
  if (m == nullptr) return;
  m->personal.reset();
  m->erased = true;
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::ObservationRecorded& e) {
  n.observations.push_back({e.observation_id, e.theme, e.observed_on, e.target_groups, e.meeting_id,
                            e.summary, meta.recorded_at_us, meta.position});
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::TrainingRequested& e) {
  n.training_requests.push_back(
      {e.request_id, e.topic, e.requested_on, e.notes, meta.recorded_at_us});
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::TrainingDelivered& e) {
  n.trainings.push_back(
      {e.training_id, e.topic, e.delivered_on, e.participants, meta.recorded_at_us});
}

}  // namespace ikv::projections
