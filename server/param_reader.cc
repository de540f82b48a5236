#include "server/param_reader.h"

#include <cctype>
#include <cstdlib>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>

#include "domain/text.h"
#include "projections/instant.h"
#include "projections/paging.h"

namespace ikv::server {

namespace http = boost::beast::http;

ParamReader::ParamReader(const RequestContext& ctx, std::initializer_list<std::string_view> allowed)
    : ctx_(ctx) {
  for (const auto& q : ctx.query) {
    bool known = false;
    for (auto a : allowed) known = known || q.key == a;
    if (!known) errors_.push_back({q.key, "unknown query parameter"});
  }
}

std::optional<std::string> ParamReader::text(std::string_view key) {
  auto v = ctx_.query_value(key);
  if (!v) return std::nullopt;
  if (v->empty() || v->size() > 200) {
    fail(std::string(key), "must be 1 to 200 characters");
    return std::nullopt;
  }
  return std::string(*v);
}

std::optional<domain::Date> ParamReader::date(std::string_view key) {
  auto v = ctx_.query_value(key);
  if (!v) return std::nullopt;
  auto d = domain::parse_date(*v);
  if (!d) fail(std::string(key), "must be a real date written YYYY-MM-DD");
  return d;
}

std::optional<std::int64_t> ParamReader::instant(std::string_view key) {
  auto v = ctx_.query_value(key);
  if (!v) return std::nullopt;
  auto t = projections::parse_instant(*v);
  if (!t) fail(std::string(key), "must be an RFC 3339 instant");
  return t;
}

namespace {

std::optional<std::uint64_t> parse_decimal(std::string_view v) {
  if (v.empty() || v.size() > 19) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

}  // namespace

std::optional<std::uint64_t> ParamReader::number(std::string_view key, std::uint64_t min) {
  auto v = ctx_.query_value(key);
  if (!v) return std::nullopt;
  auto n = parse_decimal(*v);
  if (!n || *n < min) {
    fail(std::string(key), "must be an integer of at least " + std::to_string(min));
    return std::nullopt;
  }
  return n;
}

std::size_t ParamReader::limit() {
  auto v = ctx_.query_value("limit");
  if (!v) return projections::kDefaultPageLimit;
  auto n = parse_decimal(*v);
  if (!n || *n < 1 || *n > projections::kMaxPageLimit) {
    fail("limit", "must be an integer from 1 to 1000");
    return projections::kDefaultPageLimit;
  }
  return static_cast<std::size_t>(*n);
}

std::optional<std::uint64_t> ParamReader::cursor() {
  auto v = ctx_.query_value("cursor");
  if (!v) return std::nullopt;
  auto n = parse_decimal(*v);
  if (!n) fail("cursor", "is not a cursor of this list");
  return n;
}

std::optional<bool> ParamReader::flag(std::string_view key) {
  auto v = ctx_.query_value(key);
  if (!v) return std::nullopt;
  if (*v == "true") return true;
  if (*v == "false") return false;
  fail(std::string(key), "must be true or false");
  return std::nullopt;
}

projections::PageRequest ParamReader::page() {
  projections::PageRequest p;
  p.limit = limit();
  if (auto c = ctx_.query_value("cursor")) p.cursor = std::string(*c);
  return p;
}

void ParamReader::check_range(const std::optional<domain::Date>& from,
                              const std::optional<domain::Date>& to) {
  if (from && to && *to < *from) fail("from", "must not be after to");
}

void ParamReader::fail(std::string field, std::string message) {
  errors_.push_back({std::move(field), std::move(message)});
}

Response ParamReader::problem() const { return problem_422(errors_, "invalid query parameters"); }

Response read_problem(const Error& e) {
  if (e.code == ErrorCode::kNotFound) return problem_404(e.message);
  if (e.code == ErrorCode::kInvalidArgument) {
    const auto colon = e.message.find(':');
    std::string field = colon == std::string::npos ? std::string() : e.message.substr(0, colon);
    return problem_422({{field, e.message}}, "invalid query parameters");
  }
  return problem_500();
}

namespace {

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

Response page_response(const RequestContext& ctx, const boost::json::object& page,
                       const std::optional<std::pair<std::string, std::string>>& next,
                       std::initializer_list<std::string_view> drop) {
  Response res = json_response(http::status::ok, page);
  if (!next) return res;
  const std::string_view target = ctx.request.target();
  std::string query;
  for (const auto& p : ctx.query) {
    bool dropped = false;
    for (auto d : drop) dropped = dropped || p.key == d;
    if (dropped) continue;
    query += (query.empty() ? "" : "&") + url_encode(p.key) + "=" + url_encode(p.value);
  }
  query += (query.empty() ? "" : "&") + url_encode(next->first) + "=" + url_encode(next->second);
  res.set(http::field::link,
          "<" + std::string(target.substr(0, target.find('?'))) + "?" + query + ">; rel=\"next\"");
  return res;
}

std::optional<std::string_view> negotiate(const Request& req,
                                          std::initializer_list<std::string_view> offered) {
  const auto it = req.find(http::field::accept);
  if (it == req.end() || domain::is_blank(it->value())) {
    return offered.size() == 0 ? std::nullopt : std::optional(*offered.begin());
  }
  struct Item {
    std::string type;
    double q = 1;
  };
  std::vector<Item> items;
  std::string_view rest = it->value();
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    Item item;
    const auto semi = part.find(';');
    item.type = domain::to_lower_ascii(domain::trim(part.substr(0, semi)));
    for (std::string_view params = semi == std::string_view::npos ? "" : part.substr(semi + 1);
         !params.empty();) {
      const auto next = params.find(';');
      const std::string_view p = domain::trim(params.substr(0, next));
      params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
      if (p.size() > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
        item.q = std::strtod(std::string(p.substr(2)).c_str(), nullptr);
      }
    }
    if (!item.type.empty()) items.push_back(std::move(item));
  }
  std::optional<std::string_view> best;
  double best_q = 0;
  std::size_t best_order = SIZE_MAX;
  for (std::string_view o : offered) {
    const std::string_view major = o.substr(0, o.find('/'));
    // The most specific matching item decides the q of `o`.
    int specificity = -1;
    double q = 0;
    std::size_t order = SIZE_MAX;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string& t = items[i].type;
      int s = -1;
      if (t == o)
        s = 2;
      else if (t.size() == major.size() + 2 && t.starts_with(major) && t.ends_with("/*"))
        s = 1;
      else if (t == "*/*")
        s = 0;
      if (s > specificity) {
        specificity = s;
        q = items[i].q;
        order = i;
      }
    }
    if (specificity < 0 || q <= 0) continue;
    if (!best || q > best_q || (q == best_q && order < best_order)) {
      best = o;
      best_q = q;
      best_order = order;
    }
  }
  return best;
}

}  // namespace ikv::server
