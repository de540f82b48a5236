// fuzz_json_fields: the readers of untrusted request input.
//
// Input layout: byte 0 chooses the reader.
//   even  a request body: read_json_object (Content-Type application/json;
//         strict parsing, UTF-8, object at the top) and, for an object, a
//         FieldReader doing what a command does: strings with length rules,
//         integers, booleans, string arrays, a nested object, reject_unknown.
//   odd   a query string "k=v&k&k=v..." (split on '&' and the first '=',
//         not decoded) for a ParamReader reading every kind of parameter.
//
// Checks (a failure aborts): a refused body is a 400/415/422 problem; every
// error's field is a JSON pointer ("/...") for bodies and a parameter name for
// queries; the 422 problem built from the errors is valid JSON listing them.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/parse.hpp>

#include "server/http/field_reader.h"
#include "server/http/problem.h"
#include "server/param_reader.h"

namespace {

namespace http = boost::beast::http;
namespace json = boost::json;
using namespace ikv::server;

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "fuzz_json_fields: %s\n%.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

void check_problem(const Response& res, unsigned status, std::size_t errors) {
  if (res.result_int() != status) fail("unexpected problem status", res.body());
  boost::system::error_code ec;
  const json::value v = json::parse(res.body(), ec);
  if (ec || !v.is_object()) fail("the problem is not a JSON object", res.body());
  const auto* list = v.as_object().if_contains("errors");
  const std::size_t listed = list != nullptr && list->is_array() ? list->as_array().size() : 0;
  if (listed != errors) fail("the problem does not list every error", res.body());
}

void fuzz_body(std::string_view bytes) {
  Request req{http::verb::post, "/v1/things", 11};
  req.set(http::field::content_type, "application/json; charset=utf-8");
  req.body() = std::string(bytes);
  JsonBody body = read_json_object(req);
  if (!body) {
    const unsigned s = body.problem.result_int();
    if (s != 400 && s != 415 && s != 422)
      fail("a refused body is not 400/415/422", body.problem.body());
    return;
  }
  FieldReader r(*body.object);
  (void)r.required_string("name", {.max_len = 200});
  (void)r.optional_string("phone", {.min_len = 1, .max_len = 40});
  (void)r.optional_string("code", {.check = [](std::string_view s) {
                            return s.find(' ') == std::string_view::npos ? "" : "no spaces";
                          }});
  (void)r.optional_int("attendee_count", {.min = 0, .max = 100'000});
  (void)r.required_int("participants", {.min = 1});
  (void)r.optional_bool("erased");
  (void)r.optional_string_array("agenda", {.max_items = 50, .item = {.max_len = 500}});
  (void)r.required_string_array("themes", {.min_items = 1});
  FieldReader names = r.required_object("name_i18n");
  for (const char* lang : {"fi", "sv", "en"}) (void)names.required_string(lang);
  names.reject_unknown();
  FieldReader extra = r.optional_object("extra");
  (void)extra.optional_object("deeper").optional_string("x");
  extra.reject_unknown();
  r.reject_unknown();
  if (r.ok()) return;
  for (const auto& e : r.errors()) {
    if (!e.field.empty() && e.field[0] != '/')
      fail("a body error's field is not a JSON pointer", e.field);
  }
  check_problem(problem_422(r.errors()), 422, r.errors().size());
}

void fuzz_query(std::string_view bytes) {
  RequestContext ctx;
  while (!bytes.empty()) {
    const std::size_t amp = bytes.find('&');
    const std::string_view part = bytes.substr(0, amp);
    const std::size_t eq = part.find('=');
    QueryParam p;
    p.key = std::string(part.substr(0, eq));
    if (eq != std::string_view::npos) {
      p.value = std::string(part.substr(eq + 1));
      p.has_value = true;
    }
    ctx.query.push_back(std::move(p));
    if (amp == std::string_view::npos) break;
    bytes.remove_prefix(amp + 1);
  }
  ParamReader q(ctx, {"q", "from", "to", "since", "after", "limit", "cursor", "live"});
  (void)q.text("q");
  const auto from = q.date("from");
  const auto to = q.date("to");
  q.check_range(from, to);
  (void)q.instant("since");
  (void)q.number("after", 1);
  (void)q.limit();
  (void)q.cursor();
  (void)q.flag("live");
  (void)q.page();
  if (q.ok()) return;
  const Response res = q.problem();
  if (res.result_int() != 422) fail("a query problem is not 422", res.body());
  boost::system::error_code ec;
  if (!json::parse(res.body(), ec).is_object() || ec)
    fail("the query problem is not JSON", res.body());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    fuzz_body(in);
  } else {
    fuzz_query(in);
  }
  return 0;
}
