// The access log: one line per answered request, through spdlog; and the
// process-wide log format (text or one JSON object per line).
//
// A line holds the request id, the method, the matched route template (never
// the raw path), the status, the duration, the response body size, the
// caller's token id (never its secret) and the client's address. Headers,
// tokens, query strings and bodies are never logged.
//
// In JSON format every spdlog line of the process is one JSON object
// ({"ts","level","logger","msg"}); an access line carries its fields instead
// of "msg":
//   {"ts":"2024-11-01T10:00:00.123456Z","level":"info","logger":"access",
//    "msg":"request","request_id":"…","method":"GET","route":"/v1/networks/{id}",
//    "status":200,"duration_ms":0.412,"bytes":311,"token":"tok-…","remote":"127.0.0.1:50412"}
//
// Thread-safety: safe from any thread (spdlog loggers are thread-safe);
// set_log_format() is meant for start-up.
//
//   set_log_format(LogFormat::kJson);
//   spdlog::set_formatter(make_json_formatter());
//   log_access({.request_id = id, .method = "GET", .route = "/v1/networks/{id}",
//               .status = 200, .duration_us = 120});
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace spdlog {
class formatter;
class logger;
}  // namespace spdlog

namespace ikv::server {

// Route shown for requests that matched no route or never reached the router.
inline constexpr std::string_view kNoRoute = "-";

struct AccessRecord {
  std::string_view request_id{};
  std::string_view method{};
  std::string_view route{};  // a route template or kNoRoute
  unsigned status = 0;
  std::int64_t duration_us = 0;
  std::uint64_t bytes = 0;    // response body bytes (0 for a stream)
  std::string_view caller{};  // token id of the caller, "" when anonymous
  std::string_view remote{};  // client "ip:port", "" when unknown
};

enum class LogFormat { kText, kJson };

// The format of access lines (default kText). make_json_formatter() renders
// the JSON ones; set both together.
void set_log_format(LogFormat format);
LogFormat log_format();

// A spdlog formatter writing one JSON object per line (see above).
std::unique_ptr<spdlog::formatter> make_json_formatter();

// `text` as a JSON string literal (quotes included); invalid UTF-8 becomes U+FFFD.
std::string json_quote(std::string_view text);

// Writes the record at info level to `logger`, or to the logger named
// "access" when it exists, else to spdlog's default logger.
void log_access(const AccessRecord& record, spdlog::logger* logger = nullptr);

}  // namespace ikv::server
