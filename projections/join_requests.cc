#include "projections/join_requests.h"

#include <boost/json.hpp>

#include "domain/streams.h"
#include "projections/instant.h"

namespace ikv::projections {

namespace json = boost::json;

namespace {

std::string_view network_of(std::string_view stream) {
  const std::string prefix = domain::network_stream("");
  return stream.starts_with(prefix) ? stream.substr(prefix.size()) : std::string_view();
}

json::value opt(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

// The details as one plaintext to seal.
std::string encode_details(const domain::JoinRequestDetails& d) {
  SnapshotWriter w;
  w.personal(d.personal);
  w.optional_string(d.title);
  w.optional_string(d.message);
  return w.take();
}

std::optional<domain::JoinRequestDetails> decode_details(const std::optional<std::string>& piece) {
  if (!piece) return std::nullopt;
  SnapshotReader r(*piece);
  domain::JoinRequestDetails d;
  d.personal = r.personal();
  d.title = r.optional_string();
  d.message = r.optional_string();
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return d;
}

constexpr domain::JoinRequestStatus kStatuses[] = {
    domain::JoinRequestStatus::kPending, domain::JoinRequestStatus::kApproved,
    domain::JoinRequestStatus::kDeclined, domain::JoinRequestStatus::kExpired};

}  // namespace

void JoinRequests::apply(const eventstore::RecordedEvent& meta, const domain::Event& event) {
  const auto close = [&](const std::string& id, domain::JoinRequestStatus status) {
    auto it = requests_.find(id);
    if (it == requests_.end() || it->second.status != domain::JoinRequestStatus::kPending) {
      return static_cast<JoinRequestRecord*>(nullptr);
    }
    it->second.status = status;
    it->second.details.text.clear();
    it->second.answered_at_us = meta.recorded_at_us;
    return &it->second;
  };
  if (const auto* e = std::get_if<domain::JoinRequested>(&event)) {
    const std::string_view network = network_of(meta.stream);
    if (network.empty()) return;
    SealedPersonal details;
    if (e->details) {
      details.text = seal_.seal->seal(e->request_id, encode_details(*e->details)).value_or("");
    }
    requests_.try_emplace(
        e->request_id,
        JoinRequestRecord{e->request_id, std::string(network), std::move(details), e->organisation,
                          e->sector, e->requested_at_us, domain::JoinRequestStatus::kPending,
                          std::nullopt, std::nullopt, std::nullopt, meta.position});
  } else if (const auto* a = std::get_if<domain::JoinRequestApproved>(&event)) {
    if (auto* r = close(a->request_id, domain::JoinRequestStatus::kApproved)) {
      r->member_id = a->member_id;
    }
  } else if (const auto* d = std::get_if<domain::JoinRequestDeclined>(&event)) {
    if (auto* r = close(d->request_id, domain::JoinRequestStatus::kDeclined)) r->reason = d->reason;
  } else if (const auto* x = std::get_if<domain::JoinRequestExpired>(&event)) {
    close(x->request_id, domain::JoinRequestStatus::kExpired);
  }
}

void JoinRequests::save(SnapshotWriter& out, PersonalPieces& /*pieces*/) const {
  out.string(seal_.seal->id());
  out.varint(requests_.size());
  for (const auto& [id, r] : requests_) {
    out.string(r.request_id);
    out.string(r.network_id);
    out.string(r.details.text);
    out.string(r.organisation);
    out.string(r.sector);
    out.svarint(r.requested_at_us);
    out.varint(static_cast<std::uint64_t>(r.status));
    out.optional_svarint(r.answered_at_us);
    out.optional_string(r.member_id);
    out.optional_string(r.reason);
    out.varint(r.position);
  }
}

bool JoinRequests::load(SnapshotReader& in, const OpenedPieces& /*opened*/) {
  if (in.string() != seal_.seal->id()) return false;  // sealed under another key
  const std::size_t n = in.count();
  for (std::size_t i = 0; i < n && in.ok(); ++i) {
    JoinRequestRecord r;
    r.request_id = in.string();
    r.network_id = in.string();
    r.details.text = in.string();
    r.organisation = in.string();
    r.sector = in.string();
    r.requested_at_us = in.svarint();
    const std::uint64_t status = in.varint();
    if (status >= std::size(kStatuses)) in.fail();
    r.status = kStatuses[status < std::size(kStatuses) ? status : 0];
    r.answered_at_us = in.optional_svarint();
    r.member_id = in.optional_string();
    r.reason = in.optional_string();
    r.position = in.varint();
    std::string id = r.request_id;
    requests_.emplace(std::move(id), std::move(r));
  }
  return in.ok();
}

json::value JoinRequests::dump() const {
  json::object out;
  for (const auto& [id, r] : requests_) {
    json::object o = render(r, true);
    o["position"] = r.position;
    out[id] = std::move(o);
  }
  return out;
}

const JoinRequestRecord* JoinRequests::find(std::string_view request_id) const {
  const auto it = requests_.find(request_id);
  return it == requests_.end() ? nullptr : &it->second;
}

std::vector<std::pair<std::string, std::string>> JoinRequests::due(std::int64_t now_us,
                                                                   std::int64_t max_age_us) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [id, r] : requests_) {
    if (r.status == domain::JoinRequestStatus::kPending &&
        now_us - r.requested_at_us >= max_age_us) {
      out.emplace_back(r.network_id, id);
    }
  }
  return out;
}

json::object JoinRequests::render(const JoinRequestRecord& r, bool include_personal) const {
  std::optional<domain::JoinRequestDetails> opened;
  if (include_personal && !r.details.empty()) {
    opened = decode_details(seal_.seal->open(r.request_id, r.details.text));
  }
  const auto* d = opened ? &*opened : nullptr;
  json::object o;
  o["id"] = r.request_id;
  o["network"] = r.network_id;
  o["status"] = domain::to_string(r.status);
  o["name"] = d != nullptr ? json::value(d->personal.name) : json::value(nullptr);
  o["email"] = d != nullptr ? json::value(d->personal.email) : json::value(nullptr);
  o["phone"] = d != nullptr ? opt(d->personal.phone) : json::value(nullptr);
  o["title"] = d != nullptr ? opt(d->title) : json::value(nullptr);
  o["message"] = d != nullptr ? opt(d->message) : json::value(nullptr);
  o["organisation"] = r.organisation;
  o["sector"] = r.sector;
  o["requested_at"] = format_instant(r.requested_at_us);
  o["answered_at"] =
      r.answered_at_us ? json::value(format_instant(*r.answered_at_us)) : json::value(nullptr);
  o["member_id"] = opt(r.member_id);
  o["reason"] = opt(r.reason);
  o["erased"] = r.details.empty();
  return o;
}

Result<json::object> JoinRequests::list(std::string_view network_id,
                                        const JoinRequestQuery& q) const {
  auto page = validate_page(q.page, "join-requests");
  if (!page) return page.error();
  std::vector<Keyed<JoinRequestRecord>> rows;
  for (const auto& [id, r] : requests_) {
    if (r.network_id != network_id) continue;
    if (q.status && r.status != *q.status) continue;
    // Received order: the log position, zero-padded so that bytes sort as numbers.
    std::string pos = std::to_string(r.position);
    rows.push_back({std::string(20 - pos.size(), '0') + pos, &r});
  }
  return render_page(std::move(rows), *page, "join-requests",
                     [&](const JoinRequestRecord& r) { return render(r, q.include_personal); });
}

}  // namespace ikv::projections
