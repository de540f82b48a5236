// RegistryView's network queries: the network list and detail, the roster,
// the observations (a network's and the national findings), the training
// requests and the wishes.
#include <charconv>
#include <cstdint>
#include <string>
#include <system_error>

#include "projections/json_render.h"
#include "projections/registry_view.h"

#include "domain/streams.h"

namespace ikv::projections {

namespace json = boost::json;

namespace {

Error no_network(std::string_view id) {
  return Error{ErrorCode::kNotFound, "no network '" + std::string(id) + "'", std::nullopt};
}

// How many of the latest training requests and deliveries the detail lists.
constexpr std::size_t kRecentTraining = 20;

// The roster list `of_sector` found for `sector`, `all` without one, or an empty list.
const RosterIndex::List& list_of(const RosterIndex::List* of_sector,
                                 const std::optional<std::string>& sector,
                                 const RosterIndex::List& all) {
  static const RosterIndex kNone;
  if (!sector) return all;
  return of_sector != nullptr ? *of_sector : kNone.members();
}

// The last `count` records of `records` (oldest first), rendered.
template <class Records, class Render>
json::array latest(const Records& records, std::size_t count, Render&& render) {
  json::array out;
  const std::size_t first = records.size() > count ? records.size() - count : 0;
  for (std::size_t i = first; i < records.size(); ++i) out.push_back(render(records[i]));
  return out;
}

Status check_range(const std::optional<domain::Date>& from, const std::optional<domain::Date>& to) {
  if (from && to && *to < *from) return invalid_parameter("from", "after to");
  return ok_status();
}

std::string date_text(const std::optional<domain::Date>& d) {
  return d ? domain::to_string(*d) : std::string();
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
  // Held meetings by held_on and scheduled ones by scheduled_for, then id: the
  // last meeting is the first of the latest date, the next the first from today.
  std::optional<MeetingRecord> last;
  std::optional<MeetingRecord> next;
  if (const MeetingCalendar::List* held = calendar_.held_by(n.network_id)) {
    const auto first_of_day = held->lower_bound(DayIdKey{held->back().day, {}});
    last = find_meeting(first_of_day->id);
  }
  if (const MeetingCalendar::List* scheduled = calendar_.scheduled_by(n.network_id)) {
    const auto first = scheduled->lower_bound(date_text(today));
    if (first != scheduled->end()) next = find_meeting(first->id);
  }
  json::object o;
  o["id"] = n.network_id;
  o["name"] = render::labels(n.name);
  o["region"] = n.region;
  o["seat"] = n.seat;
  o["established_on"] = render::date(n.established_on);
  o["steward"] = render::steward(n.steward_on(today));
  o["member_count"] = static_cast<std::uint64_t>(n.current_member_count());
  o["members_by_sector"] = render::counts(n.current_members_by_sector());
  o["last_meeting"] = !last ? json::value(nullptr)
                            : json::value(json::object{{"meeting_id", last->meeting_id},
                                                       {"held_on", render::date(last->held_on)},
                                                       {"format", render::text(last->format)}});
  o["next_meeting"] =
      !next ? json::value(nullptr)
            : json::value(json::object{{"meeting_id", next->meeting_id},
                                       {"scheduled_for", render::date(next->scheduled_for)}});
  o["version"] = version_of(domain::network_stream(n.network_id));
  return o;
}

Result<json::object> RegistryView::networks(const NetworkListQuery& query) const {
  auto page = validate_page(query.page, "networks");
  if (!page) return page.error();
  return render_ordered_page(
      start_after(networks_, *page), networks_.end(), *page, "networks",
      [](const auto& row) { return row.first; }, [](const auto&) { return true; },
      [&](const auto& row) { return network_summary(row.second, query.today); });
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
  o["observation_count"] =
      static_cast<std::uint64_t>(n->observations.size() - n->retracted_observations);
  // Counts over the whole history; the lists hold only the latest entries.
  o["training"] = json::object{
      {"requested", static_cast<std::uint64_t>(n->training_requests.size())},
      {"delivered", static_cast<std::uint64_t>(n->trainings.size())},
      {"participants", n->training_participants},
      {"requests",
       latest(n->training_requests, kRecentTraining,
              [](const TrainingRequestRecord& r) { return render::training_request(r); })},
      {"deliveries", latest(n->trainings, kRecentTraining, [](const TrainingDeliveryRecord& t) {
         return render::training_delivery(t);
       })}};
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

  // Current members today come straight from their index; the other views
  // walk every member ever in roster order and keep those that match.
  const bool current_now = !query.as_of && !query.known_at_us && !query.include_former;
  const RosterIndex& x = n->indexes.roster;
  const std::string& sector = query.sector ? *query.sector : std::string();
  // As known at an earlier instant a member may have had another sector (a
  // correction recorded later): walk every member and compare the sector then.
  const bool sector_then = query.sector && query.known_at_us;
  const RosterIndex::List& keys =
      current_now   ? list_of(x.current_in(sector), query.sector, x.current())
      : sector_then ? x.members()
                    : list_of(x.members_in(sector), query.sector, x.members());
  const auto record = [&](const DayIdKey& key) -> const MemberRecord& {
    return *n->members.find(key.id);
  };
  const auto accept = [&](const DayIdKey& key) {
    if (current_now) return true;
    const MemberRecord& m = record(key);
    if (!m.known(query.known_at_us)) return false;
    if (sector_then && m.details_known(query.known_at_us).sector != *query.sector) return false;
    if (query.as_of) return m.is_member_on(*query.as_of, query.known_at_us);
    return query.include_former || m.is_current(query.known_at_us);
  };
  const render::MemberOptions options{query.known_at_us,
                                      query.include_personal ? seal_.seal : nullptr};
  return render_ordered_page(
      start_after(keys, *page), keys.end(), *page, "members",
      [](const DayIdKey& key) { return key.text(); }, accept,
      [&](const DayIdKey& key) { return render::member(key.id, record(key), options); });
}

Result<json::object> RegistryView::observations(std::string_view network_id,
                                                const ObservationQuery& query) const {
  const NetworkRecord* n = find_network(network_id);
  if (n == nullptr) return no_network(network_id);
  return observations_of(*n, json::value(n->network_id), query);
}

Result<json::object> RegistryView::national_observations(const ObservationQuery& query) const {
  return observations_of(national_, json::value(nullptr), query);
}

Result<json::object> RegistryView::observations_of(const NetworkRecord& n,
                                                   const json::value& network,
                                                   const ObservationQuery& query) const {
  auto page = validate_page(query.page, "observations");
  if (!page) return page.error();
  if (auto s = check_range(query.from, query.to); !s) return s.error();
  if (auto s = check_code(domain::TaxonomyKind::kTheme, query.theme, "theme"); !s) {
    return s.error();
  }

  static const NetworkIndexes::ByDay kNone;
  const auto* rows = &n.indexes.observations;
  if (query.theme) {
    const auto it = n.indexes.observations_by_theme.find(*query.theme);
    rows = it == n.indexes.observations_by_theme.end() ? &kNone : &it->second;
  }
  return render_ordered_page(
      start_after(*rows, *page, date_text(query.from)), end_through(*rows, date_text(query.to)),
      *page, "observations", [](const auto& row) { return row.first.text(); },
      [](const auto&) { return true; },
      [&](const auto& row) {
        json::object o = render::observation(n.network_id, n.observations[row.second]);
        o["network"] = network;
        return o;
      });
}

Result<json::object> RegistryView::wishes(std::string_view network_id,
                                          const PageRequest& request) const {
  const NetworkRecord* n = find_network(network_id);
  if (n == nullptr) return no_network(network_id);
  auto page = validate_page(request, "wishes");
  if (!page) return page.error();
  const auto& rows = n->indexes.wishes;
  return render_ordered_page(
      start_after(rows, *page), rows.end(), *page, "wishes",
      [](const auto& row) { return row.first.text(); }, [](const auto&) { return true; },
      [&](const auto& row) { return render::wish(n->network_id, n->wishes[row.second]); });
}

Result<json::object> RegistryView::training_requests(std::string_view network_id,
                                                     const PageRequest& request) const {
  const NetworkRecord* n = find_network(network_id);
  if (n == nullptr) return no_network(network_id);
  auto page = validate_page(request, "training-requests");
  if (!page) return page.error();
  // Key: the request's place in recording order, 20 digits.
  const auto key_of = [](std::size_t i) {
    std::string digits = std::to_string(i);
    return std::string(20 - digits.size(), '0') + digits;
  };
  std::size_t i = 0;
  if (page->after) {
    std::uint64_t last = 0;
    const char* end = page->after->data() + page->after->size();
    const auto [at, ec] = std::from_chars(page->after->data(), end, last);
    if (page->after->size() != 20 || ec != std::errc() || at != end ||
        last >= n->training_requests.size()) {
      return invalid_parameter("cursor", "not a cursor of this list");
    }
    i = static_cast<std::size_t>(last) + 1;
  }
  json::array items;
  for (; i < n->training_requests.size() && items.size() < page->limit; ++i) {
    const TrainingRequestRecord r = n->training_requests[i];
    json::object o = render::training_request(r);
    const auto d = n->indexes.delivery_by_request.find(r.request_id);
    if (d == n->indexes.delivery_by_request.end()) {
      o["status"] = "open";
      o["delivery"] = nullptr;
    } else {
      const TrainingDeliveryRecord t = n->trainings[d->second];
      o["status"] = "delivered";
      o["delivery"] = json::object{{"training_id", t.training_id},
                                   {"delivered_on", domain::to_string(t.delivered_on)}};
    }
    items.push_back(std::move(o));
  }
  json::object out;
  out["items"] = std::move(items);
  out["next_cursor"] = i < n->training_requests.size() && i > 0
                           ? json::value(encode_cursor("training-requests", key_of(i - 1)))
                           : json::value(nullptr);
  return out;
}

void RegistryView::rebuild_read_indexes() {
  national_.rebuild_indexes();
  member_network_ = {};
  std::size_t members = 0;
  for (const auto& [id, n] : networks_) members += n.members.size();
  member_network_.by_member.reserve(members, members * 36);  // UUIDs, as a rule
  for (auto& [id, n] : networks_) {
    n.rebuild_indexes();
    const std::string& network_id = id;  // a lambda cannot name a structured binding
    n.members.for_each([&](std::string_view member_id, const MemberRecord& /*m*/) {
      member_network_.note(member_id, network_id);
    });
  }
  token_by_hash_.clear();
  token_by_name_.clear();
  for (const auto& [id, t] : tokens_) {
    token_by_hash_.emplace(t.secret_hash, id);
    for (const auto& p : t.previous_secrets) token_by_hash_.emplace(p.secret_hash, id);
    token_by_name_.emplace(t.name, id);
  }
  calendar_.file_staged();  // the meetings were staged as they were read
  meetings_.shrink_to_fit();
}

}  // namespace ikv::projections
