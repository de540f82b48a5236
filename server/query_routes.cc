// The read endpoints: each parses its query, asks the read models and renders.
#include <boost/beast/http/verb.hpp>

#include "codec/personal_data.h"
#include "crypto/encoding.h"
#include "domain/streams.h"
#include "projections/instant.h"
#include "projections/stream_events.h"
#include "server/api.h"
#include "server/command_route.h"
#include "server/http/problem.h"
#include "server/param_reader.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

// The answer of a read-model list: the page and a Link to the next one.
Response list_answer(const RequestContext& ctx, Result<json::object> page) {
  if (!page) return read_problem(page.error());
  std::optional<std::pair<std::string, std::string>> next;
  const auto* cursor = page->if_contains("next_cursor");
  if (cursor != nullptr && cursor->is_string()) {
    next.emplace("cursor", std::string(cursor->as_string()));
  }
  return page_response(ctx, *page, next, {"cursor"});
}

// The cached answer made from `version` of the read model, else `make()`'s,
// kept for the next reader with the same key. Runs under the registry's
// shared lock (inside Registry::read), so the version and the answer agree.
template <class Make>
Response cached(ApiContext& api, const std::string& key, std::uint64_t version, Make&& make) {
  if (auto hit = api.pages->find(key, version)) return std::move(*hit);
  Response res = make();
  api.pages->put(key, version, res);
  return res;
}

Response with_etag(Result<json::object> body, std::uint64_t version) {
  if (!body) return read_problem(body.error());
  Response res = json_response(http::status::ok, *body);
  res.set(http::field::etag, "\"" + std::to_string(version) + "\"");
  return res;
}

// Adds "prev_hash" and "hash" to each event of a meeting's "history", as every
// answer that shows events has them; the read model keeps no hashes, the log does.
void add_chain_links(const eventstore::EventStore& store, const std::string& stream,
                     json::object& meeting) {
  json::value* history = meeting.if_contains("history");
  if (history == nullptr || !history->is_array() || history->as_array().empty()) return;
  auto events = store.read_stream(stream, 1, history->as_array().size());
  if (!events) return;
  for (json::value& item : history->as_array()) {
    json::object& o = item.as_object();
    // The position by value: adding fields below may move the object's storage.
    const json::value* found = o.if_contains("position");
    if (found == nullptr || !found->is_number()) continue;
    const auto position = found->to_number<std::uint64_t>();
    for (const auto& e : *events) {
      if (position != e.position) continue;
      o["prev_hash"] = crypto::hex_encode(e.prev_hash);
      o["hash"] = crypto::hex_encode(e.hash);
    }
  }
}

// A network's list that takes only `limit` and `cursor`: the page `list(view,
// id, page)` makes, cached under the network stream's version.
template <class List>
RouteHandler network_page_route(ApiContext& api, List list) {
  return [&api, list](RequestContext& ctx, Respond respond) {
    ParamReader q(ctx, {"limit", "cursor"});
    auto page = q.page();
    if (!q.ok()) return respond(q.problem());
    const std::string id(ctx.path_param("id"));
    const std::string key = PageCache::key_of(ctx, false);
    respond(api.registry.read([&](const projections::RegistryView& v) {
      return cached(api, key, v.version_of(domain::network_stream(id)),
                    [&] { return list_answer(ctx, list(v, id, page)); });
    }));
  };
}

}  // namespace

void add_query_routes(Router& router, ApiContext& api) {
  router.add(
      http::verb::get, "/v1/networks",
      [&api](RequestContext& ctx, Respond respond) {
        ParamReader q(ctx, {"limit", "cursor"});
        projections::NetworkListQuery query{.today = today_utc(), .page = q.page()};
        if (!q.ok()) return respond(q.problem());
        respond(list_answer(ctx, api.registry.read([&](const projections::RegistryView& v) {
          return v.networks(query);
        })));
      },
      "listNetworks");

  router.add(
      http::verb::get, "/v1/networks/{id}",
      [&api](RequestContext& ctx, Respond respond) {
        ParamReader q(ctx, {});
        if (!q.ok()) return respond(q.problem());
        const std::string id(ctx.path_param("id"));
        const domain::Date today = today_utc();
        // The detail names the next meeting: it changes with any
        // meeting's stream, so it is kept by the log position.
        const std::string key = PageCache::key_of(ctx, false, domain::to_string(today));
        respond(api.registry.read([&](const projections::RegistryView& v) {
          return cached(api, key, v.position(), [&] {
            return with_etag(v.network(id, {.today = today}),
                             v.version_of(domain::network_stream(id)));
          });
        }));
      },
      "getNetwork");

  router.add(
      http::verb::get, "/v1/networks/{id}/members",
      [&api](RequestContext& ctx, Respond respond) {
        ParamReader q(ctx, {"sector", "as_of", "known_at", "include_former", "limit", "cursor"});
        projections::MemberQuery query;
        query.sector = q.text("sector");
        query.as_of = q.date("as_of");
        query.known_at_us = q.instant("known_at");
        query.include_former = q.flag("include_former").value_or(false);
        query.page = q.page();
        if (!q.ok()) return respond(q.problem());
        const std::string id(ctx.path_param("id"));
        Disclosure& disclosure = disclosure_of(ctx);
        // The roster is a read of the network: it carries the network's
        // ETag. An answer without personal data is remade only when the
        // network's stream moves; one with personal data is made for
        // each reader, so that the disclosure notes what it shows.
        const bool personal = disclosure.scope().covers_network(id);
        const std::string key = PageCache::key_of(ctx, personal);
        respond(api.registry.read([&](const projections::RegistryView& v) {
          const std::uint64_t version = v.version_of(domain::network_stream(id));
          const auto make = [&] {
            Response res = list_answer(ctx, disclosure.rows(id, [&](bool include_personal) {
              query.include_personal = include_personal;
              return v.members(id, query);
            }));
            if (res.result() == http::status::ok) {
              res.set(http::field::etag, "\"" + std::to_string(version) + "\"");
            }
            return res;
          };
          return personal ? make() : cached(api, key, version, make);
        }));
      },
      "listMembers");

  router.add(
      http::verb::get, "/v1/networks/{id}/observations",
      [&api](RequestContext& ctx, Respond respond) {
        ParamReader q(ctx, {"theme", "from", "to", "limit", "cursor"});
        projections::ObservationQuery query;
        query.theme = q.text("theme");
        query.from = q.date("from");
        query.to = q.date("to");
        q.check_range(query.from, query.to);
        query.page = q.page();
        if (!q.ok()) return respond(q.problem());
        const std::string id(ctx.path_param("id"));
        const std::string key = PageCache::key_of(ctx, false);
        respond(api.registry.read([&](const projections::RegistryView& v) {
          return cached(api, key, v.version_of(domain::network_stream(id)),
                        [&] { return list_answer(ctx, v.observations(id, query)); });
        }));
      },
      "listObservations");

  router.add(
      http::verb::get, "/v1/networks/{id}/training-requests",
      network_page_route(api, [](const projections::RegistryView& v, const std::string& id,
                                 const auto& page) { return v.training_requests(id, page); }),
      "listTrainingRequests");

  router.add(http::verb::get, "/v1/networks/{id}/wishes",
             network_page_route(api, [](const projections::RegistryView& v, const std::string& id,
                                        const auto& page) { return v.wishes(id, page); }),
             "listWishes");

  // The national findings. `scope` is "national", its only value and the
  // default (the findings of the networks are listed per network).
  router.add(
      http::verb::get, "/v1/observations",
      [&api](RequestContext& ctx, Respond respond) {
        ParamReader q(ctx, {"scope", "theme", "from", "to", "limit", "cursor"});
        const auto scope = q.text("scope");
        if (scope && *scope != "national") q.fail("scope", "must be national");
        projections::ObservationQuery query;
        query.theme = q.text("theme");
        query.from = q.date("from");
        query.to = q.date("to");
        q.check_range(query.from, query.to);
        query.page = q.page();
        if (!q.ok()) return respond(q.problem());
        const std::string key = PageCache::key_of(ctx, false);
        respond(api.registry.read([&](const projections::RegistryView& v) {
          return cached(api, key, v.version_of(domain::national_stream()),
                        [&] { return list_answer(ctx, v.national_observations(query)); });
        }));
      },
      "listNationalFindings");

  router.add(
      http::verb::get, "/v1/meetings",
      [&api](RequestContext& ctx, Respond respond) {
        ParamReader q(ctx, {"network", "from", "to", "status", "format", "limit", "cursor"});
        projections::MeetingQuery query;
        query.network = q.text("network");
        query.from = q.date("from");
        query.to = q.date("to");
        q.check_range(query.from, query.to);
        if (auto s = q.text("status")) {
          query.status = projections::parse_meeting_status(*s);
          if (!query.status) {
            return respond(problem_422({{"status", "must be scheduled, held or cancelled"}},
                                       "invalid query parameters"));
          }
        }
        query.format = q.text("format");
        query.page = q.page();
        if (!q.ok()) return respond(q.problem());
        respond(list_answer(ctx, api.registry.read([&](const projections::RegistryView& v) {
          return v.meetings(query);
        })));
      },
      "listMeetings");

  router.add(
      http::verb::get, "/v1/meetings/{meeting_id}",
      [&api](RequestContext& ctx, Respond respond) {
        ParamReader q(ctx, {});
        if (!q.ok()) return respond(q.problem());
        const std::string id(ctx.path_param("meeting_id"));
        std::uint64_t version = 0;
        // The history is read back from the log (meeting events hold no personal data).
        const codec::WithoutPersonalData no_personal_data;
        const projections::LogStreamEvents events(api.registry.store(), no_personal_data);
        auto meeting = api.registry.read([&](const projections::RegistryView& v) {
          version = v.version_of(domain::meeting_stream(id));
          return v.meeting(id, events);
        });
        if (meeting) add_chain_links(api.registry.store(), domain::meeting_stream(id), *meeting);
        respond(with_etag(std::move(meeting), version));
      },
      "getMeeting");

  router.add(
      http::verb::get, "/v1/taxonomy",
      [&api](RequestContext& ctx, Respond respond) {
        ParamReader q(ctx, {});
        if (!q.ok()) return respond(q.problem());
        respond(api.registry.read([&](const projections::RegistryView& v) {
          return with_etag(v.taxonomy_json(), v.version_of(domain::taxonomy_stream()));
        }));
      },
      "getTaxonomy");

  router.add(
      http::verb::get, "/v1/tokens",
      [&api](RequestContext& ctx, Respond respond) {
        ParamReader q(ctx, {"limit", "cursor"});
        auto page = q.page();
        if (!q.ok()) return respond(q.problem());
        respond(list_answer(ctx, api.registry.read([&](const projections::RegistryView& v) {
          return v.tokens(page);
        })));
      },
      "listTokens");
}

}  // namespace ikv::server
