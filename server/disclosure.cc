#include "server/disclosure.h"

#include <algorithm>
#include <any>

#include <boost/beast/http/verb.hpp>

#include "domain/streams.h"

namespace ikv::server {
namespace {

namespace json = boost::json;

// A request's path as recorded: no query (it may hold an e-mail address), and bounded.
constexpr std::size_t kMaxPath = 512;

std::string path_of(const Request& req) {
  std::string_view target = req.target();
  target = target.substr(0, target.find('?'));
  return std::string(target.substr(0, kMaxPath));
}

// The network whose stream this is; "" for any other stream.
std::string_view network_of_stream(std::string_view stream) {
  const std::string prefix = domain::network_stream("");
  if (!stream.starts_with(prefix)) return {};
  return stream.substr(prefix.size());
}

}  // namespace

bool shows_personal_data(const json::object& row) {
  if (!row.contains("erased")) return false;
  return std::ranges::any_of(std::initializer_list<const char*>{"name", "email", "phone"},
                             [&row](const char* field) {
                               const auto* v = row.if_contains(field);
                               return v != nullptr && !v->is_null();
                             });
}

Disclosure::Disclosure(app::PersonalDataScope scope, AccessEntry who, PersonalAccessLog* log)
    : scope_(std::move(scope)), who_(std::move(who)), log_(log) {}

Result<json::object> Disclosure::event(const app::Registry& registry,
                                       const eventstore::RecordedEvent& event) {
  const bool include_personal = scope_.covers_stream(event.stream);
  auto rendered = registry.event_json(event, include_personal);
  if (rendered && include_personal) {
    if (const auto* payload = rendered->if_contains("payload");
        payload != nullptr && payload->is_object()) {
      note(network_of_stream(event.stream), payload->as_object());
    }
  }
  return rendered;
}

bool Disclosure::note(std::string_view network, const json::object& row) {
  if (!shows_personal_data(row)) return false;
  std::string member;
  if (const auto* id = row.if_contains("member_id"); id != nullptr && id->is_string())
    member = id->as_string();
  std::lock_guard lock(mu_);
  auto it = noted_.find(network);
  if (it == noted_.end()) it = noted_.emplace(std::string(network), Noted{}).first;
  ++it->second.records;
  if (!member.empty()) it->second.members.push_back(std::move(member));
  return true;
}

void Disclosure::note_person(std::string_view network, std::string_view member_id) {
  std::lock_guard lock(mu_);
  auto it = noted_.find(network);
  if (it == noted_.end()) it = noted_.emplace(std::string(network), Noted{}).first;
  ++it->second.records;
  it->second.members.emplace_back(member_id);
}

void Disclosure::note_items(std::string_view network, const json::object& page) {
  const auto* items = page.if_contains("items");
  if (items == nullptr || !items->is_array()) return;
  for (const auto& item : items->as_array()) {
    if (item.is_object()) note(network, item.as_object());
  }
}

void Disclosure::commit() {
  std::map<std::string, Noted, std::less<>> noted;
  {
    std::lock_guard lock(mu_);
    noted.swap(noted_);
  }
  if (log_ == nullptr) return;
  for (auto& [network, n] : noted) {
    AccessEntry e = who_;
    e.network = network;
    std::sort(n.members.begin(), n.members.end());
    n.members.erase(std::unique(n.members.begin(), n.members.end()), n.members.end());
    e.members = std::move(n.members);
    e.records = n.records;
    log_->record(std::move(e));
  }
}

void Disclosure::discard() {
  std::lock_guard lock(mu_);
  noted_.clear();
}

std::shared_ptr<Disclosure> shared_disclosure_of(RequestContext& ctx) {
  auto& caller = std::any_cast<Caller&>(ctx.principal);
  if (!caller.disclosure) {
    const app::Principal& p = caller.principal;
    AccessEntry who;
    who.token_id = p.token_id;
    who.token_name = p.name;
    who.role = std::string(domain::to_string(p.role));
    who.method = std::string(ctx.request.method_string());
    who.route = ctx.route;
    who.path = path_of(ctx.request);
    who.request_id = ctx.request_id;
    caller.disclosure =
        std::make_shared<Disclosure>(p.personal_data_scope(), std::move(who), caller.access_log);
  }
  return caller.disclosure;
}

Disclosure& disclosure_of(RequestContext& ctx) { return *shared_disclosure_of(ctx); }

void finish_disclosure(const RequestContext& ctx, unsigned status) {
  const auto* caller = std::any_cast<Caller>(&ctx.principal);
  if (caller == nullptr || !caller->disclosure) return;
  const bool shown =
      status >= 200 && status < 300 && ctx.request.method() != boost::beast::http::verb::head;
  if (shown) {
    caller->disclosure->commit();
  } else {
    caller->disclosure->discard();
  }
}

}  // namespace ikv::server
