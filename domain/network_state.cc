#include "domain/network_state.h"

#include "domain/text.h"

namespace ikv::domain {

const Member* EstablishedNetwork::find_member(std::string_view member_id) const {
  return members.find(member_id);
}

TextNumber EstablishedNetwork::intern(std::string_view t) {
  return texts.number_of_entry(*texts.try_emplace(t, 0).first);
}

bool EstablishedNetwork::is_current_member(std::string_view member_id) const {
  const Member* m = find_member(member_id);
  return m != nullptr && m->is_current();
}

const Member* EstablishedNetwork::current_member_with_email(std::string_view email) const {
  const std::uint32_t* number = current_emails.find(normalize_email(email));
  return number == nullptr ? nullptr : members.find(members.id_at(*number));
}

std::size_t EstablishedNetwork::current_member_count() const {
  std::size_t n = 0;
  members.for_each([&](std::string_view, const Member& m) { n += m.is_current() ? 1 : 0; });
  return n;
}

std::map<std::string, std::size_t> EstablishedNetwork::current_members_by_sector() const {
  std::map<std::string, std::size_t> out;
  members.for_each([&](std::string_view, const Member& m) {
    if (m.is_current()) ++out[std::string(text(m.sector))];
  });
  return out;
}

std::map<std::string, std::size_t> EstablishedNetwork::members_by_sector_on(const Date& d) const {
  std::map<std::string, std::size_t> out;
  members.for_each([&](std::string_view, const Member& m) {
    if (m.is_member_on(d)) ++out[std::string(text(m.sector))];
  });
  return out;
}

std::string_view to_string(JoinRequestStatus status) {
  switch (status) {
    case JoinRequestStatus::kPending:
      return "pending";
    case JoinRequestStatus::kApproved:
      return "approved";
    case JoinRequestStatus::kDeclined:
      return "declined";
    case JoinRequestStatus::kExpired:
      return "expired";
  }
  return "unknown";
}

namespace {

// Member `number` no longer answers for its e-mail (if it did).
void forget_email(EstablishedNetwork& n, const Member& m, std::uint32_t number) {
  if (!m.personal) return;
  const std::string key = normalize_email(m.personal->email);
  if (const std::uint32_t* holder = n.current_emails.find(key);
      holder != nullptr && *holder == number) {
    n.current_emails.erase(key);
  }
}

void set_personal(EstablishedNetwork& n, Member& m, std::uint32_t number,
                  const PersonalData& personal) {
  forget_email(n, m, number);
  m.personal = personal;
  if (m.is_current()) n.current_emails.insert_or_assign(normalize_email(personal.email), number);
}

void apply(EstablishedNetwork& /*n*/, const NetworkEstablished& /*e*/) {}

void apply(EstablishedNetwork& n, const NetworkRenamed& e) { n.name = e.name; }

void apply(EstablishedNetwork& n, const NetworkDetailsChanged& e) {
  if (e.name) n.name = *e.name;
  if (e.region) n.region = *e.region;
  if (e.seat) n.seat = *e.seat;
}

void apply(EstablishedNetwork& n, const StewardshipTransferred& e) {
  n.stewardship.push_back({e.steward, e.effective_on, e.stewards});
}

void apply(EstablishedNetwork& n, const MemberJoined& e) {
  Member m;
  m.organisation = n.intern(e.organisation);
  m.sector = n.intern(e.sector);
  if (e.title) m.title = n.intern(*e.title);
  m.joined_on = e.joined_on;
  auto [added, inserted] = n.members.try_emplace(e.member_id, std::move(m));
  if (inserted && e.personal) {
    set_personal(n, *added, n.members.number_of_entry(*added), *e.personal);
  }
}

void apply(EstablishedNetwork& n, const MemberLeft& e) {
  if (Member* m = n.members.find(e.member_id)) {
    forget_email(n, *m, n.members.number_of_entry(*m));
    m->left_on = e.left_on;
  }
}

void apply(EstablishedNetwork& n, const MemberDetailsChanged& e) {
  Member* m = n.members.find(e.member_id);
  if (m == nullptr) return;
  if (e.personal && !m->erased) {
    set_personal(n, *m, n.members.number_of_entry(*m), *e.personal);
  }
  if (e.organisation) m->organisation = n.intern(*e.organisation);
  if (e.sector) m->sector = n.intern(*e.sector);
  if (e.title) m->title = e.title->empty() ? kNoText : n.intern(*e.title);
}

void apply(EstablishedNetwork& n, const PersonalDataErased& e) {
  if (Member* m = n.members.find(e.member_id)) {
    forget_email(n, *m, n.members.number_of_entry(*m));
    m->personal.reset();
    m->erased = true;
  }
}

void apply(EstablishedNetwork& n, const ObservationRecorded& e) {
  n.observations.try_emplace(e.observation_id, ObservationStatus::kRecorded);
}

void apply(EstablishedNetwork& n, const ObservationRetracted& e) {
  if (ObservationStatus* o = n.observations.find(e.observation_id)) {
    *o = ObservationStatus::kRetracted;
  }
}
void apply(EstablishedNetwork& n, const TrainingRequested& e) {
  n.training_requests.try_emplace(e.request_id, std::string());
}
void apply(EstablishedNetwork& n, const TrainingDelivered& e) {
  if (!e.request_id) return;
  if (std::string* delivered_by = n.training_requests.find(*e.request_id)) {
    *delivered_by = e.training_id;
  }
}

void apply(EstablishedNetwork& n, const JoinRequested& e) {
  n.join_requests.try_emplace(e.request_id,
                              JoinRequest{e.request_id, e.details, e.organisation, e.sector,
                                          e.requested_at_us, JoinRequestStatus::kPending});
}

// An answered or expired request keeps no personal data: its key is destroyed.
void close_request(EstablishedNetwork& n, const std::string& id, JoinRequestStatus status) {
  if (auto it = n.join_requests.find(id); it != n.join_requests.end() && it->second.is_pending()) {
    it->second.status = status;
    it->second.details.reset();
  }
}
void apply(EstablishedNetwork& n, const JoinRequestApproved& e) {
  close_request(n, e.request_id, JoinRequestStatus::kApproved);
}
void apply(EstablishedNetwork& n, const JoinRequestDeclined& e) {
  close_request(n, e.request_id, JoinRequestStatus::kDeclined);
}
void apply(EstablishedNetwork& n, const JoinRequestExpired& e) {
  close_request(n, e.request_id, JoinRequestStatus::kExpired);
}

// A wish changes nothing a decider checks (the read models list them).
void apply(EstablishedNetwork& /*n*/, const WishRecorded& /*e*/) {}

}  // namespace

NetworkState evolve(NetworkState state, const NetworkEvent& event) {
  if (const auto* e = std::get_if<NetworkEstablished>(&event)) {
    if (!std::holds_alternative<NetworkNotEstablished>(state)) return state;
    EstablishedNetwork n;
    n.network_id = e->network_id;
    n.name = e->name;
    n.region = e->region;
    n.seat = e->seat;
    n.established_on = e->established_on;
    n.stewardship.push_back({e->steward, e->established_on, e->stewards});
    return n;
  }
  if (auto* n = std::get_if<EstablishedNetwork>(&state)) {
    std::visit([n](const auto& e) { apply(*n, e); }, event);
  }
  return state;
}

}  // namespace ikv::domain
