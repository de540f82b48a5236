// The REST API of the registry: the route table and what every handler shares.
// Handlers are plain functions (RequestContext&, Respond) that turn a request
// into a command or a query on the Registry and its answer into a response; no
// business rule lives here.
//
// Thread-safety: an ApiContext is shared by all io threads; its members are
// thread-safe (Registry, IdempotencyLedger) or constant after start.
//
//   ApiContext api{.registry = *registry, .ledger = ledger};
//   Router router;
//   register_routes(router, api);
#pragma once

#include <any>
#include <atomic>
#include <memory>
#include <string>

#include "app/audit_checkpoints.h"
#include "app/registry.h"
#include "server/disclosure.h"
#include "server/http/router.h"
#include "server/idempotency.h"
#include "server/page_cache.h"
#include "server/personal_access_log.h"
#include "server/rate_limiter.h"

namespace ikv::server {

struct ApiContext {
  app::Registry& registry;
  IdempotencyLedger& ledger;
  // The OpenAPI document served at /openapi.yaml.
  std::string openapi_yaml;
  // Set once the server has caught up and may serve (readiness).
  std::atomic<bool>* ready = nullptr;
  // Requests per token (429 above).
  RateLimit rate_limit{};
  // Internal: the limiter behind rate_limit (created by register_routes).
  std::unique_ptr<RateLimiter> limiter{};
  // Finished answers of the hottest reads, by the version they were made from.
  std::shared_ptr<PageCache> pages = std::make_shared<PageCache>();
  // Where answers showing personal data in clear are recorded (disclosure.h).
  // Unset: register_routes makes one kept in memory (owned_access_log).
  PersonalAccessLog* access_log = nullptr;
  std::unique_ptr<PersonalAccessLog> owned_access_log{};
  // The signing key and checkpoints of the audit evidence. When null,
  // register_routes opens them on the registry's data directory (and throws
  // std::runtime_error when the key cannot be read or created).
  std::unique_ptr<app::AuditCheckpoints> checkpoints{};
  // Backups under <data>/backups older than this many days are deleted after
  // each new backup (--backup-retention-days); 0 keeps every backup.
  unsigned backup_retention_days = 30;
  // Join requests (no token) one remote address may make in any hour (429 above).
  unsigned join_requests_per_hour = 5;
  // Internal: the limiter behind join_requests_per_hour (made by register_routes).
  std::unique_ptr<WindowLimiter> join_limiter{};
};

// Adds every route of the API (docs/openapi.yaml) and the access guard.
void register_routes(Router& router, ApiContext& api);

// The caller of an authenticated route (set by the guard). Personal fields are
// rendered through disclosure_of(ctx) (disclosure.h), never by asking the
// principal's scope directly, so that what is shown in clear is recorded.
inline const app::Principal& principal_of(const RequestContext& ctx) {
  return std::any_cast<const Caller&>(ctx.principal).principal;
}

// Routes per module (each in its own file).
void add_command_routes(Router& router, ApiContext& api);
void add_query_routes(Router& router, ApiContext& api);
void add_public_routes(Router& router, ApiContext& api);
// The event log: /v1/events (and its live feed), streams, history, audit.
void add_feed_routes(Router& router, ApiContext& api);
// The reports (trends, coverage) and backups.
void add_report_routes(Router& router, ApiContext& api);
// The personal-data access log: /v1/audit/access.
void add_access_log_routes(Router& router, ApiContext& api);
// The audit evidence: export, public key, signed checkpoints.
void add_audit_routes(Router& router, ApiContext& api);
// The data-subject requests: /v1/people (people_routes.cc).
void add_people_routes(Router& router, ApiContext& api);
// The public directory and the join requests (join_routes.cc).
void add_join_routes(Router& router, ApiContext& api);
// The dashboard's files (/, /assets/...) and /v1/session.
void add_dashboard_routes(Router& router, ApiContext& api);

}  // namespace ikv::server
