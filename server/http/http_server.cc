#include "server/http/http_server.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <unordered_map>

#include <spdlog/spdlog.h>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

#include "server/http/access_log.h"
#include "server/http/problem.h"
#include "server/http/request_id.h"

namespace ikv::server {
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {
class Session;
constexpr std::size_t kReadChunk = std::size_t{8} * 1024;
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};
}  // namespace

namespace detail {
struct ServerState : std::enable_shared_from_this<ServerState> {
  ServerState(HttpOptions o, Handler h, unsigned threads)
      : opts(std::move(o)),
        handler(std::move(h)),
        iocs(make_contexts(threads)),
        acceptor(iocs.front()->get_executor()),
        retry_timer(acceptor.get_executor()) {}

  static std::vector<std::unique_ptr<net::io_context>> make_contexts(unsigned n) {
    std::vector<std::unique_ptr<net::io_context>> out;
    for (unsigned i = 0; i < n; ++i) {
      out.push_back(std::make_unique<net::io_context>(BOOST_ASIO_CONCURRENCY_HINT_1));
    }
    return out;
  }

  void accept();
  void on_accept(beast::error_code ec, net::io_context& ioc, tcp::socket socket);
  void unregister(std::uint64_t id, bool refused);
  // Asks every session to wind down (force: close now); called without mu.
  void notify_sessions(bool force);

  // Constant after construction.
  const HttpOptions opts;
  const Handler handler;
  // One io context per io thread, each run by its thread alone: a
  // connection lives on one of them (dealt round-robin as accepted), so its
  // handlers never need a strand or another thread's wake-up.
  std::vector<std::unique_ptr<net::io_context>> iocs;
  // Used on the first io context's thread only.
  tcp::acceptor acceptor;
  net::steady_timer retry_timer;
  std::size_t next_ioc = 0;  // acceptor's thread only
  std::atomic<std::uint16_t> port{0};

  mutable std::mutex mu;
  std::condition_variable cv;  // signalled when a session ends
  // Guarded by mu.
  std::unordered_map<std::uint64_t, std::weak_ptr<Session>> sessions;
  std::uint64_t next_id = 1;
  std::size_t serving = 0;   // sessions counted against max_connections
  std::size_t refusing = 0;  // sessions being answered 503
  bool stopping = false;

  // Held shared while posting an answer, exclusive while the io threads end.
  std::shared_mutex deliver_mu;
  bool running = false;  // guarded by deliver_mu
};
}  // namespace detail

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<detail::ServerState> state, net::io_context& ioc, tcp::socket&& socket,
          std::uint64_t id, bool refused)
      : state_(std::move(state)),
        ioc_(ioc),
        stream_(std::move(socket)),
        id_(id),
        refused_(refused) {}
  ~Session() { state_->unregister(id_, refused_); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->refused_) {
        self->answer_error(
            problem_503("the server is at its connection limit", std::chrono::seconds(1)));
      } else {
        self->wait_for_request();
      }
    });
  }

  // Any thread: posts `fn` onto the session's io thread unless the server
  // has stopped.
  template <class Fn>
  void post(Fn&& fn) {
    std::shared_lock lock(state_->deliver_mu);
    if (state_->running) net::post(ioc_.get_executor(), std::forward<Fn>(fn));
  }

  // Is the caller the session's own io thread (which may then act at once)?
  bool on_own_thread() const { return ioc_.get_executor().running_in_this_thread(); }

  // On the session's io thread.
  void on_server_stop(bool force) {
    stopping_ = true;
    if (force || phase_ == Phase::kIdle || phase_ == Phase::kStreaming) close_now();
  }

  void write_response(Response res);
  void open_stream(StreamingResponse s);
  void write_chunk(std::string data, std::function<void(bool)> done, bool last);

 private:
  enum class Phase { kIdle, kReading, kHandling, kWriting, kStreaming, kClosing };
  struct Chunk {
    std::string data;
    std::function<void(bool)> done;
    bool last = false;
  };

  void wait_for_request();
  void read_header();
  void on_header(beast::error_code ec);
  void on_body(beast::error_code ec);
  void handle();
  void answer_error(Response res);
  void write(Response res, bool close_after);
  void close_gracefully();
  void drain();
  void watch_client();
  void close_now();
  void pump_chunks();
  void fail_chunks();
  void finalize(Response& res, bool keep_alive) const;

  std::shared_ptr<detail::ServerState> state_;  // first: destroyed last
  net::io_context& ioc_;                        // the io thread the connection lives on
  beast::tcp_stream stream_;
  const std::uint64_t id_;
  const bool refused_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Phase phase_ = Phase::kIdle;
  bool first_request_ = true;
  bool stopping_ = false;
  bool closed_ = false;
  bool keep_alive_ = false;
  bool head_ = false;
  unsigned version_ = 11;
  Clock::time_point started_{};
  std::string request_id_;
  std::string remote_;  // "ip:port" of the client, once known
  // Streaming.
  std::deque<Chunk> chunks_;
  bool chunk_in_flight_ = false;
  std::shared_ptr<http::response<http::empty_body>> stream_head_;
  std::shared_ptr<http::response_serializer<http::empty_body>> stream_sr_;
};

// The sink behind a server-provided Respond: forwards exactly one answer to
// its session's io thread (written at once when given there, as a GET answered
// inline is), or 500 when dropped unanswered.
class Reply final : public ResponseSink {
 public:
  Reply(std::shared_ptr<Session> s, std::string remote)
      : session_(std::move(s)), remote_(std::move(remote)) {}
  // Only exhaustion can throw here, and terminating is then the answer.
  ~Reply() override {  // NOLINT(bugprone-exception-escape)
    if (!used_.exchange(true)) {
      deliver_now(problem_500("the request was not answered"));
    }
  }
  Reply(const Reply&) = delete;
  Reply& operator=(const Reply&) = delete;

  void deliver(Response res) override {
    if (!used_.exchange(true)) deliver_now(std::move(res));
  }
  void deliver_stream(StreamingResponse s) override {
    if (used_.exchange(true)) return;
    session_->post(
        [session = session_, s = std::move(s)]() mutable { session->open_stream(std::move(s)); });
  }
  std::string remote_address() const override { return remote_; }

 private:
  void deliver_now(Response res) {
    if (session_->on_own_thread()) return session_->write_response(std::move(res));
    session_->post([session = session_, res = std::move(res)]() mutable {
      session->write_response(std::move(res));
    });
  }
  std::shared_ptr<Session> session_;
  const std::string remote_;
  std::atomic<bool> used_{false};
};

class SessionStream final : public ChunkStream {
 public:
  explicit SessionStream(std::weak_ptr<Session> s) : session_(std::move(s)) {}
  void write(std::string data, std::function<void(bool)> done) override {
    send(std::move(data), std::move(done), false);
  }
  void finish() override { send({}, nullptr, true); }
  bool is_open() const override { return open_.load(); }
  void mark_closed() { open_.store(false); }

 private:
  void send(std::string data, std::function<void(bool)> done, bool last) {
    auto s = session_.lock();
    if (!s || !open_.load()) {
      if (done) done(false);
      return;
    }
    if (last) open_.store(false);
    s->post([s, data = std::move(data), done = std::move(done), last]() mutable {
      s->write_chunk(std::move(data), std::move(done), last);
    });
  }
  std::weak_ptr<Session> session_;
  std::atomic<bool> open_{true};
};

bool is_http_error(const beast::error_code& ec) {
  return &ec.category() == &http::make_error_code(http::error::bad_target).category();
}

void Session::wait_for_request() {
  phase_ = Phase::kIdle;
  parser_.emplace();
  parser_->body_limit(state_->opts.body_limit);
  parser_->header_limit(state_->opts.header_limit);
  if (buffer_.size() > 0) return read_header();
  stream_.expires_after(first_request_ ? state_->opts.header_timeout : state_->opts.idle_timeout);
  stream_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                            if (ec) return self->close_now();
                            self->buffer_.commit(n);
                            self->read_header();
                          });
}

void Session::read_header() {
  phase_ = Phase::kReading;
  started_ = Clock::now();
  stream_.expires_after(state_->opts.header_timeout);
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

void Session::on_header(beast::error_code ec) {
  // Fields parsed so far are in the message even when the header failed
  // (e.g. a Content-Length over the body limit).
  request_id_ = request_id_from(parser_->get()["X-Request-Id"]);
  if (parser_->is_header_done() || ec == http::error::body_limit) {
    version_ = parser_->get().version();
  }
  if (ec == http::error::body_limit) return answer_error(problem_413(state_->opts.body_limit));
  if (ec == http::error::header_limit) {
    return answer_error(
        problem_response({.status = http::status::request_header_fields_too_large,
                          .detail = "the request header is larger than " +
                                    std::to_string(state_->opts.header_limit) + " bytes"}));
  }
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) return close_now();
  if (ec && is_http_error(ec))
    return answer_error(problem_400("malformed request: " + ec.message()));
  if (ec) return close_now();
  if (parser_->is_done()) return handle();

  const auto expect = parser_->get().find(http::field::expect);
  const bool wants_continue =
      expect != parser_->get().end() && beast::iequals(expect->value(), "100-continue");
  auto read_body = [self = shared_from_this()] {
    self->stream_.expires_after(self->state_->opts.body_timeout);
    http::async_read(self->stream_, self->buffer_, *self->parser_,
                     [self](beast::error_code ec, std::size_t) { self->on_body(ec); });
  };
  if (!wants_continue) return read_body();
  auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
  stream_.expires_after(state_->opts.write_timeout);
  http::async_write(
      stream_, *cont,
      [self = shared_from_this(), cont, read_body](beast::error_code ec, std::size_t) {
        if (ec) return self->close_now();
        read_body();
      });
}

void Session::on_body(beast::error_code ec) {
  if (ec == http::error::body_limit) return answer_error(problem_413(state_->opts.body_limit));
  if (ec && is_http_error(ec) && ec != http::error::partial_message &&
      ec != http::error::end_of_stream) {
    return answer_error(problem_400("malformed request: " + ec.message()));
  }
  if (ec) return close_now();
  handle();
}

void Session::handle() {
  phase_ = Phase::kHandling;
  stream_.expires_never();
  Request req = parser_->release();
  keep_alive_ = req.keep_alive();
  head_ = req.method() == http::verb::head;
  if (remote_.empty()) {
    beast::error_code ec;
    const auto peer = stream_.socket().remote_endpoint(ec);
    if (!ec) {
      const auto ip = peer.address();
      remote_ = (ip.is_v6() ? "[" + ip.to_string() + "]" : ip.to_string()) + ":" +
                std::to_string(peer.port());
    }
  }
  auto reply = std::make_shared<Reply>(shared_from_this(), remote_);
  try {
    state_->handler(std::move(req), ServerRespond{reply});
  } catch (const std::exception& e) {
    spdlog::error("request {} failed: {}", request_id_, e.what());
    reply->deliver(problem_500());
  }
}

void Session::finalize(Response& res, bool keep_alive) const {
  res.version(version_ == 10 ? 10 : 11);
  if (res.find(http::field::server) == res.end())
    res.set(http::field::server, state_->opts.server_name);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  if (head_) res.body().clear();  // Content-Length stays that of the GET answer
}

void Session::write_response(Response res) {
  if (closed_ || phase_ != Phase::kHandling) return;
  const bool keep = keep_alive_ && !stopping_;
  finalize(res, keep);
  write(std::move(res), !keep);
}

void Session::answer_error(Response res) {
  res.set("X-Request-Id", request_id_);
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Content-Security-Policy", "default-src 'none'");
  res.set(http::field::cache_control, "no-store");
  head_ = false;
  finalize(res, false);
  std::string method = parser_ ? std::string(parser_->get().method_string()) : "";
  if (method.empty()) method = "-";
  log_access({.request_id = request_id_,
              .method = method,
              .route = kNoRoute,
              .status = res.result_int(),
              .duration_us = refused_ ? 0
                                      : std::chrono::duration_cast<std::chrono::microseconds>(
                                            Clock::now() - started_)
                                            .count()});
  write(std::move(res), true);
}

void Session::write(Response res, bool close_after) {
  phase_ = Phase::kWriting;
  auto msg = std::make_shared<Response>(std::move(res));
  stream_.expires_after(state_->opts.write_timeout);
  http::async_write(
      stream_, *msg,
      [self = shared_from_this(), msg, close_after](beast::error_code ec, std::size_t) {
        if (ec) return self->close_now();
        if (close_after || self->stopping_) return self->close_gracefully();
        self->first_request_ = false;
        self->wait_for_request();
      });
}

void Session::close_gracefully() {
  // A streamed response already has its read pending (watch_client), which
  // drains from here on.
  const bool watching = phase_ == Phase::kStreaming;
  phase_ = Phase::kClosing;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return close_now();
  stream_.expires_after(state_->opts.linger_timeout);
  if (watching) return;
  buffer_.clear();
  drain();
}

// While a response streams: one read that keeps the session alive and
// notices the client leaving (end of stream or error closes the session and
// fails the queued chunks). Whatever the client sends is discarded.
void Session::watch_client() {
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (ec) return self->close_now();
                            self->watch_client();
                          });
}

void Session::drain() {
  stream_.async_read_some(buffer_.prepare(kReadChunk),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (ec) return self->close_now();
                            self->drain();
                          });
}

void Session::close_now() {
  phase_ = Phase::kClosing;
  closed_ = true;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.close();
  fail_chunks();
}

void Session::open_stream(StreamingResponse s) {
  if (closed_ || phase_ != Phase::kHandling) return;
  phase_ = Phase::kStreaming;
  head_ = false;
  stream_head_ = std::make_shared<http::response<http::empty_body>>(std::move(s.head.base()));
  stream_head_->version(11);
  if (stream_head_->find(http::field::server) == stream_head_->end()) {
    stream_head_->set(http::field::server, state_->opts.server_name);
  }
  stream_head_->keep_alive(false);
  stream_head_->chunked(true);
  stream_sr_ = std::make_shared<http::response_serializer<http::empty_body>>(*stream_head_);
  stream_.expires_after(state_->opts.write_timeout);
  http::async_write_header(stream_, *stream_sr_,
                           [self = shared_from_this(), on_open = std::move(s.on_open)](
                               beast::error_code ec, std::size_t) {
                             if (ec || self->stopping_) return self->close_now();
                             self->stream_.expires_never();
                             self->watch_client();
                             auto chunks = std::make_shared<SessionStream>(self);
                             if (on_open) on_open(chunks);
                           });
}

void Session::write_chunk(std::string data, std::function<void(bool)> done, bool last) {
  chunks_.push_back({std::move(data), std::move(done), last});
  if (closed_) return fail_chunks();
  if (!chunk_in_flight_) pump_chunks();
}

void Session::pump_chunks() {
  if (chunks_.empty() || closed_) return;
  chunk_in_flight_ = true;
  stream_.expires_after(state_->opts.write_timeout);
  auto on_written = [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->chunk_in_flight_ = false;
    // The chunk written is still at the front: fail_chunks() keeps the one
    // whose write is in flight, since the write reads from its buffer.
    Chunk c = std::move(self->chunks_.front());
    self->chunks_.pop_front();
    if (ec || self->closed_) {
      if (c.done) c.done(false);
      return self->close_now();
    }
    if (c.done) c.done(true);
    if (c.last) return self->close_gracefully();
    self->stream_.expires_never();
    self->pump_chunks();
  };
  Chunk& c = chunks_.front();
  if (c.last) {
    net::async_write(stream_, http::make_chunk_last(), std::move(on_written));
  } else {
    net::async_write(stream_, http::make_chunk(net::buffer(c.data)), std::move(on_written));
  }
}

void Session::fail_chunks() {
  std::deque<Chunk> failed;
  if (chunk_in_flight_ && !chunks_.empty()) {
    // The front chunk's buffer is being written: its completion fails it.
    failed.assign(std::make_move_iterator(chunks_.begin() + 1),
                  std::make_move_iterator(chunks_.end()));
    chunks_.erase(chunks_.begin() + 1, chunks_.end());
  } else {
    failed.swap(chunks_);
  }
  for (auto& c : failed) {
    if (c.done) c.done(false);
  }
}

}  // namespace

// ---- State -------------------------------------------------------------------

void detail::ServerState::accept() {
  net::io_context& ioc = *iocs[next_ioc++ % iocs.size()];
  acceptor.async_accept(ioc.get_executor(), [this, &ioc](beast::error_code ec, tcp::socket socket) {
    on_accept(ec, ioc, std::move(socket));
  });
}

void detail::ServerState::on_accept(beast::error_code ec, net::io_context& ioc,
                                    tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
  if (ec) {
    spdlog::warn("accept failed: {}", ec.message());
    retry_timer.expires_after(kAcceptRetryDelay);
    retry_timer.async_wait([this](beast::error_code e) {
      if (!e && acceptor.is_open()) accept();
    });
    return;
  }
  std::shared_ptr<Session> session;
  {
    std::lock_guard lock(mu);
    if (!stopping) {
      const bool refused = serving >= opts.max_connections;
      if (!refused || refusing < opts.max_connections) {
        const std::uint64_t id = next_id++;
        session =
            std::make_shared<Session>(shared_from_this(), ioc, std::move(socket), id, refused);
        sessions.emplace(id, session);
        ++(refused ? refusing : serving);
      }
    }
  }
  if (session) session->start();
  accept();
}

void detail::ServerState::unregister(std::uint64_t id, bool refused) {
  std::lock_guard lock(mu);
  sessions.erase(id);
  --(refused ? refusing : serving);
  cv.notify_all();
}

void detail::ServerState::notify_sessions(bool force) {
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(mu);
    for (auto& [id, weak] : sessions) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) {
    s->post([s, force] { s->on_server_stop(force); });
  }
}

// ---- HttpServer --------------------------------------------------------------

std::string remote_address(const Respond& respond) {
  const auto* server_respond = respond.target<ServerRespond>();
  return server_respond == nullptr ? std::string() : server_respond->sink->remote_address();
}

RespondStream stream_channel(const Respond& respond) {
  const auto* server_respond = respond.target<ServerRespond>();
  if (server_respond == nullptr) return {};
  return [sink = server_respond->sink](StreamingResponse s) { sink->deliver_stream(std::move(s)); };
}

HttpServer::HttpServer(HttpOptions options, Handler handler) {
  unsigned threads = options.threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  options.threads = threads;
  state_ = std::make_shared<detail::ServerState>(std::move(options), std::move(handler), threads);
}

// NOLINTNEXTLINE(bugprone-exception-escape): only exhaustion can throw in stop()
HttpServer::~HttpServer() { stop(std::chrono::milliseconds(0)); }

Status HttpServer::start() {
  detail::ServerState& st = *state_;
  beast::error_code ec;
  const auto address = net::ip::make_address(st.opts.address, ec);
  if (ec) return Error{ErrorCode::kInvalidArgument, "bad listen address: " + st.opts.address, {}};
  const tcp::endpoint endpoint{address, st.opts.port};
  auto fail = [&](std::string_view what) {
    return Error{ErrorCode::kUnavailable,
                 std::string(what) + " " + st.opts.address + ":" + std::to_string(st.opts.port) +
                     ": " + ec.message(),
                 {}};
  };
  if (st.acceptor.open(endpoint.protocol(), ec); ec) return fail("open");
  if (st.acceptor.set_option(net::socket_base::reuse_address(true), ec); ec) return fail("option");
  if (st.acceptor.bind(endpoint, ec); ec) return fail("bind");
  if (st.acceptor.listen(net::socket_base::max_listen_connections, ec); ec) return fail("listen");
  st.port = st.acceptor.local_endpoint(ec).port();
  {
    std::unique_lock lock(st.deliver_mu);
    st.running = true;
  }
  started_ = true;
  net::post(st.acceptor.get_executor(), [state = state_] { state->accept(); });
  using Guard = net::executor_work_guard<net::io_context::executor_type>;
  auto guards = std::make_shared<std::vector<Guard>>();
  for (auto& ioc : st.iocs) guards->emplace_back(ioc->get_executor());
  work_ = guards;
  for (auto& ioc : st.iocs) {
    threads_.emplace_back([state = state_, ioc = ioc.get()] { ioc->run(); });
  }
  return ok_status();
}

std::uint16_t HttpServer::port() const { return state_->port.load(); }

std::size_t HttpServer::connection_count() const {
  std::lock_guard lock(state_->mu);
  return state_->sessions.size();
}

void HttpServer::stop(std::chrono::milliseconds grace) {
  if (!started_ || stopped_) return;
  stopped_ = true;
  detail::ServerState& st = *state_;
  const auto deadline = Clock::now() + grace;
  {
    std::lock_guard lock(st.mu);
    st.stopping = true;
  }
  net::post(st.acceptor.get_executor(), [state = state_] {
    beast::error_code ec;
    state->acceptor.close(ec);
    state->retry_timer.cancel();
  });
  st.notify_sessions(false);
  bool drained = false;
  {
    std::unique_lock lock(st.mu);
    drained = st.cv.wait_until(lock, deadline, [&] { return st.sessions.empty(); });
  }
  if (!drained) st.notify_sessions(true);
  {
    std::unique_lock lock(st.deliver_mu);
    st.running = false;
  }
  work_.reset();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

}  // namespace ikv::server
