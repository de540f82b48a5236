// RegistryView's network queries: the network list and detail, the roster and
// the observations.
#include "projections/json_render.h"
#include "projections/registry_view.h"

#include "domain/streams.h"

namespace ikv::projections {

namespace json = boost::json;

namespace {

Error no_network(std::string_view id) {
  return Error{ErrorCode::kNotFound, "no network '" + std::string(id) + "'", std::nullopt};
}

// A log position as a sort key part: zero-padded so byte order is numeric order.
std::string position_key(std::uint64_t position) {
  std::string digits = std::to_string(position);
  return std::string(20 - digits.size(), '0') + digits;
}

Status check_range(const std::optional<domain::Date>& from, const std::optional<domain::Date>& to) {
  if (from && to && *to < *from) return invalid_parameter("from", "after to");
  return ok_status();
}

}  // namespace

Status RegistryView::check_code(domain::TaxonomyKind kind, const std::optional<std::string>& code,
                                std::string_view parameter) const {
  if (code && !taxonomy_.contains(kind, *code)) {
    return invalid_parameter(
        parameter, "unknown " + std::string(domain::to_string(kind)) + " code '" + *code + "'");
  }
  return ok_status();
}

json::object RegistryView::network_summary(const NetworkRecord& n,
                                           std::optional<domain::Date> today) const {
  const MeetingRecord* last = nullptr;
  const MeetingRecord* next = nullptr;
  if (const auto it = meetings_by_network_.find(n.network_id); it != meetings_by_network_.end()) {
    for (const std::string& id : it->second) {  // in id order: ties keep the smaller id
      const MeetingRecord* m = find_meeting(id);
      if (m == nullptr) continue;
      if (m->status == MeetingStatus::kHeld && (last == nullptr || *last->held_on < *m->held_on)) {
        last = m;
      }
      if (m->status == MeetingStatus::kScheduled && (!today || !(m->scheduled_for < *today)) &&
          (next == nullptr || m->scheduled_for < next->scheduled_for)) {
        next = m;
      }
    }
  }
  json::object o;
  o["id"] = n.network_id;
  o["name"] = render::labels(n.name);
  o["region"] = n.region;
  o["seat"] = n.seat;
  o["established_on"] = render::date(n.established_on);
  o["steward"] = n.steward_on(today).steward;
  o["member_count"] = static_cast<std::uint64_t>(n.current_member_count());
  o["members_by_sector"] = render::counts(n.current_members_by_sector());
  o["last_meeting"] = last == nullptr
                          ? json::value(nullptr)
                          : json::value(json::object{{"meeting_id", last->meeting_id},
                                                     {"held_on", render::date(last->held_on)},
                                                     {"format", last->format}});
  o["next_meeting"] =
      next == nullptr
          ? json::value(nullptr)
          : json::value(json::object{{"meeting_id", next->meeting_id},
                                     {"scheduled_for", render::date(next->scheduled_for)}});
  o["version"] = version_of(domain::network_stream(n.network_id));
  return o;
}

Result<json::object> RegistryView::networks(const NetworkListQuery& query) const {
  auto page = validate_page(query.page, "networks");
  if (!page) return page.error();
  std::vector<Keyed<NetworkRecord>> rows;
  rows.reserve(networks_.size());
  for (const auto& [id, n] : networks_) rows.push_back({id, &n});
  return render_page(std::move(rows), *page, "networks",
                     [&](const NetworkRecord& n) { return network_summary(n, query.today); });
}

Result<json::object> RegistryView::network(std::string_view network_id,
                                           const NetworkQuery& query) const {
  const NetworkRecord* n = find_network(network_id);
  if (n == nullptr) return no_network(network_id);
  json::object o = network_summary(*n, query.today);

  json::array stewardship;
  for (const StewardshipEntry& s : n->stewardship) stewardship.push_back(render::stewardship(s));
  o["stewardship_history"] = std::move(stewardship);
  o["former_member_count"] =
      static_cast<std::uint64_t>(n->members.size() - n->current_member_count());
  o["observation_count"] = static_cast<std::uint64_t>(n->observations.size());

  json::array requests;
  for (const TrainingRequestRecord& r : n->training_requests) {
    requests.push_back(render::training_request(r));
  }
  json::array deliveries;
  std::int64_t participants = 0;
  for (const TrainingDeliveryRecord& t : n->trainings) {
    deliveries.push_back(render::training_delivery(t));
    participants += t.participants;
  }
  o["training"] = json::object{{"requested", static_cast<std::uint64_t>(requests.size())},
                               {"delivered", static_cast<std::uint64_t>(deliveries.size())},
                               {"participants", participants},
                               {"requests", std::move(requests)},
                               {"deliveries", std::move(deliveries)}};
  return o;
}

Result<json::object> RegistryView::members(std::string_view network_id,
                                           const MemberQuery& query) const {
  const NetworkRecord* n = find_network(network_id);
  if (n == nullptr) return no_network(network_id);
  auto page = validate_page(query.page, "members");
  if (!page) return page.error();
  if (auto s = check_code(domain::TaxonomyKind::kSector, query.sector, "sector"); !s) {
    return s.error();
  }

  std::vector<Keyed<MemberRecord>> rows;
  for (const auto& [id, m] : n->members) {
    if (query.sector && m.sector != *query.sector) continue;
    if (!m.known(query.known_at_us)) continue;
    if (query.as_of) {
      if (!m.is_member_on(*query.as_of, query.known_at_us)) continue;
    } else if (!query.include_former && !m.is_current(query.known_at_us)) {
      continue;
    }
    rows.push_back({sort_key({domain::to_string(m.joined_on), id}), &m});
  }
  const render::MemberOptions options{query.known_at_us, query.include_personal};
  return render_page(std::move(rows), *page, "members",
                     [&](const MemberRecord& m) { return render::member(m, options); });
}

Result<json::object> RegistryView::observations(std::string_view network_id,
                                                const ObservationQuery& query) const {
  const NetworkRecord* n = find_network(network_id);
  if (n == nullptr) return no_network(network_id);
  auto page = validate_page(query.page, "observations");
  if (!page) return page.error();
  if (auto s = check_range(query.from, query.to); !s) return s.error();
  if (auto s = check_code(domain::TaxonomyKind::kTheme, query.theme, "theme"); !s) {
    return s.error();
  }

  std::vector<Keyed<ObservationRecord>> rows;
  for (const ObservationRecord& o : n->observations) {
    if (query.theme && o.theme != *query.theme) continue;
    if (query.from && o.observed_on < *query.from) continue;
    if (query.to && *query.to < o.observed_on) continue;
    rows.push_back({sort_key({domain::to_string(o.observed_on), position_key(o.position)}), &o});
  }
  return render_page(std::move(rows), *page, "observations", [&](const ObservationRecord& o) {
    return render::observation(n->network_id, o);
  });
}

}  // namespace ikv::projections
