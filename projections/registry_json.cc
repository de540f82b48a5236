// RegistryView's taxonomy and token answers, and dump().
#include <algorithm>

#include "domain/streams.h"
#include "projections/json_render.h"
#include "projections/registry_view.h"

namespace ikv::projections {

namespace json = boost::json;

namespace {

// The JSON key of a taxonomy kind's list.
std::string_view list_name(domain::TaxonomyKind kind) {
  switch (kind) {
    case domain::TaxonomyKind::kSector:
      return "sectors";
    case domain::TaxonomyKind::kTheme:
      return "themes";
    case domain::TaxonomyKind::kMeetingFormat:
      return "meeting_formats";
    case domain::TaxonomyKind::kTrainingTopic:
      return "training_topics";
    case domain::TaxonomyKind::kTargetGroup:
      return "target_groups";
  }
  return "unknown";
}

}  // namespace

json::object RegistryView::taxonomy_json() const {
  json::object out;
  for (domain::TaxonomyKind kind : domain::kAllTaxonomyKinds) {
    json::array entries;
    for (const auto& [code, labels] : taxonomy_.entries(kind)) {
      json::object entry{{"code", code}, {"labels", render::labels(labels)}};
      if (kind == domain::TaxonomyKind::kTheme) {
        const std::string* family = taxonomy_.family(code);
        entry["family"] = family != nullptr ? json::value(*family) : json::value(nullptr);
      }
      if (kind == domain::TaxonomyKind::kTargetGroup) {
        json::array aliases;
        for (const std::string& a : taxonomy_.aliases(code)) aliases.emplace_back(a);
        entry["aliases"] = std::move(aliases);
      }
      entries.push_back(std::move(entry));
    }
    out[list_name(kind)] = std::move(entries);
  }
  out["version"] = version_of(domain::kTaxonomyStream);
  return out;
}

Result<json::object> RegistryView::tokens(const PageRequest& request) const {
  auto page = validate_page(request, "tokens");
  if (!page) return page.error();
  std::vector<Keyed<TokenRecord>> rows;
  rows.reserve(tokens_.size());
  for (const auto& [id, t] : tokens_) rows.push_back({id, &t});
  return render_page(std::move(rows), *page, "tokens",
                     [](const TokenRecord& t) { return json::value(render::token(t)); });
}

Result<json::object> RegistryView::token(std::string_view token_id) const {
  const TokenRecord* t = find_token(token_id);
  if (t == nullptr) {
    return Error{ErrorCode::kNotFound, "no token '" + std::string(token_id) + "'", std::nullopt};
  }
  return render::token(*t);
}

json::value RegistryView::dump() const {
  json::object out;
  out["position"] = position_;

  std::vector<std::pair<std::string, std::uint64_t>> versions(stream_versions_.begin(),
                                                              stream_versions_.end());
  meetings_.for_each([&](std::string_view id, const MeetingStore::Entry& kept) {
    versions.emplace_back(domain::meeting_stream(id), kept.version);
  });
  std::sort(versions.begin(), versions.end());
  json::object streams;
  for (const auto& [stream, version] : versions) streams[stream] = version;
  out["streams"] = std::move(streams);

  const render::MemberOptions everything{std::nullopt, seal_.seal};
  json::object networks;
  for (const auto& [id, n] : networks_) {
    auto detail = network(id, {});
    json::object o = std::move(*detail);
    o["established_recorded_at"] = render::instant(n.established_recorded_at_us);
    json::array stewardship;
    for (const StewardshipEntry& s : n.stewardship) {
      json::object entry = render::stewardship(s);
      entry["recorded_at"] = render::instant(s.recorded_at_us);
      stewardship.push_back(std::move(entry));
    }
    o["stewardship_history"] = std::move(stewardship);
    json::array members;
    for (const auto& [member_id, m] : n.members.sorted()) {
      members.push_back(render::member(member_id, *m, everything));
    }
    o["members"] = std::move(members);
    json::array observations;
    for (const ObservationRecord& ob : n.observations) {
      observations.push_back(render::observation(id, ob));
    }
    o["observations"] = std::move(observations);
    json::array wishes;
    for (const WishRecord& w : n.wishes) wishes.push_back(render::wish(id, w));
    o["wishes"] = std::move(wishes);
    networks[id] = std::move(o);
  }
  out["networks"] = std::move(networks);
  json::array national;
  for (const ObservationRecord& ob : national_.observations) {
    json::object o = render::observation({}, ob);
    o["network"] = nullptr;
    national.push_back(std::move(o));
  }
  out["national_findings"] = std::move(national);

  json::object meetings;
  for_each_meeting([&](const MeetingRecord& m) {
    json::object o = render::meeting(m, meeting_version(m.meeting_id));
    o["first_recorded_at"] = render::instant(m.first_recorded_at_us);
    o["last_recorded_at"] = render::instant(m.last_recorded_at_us);
    meetings[m.meeting_id] = std::move(o);
  });
  out["meetings"] = std::move(meetings);

  out["taxonomy"] = taxonomy_json();
  json::object tokens;
  for (const auto& [id, t] : tokens_) tokens[id] = render::token(t);
  out["tokens"] = std::move(tokens);
  return out;
}

}  // namespace ikv::projections
