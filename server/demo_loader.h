// Loads the demo data set (demo/demo-data.json, format in demo/README.md)
// through the same route table clients use, as the actor `demo-loader`: a
// temporary admin token of that name is issued, every request is dispatched
// in order, and the token is revoked at the end.
//
// Thread-safety: call once at start-up, before serving.
#pragma once

#include <string_view>

#include "app/registry.h"
#include "common/result.h"
#include "server/http/router.h"

namespace ikv::server {

// Returns the number of requests sent. Errors: the first request that did not
// answer 2xx (kInvalidArgument, with its index and answer).
Result<std::size_t> load_demo_data(app::Registry& registry, const Router& router,
                                   std::string_view demo_json);

}  // namespace ikv::server
