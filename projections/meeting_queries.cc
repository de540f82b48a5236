// RegistryView's meeting queries: the calendar and one meeting with history.
#include "projections/json_render.h"
#include "projections/registry_view.h"

#include "domain/streams.h"

namespace ikv::projections {

namespace json = boost::json;

Result<json::object> RegistryView::meetings(const MeetingQuery& query) const {
  auto page = validate_page(query.page, "meetings");
  if (!page) return page.error();
  if (query.from && query.to && *query.to < *query.from) {
    return invalid_parameter("from", "after to");
  }
  if (auto s = check_code(domain::TaxonomyKind::kMeetingFormat, query.format, "format"); !s) {
    return s.error();
  }
  if (query.network && !networks_.contains(*query.network)) {
    return invalid_parameter("network", "no network '" + *query.network + "'");
  }

  std::vector<Keyed<MeetingRecord>> rows;
  const auto consider = [&](const MeetingRecord& m) {
    const domain::Date d = m.date();
    if (query.from && d < *query.from) return;
    if (query.to && *query.to < d) return;
    if (query.status && m.status != *query.status) return;
    if (query.format && m.format != *query.format) return;
    rows.push_back({sort_key({domain::to_string(d), m.meeting_id}), &m});
  };
  if (query.network) {
    if (const auto it = meetings_by_network_.find(*query.network);
        it != meetings_by_network_.end()) {
      for (const std::string& id : it->second) {
        if (const MeetingRecord* m = find_meeting(id)) consider(*m);
      }
    }
  } else {
    for (const auto& [id, m] : meetings_) consider(m);
  }
  return render_page(std::move(rows), *page, "meetings", [&](const MeetingRecord& m) {
    return render::meeting(m, version_of(domain::meeting_stream(m.meeting_id)));
  });
}

Result<json::object> RegistryView::meeting(std::string_view meeting_id) const {
  const MeetingRecord* m = find_meeting(meeting_id);
  if (m == nullptr) {
    return Error{ErrorCode::kNotFound, "no meeting '" + std::string(meeting_id) + "'",
                 std::nullopt};
  }
  json::object o = render::meeting(*m, version_of(domain::meeting_stream(m->meeting_id)));
  o["history"] = render::meeting_history(*m);
  return o;
}

}  // namespace ikv::projections
