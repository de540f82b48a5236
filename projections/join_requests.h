// JoinRequests: the professionals' own requests to join a network (a
// projection unit, "join_requests", of ReadModels), folded from the
// JoinRequested / JoinRequestApproved / JoinRequestDeclined /
// JoinRequestExpired events of the networks' streams.
//
// A request's details (name, e-mail, phone, title, message) are held sealed
// while it is pending (personal_seal.h; subject: the request id, whose key
// the codec sealed them with), in memory as in the snapshot section, and
// opened only to be shown. Once the request is answered or expired the
// details are dropped (its key is destroyed: crypto-shredding), and it lists
// with null personal fields.
//
// Snapshot section, format 2 (primitives in snapshot_io.h):
//   requests := string seal id | list of (string id | string network
//               | string sealed details ("" for none) | string organisation
//               | string sector | svarint requested_at | varint status
//               | optional svarint answered_at | optional member_id
//               | optional reason | varint position)
// A section whose seal id is not the unit's does not load (rebuilt from the log).
//
// Thread-safety: not internally synchronised (see projection.h).
//
//   const JoinRequests& q = models.get<JoinRequests>();
//   auto page = q.list("oulu", {.include_personal = true});
//   for (const auto& [network, id] : q.due(now_us, domain::kJoinRequestMaxAgeUs)) expire(...);
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "common/result.h"
#include "domain/network_state.h"
#include "projections/paging.h"
#include "projections/projection.h"

namespace ikv::projections {

struct JoinRequestRecord {
  std::string request_id;
  std::string network_id;
  SealedPersonal details;  // only while pending and readable
  std::string organisation;
  std::string sector;
  std::int64_t requested_at_us = 0;
  domain::JoinRequestStatus status = domain::JoinRequestStatus::kPending;
  std::optional<std::int64_t> answered_at_us;  // recorded time of the answer or the expiry
  std::optional<std::string> member_id;        // approved: the member it became
  std::optional<std::string> reason;           // declined: the reason given
  std::uint64_t position = 0;                  // log position of the request

  bool operator==(const JoinRequestRecord&) const = default;
};

// GET /v1/networks/{id}/join-requests, in the order received.
struct JoinRequestQuery {
  std::optional<domain::JoinRequestStatus> status;
  bool include_personal = false;  // false: name, email, phone, title, message are null
  PageRequest page;
};

class JoinRequests final : public Projection {
 public:
  std::string_view name() const override { return "join_requests"; }
  std::uint32_t format() const override { return 2; }
  void apply(const eventstore::RecordedEvent& meta, const domain::Event& event) override;
  void save(SnapshotWriter& out, PersonalPieces& pieces) const override;
  bool load(SnapshotReader& in, const OpenedPieces& opened) override;
  void clear() override {
    const SealRef seal = seal_;
    *this = JoinRequests();
    seal_ = seal;
  }
  void seal_with(const PersonalSeal& seal) override { seal_.seal = &seal; }
  boost::json::value dump() const override;

  // The request with this id, or nullptr.
  const JoinRequestRecord* find(std::string_view request_id) const;
  // Pending requests received at least `max_age_us` before `now_us`: (network, request id).
  std::vector<std::pair<std::string, std::string>> due(std::int64_t now_us,
                                                       std::int64_t max_age_us) const;
  // {"items": [request], "next_cursor"}: request is {"id", "network", "status",
  // "name", "email", "phone", "title", "message", "organisation", "sector",
  // "requested_at", "answered_at", "member_id", "reason", "erased"}. Errors:
  // kInvalidArgument for a bad limit or cursor. An unknown network lists nothing.
  Result<boost::json::object> list(std::string_view network_id, const JoinRequestQuery& q) const;
  // One request as list() renders it (its details opened when `include_personal`).
  boost::json::object render(const JoinRequestRecord& r, bool include_personal) const;

  bool operator==(const JoinRequests&) const = default;

 private:
  std::map<std::string, JoinRequestRecord, std::less<>> requests_;  // by request id
  SealRef seal_;
};

}  // namespace ikv::projections
