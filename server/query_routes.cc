// The read endpoints: each parses its query, asks the read models and renders.
#include <boost/beast/http/verb.hpp>

#include "domain/streams.h"
#include "projections/instant.h"
#include "server/api.h"
#include "server/command_route.h"
#include "server/http/problem.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

// Reads and checks query parameters, collecting 422 errors; refuses unknown ones.
class QueryReader {
 public:
  QueryReader(const RequestContext& ctx, std::initializer_list<std::string_view> allowed)
      : ctx_(ctx) {
    for (const auto& q : ctx.query) {
      bool known = false;
      for (auto a : allowed) known = known || q.key == a;
      if (!known) errors_.push_back({q.key, "unknown query parameter"});
    }
  }
  std::optional<std::string> text(std::string_view key) {
    auto v = ctx_.query_value(key);
    if (!v) return std::nullopt;
    if (v->empty() || v->size() > 200) {
      errors_.push_back({std::string(key), "must be 1 to 200 characters"});
      return std::nullopt;
    }
    return std::string(*v);
  }
  std::optional<domain::Date> date(std::string_view key) {
    auto v = ctx_.query_value(key);
    if (!v) return std::nullopt;
    auto d = domain::parse_date(*v);
    if (!d) errors_.push_back({std::string(key), "must be a real date written YYYY-MM-DD"});
    return d;
  }
  std::optional<std::int64_t> instant(std::string_view key) {
    auto v = ctx_.query_value(key);
    if (!v) return std::nullopt;
    auto t = projections::parse_instant(*v);
    if (!t) errors_.push_back({std::string(key), "must be an RFC 3339 instant"});
    return t;
  }
  std::optional<bool> flag(std::string_view key) {
    auto v = ctx_.query_value(key);
    if (!v) return std::nullopt;
    if (*v == "true") return true;
    if (*v == "false") return false;
    errors_.push_back({std::string(key), "must be true or false"});
    return std::nullopt;
  }
  projections::PageRequest page() {
    projections::PageRequest p;
    if (auto v = ctx_.query_value("limit")) {
      std::size_t n = 0;
      bool ok = !v->empty() && v->size() <= 4;
      for (char c : *v) {
        ok = ok && c >= '0' && c <= '9';
        if (ok) n = n * 10 + static_cast<std::size_t>(c - '0');
      }
      if (!ok || n < 1 || n > projections::kMaxPageLimit) {
        errors_.push_back({"limit", "must be an integer from 1 to 1000"});
      } else {
        p.limit = n;
      }
    }
    if (auto c = ctx_.query_value("cursor")) p.cursor = std::string(*c);
    return p;
  }
  void check_range(const std::optional<domain::Date>& from, const std::optional<domain::Date>& to) {
    if (from && to && *to < *from) errors_.push_back({"from", "must not be after to"});
  }
  bool ok() const { return errors_.empty(); }
  Response problem() const { return problem_422(errors_, "invalid query parameters"); }

 private:
  const RequestContext& ctx_;
  std::vector<FieldError> errors_;
};

// Maps a read model's error to a problem.
Response problem_of(const Error& e) {
  if (e.code == ErrorCode::kNotFound) return problem_404(e.message);
  if (e.code == ErrorCode::kInvalidArgument) {
    const auto colon = e.message.find(':');
    std::string field = colon == std::string::npos ? std::string() : e.message.substr(0, colon);
    return problem_422({{field, e.message}}, "invalid query parameters");
  }
  return problem_500();
}

// The answer of a list: the page and a Link to the next one.
Response list_answer(const RequestContext& ctx, Result<json::object> page) {
  if (!page) return problem_of(page.error());
  Response res = json_response(http::status::ok, *page);
  const auto* next = page->if_contains("next_cursor");
  if (next != nullptr && next->is_string()) {
    std::string target = std::string(ctx.request.target());
    const auto q = target.find('?');
    std::string path = target.substr(0, q);
    std::string query;
    for (const auto& p : ctx.query) {
      if (p.key == "cursor") continue;
      // Keys and values are re-encoded: only unreserved characters pass as they are.
      const auto enc = [](std::string_view s) {
        static const char* hex = "0123456789ABCDEF";
        std::string out;
        for (unsigned char c : s) {
          if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
          } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
          }
        }
        return out;
      };
      query += (query.empty() ? "" : "&") + enc(p.key) + "=" + enc(p.value);
    }
    query += (query.empty() ? "" : "&") + std::string("cursor=") +
             std::string(next->as_string().c_str());
    res.set(http::field::link, "<" + path + "?" + query + ">; rel=\"next\"");
  }
  return res;
}

Response with_etag(Result<json::object> body, std::uint64_t version) {
  if (!body) return problem_of(body.error());
  Response res = json_response(http::status::ok, *body);
  res.set(http::field::etag, "\"" + std::to_string(version) + "\"");
  return res;
}

bool sees_personal_data(const app::Principal& p) { return p.role != domain::Role::kAnalyst; }

}  // namespace

void add_query_routes(Router& router, ApiContext& api) {
  router.add(http::verb::get, "/v1/networks",
             [&api](RequestContext& ctx, Respond respond) {
               QueryReader q(ctx, {"limit", "cursor"});
               projections::NetworkListQuery query{.today = today_utc(), .page = q.page()};
               if (!q.ok()) return respond(q.problem());
               respond(list_answer(ctx, api.registry.read([&](const projections::RegistryView& v) {
                 return v.networks(query);
               })));
             },
             "listNetworks");

  router.add(http::verb::get, "/v1/networks/{id}",
             [&api](RequestContext& ctx, Respond respond) {
               QueryReader q(ctx, {});
               if (!q.ok()) return respond(q.problem());
               const std::string id(ctx.path_param("id"));
               respond(api.registry.read([&](const projections::RegistryView& v) {
                 return with_etag(v.network(id, {.today = today_utc()}),
                                  v.version_of(domain::network_stream(id)));
               }));
             },
             "getNetwork");

  router.add(http::verb::get, "/v1/networks/{id}/members",
             [&api](RequestContext& ctx, Respond respond) {
               QueryReader q(ctx, {"sector", "as_of", "known_at", "include_former", "limit", "cursor"});
               projections::MemberQuery query;
               query.sector = q.text("sector");
               query.as_of = q.date("as_of");
               query.known_at_us = q.instant("known_at");
               query.include_former = q.flag("include_former").value_or(false);
               query.include_personal = sees_personal_data(principal_of(ctx));
               query.page = q.page();
               if (!q.ok()) return respond(q.problem());
               const std::string id(ctx.path_param("id"));
               // The roster is a read of the network: it carries the network's ETag.
               respond(api.registry.read([&](const projections::RegistryView& v) {
                 Response res = list_answer(ctx, v.members(id, query));
                 if (res.result() == http::status::ok) {
                   res.set(http::field::etag,
                           "\"" + std::to_string(v.version_of(domain::network_stream(id))) + "\"");
                 }
                 return res;
               }));
             },
             "listMembers");

  router.add(http::verb::get, "/v1/networks/{id}/observations",
             [&api](RequestContext& ctx, Respond respond) {
               QueryReader q(ctx, {"theme", "from", "to", "limit", "cursor"});
               projections::ObservationQuery query;
               query.theme = q.text("theme");
               query.from = q.date("from");
               query.to = q.date("to");
               q.check_range(query.from, query.to);
               query.page = q.page();
               if (!q.ok()) return respond(q.problem());
               const std::string id(ctx.path_param("id"));
               respond(list_answer(ctx, api.registry.read([&](const projections::RegistryView& v) {
                 return v.observations(id, query);
               })));
             },
             "listObservations");

  router.add(http::verb::get, "/v1/meetings",
             [&api](RequestContext& ctx, Respond respond) {
               QueryReader q(ctx, {"network", "from", "to", "status", "format", "limit", "cursor"});
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

  router.add(http::verb::get, "/v1/meetings/{meeting_id}",
             [&api](RequestContext& ctx, Respond respond) {
               QueryReader q(ctx, {});
               if (!q.ok()) return respond(q.problem());
               const std::string id(ctx.path_param("meeting_id"));
               respond(api.registry.read([&](const projections::RegistryView& v) {
                 return with_etag(v.meeting(id), v.version_of(domain::meeting_stream(id)));
               }));
             },
             "getMeeting");

  router.add(http::verb::get, "/v1/taxonomy",
             [&api](RequestContext& ctx, Respond respond) {
               QueryReader q(ctx, {});
               if (!q.ok()) return respond(q.problem());
               respond(api.registry.read([&](const projections::RegistryView& v) {
                 return with_etag(v.taxonomy_json(), v.version_of(domain::taxonomy_stream()));
               }));
             },
             "getTaxonomy");

  router.add(http::verb::get, "/v1/tokens",
             [&api](RequestContext& ctx, Respond respond) {
               QueryReader q(ctx, {"limit", "cursor"});
               auto page = q.page();
               if (!q.ok()) return respond(q.problem());
               respond(list_answer(ctx, api.registry.read([&](const projections::RegistryView& v) {
                 return v.tokens(page);
               })));
             },
             "listTokens");
}

}  // namespace ikv::server
