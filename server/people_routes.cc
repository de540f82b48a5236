// The data-subject requests of an admin: find a person's member records by
// e-mail, and everything held about one of them (projections/people.h, plus
// the events about them read from the log). Both answers identify a person, so
// both are recorded in the personal-data access log through the request's
// Disclosure: the detail and its events as rows shown in clear, each member
// record found by e-mail with note_person().
#include <algorithm>

#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include "domain/streams.h"
#include "projections/people.h"
#include "server/api.h"
#include "server/http/problem.h"
#include "server/param_reader.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

constexpr std::size_t kMaxEmail = 254;
constexpr std::size_t kChunk = 1024;

void find_people(ApiContext& api, RequestContext& ctx, Respond respond) {
  ParamReader q(ctx, {"email"});
  const auto email = ctx.query_value("email");
  if (!email || email->empty() || email->size() > kMaxEmail) {
    q.fail("email", "an e-mail address of 1 to 254 characters is required");
  }
  if (!q.ok()) return respond(q.problem());
  Disclosure& d = disclosure_of(ctx);
  auto page = api.registry.read([&](const projections::RegistryView& v) {
    const auto found = projections::find_people(v, *email);
    for (const auto& p : found) d.note_person(p.network, p.member_id);
    return projections::people_json(found);
  });
  respond(json_response(http::status::ok, page));
}

// Whether the rendered event is about one of `ids`: a member event of theirs
// or a meeting record that lists one of them as attending.
bool about(const json::object& event, const std::vector<std::string>& ids) {
  const auto* payload = event.if_contains("payload");
  if (payload == nullptr || !payload->is_object()) return false;
  const auto& p = payload->as_object();
  const auto is_id = [&ids](const json::value& v) {
    return v.is_string() && std::ranges::find(ids, std::string(v.as_string())) != ids.end();
  };
  if (const auto* member = p.if_contains("member_id"); member != nullptr && is_id(*member)) {
    return true;
  }
  if (const auto* attendees = p.if_contains("attendees");
      attendees != nullptr && attendees->is_array()) {
    return std::ranges::any_of(attendees->as_array(), is_id);
  }
  return false;
}

// Every event of `stream` about one of `ids`, appended to `out`.
Status collect(const app::Registry& registry, const std::string& stream,
               const std::vector<std::string>& ids, std::vector<eventstore::RecordedEvent>& out) {
  for (std::uint64_t from = 1;;) {
    auto events = registry.store().read_stream(stream, from, kChunk);
    if (!events) return events.error();
    for (auto& e : *events) {
      auto rendered = registry.event_json(e, false);
      if (!rendered) return rendered.error();
      if (about(*rendered, ids)) out.push_back(std::move(e));
    }
    if (events->size() < kChunk) return ok_status();
    from = events->back().version + 1;
  }
}

void get_person(ApiContext& api, RequestContext& ctx, Respond respond) {
  ParamReader q(ctx, {});
  if (!q.ok()) return respond(q.problem());
  const std::string member_id(ctx.path_param("member_id"));
  std::vector<std::string> ids;
  std::vector<std::string> streams;
  auto detail = api.registry.read([&](const projections::RegistryView& v) -> Result<json::object> {
    auto person = projections::person_json(v, member_id);
    if (!person) return person;
    for (const auto& p : projections::person_records(v, member_id)) {
      ids.emplace_back(p.member_id);
      streams.push_back(domain::network_stream(p.network));
    }
    for (const auto& m : (*person)["meetings_attended"].as_array()) {
      streams.push_back(domain::meeting_stream(m.as_object().at("meeting_id").as_string()));
    }
    return person;
  });
  if (!detail) return respond(read_problem(detail.error()));
  std::ranges::sort(streams);
  streams.erase(std::unique(streams.begin(), streams.end()), streams.end());
  std::vector<eventstore::RecordedEvent> events;
  for (const std::string& stream : streams) {
    if (auto read = collect(api.registry, stream, ids, events); !read) {
      return respond(problem_500("the log cannot be read"));
    }
  }
  std::ranges::sort(events, {}, &eventstore::RecordedEvent::position);
  Disclosure& d = disclosure_of(ctx);
  json::object& o = *detail;
  d.note(o["network"].as_string(), o);
  for (const auto& m : o["memberships"].as_array()) {
    const auto& row = m.as_object();
    if (row.at("member_id").as_string() != member_id) {
      d.note_person(row.at("network").as_string(), row.at("member_id").as_string());
    }
  }
  json::array rendered;
  rendered.reserve(events.size());
  for (const auto& e : events) {
    auto j = d.event(api.registry, e);
    if (!j) return respond(problem_500("an event cannot be read"));
    rendered.emplace_back(std::move(*j));
  }
  o["events"] = std::move(rendered);
  respond(json_response(http::status::ok, o));
}

}  // namespace

void add_people_routes(Router& router, ApiContext& api) {
  router.add(
      http::verb::get, "/v1/people",
      [&api](RequestContext& ctx, Respond respond) { find_people(api, ctx, std::move(respond)); },
      "findPeople");
  router.add(
      http::verb::get, "/v1/people/{member_id}",
      [&api](RequestContext& ctx, Respond respond) { get_person(api, ctx, std::move(respond)); },
      "getPerson");
}

}  // namespace ikv::server
