#include "projections/people.h"

#include <algorithm>
#include <set>

#include "domain/text.h"
#include "projections/json_render.h"

namespace ikv::projections {
namespace {

namespace json = boost::json;

json::object membership(const PersonMatch& p) {
  json::object o;
  o["member_id"] = p.member_id;
  o["network"] = p.network;
  o["joined_on"] = render::date(p.member->joined_on);
  o["left_on"] = render::date(p.member->left_on);
  o["erased"] = p.member->personal_gone();
  return o;
}

void sort_matches(std::vector<PersonMatch>& matches) {
  std::ranges::sort(matches, [](const PersonMatch& a, const PersonMatch& b) {
    if (a.network != b.network) return a.network < b.network;
    if (a.member->joined_on != b.member->joined_on)
      return a.member->joined_on < b.member->joined_on;
    return a.member_id < b.member_id;
  });
}

}  // namespace

std::vector<PersonMatch> find_people(const RegistryView& view, std::string_view email) {
  std::vector<PersonMatch> out;
  const std::string wanted = domain::normalize_email(email);
  if (wanted.empty()) return out;
  for (const std::string& member_id : view.email_candidates(wanted)) {
    const NetworkRecord* n = view.network_of_member(member_id);
    if (n == nullptr) continue;
    const MemberRecord* m = n->members.find(member_id);
    if (m == nullptr || m->personal_gone()) continue;
    const auto fields = view.personal_seal().open_fields(member_id, m->sealed_personal.text);
    if (fields && domain::normalize_email(fields->email) == wanted) {
      out.push_back({n->network_id, n->members.id_of(*m), m});
    }
  }
  sort_matches(out);
  return out;
}

json::object people_json(const std::vector<PersonMatch>& matches) {
  json::array items;
  items.reserve(matches.size());
  for (const PersonMatch& p : matches) items.emplace_back(membership(p));
  json::object o;
  o["items"] = std::move(items);
  return o;
}

std::vector<PersonMatch> person_records(const RegistryView& view, std::string_view member_id) {
  const NetworkRecord* n = view.network_of_member(member_id);
  if (n == nullptr) return {};
  const MemberRecord* found = n->members.find(member_id);
  if (found == nullptr) return {};
  const MemberRecord& m = *found;
  const auto fields = m.personal_gone()
                          ? std::nullopt
                          : view.personal_seal().open_fields(member_id, m.sealed_personal.text);
  if (!fields) return {{n->network_id, n->members.id_of(m), &m}};
  std::vector<PersonMatch> out = find_people(view, fields->email);
  if (std::ranges::none_of(out, [&](const PersonMatch& p) { return p.member == &m; })) {
    out.push_back({n->network_id, n->members.id_of(m), &m});
    sort_matches(out);
  }
  return out;
}

Result<json::object> person_json(const RegistryView& view, std::string_view member_id) {
  const std::vector<PersonMatch> records = person_records(view, member_id);
  const auto self =
      std::ranges::find_if(records, [&](const PersonMatch& p) { return p.member_id == member_id; });
  if (self == records.end()) {
    return Error{ErrorCode::kNotFound, "no member '" + std::string(member_id) + "'", {}};
  }
  json::object o = render::member(self->member_id, *self->member,
                                  {.known_at_us = {}, .personal = &view.personal_seal()});
  o.erase("joined_recorded_at");
  o.erase("left_recorded_at");
  o["network"] = self->network;
  json::array memberships;
  std::set<std::string, std::less<>> ids;
  for (const PersonMatch& p : records) {
    memberships.emplace_back(membership(p));
    ids.emplace(p.member_id);
  }
  o["memberships"] = std::move(memberships);
  json::array meetings;
  for (const MeetingRecord& mt : view.meetings_attended_by(ids)) {
    const std::string& meeting_id = mt.meeting_id;
    for (const std::string& attendee : mt.attendees) {
      if (!ids.contains(attendee)) continue;
      json::object a;
      a["meeting_id"] = meeting_id;
      a["network"] = mt.network_id;
      a["held_on"] = render::date(mt.held_on);
      a["attendee"] = attendee;
      meetings.emplace_back(std::move(a));
    }
  }
  o["meetings_attended"] = std::move(meetings);
  return o;
}

}  // namespace ikv::projections
