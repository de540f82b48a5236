// GET /v1/audit/access: the personal-data access log (personal_access_log.h),
// newest first, paged like every list, filtered by token id (`token`), token
// name (`actor`), `network` and recorded time (`from`, `to`, inclusive). Its
// entries hold member ids, never personal fields, so reading it shows nothing
// in clear and is not itself recorded.
#include <charconv>

#include <boost/beast/http/verb.hpp>

#include "projections/instant.h"
#include "server/api.h"
#include "server/param_reader.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

constexpr std::string_view kList = "access";

// A cursor's key: the seq of the last entry served, 16 hex digits.
std::string seq_key(std::uint64_t seq) {
  static const char* hex = "0123456789abcdef";
  std::string key(16, '0');
  for (int i = 15; i >= 0; --i, seq >>= 4) key[static_cast<std::size_t>(i)] = hex[seq & 15];
  return key;
}

std::optional<std::uint64_t> seq_of_key(std::string_view key) {
  std::uint64_t seq = 0;
  const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), seq, 16);
  if (ec != std::errc() || end != key.data() + key.size() || key.size() != 16) return std::nullopt;
  return seq;
}

json::object entry_json(const AccessEntry& e) {
  json::array members;
  members.reserve(e.members.size());
  for (const auto& m : e.members) members.emplace_back(m);
  json::object o;
  o.reserve(11);
  o["at"] = projections::format_instant(e.at_us);
  o["token_id"] = e.token_id;
  o["token_name"] = e.token_name;
  o["role"] = e.role;
  o["method"] = e.method;
  o["route"] = e.route;
  o["path"] = e.path;
  o["network"] = e.network.empty() ? json::value(nullptr) : json::value(e.network);
  o["members"] = std::move(members);
  o["records"] = e.records;
  o["request_id"] = e.request_id;
  return o;
}

void list_access(ApiContext& api, RequestContext& ctx, Respond respond) {
  ParamReader q(ctx, {"token", "actor", "network", "from", "to", "limit", "cursor"});
  AccessQuery query;
  query.token_id = q.text("token");
  query.token_name = q.text("actor");
  query.network = q.text("network");
  query.from_us = q.instant("from");
  query.to_us = q.instant("to");
  if (query.from_us && query.to_us && *query.to_us < *query.from_us)
    q.fail("from", "must not be after to");
  const projections::PageRequest request = q.page();
  if (!q.ok()) return respond(q.problem());
  auto page = projections::validate_page(request, kList);
  if (!page) return respond(read_problem(page.error()));
  if (page->after) {
    query.before_seq = seq_of_key(*page->after);
    if (!query.before_seq) {
      return respond(
          read_problem(projections::invalid_parameter("cursor", "not a cursor of this list")));
    }
  }
  query.limit = page->limit;
  auto selected = api.access_log->list(query);
  if (!selected) return respond(problem_503("the access log cannot be read"));
  json::array items;
  items.reserve(selected->entries.size());
  for (const auto& e : selected->entries) items.push_back(entry_json(e));
  json::object answer;
  answer["items"] = std::move(items);
  std::optional<std::pair<std::string, std::string>> next;
  if (selected->more && !selected->entries.empty()) {
    next.emplace("cursor",
                 projections::encode_cursor(kList, seq_key(selected->entries.back().seq)));
    answer["next_cursor"] = next->second;
  } else {
    answer["next_cursor"] = nullptr;
  }
  respond(page_response(ctx, answer, next, {"cursor"}));
}

}  // namespace

void add_access_log_routes(Router& router, ApiContext& api) {
  router.add(
      http::verb::get, "/v1/audit/access",
      [&api](RequestContext& ctx, Respond respond) { list_access(api, ctx, std::move(respond)); },
      "listPersonalDataAccess");
}

}  // namespace ikv::server
