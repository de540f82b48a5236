// A stand-in server for the harness' own tests: serves GET /livez and
// GET /slow?ms=N (answered from another thread after N milliseconds) on
// --port, logs to stderr, and shuts down gracefully on SIGTERM.
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <boost/json/value.hpp>

#include "server/http/http_server.h"
#include "server/http/problem.h"
#include "server/http/router.h"

namespace http = boost::beast::http;
using ikv::server::json_response;
using ikv::server::RequestContext;
using ikv::server::Respond;

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("fake-server"));
  ikv::server::HttpOptions options;
  options.threads = 2;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--port")
      options.port = static_cast<std::uint16_t>(std::atoi(argv[i + 1]));
  }
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  ikv::server::Router router;
  router.add(
      http::verb::get, "/livez",
      [](RequestContext&, Respond respond) {
        respond(json_response(http::status::ok, {{"status", "ok"}}));
      },
      "getLive");
  router.add(
      http::verb::get, "/slow",
      [](RequestContext& ctx, Respond respond) {
        const int ms = std::atoi(std::string(ctx.query_value("ms").value_or("100")).c_str());
        spdlog::info("slow request started");
        std::thread([ms, respond = std::move(respond)] {
          std::this_thread::sleep_for(std::chrono::milliseconds(ms));
          respond(json_response(http::status::ok, {{"slept_ms", ms}}));
        }).detach();
      },
      "getSlow");

  ikv::server::HttpServer server(options, router.handler());
  if (auto st = server.start(); !st) {
    spdlog::error("cannot start: {}", st.error().message);
    return 2;
  }
  spdlog::info("listening on port {}", server.port());
  int signo = 0;
  sigwait(&stop_signals, &signo);
  spdlog::info("stopping on signal {}", signo);
  server.stop(std::chrono::seconds(10));
  spdlog::info("stopped");
  return 0;
}
