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

  static const MeetingCalendar kEmpty;
  const MeetingCalendar::List* keys = &calendar_.all();
  if (query.network) {
    keys = calendar_.of_network(*query.network);
    if (keys == nullptr) keys = &kEmpty.all();
  }
  // Every filed meeting has its record (index_meeting files what apply() keeps).
  const auto record = [&](const DayIdKey& key) { return *find_meeting(key.id); };
  const auto accept = [&](const DayIdKey& key) {
    if (!query.status && !query.format) return true;
    const MeetingRecord m = record(key);
    if (query.status && m.status != *query.status) return false;
    return !query.format || m.format == *query.format;
  };
  const auto date_text = [](const std::optional<domain::Date>& d) {
    return d ? domain::to_string(*d) : std::string();
  };
  return render_ordered_page(
      start_after(*keys, *page, date_text(query.from)), end_through(*keys, date_text(query.to)),
      *page, "meetings", [](const DayIdKey& key) { return key.text(); }, accept,
      [&](const DayIdKey& key) {
        const MeetingRecord m = record(key);
        return render::meeting(m, meeting_version(m.meeting_id));
      });
}

void RegistryView::index_meeting(const MeetingRecord& m) {
  calendar_.put(m.meeting_id, m.date(), m.status == MeetingStatus::kHeld,
                m.status == MeetingStatus::kScheduled, m.networks());
}

Result<json::object> RegistryView::meeting(std::string_view meeting_id,
                                           const StreamEvents& events) const {
  const std::optional<MeetingRecord> m = find_meeting(meeting_id);
  if (!m) {
    return Error{ErrorCode::kNotFound, "no meeting '" + std::string(meeting_id) + "'",
                 std::nullopt};
  }
  const std::string stream = domain::meeting_stream(m->meeting_id);
  const std::uint64_t version = version_of(stream);
  auto history = events.read(stream, version);
  if (!history) return history.error();
  json::object o = render::meeting(*m, version);
  o["history"] = render::meeting_history(*history);
  return o;
}

}  // namespace ikv::projections
