#include "projections/network_view.h"

#include <algorithm>

#include "projections/paging.h"

namespace ikv::projections {

const StewardshipEntry& NetworkRecord::steward_on(std::optional<domain::Date> today) const {
  const StewardshipEntry* best = nullptr;
  const auto from = [](const StewardshipEntry& s) {
    return s.from.value_or(domain::Date{1, 1, 1});
  };
  for (const StewardshipEntry& s : stewardship) {
    if (today && *today < from(s)) continue;
    if (best == nullptr || !(from(s) < from(*best))) best = &s;
  }
  return best != nullptr ? *best : stewardship.front();
}

MemberDetails MemberRecord::details_known(std::optional<std::int64_t> known_at_us) const {
  if (known_at_us) {
    for (const MemberDetails& d : earlier) {
      if (*known_at_us < d.until_us) return d;
    }
  }
  return MemberDetails{sealed_personal, organisation, sector, title, 0};
}

std::size_t NetworkRecord::current_member_count() const { return indexes.roster.current().size(); }

std::map<std::string, std::size_t> NetworkRecord::current_members_by_sector() const {
  return indexes.roster.current_by_sector();
}

std::map<std::string, std::size_t> NetworkRecord::members_by_sector_on(
    const domain::Date& d) const {
  std::map<std::string, std::size_t> out;
  members.for_each([&](std::string_view /*id*/, const MemberRecord& m) {
    if (m.is_member_on(d)) ++out[m.sector];
  });
  return out;
}

namespace {

void index_member(NetworkIndexes& x, std::string_view member_id, const MemberRecord& m) {
  x.roster.put(member_id, m.joined_on, m.sector, !m.left_on);
}

void index_observation(NetworkIndexes& x, const ObservationRows& rows, std::size_t at) {
  const DayPosition key = observation_key(rows.observed_on(at), rows.position(at));
  auto theme = x.observations_by_theme.find(rows.theme(at));
  if (theme == x.observations_by_theme.end()) {
    theme =
        x.observations_by_theme.emplace(std::string(rows.theme(at)), NetworkIndexes::ByDay{}).first;
  }
  NetworkIndexes::ByDay& of_theme = theme->second;
  of_theme.insert(key, static_cast<std::uint32_t>(at));
  x.observations.insert(key, static_cast<std::uint32_t>(at));
}

void index_wish(NetworkIndexes& x, const WishRecord& w, std::size_t at) {
  x.wishes.insert(wish_key(w), static_cast<std::uint32_t>(at));
}

}  // namespace

DayPosition observation_key(const domain::Date& observed_on, std::uint64_t position) {
  return {static_cast<std::int32_t>(domain::days_from_civil(domain::first_day(observed_on))),
          position};
}

DayPosition wish_key(const WishRecord& w) {
  return {static_cast<std::int32_t>(domain::days_from_civil(domain::first_day(w.recorded_on))),
          w.position};
}

void NetworkRecord::rebuild_indexes() {
  indexes = NetworkIndexes{};
  members.for_each([this](std::string_view id, const MemberRecord& m) {
    indexes.roster.stage(id, m.joined_on, m.sector, !m.left_on);
  });
  indexes.roster.file_staged();
  for (std::size_t i = 0; i < observations.size(); ++i) {
    index_observation(indexes, observations, i);
  }
  training_participants = 0;
  for (std::size_t i = 0; i < trainings.size(); ++i) {
    const TrainingDeliveryCodec::Counted t = TrainingDeliveryCodec::counted(trainings.bytes_of(i));
    training_participants += t.participants;
    if (t.request_id) indexes.delivery_by_request.try_emplace(std::string(*t.request_id), i);
  }
  for (std::size_t i = 0; i < wishes.size(); ++i) index_wish(indexes, wishes[i], i);
  retracted_observations = 0;
  for (std::size_t i = 0; i < observations.size(); ++i) {
    retracted_observations += observations.retracted(i) ? 1 : 0;
  }
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
  n.stewardship.push_back({e.steward, e.established_on, meta.recorded_at_us, e.stewards});
  return n;
}

namespace {

MemberRecord* member(NetworkRecord& n, const std::string& id) { return n.members.find(id); }

}  // namespace

void apply_event(NetworkRecord& /*n*/, const eventstore::RecordedEvent& /*meta*/,
                 const domain::NetworkEstablished& /*e*/) {}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& /*meta*/,
                 const domain::NetworkRenamed& e) {
  n.name = e.name;
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::StewardshipTransferred& e) {
  n.stewardship.push_back({e.steward, e.effective_on, meta.recorded_at_us, e.stewards});
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::MemberJoined& e, const PersonalSeal& seal) {
  auto [record, inserted] = n.members.try_emplace(e.member_id, MemberRecord{});
  if (!inserted) return;
  MemberRecord& m = *record;
  if (e.personal) m.sealed_personal.text = seal.seal_fields(e.member_id, *e.personal).value_or("");
  m.organisation = e.organisation;
  m.sector = e.sector;
  m.title = e.title;
  m.joined_on = e.joined_on;
  m.joined_recorded_at_us = meta.recorded_at_us;
  index_member(n.indexes, e.member_id, m);
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::MemberLeft& e) {
  MemberRecord* m = member(n, e.member_id);
  if (m == nullptr || m->left_on) return;
  m->left_on = e.left_on;
  m->leave_reason = e.reason;
  m->left_recorded_at_us = meta.recorded_at_us;
  index_member(n.indexes, e.member_id, *m);
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::MemberDetailsChanged& e, const PersonalSeal& seal) {
  MemberRecord* m = member(n, e.member_id);
  if (m == nullptr) return;
  m->earlier.push_back(
      {m->sealed_personal, m->organisation, m->sector, m->title, meta.recorded_at_us});
  if (!m->erased) {
    if (e.personal) {
      m->sealed_personal.text = seal.seal_fields(e.member_id, *e.personal).value_or("");
    } else if (e.personal_erased) {
      m->sealed_personal.text.clear();
    }
  }
  if (e.organisation) m->organisation = *e.organisation;
  if (e.sector && *e.sector != m->sector) {
    m->sector = *e.sector;
    index_member(n.indexes, e.member_id, *m);
  }
  if (e.title) m->title = e.title->empty() ? std::nullopt : e.title;
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& /*meta*/,
                 const domain::PersonalDataErased& e) {
  MemberRecord* m = member(n, e.member_id);
  if (m == nullptr) return;
  m->sealed_personal.text.clear();
  for (MemberDetails& d : m->earlier) d.sealed_personal.text.clear();
  m->erased = true;
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::ObservationRecorded& e) {
  const std::vector<std::string_view> groups(e.target_groups.begin(), e.target_groups.end());
  const std::size_t row = n.observations.push(
      {e.observation_id, e.theme, e.observed_on, groups,
       e.meeting_id ? std::optional<std::string_view>(*e.meeting_id) : std::nullopt,
       e.summary ? std::optional<std::string_view>(*e.summary) : std::nullopt, meta.recorded_at_us,
       meta.position});
  index_observation(n.indexes, n.observations, row);
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& /*meta*/,
                 const domain::NetworkDetailsChanged& e) {
  if (e.name) n.name = *e.name;
  if (e.region) n.region = *e.region;
  if (e.seat) n.seat = *e.seat;
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::ObservationRetracted& e) {
  const auto row = n.observations.find(e.observation_id);
  if (!row || !n.observations.retract(*row, e.reason, meta.recorded_at_us)) return;
  ++n.retracted_observations;
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::TrainingRequested& e) {
  n.training_requests.push_back(
      {e.request_id, e.topic, e.requested_on, e.notes, meta.recorded_at_us});
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::TrainingDelivered& e) {
  if (e.request_id) n.indexes.delivery_by_request.try_emplace(*e.request_id, n.trainings.size());
  n.trainings.push_back(
      {e.training_id, e.topic, e.delivered_on, e.participants, meta.recorded_at_us, e.request_id});
  n.training_participants += e.participants;
}

void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::WishRecorded& e) {
  n.wishes.push_back(
      {e.wish_id, e.kind, e.text, e.recorded_on, e.format, meta.recorded_at_us, meta.position});
  index_wish(n.indexes, n.wishes.back(), n.wishes.size() - 1);
}

void TrainingRequestCodec::write(SnapshotWriter& w, const Record& r) {
  w.string(r.request_id);
  w.string(r.topic);
  w.date(r.requested_on);
  w.optional_string(r.notes);
  w.svarint(r.recorded_at_us);
}

void TrainingRequestCodec::skip(SnapshotReader& r) {
  r.slice();
  r.slice();
  r.date();
  if (r.boolean()) r.slice();
  r.svarint();
}

TrainingRequestRecord TrainingRequestCodec::read(SnapshotReader& r) {
  Record t;
  t.request_id = r.string();
  t.topic = r.string();
  t.requested_on = r.date();
  t.notes = r.optional_string();
  t.recorded_at_us = r.svarint();
  return t;
}

void TrainingDeliveryCodec::write(SnapshotWriter& w, const Record& t) {
  w.string(t.training_id);
  w.string(t.topic);
  w.date(t.delivered_on);
  w.svarint(t.participants);
  w.svarint(t.recorded_at_us);
  w.optional_string(t.request_id);
}

void TrainingDeliveryCodec::skip(SnapshotReader& r) {
  r.slice();
  r.slice();
  r.date();
  r.svarint();
  r.svarint();
  if (r.boolean()) r.slice();
}

TrainingDeliveryCodec::Counted TrainingDeliveryCodec::counted(std::string_view bytes) {
  SnapshotReader r(bytes);
  r.slice();
  r.slice();
  r.date();
  Counted c;
  c.participants = static_cast<int>(r.svarint());
  r.svarint();
  if (r.boolean()) c.request_id = r.slice();
  return c;
}

TrainingDeliveryRecord TrainingDeliveryCodec::read(SnapshotReader& r) {
  Record t;
  t.training_id = r.string();
  t.topic = r.string();
  t.delivered_on = r.date();
  t.participants = static_cast<int>(r.svarint());
  t.recorded_at_us = r.svarint();
  t.request_id = r.optional_string();
  return t;
}

}  // namespace ikv::projections
