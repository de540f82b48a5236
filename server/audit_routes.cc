// The audit evidence an outsider can check (API.md, "Audit evidence that an
// outsider can check"; docs/audit-evidence.md): the export of the log with the
// exact hashed bytes of every event, the signing key's public half, and the
// signed checkpoints (app/audit_checkpoints.h).
//
// The export is streamed: a page of events is read, rendered and written as
// one chunk, and the next page is read only once that chunk is out, so the
// log is never held in memory and a slow client holds back nobody but itself.
#include <spdlog/spdlog.h>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/serialize.hpp>

#include "audit/checkpoint.h"
#include "crypto/encoding.h"
#include "eventstore/record_codec.h"
#include "server/api.h"
#include "server/command_route.h"
#include "server/param_reader.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

constexpr std::string_view kNdjson = "application/x-ndjson";
// Events read, rendered and written per chunk of the export.
constexpr std::size_t kExportPage = 256;

Response text_answer(std::string body, std::string_view content_type) {
  Response res{http::status::ok, 11};
  res.set(http::field::content_type, content_type);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

// One line of the export: position, prev_hash, hash, envelope, then the
// event's readable fields as the reads show them, through the request's
// disclosure (personal fields only in the reader's scope, and noted for the
// access log when shown).
Result<std::string> export_line(const app::Registry& registry, const eventstore::RecordedEvent& e,
                                Disclosure& disclosure) {
  auto readable = disclosure.event(registry, e);
  if (!readable) return readable.error();
  json::object line;
  line["position"] = e.position;
  line["prev_hash"] = crypto::hex_encode(e.prev_hash);
  line["hash"] = crypto::hex_encode(e.hash);
  line["envelope"] = crypto::base64_encode(eventstore::encode_envelope(e));
  for (auto& [key, value] : *readable) {
    if (!line.contains(key)) line[key] = std::move(value);
  }
  std::string out = json::serialize(line);
  out += '\n';
  return out;
}

// Positions (after, to] of the export, a page per chunk.
class ExportWriter : public std::enable_shared_from_this<ExportWriter> {
 public:
  ExportWriter(const app::Registry& registry, std::shared_ptr<Disclosure> disclosure,
               std::uint64_t after, std::uint64_t to)
      : registry_(registry), disclosure_(std::move(disclosure)), after_(after), to_(to) {}

  // The next page as NDJSON ("" when the export is complete). Errors: the
  // store's, or kCorruption for an event that does not decode.
  Result<std::string> next_page() {
    std::string chunk;
    if (after_ >= to_) return chunk;
    eventstore::ReadAllOptions opts;
    opts.after = after_;
    opts.limit = static_cast<std::size_t>(std::min<std::uint64_t>(kExportPage, to_ - after_));
    auto events = registry_.store().read_all(opts);
    if (!events) return events.error();
    if (events->empty()) return Error{ErrorCode::kCorruption, "the log ends before its head", {}};
    for (const auto& e : *events) {
      auto line = export_line(registry_, e, *disclosure_);
      if (!line) return line.error();
      chunk += *line;
      after_ = e.position;
    }
    return chunk;
  }

  // Writes the pages one after the other, then ends the stream.
  void pump(const std::shared_ptr<ChunkStream>& stream) {
    auto page = next_page();
    if (!page) {
      // The answer ends short; the verifier names the missing part.
      spdlog::warn("audit export stopped after position {}: {}", after_, page.error().message);
      return stream->finish();
    }
    if (page->empty()) return stream->finish();
    // What a chunk showed in clear is recorded once it was sent.
    stream->write(std::move(*page), [self = shared_from_this(), stream](bool ok) {
      if (!ok) return self->disclosure_->discard();
      self->disclosure_->commit();
      self->pump(stream);
    });
  }

 private:
  const app::Registry& registry_;
  const std::shared_ptr<Disclosure> disclosure_;
  std::uint64_t after_;
  const std::uint64_t to_;
};

void export_audit(ApiContext& api, RequestContext& ctx, Respond respond) {
  ParamReader q(ctx, {"from", "to"});
  const std::uint64_t from = q.number("from", 1).value_or(1);
  const auto to = q.number("to", 1);
  if (to && *to < from) q.fail("from", "must not be after to");
  if (!q.ok()) return respond(q.problem());
  const std::uint64_t head = api.registry.store().head_position();
  auto writer = std::make_shared<ExportWriter>(api.registry, shared_disclosure_of(ctx), from - 1,
                                               std::min(to.value_or(head), head));
  if (!ctx.respond_stream) {
    // A transport that cannot stream (handler tests): the whole export at once.
    std::string body;
    for (;;) {
      auto page = writer->next_page();
      if (!page) return respond(problem_500("the log cannot be exported: " + page.error().message));
      if (page->empty()) break;
      body += *page;
    }
    return respond(text_answer(std::move(body), kNdjson));
  }
  StreamingResponse s;
  s.head.result(http::status::ok);
  s.head.set(http::field::content_type, kNdjson);
  s.head.set(http::field::cache_control, "no-store");
  s.on_open = [writer](const std::shared_ptr<ChunkStream>& stream) { writer->pump(stream); };
  ctx.respond_stream(std::move(s));
}

void get_public_key(ApiContext& api, RequestContext& ctx, Respond respond) {
  ParamReader q(ctx, {});
  if (!q.ok()) return respond(q.problem());
  Response res = text_answer(api.checkpoints->public_key_pem(), "application/x-pem-file");
  res.set(http::field::cache_control, "public, max-age=3600");
  respond(std::move(res));
}

Response checkpoint_answer(const Result<audit::Checkpoint>& c) {
  if (!c) {
    if (c.error().code == ErrorCode::kCorruption) {
      return problem_500("no checkpoint is signed over a log that does not verify: " +
                         c.error().message);
    }
    return problem_503("the checkpoint cannot be signed: " + c.error().message);
  }
  return json_response(http::status::ok, audit::to_json(*c));
}

void get_latest_checkpoint(ApiContext& api, RequestContext& ctx, Respond respond) {
  ParamReader q(ctx, {});
  if (!q.ok()) return respond(q.problem());
  respond(checkpoint_answer(api.checkpoints->latest()));
}

void sign_checkpoint(ApiContext& api, RequestContext& ctx, Respond respond) {
  ParamReader q(ctx, {});
  if (!q.ok()) return respond(q.problem());
  const auto& principal = principal_of(ctx);
  std::string key;
  std::string request_hash;
  if (auto refused = begin_idempotent(api, ctx, principal, key, request_hash)) {
    return respond(std::move(*refused));
  }
  auto signed_now = api.checkpoints->sign_now();
  if (!key.empty()) {
    // A retry with the same key answers this checkpoint again instead of signing another.
    if (signed_now) {
      StoredAnswer answer;
      answer.body = audit::to_json(*signed_now);
      answer.body.erase("position");
      api.ledger.record_now(principal.token_id, key, request_hash, answer, 0, signed_now->position);
    }
    api.ledger.finish(principal.token_id, key);
  }
  respond(checkpoint_answer(signed_now));
}

}  // namespace

void add_audit_routes(Router& router, ApiContext& api) {
  if (!api.checkpoints) {
    auto opened = app::AuditCheckpoints::open(api.registry.store(), api.registry.data_dir());
    if (!opened) throw std::runtime_error("audit checkpoints: " + opened.error().message);
    api.checkpoints = std::move(*opened);
  }
  router.add(
      http::verb::get, "/v1/audit/export",
      [&api](RequestContext& ctx, Respond respond) { export_audit(api, ctx, std::move(respond)); },
      "exportAudit");
  router.add(
      http::verb::get, "/v1/audit/public-key",
      [&api](RequestContext& ctx, Respond respond) {
        get_public_key(api, ctx, std::move(respond));
      },
      "getAuditPublicKey");
  router.add(
      http::verb::get, "/v1/audit/checkpoints/latest",
      [&api](RequestContext& ctx, Respond respond) {
        get_latest_checkpoint(api, ctx, std::move(respond));
      },
      "getLatestCheckpoint");
  router.add(
      http::verb::post, "/v1/audit/checkpoints",
      [&api](RequestContext& ctx, Respond respond) {
        sign_checkpoint(api, ctx, std::move(respond));
      },
      "signCheckpoint");
}

}  // namespace ikv::server
