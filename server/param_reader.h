// What the read endpoints of the event log and the reports share: a reader of
// query parameters that collects 422 errors (and refuses unknown parameters),
// the mapping of a read model's error to a problem, paged answers with their
// `Link: <...>; rel="next"` header, and content negotiation on `Accept`.
//
// Thread-safety: ParamReader is a plain value used by one handler call; the
// free functions are pure.
//
//   ParamReader q(ctx, {"after", "limit"});
//   const std::uint64_t after = q.number("after").value_or(0);
//   const std::size_t limit = q.limit();
//   if (!q.ok()) return respond(q.problem());
//   respond(page_response(ctx, std::move(page), {{"after", "42"}}, {"after", "cursor"}));
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "common/result.h"
#include "domain/date.h"
#include "projections/paging.h"
#include "server/http/problem.h"
#include "server/http/router.h"

namespace ikv::server {

class ParamReader {
 public:
  // Every query parameter not in `allowed` is an error ("unknown query parameter").
  ParamReader(const RequestContext& ctx, std::initializer_list<std::string_view> allowed);

  // 1 to 200 characters.
  std::optional<std::string> text(std::string_view key);
  // A real date, YYYY-MM-DD.
  std::optional<domain::Date> date(std::string_view key);
  // An RFC 3339 instant, as UTC microseconds.
  std::optional<std::int64_t> instant(std::string_view key);
  // A decimal integer >= `min` (at most 19 digits).
  std::optional<std::uint64_t> number(std::string_view key, std::uint64_t min = 0);
  // `limit`: 1 to 1000, default 100.
  std::size_t limit();
  // `cursor` of the lists whose cursor is a log position or a stream version
  // (decimal text; opaque to clients).
  std::optional<std::uint64_t> cursor();
  // `true` or `false`.
  std::optional<bool> flag(std::string_view key);
  // `limit` and the opaque `cursor` of the read-model lists.
  projections::PageRequest page();
  // Records an error when both dates are given and `to` is before `from`.
  void check_range(const std::optional<domain::Date>& from, const std::optional<domain::Date>& to);
  // Records an error of `field` (a parameter or header name).
  void fail(std::string field, std::string message);

  bool ok() const { return errors_.empty(); }
  // The 422 problem listing every error.
  Response problem() const;

 private:
  const RequestContext& ctx_;
  std::vector<FieldError> errors_;
};

// A read model's error as a problem: kNotFound -> 404; kInvalidArgument
// ("<parameter>: <reason>") -> 422 naming the parameter; anything else -> 500.
Response read_problem(const Error& e);

// 200 with `page` ({"items", "next_cursor"}); when `next` is set, a
// `Link: <path?query>; rel="next"` header whose query is the request's minus
// the parameters in `drop`, plus next->first=next->second.
Response page_response(const RequestContext& ctx, const boost::json::object& page,
                       const std::optional<std::pair<std::string, std::string>>& next,
                       std::initializer_list<std::string_view> drop);

// The media type of `offered` that the request's `Accept` prefers (highest q,
// then the client's order; `*/*`, `type/*` and no Accept pick the first
// offered), or nullopt when it accepts none of them.
std::optional<std::string_view> negotiate(const Request& req,
                                          std::initializer_list<std::string_view> offered);

}  // namespace ikv::server
