// Loads the demo data (demo/facts.json and demo/illustrative.json, format in
// demo/README.md) through the same route table clients use, as the actor
// `demo-loader`: a temporary admin token of that name is issued, the requests
// of every part are dispatched in order, and the token is revoked at the end.
// The ids saved by one part (`save_as`) can be referred to by the later parts.
//
// Thread-safety: call once at start-up, before serving.
#pragma once

#include <span>
#include <string_view>

#include "app/registry.h"
#include "common/result.h"
#include "server/http/router.h"

namespace ikv::server {

// One JSON array of requests and the name used in error messages.
struct DemoPart {
  std::string_view name;  // "facts.json"
  std::string_view json;
};

// Returns the number of requests sent. Errors: a part that is not a JSON
// array, or the first request that did not answer 2xx (kInvalidArgument,
// with its part, its index in that part and the answer).
Result<std::size_t> load_demo_data(app::Registry& registry, const Router& router,
                                   std::span<const DemoPart> parts);

}  // namespace ikv::server
