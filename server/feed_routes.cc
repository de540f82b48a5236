// The event log's read endpoints: the global log and its live feed (SSE), one
// stream, a network's history, the change log, and the verification of the
// hash chain. Events are rendered by Registry::event_json; positions of the
// history and the change log come from the audit index (RegistryView), so
// those reads load only the events they answer with.
#include <array>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include "codec/event_codec.h"
#include "projections/audit_index.h"
#include "server/api.h"
#include "server/event_feed.h"
#include "server/param_reader.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

constexpr std::string_view kEventStream = "text/event-stream";
constexpr std::array<std::string_view, 5> kCategories{"network", "meeting", "taxonomy", "token",
                                                      "national"};

void check_type(ParamReader& q, const std::optional<std::string>& type) {
  if (!type) return;
  for (std::string_view t : codec::event_type_names()) {
    if (t == *type) return;
  }
  q.fail("type", "unknown event type '" + *type + "'");
}

// The events at `positions` (ascending), read a run of consecutive positions at a time.
Result<std::vector<eventstore::RecordedEvent>> read_positions(
    const eventstore::EventStore& store, const std::vector<std::uint64_t>& positions) {
  std::vector<eventstore::RecordedEvent> out;
  for (std::size_t i = 0; i < positions.size();) {
    std::size_t j = i + 1;
    while (j < positions.size() && positions[j] == positions[j - 1] + 1) ++j;
    eventstore::ReadAllOptions opts;
    opts.after = positions[i] - 1;
    opts.limit = j - i;
    auto run = store.read_all(opts);
    if (!run) return run.error();
    if (run->size() != j - i)
      return Error{ErrorCode::kCorruption, "indexed events are missing", {}};
    for (auto& e : *run) out.push_back(std::move(e));
    i = j;
  }
  return out;
}

// A page of events. `more`: another page follows, resumed by
// `next_param`=`next_value`; `drop`: parameters the next page's link leaves out.
Response event_page(RequestContext& ctx, const app::Registry& registry,
                    const std::vector<eventstore::RecordedEvent>& events, bool more,
                    const std::string& next_param, const std::string& next_value,
                    std::initializer_list<std::string_view> drop) {
  Disclosure& disclosure = disclosure_of(ctx);
  json::array items;
  for (const auto& e : events) {
    auto rendered = disclosure.event(registry, e);
    if (!rendered) return problem_500("an event of the log does not decode");
    items.push_back(std::move(*rendered));
  }
  json::object page;
  page["items"] = std::move(items);
  page["next_cursor"] = more ? json::value(next_value) : json::value(nullptr);
  std::optional<std::pair<std::string, std::string>> next;
  if (more) next.emplace(next_param, next_value);
  return page_response(ctx, page, next, drop);
}

// Answers with the live feed from `sub.after` on.
void open_feed(const std::shared_ptr<EventFeed>& feed, RequestContext& ctx, Respond respond,
               FeedSubscription sub) {
  if (!ctx.respond_stream) return respond(problem_503("this transport cannot stream"));
  auto slot = feed->reserve();
  if (!slot) {
    return respond(problem_503("too many live subscribers", std::chrono::seconds(5)));
  }
  StreamingResponse s;
  s.head.result(http::status::ok);
  s.head.set(http::field::content_type, kEventStream);
  s.head.set(http::field::cache_control, "no-store");
  s.head.set("X-Accel-Buffering", "no");
  std::weak_ptr<EventFeed> weak = feed;
  s.on_open = [weak, slot, sub = std::move(sub), respond](std::shared_ptr<ChunkStream> stream) {
    if (auto f = weak.lock()) {
      f->subscribe(slot, std::move(stream), sub);
    } else {
      stream->finish();
    }
  };
  ctx.respond_stream(std::move(s));
}

void list_events(ApiContext& api, const std::shared_ptr<EventFeed>& feed, RequestContext& ctx,
                 Respond respond) {
  ParamReader q(ctx, {"after", "limit", "cursor", "type", "category"});
  std::uint64_t after = q.number("after").value_or(0);
  const std::size_t limit = q.limit();
  const auto cursor = q.cursor();
  const auto type = q.text("type");
  check_type(q, type);
  const auto category = q.text("category");
  if (category &&
      std::find(kCategories.begin(), kCategories.end(), *category) == kCategories.end()) {
    q.fail("category", "must be network, meeting, taxonomy, token or national");
  }
  // limit and cursor do not apply to the live feed; Last-Event-ID only to it.
  const bool live = negotiate(ctx.request, {kJson, kEventStream}) == kEventStream;
  if (cursor && !live) after = *cursor;
  if (live) {
    if (auto h = ctx.request.find("Last-Event-ID"); h != ctx.request.end()) {
      const std::string_view v = h->value();
      bool ok = !v.empty() && v.size() <= 19;
      std::uint64_t n = 0;
      for (char c : v) {
        ok = ok && c >= '0' && c <= '9';
        if (ok) n = n * 10 + static_cast<std::uint64_t>(c - '0');
      }
      if (ok)
        after = n;
      else
        q.fail("Last-Event-ID", "must be a decimal log position");
    }
  }
  if (!q.ok()) return respond(q.problem());
  if (live) {
    FeedSubscription sub;
    sub.after = after;
    sub.type = type.value_or("");
    sub.category = category.value_or("");
    sub.disclosure = shared_disclosure_of(ctx);
    return open_feed(feed, ctx, std::move(respond), std::move(sub));
  }
  eventstore::ReadAllOptions opts;
  opts.after = after;
  opts.limit = limit + 1;
  opts.type = type.value_or("");
  opts.category = category.value_or("");
  auto events = api.registry.store().read_all(opts);
  if (!events) return respond(problem_500("the log cannot be read"));
  const bool more = events->size() > limit;
  if (more) events->resize(limit);
  const std::string next = events->empty() ? "" : std::to_string(events->back().position);
  respond(event_page(ctx, api.registry, *events, more, "after", next, {"after", "cursor"}));
}

void read_stream(ApiContext& api, RequestContext& ctx, Respond respond) {
  ParamReader q(ctx, {"from_version", "limit", "cursor"});
  std::uint64_t from = q.number("from_version", 1).value_or(1);
  const std::size_t limit = q.limit();
  if (auto c = q.cursor()) from = *c == UINT64_MAX ? *c : *c + 1;
  if (!q.ok()) return respond(q.problem());
  const std::string stream(ctx.path_param("stream"));
  const auto& store = api.registry.store();
  const std::uint64_t version = store.stream_version(stream);
  if (version == 0) return respond(problem_404("no stream '" + stream + "'"));
  auto events = store.read_stream(stream, from, limit + 1);
  if (!events) return respond(problem_500("the stream cannot be read"));
  const bool more = events->size() > limit;
  if (more) events->resize(limit);
  const std::string next = events->empty() ? "" : std::to_string(events->back().version);
  Response res = event_page(ctx, api.registry, *events, more, "cursor", next, {"cursor"});
  if (res.result() == http::status::ok)
    res.set(http::field::etag, "\"" + std::to_string(version) + "\"");
  respond(std::move(res));
}

// The page of the change log (or a history) that `filter` selects.
void audit_page(ApiContext& api, RequestContext& ctx, Respond respond,
                const projections::AuditFilter& filter, std::uint64_t after, std::size_t limit,
                bool unknown_network_is_404) {
  auto selected = api.registry.read_models(
      [&](const projections::ReadModels& m) -> Result<projections::AuditSelection> {
        if (filter.network && m.view().find_network(*filter.network) == nullptr) {
          if (unknown_network_is_404) {
            return Error{ErrorCode::kNotFound, "no network '" + *filter.network + "'", {}};
          }
          return projections::invalid_parameter("network",
                                                "unknown network '" + *filter.network + "'");
        }
        return m.get<projections::AuditIndex>().select(filter, after, limit);
      });
  if (!selected) return respond(read_problem(selected.error()));
  auto events = read_positions(api.registry.store(), selected->positions);
  if (!events) return respond(problem_500("the log cannot be read"));
  const std::string next =
      selected->positions.empty() ? "" : std::to_string(selected->positions.back());
  respond(event_page(ctx, api.registry, *events, selected->more, "cursor", next, {"cursor"}));
}

void network_history(ApiContext& api, RequestContext& ctx, Respond respond) {
  ParamReader q(ctx, {"limit", "cursor"});
  const std::size_t limit = q.limit();
  const std::uint64_t after = q.cursor().value_or(0);
  if (!q.ok()) return respond(q.problem());
  projections::AuditFilter filter;
  filter.network = std::string(ctx.path_param("id"));
  audit_page(api, ctx, std::move(respond), filter, after, limit, true);
}

void list_audit(ApiContext& api, RequestContext& ctx, Respond respond) {
  ParamReader q(ctx, {"actor", "from", "to", "network", "type", "limit", "cursor"});
  projections::AuditFilter filter;
  filter.actor = q.text("actor");
  filter.from_us = q.instant("from");
  filter.to_us = q.instant("to");
  if (filter.from_us && filter.to_us && *filter.to_us < *filter.from_us) {
    q.fail("from", "must not be after to");
  }
  filter.network = q.text("network");
  filter.type = q.text("type");
  check_type(q, filter.type);
  const std::size_t limit = q.limit();
  const std::uint64_t after = q.cursor().value_or(0);
  if (!q.ok()) return respond(q.problem());
  audit_page(api, ctx, std::move(respond), filter, after, limit, false);
}

void verify_audit(ApiContext& api, RequestContext& ctx, Respond respond) {
  ParamReader q(ctx, {});
  if (!q.ok()) return respond(q.problem());
  const auto& store = api.registry.store();
  const std::uint64_t head = store.head_position();
  auto r = store.verify(1, head);
  if (!r) return respond(problem_500("the log cannot be read: " + r.error().message));
  json::object o;
  o["ok"] = r->ok;
  o["events_checked"] = r->events_checked;
  o["head_position"] = head;
  if (r->ok) {
    static const char* hex = "0123456789abcdef";
    std::string h;
    for (std::uint8_t b : r->head_hash) {
      h += hex[b >> 4];
      h += hex[b & 15];
    }
    o["head_hash"] = h;
  } else {
    o["first_bad_position"] = r->first_bad_position.value_or(0);
    o["detail"] = r->problem;
  }
  respond(json_response(http::status::ok, o));
}

}  // namespace

void add_feed_routes(Router& router, ApiContext& api) {
  auto feed = std::make_shared<EventFeed>(api.registry);
  router.add(
      http::verb::get, "/v1/events",
      [&api, feed](RequestContext& ctx, Respond respond) {
        list_events(api, feed, ctx, std::move(respond));
      },
      "listEvents");
  router.add(
      http::verb::get, "/v1/streams/{stream}",
      [&api](RequestContext& ctx, Respond respond) { read_stream(api, ctx, std::move(respond)); },
      "readStream");
  router.add(
      http::verb::get, "/v1/networks/{id}/history",
      [&api](RequestContext& ctx, Respond respond) {
        network_history(api, ctx, std::move(respond));
      },
      "getNetworkHistory");
  router.add(
      http::verb::get, "/v1/audit",
      [&api](RequestContext& ctx, Respond respond) { list_audit(api, ctx, std::move(respond)); },
      "listAudit");
  router.add(
      http::verb::get, "/v1/audit/verify",
      [&api](RequestContext& ctx, Respond respond) { verify_audit(api, ctx, std::move(respond)); },
      "verifyAudit");
}

}  // namespace ikv::server
