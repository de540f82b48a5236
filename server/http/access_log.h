// The access log: one line per answered request, through spdlog.
//
// A line holds the request id, the method, the matched route template (never
// the raw path: ids in paths may be personal data), the status and the
// duration in microseconds. Headers, tokens, query strings and bodies are
// never logged.
//
// Thread-safety: safe from any thread (spdlog loggers are thread-safe).
//
//   log_access({.request_id = id, .method = "GET", .route = "/v1/networks/{id}",
//               .status = 200, .duration_us = 120});
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

namespace spdlog {
class logger;
}

namespace ikv::server {

// Route shown for requests that matched no route or never reached the router.
inline constexpr std::string_view kNoRoute = "-";

struct AccessRecord {
  std::string_view request_id{};
  std::string_view method{};
  std::string_view route{};  // a route template or kNoRoute
  unsigned status = 0;
  std::int64_t duration_us = 0;
};

// Writes the record at info level to `logger`, or to the logger named
// "access" when it exists, else to spdlog's default logger.
void log_access(const AccessRecord& record, spdlog::logger* logger = nullptr);

}  // namespace ikv::server
