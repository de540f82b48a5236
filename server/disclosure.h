// Disclosure: what one answer shows of members' personal data, and the one way
// a route renders personal fields. It holds the reader's PersonalDataScope
// (Principal::personal_data_scope(), the rule of API.md "Who sees personal
// data"); the renderers below decide with it whether a row may carry its
// personal fields, and note every row that then actually shows one in clear
// (a name, an e-mail or a phone that is not null). What was noted is recorded
// in the PersonalAccessLog (one entry per network) once the answer goes out:
// the router's answer hook commits it for a 2xx answer to anything but HEAD
// and discards it otherwise; the live feed commits per chunk sent.
//
// So a route never asks the scope itself: it renders through
// disclosure_of(ctx), and what it shows is recorded without another line of
// code. A route that does not use it shows nothing in clear (a
// FeedSubscription without a disclosure renders personal fields as null).
//
// Thread-safety: all methods are thread-safe (one small lock).
//
//   Disclosure& d = disclosure_of(ctx);
//   auto page = d.rows(network_id, [&](bool include_personal) {
//     return view.members(network_id, {.include_personal = include_personal});
//   });
//   auto event = d.event(registry, recorded_event);
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "app/registry.h"
#include "common/result.h"
#include "eventstore/event_store.h"
#include "server/http/router.h"
#include "server/personal_access_log.h"

namespace ikv::server {

// Whether a rendered row (a roster row, an event's payload) shows a personal
// field in clear: it is a person's row (it has "erased") and its "name",
// "email" or "phone" is not null.
bool shows_personal_data(const boost::json::object& row);

class Disclosure {
 public:
  // `who` gives the entries' request fields (token, role, method, route, path,
  // request id). Without a log nothing is recorded.
  explicit Disclosure(app::PersonalDataScope scope, AccessEntry who = {},
                      PersonalAccessLog* log = nullptr);
  ~Disclosure() = default;
  Disclosure(const Disclosure&) = delete;
  Disclosure& operator=(const Disclosure&) = delete;
  Disclosure(Disclosure&&) = delete;
  Disclosure& operator=(Disclosure&&) = delete;

  const app::PersonalDataScope& scope() const { return scope_; }

  // Renders rows of `network` with `render(include_personal) ->
  // Result<boost::json::object>` (a page {"items": [...], ...}), include_personal
  // from the scope, and notes every item that shows personal data in clear.
  template <class Render>
  Result<boost::json::object> rows(std::string_view network, Render&& render) {
    Result<boost::json::object> page = render(scope_.covers_network(network));
    if (page) note_items(network, *page);
    return page;
  }

  // A stored event as Registry::event_json renders it, its personal fields in
  // clear when the scope covers its stream; noted when they are.
  Result<boost::json::object> event(const app::Registry& registry,
                                    const eventstore::RecordedEvent& event);

  // Notes `row` (a row of `network`, or an event's payload) when it shows
  // personal data in clear; returns whether it did.
  bool note(std::string_view network, const boost::json::object& row);
  // Notes a member record of `network` that the answer ties to a person
  // without showing a personal field (a member found by e-mail).
  void note_person(std::string_view network, std::string_view member_id);

  // Records what was noted since the last commit (one entry per network) and
  // forgets it. Nothing noted: nothing recorded.
  void commit();
  // Forgets what was noted (the answer did not go out).
  void discard();

 private:
  struct Noted {
    std::vector<std::string> members;
    std::uint64_t records = 0;
  };
  void note_items(std::string_view network, const boost::json::object& page);

  // Constant after construction.
  const app::PersonalDataScope scope_;
  const AccessEntry who_;
  PersonalAccessLog* const log_;

  std::mutex mu_;
  std::map<std::string, Noted, std::less<>> noted_;  // guarded by mu_, by network
};

// What the access guard puts in RequestContext::principal.
struct Caller {
  app::Principal principal;
  PersonalAccessLog* access_log = nullptr;
  std::shared_ptr<Disclosure> disclosure;  // made on first use (disclosure_of)
};

// The request's Disclosure, made on first use from the caller's scope and the
// request. REQUIRES: an authenticated route (the guard set a Caller); not
// called from two threads at once for one request.
Disclosure& disclosure_of(RequestContext& ctx);
std::shared_ptr<Disclosure> shared_disclosure_of(RequestContext& ctx);

// The router's answer hook: commits the request's disclosure for a 2xx answer
// with a body (any method but HEAD), discards it otherwise.
void finish_disclosure(const RequestContext& ctx, unsigned status);

}  // namespace ikv::server
