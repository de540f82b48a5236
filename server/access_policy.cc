#include "server/access_policy.h"

#include <array>
#include <utility>

#include "server/disclosure.h"
#include "server/http/problem.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;

struct Row {
  std::string_view operation;
  OperationAccess access;
};

constexpr OperationAccess kPublic{.is_public = true};
constexpr OperationAccess kAdmin{.admin = true};
constexpr OperationAccess kWriters{.admin = true, .coordinator = true};
constexpr OperationAccess kAnyone{
    .admin = true, .coordinator = true, .analyst = true, .auditor = true};
constexpr OperationAccess kReaders{.admin = true, .analyst = true, .auditor = true};
constexpr OperationAccess kAuditors{.admin = true, .auditor = true};

constexpr std::array kTable{
    Row{"livez", kPublic},
    Row{"healthz", kPublic},
    Row{"readyz", kPublic},
    Row{"metrics", kPublic},
    Row{"getOpenApi", kPublic},
    Row{"establishNetwork", kAdmin},
    Row{"listNetworks", kAnyone},
    Row{"getNetwork", kAnyone},
    Row{"transferStewardship", kAdmin},
    Row{"joinNetwork", kWriters},
    Row{"listMembers", kAnyone},
    Row{"leaveNetwork", kWriters},
    Row{"scheduleMeeting", kWriters},
    Row{"listMeetings", kAnyone},
    Row{"getMeeting", kAnyone},
    Row{"rescheduleMeeting", kWriters},
    Row{"cancelMeeting", kWriters},
    Row{"recordMeeting", kWriters},
    Row{"recordObservation", kWriters},
    Row{"listObservations", kAnyone},
    Row{"requestTraining", kWriters},
    Row{"deliverTraining", kWriters},
    Row{"getTaxonomy", kAnyone},
    Row{"addTheme", kAdmin},
    Row{"addSector", kAdmin},
    Row{"addTrainingTopic", kAdmin},
    Row{"addTargetGroup", kAdmin},
    Row{"listTrainingRequests", kAnyone},
    Row{"getTrends", kReaders},
    Row{"getCoverage", kReaders},
    Row{"listEvents", kReaders},
    Row{"readStream", kAuditors},
    Row{"getNetworkHistory", kAuditors},
    Row{"listAudit", kAuditors},
    Row{"verifyAudit", kAuditors},
    Row{"listPersonalDataAccess", kAuditors},
    Row{"exportAudit", kAuditors},
    Row{"getAuditPublicKey", kPublic},
    Row{"getLatestCheckpoint", kAuditors},
    Row{"signCheckpoint", kAuditors},
    Row{"issueToken", kAdmin},
    Row{"listTokens", kAdmin},
    Row{"revokeToken", kAdmin},
    Row{"erasePersonalData", kAdmin},
    Row{"createBackup", kAdmin},
    Row{"rotateToken", kAdmin},
    Row{"findPeople", kAdmin},
    Row{"getPerson", kAdmin},
    Row{"changeNetworkDetails", kAdmin},
    Row{"changeMemberDetails", kWriters},
    Row{"retractObservation", kWriters},
    Row{"amendMeetingRecord", kWriters},
    Row{"getDashboard", kPublic},
    Row{"getAccessibilityStatement", kPublic},
    Row{"getDashboardAsset", kPublic},
    Row{"getSession", kAnyone},
    // Open to every professional: the directory and a request to join (5 an
    // hour per remote address, join_routes.cc). Answering is a network's.
    Row{"getDirectory", kPublic},
    Row{"requestToJoin", kPublic},
    Row{"listJoinRequests", kWriters},
    Row{"approveJoinRequest", kWriters},
    Row{"declineJoinRequest", kWriters},
    // The field's model: a network's wishes; findings of no single network (admin).
    Row{"recordWish", kWriters},
    Row{"listWishes", kAnyone},
    Row{"recordNationalFinding", kAdmin},
    Row{"listNationalFindings", kAnyone},
    Row{"retractNationalFinding", kAdmin},
};

std::string_view bearer_of(const Request& req) {
  auto it = req.find(http::field::authorization);
  if (it == req.end()) return {};
  std::string_view v = it->value();
  constexpr std::string_view kScheme = "Bearer ";
  if (v.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(v[i])) !=
        std::tolower(static_cast<unsigned char>(kScheme[i]))) {
      return {};
    }
  }
  v.remove_prefix(kScheme.size());
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return v;
}

}  // namespace

bool OperationAccess::allows(domain::Role role) const {
  switch (role) {
    case domain::Role::kAdmin:
      return admin;
    case domain::Role::kCoordinator:
      return coordinator;
    case domain::Role::kAnalyst:
      return analyst;
    case domain::Role::kAuditor:
      return auditor;
  }
  return false;
}

std::optional<OperationAccess> access_for(std::string_view operation_id) {
  for (const auto& row : kTable) {
    if (row.operation == operation_id) return row.access;
  }
  return std::nullopt;
}

Guard make_access_guard(const app::Registry& registry, RateLimiter& limiter,
                        PersonalAccessLog* access_log) {
  return [&registry, &limiter, access_log](RequestContext& ctx) -> std::optional<Response> {
    const auto access = access_for(ctx.operation_id);
    if (!access) return problem_500("operation without an access rule");
    if (access->is_public) return std::nullopt;
    const std::string_view secret = bearer_of(ctx.request);
    if (secret.empty()) return problem_401("a bearer token is required");
    auto checked = registry.check_secret(secret);
    if (const auto* refused = std::get_if<app::Registry::AuthRefusal>(&checked)) {
      return problem_401(*refused == app::Registry::AuthRefusal::kExpired
                             ? "the bearer token expired"
                             : "the bearer token is not valid");
    }
    auto* principal = std::get_if<app::Principal>(&checked);
    if (auto wait = limiter.acquire(principal->token_id, RateLimiter::Clock::now())) {
      return problem_429(*wait);
    }
    if (!access->allows(principal->role)) {
      return problem_403("the role '" + std::string(domain::to_string(principal->role)) +
                         "' may not " + ctx.operation_id);
    }
    ctx.principal = Caller{std::move(*principal), access_log, nullptr};
    return std::nullopt;
  };
}

}  // namespace ikv::server
