#include "domain/network_decider.h"

#include <algorithm>
#include <tuple>
#include <variant>

#include "domain/checks.h"
#include "domain/form_checks.h"
#include "domain/text.h"

namespace ikv::domain {

namespace {

using Events = std::vector<NetworkEvent>;

Decision<NetworkEvent> one(NetworkEvent e) { return Events{std::move(e)}; }

Rejection member_not_found(const std::string& id) {
  return not_found("member_not_found", "no member '" + id + "' in this network");
}

// A steward: one organisation's name, or a list (as written) of one or more.
std::optional<Rejection> require_steward(const std::string& steward,
                                         const std::vector<std::string>& stewards, bool listed) {
  if (!listed) return require_text(steward, "/steward");
  if (stewards.empty()) {
    return validation_error("missing_field", "/steward", "name at least one organisation");
  }
  return require_items(stewards, "/steward");
}

Rejection join_request_not_found(const std::string& id) {
  return not_found("join_request_not_found", "no join request '" + id + "' in this network");
}

// Commands on a network that must exist.
class Decider {
 public:
  Decider(const EstablishedNetwork& n, const DecisionContext& ctx) : n_(n), ctx_(ctx) {}

  Decision<NetworkEvent> operator()(const EstablishNetwork& /*c*/) const {
    return conflict("network_exists", "network '" + n_.network_id + "' already exists",
                    "/network_id");
  }

  Decision<NetworkEvent> operator()(const ChangeNetworkDetails& c) const {
    LocalizedText name = n_.name;
    for (auto [given, into, field] : {std::tuple{&c.name.fi, &name.fi, "/name/fi"},
                                      std::tuple{&c.name.sv, &name.sv, "/name/sv"},
                                      std::tuple{&c.name.en, &name.en, "/name/en"}}) {
      if (!*given) continue;
      if (auto r = require_text(**given, field)) return *r;
      *into = trimmed(**given);
    }
    NetworkDetailsChanged e;
    if (name != n_.name) e.name = std::move(name);
    if (c.region) {
      if (auto r = require_text(*c.region, "/region")) return *r;
      if (trimmed(*c.region) != n_.region) e.region = trimmed(*c.region);
    }
    if (c.seat) {
      if (auto r = require_text(*c.seat, "/seat")) return *r;
      if (trimmed(*c.seat) != n_.seat) e.seat = trimmed(*c.seat);
    }
    if (!e.name && !e.region && !e.seat) return Events{};
    e.reason = non_blank(c.reason);
    return one(std::move(e));
  }

  Decision<NetworkEvent> operator()(const TransferStewardship& c) const {
    if (auto r = require_steward(c.steward, c.stewards, c.stewards_listed)) return *r;
    if (auto r = require_date(c.effective_on, "/effective_on")) return *r;
    Stewardship next{c.stewards_listed ? std::string() : trimmed(c.steward), c.effective_on,
                     c.stewards_listed ? trimmed(c.stewards) : std::vector<std::string>{}};
    const Stewardship& current = n_.steward();
    if (next.steward == current.steward && next.stewards == current.stewards) return Events{};
    // In the order of first days: a transfer in "2024-04" is not after one on
    // 2024-04-01 nor after one in "2024-04"; on 2024-04-02 it is.
    if (current.from && c.effective_on <= *current.from) {
      return conflict(
          "stewardship_date_not_after_last",
          "a transfer must be dated after the last one (" + to_string(*current.from) + ")",
          "/effective_on");
    }
    return one(
        StewardshipTransferred{std::move(next.steward), c.effective_on, std::move(next.stewards)});
  }

  Decision<NetworkEvent> operator()(const JoinNetwork& c) const {
    // The first of every invalid field (form_checks.h lists them all).
    if (auto issues = join_issues(c, taxonomy()); !issues.empty()) return issues.front();
    if (n_.find_member(c.member_id) != nullptr) {
      return conflict("member_exists", "member '" + c.member_id + "' exists", "/member_id");
    }
    if (n_.current_member_with_email(c.personal.email) != nullptr) {
      return conflict("email_taken", "a current member of this network has this e-mail", "/email");
    }
    return one(MemberJoined{c.member_id, clean(c.personal), trimmed(c.organisation), c.sector,
                            non_blank(c.title), c.joined_on});
  }

  Decision<NetworkEvent> operator()(const RequestToJoin& c) const {
    if (n_.join_requests.contains(c.request_id)) {
      return conflict("join_request_exists", "join request '" + c.request_id + "' exists",
                      "/request_id");
    }
    if (auto issues = join_request_issues(c, taxonomy()); !issues.empty()) return issues.front();
    return one(JoinRequested{
        c.request_id,
        JoinRequestDetails{clean(c.personal), non_blank(c.title), non_blank(c.message)},
        trimmed(c.organisation), c.sector, c.now_us});
  }

  Decision<NetworkEvent> operator()(const ApproveJoinRequest& c) const {
    auto pending = pending_request(c.request_id);
    if (const auto* r = std::get_if<Rejection>(&pending)) return *r;
    const JoinRequest& q = *std::get<const JoinRequest*>(pending);
    if (!q.details) {
      return conflict("personal_data_erased", "the request's personal data cannot be read");
    }
    const JoinNetwork join{c.member_id, q.details->personal, q.organisation,
                           q.sector,    q.details->title,    c.joined_on};
    auto joined = (*this)(join);
    if (const auto* r = rejection_of(joined)) return *r;
    Events out{JoinRequestApproved{c.request_id, c.member_id}};
    for (const auto& e : events_of(joined)) out.push_back(e);
    return out;
  }

  Decision<NetworkEvent> operator()(const DeclineJoinRequest& c) const {
    auto pending = pending_request(c.request_id);
    if (const auto* r = std::get_if<Rejection>(&pending)) return *r;
    return one(JoinRequestDeclined{c.request_id, non_blank(c.reason)});
  }

  Decision<NetworkEvent> operator()(const ExpireJoinRequest& c) const {
    auto pending = pending_request(c.request_id);
    if (const auto* r = std::get_if<Rejection>(&pending)) return *r;
    if (!std::get<const JoinRequest*>(pending)->is_due(c.now_us, c.max_age_us)) {
      return conflict("join_request_not_due", "the join request is not old enough to expire");
    }
    return one(JoinRequestExpired{c.request_id});
  }

  Decision<NetworkEvent> operator()(const LeaveNetwork& c) const {
    const Member* m = n_.find_member(c.member_id);
    if (m == nullptr) return member_not_found(c.member_id);
    if (!m->is_current()) {
      return conflict("member_already_left", "member '" + c.member_id + "' has left");
    }
    if (auto r = require_date(c.left_on, "/left_on")) return *r;
    // Only a leaving surely before the joining: joined "2024-04", left
    // 2024-04-20 (or the reverse) is kept; left "2024-03" is before.
    if (surely_before(c.left_on, m->joined_on)) {
      return validation_error("left_before_joined", "/left_on",
                              "left_on is before joined_on (" + to_string(m->joined_on) + ")");
    }
    return one(MemberLeft{c.member_id, c.left_on, non_blank(c.reason)});
  }

  Decision<NetworkEvent> operator()(const ChangeMemberDetails& c) const {
    const Member* m = n_.find_member(c.member_id);
    if (m == nullptr) return member_not_found(c.member_id);
    if (!c.name && !c.email && !c.phone && !c.organisation && !c.sector && !c.title) {
      return validation_error("nothing_to_change", "",
                              "give at least one of name, email, phone, organisation, sector, "
                              "title");
    }
    if (!m->is_current()) {
      return conflict("member_already_left", "member '" + c.member_id + "' has left");
    }
    if (auto issues = details_issues(c, taxonomy()); !issues.empty()) return issues.front();
    MemberDetailsChanged e{c.member_id,  std::nullopt, false,       std::nullopt,
                           std::nullopt, std::nullopt, std::nullopt};
    if (c.name || c.email || c.phone) {
      if (m->erased || !m->personal) {
        return conflict("personal_data_erased", "the member's personal data has been erased");
      }
      PersonalData next = *m->personal;
      if (c.name) next.name = *c.name;
      if (c.email) next.email = *c.email;
      if (c.phone) next.phone = *c.phone;
      next = clean(next);
      if (normalize_email(next.email) != normalize_email(m->personal->email)) {
        const Member* other = n_.current_member_with_email(next.email);
        if (other != nullptr && other != m) {
          return conflict("email_taken", "a current member of this network has this e-mail",
                          "/email");
        }
      }
      if (next != *m->personal) e.personal = std::move(next);
    }
    if (c.organisation && trimmed(*c.organisation) != n_.text(m->organisation)) {
      e.organisation = trimmed(*c.organisation);
    }
    if (c.sector && *c.sector != n_.text(m->sector)) e.sector = c.sector;
    if (c.title && trimmed(*c.title) != n_.text(m->title)) e.title = trimmed(*c.title);
    if (!e.personal && !e.organisation && !e.sector && !e.title) return Events{};
    e.reason = non_blank(c.reason);
    return one(std::move(e));
  }

  Decision<NetworkEvent> operator()(const ErasePersonalData& c) const {
    const Member* m = n_.find_member(c.member_id);
    if (m == nullptr) return member_not_found(c.member_id);
    if (m->erased) return Events{};
    return one(PersonalDataErased{c.member_id, non_blank(c.reason), non_blank(c.request_ref)});
  }

  Decision<NetworkEvent> operator()(const RecordObservation& c) const {
    if (auto issues = observation_issues(c, n_.network_id, ctx_); !issues.empty()) {
      return issues.front();
    }
    std::optional<std::string> meeting_id = non_blank(c.meeting_id);
    return one(ObservationRecorded{c.observation_id, c.theme, c.observed_on,
                                   target_groups(c.target_groups), std::move(meeting_id),
                                   non_blank(c.summary)});
  }

  Decision<NetworkEvent> operator()(const RetractObservation& c) const {
    const ObservationStatus* observation = n_.observations.find(c.observation_id);
    if (observation == nullptr) {
      return not_found("observation_not_found",
                       "no observation '" + c.observation_id + "' in this network");
    }
    if (auto r = require_text(c.reason, "/reason")) return *r;
    if (*observation == ObservationStatus::kRetracted) return Events{};
    return one(ObservationRetracted{c.observation_id, trimmed(c.reason)});
  }

  Decision<NetworkEvent> operator()(const RecordWish& c) const {
    if (auto issues = wish_issues(c, taxonomy()); !issues.empty()) return issues.front();
    return one(WishRecorded{c.wish_id, *parse_wish_kind(c.kind), trimmed(c.text), c.recorded_on,
                            non_blank(c.format)});
  }

  Decision<NetworkEvent> operator()(const RequestTraining& c) const {
    if (auto r = require_text(c.request_id, "/request_id")) return *r;
    if (auto r = require_code(taxonomy(), TaxonomyKind::kTrainingTopic, c.topic, "/topic")) {
      return *r;
    }
    if (auto r = require_date(c.requested_on, "/requested_on")) return *r;
    return one(TrainingRequested{c.request_id, c.topic, c.requested_on, non_blank(c.notes)});
  }

  Decision<NetworkEvent> operator()(const DeliverTraining& c) const {
    if (auto r = require_text(c.training_id, "/training_id")) return *r;
    if (auto r = require_code(taxonomy(), TaxonomyKind::kTrainingTopic, c.topic, "/topic")) {
      return *r;
    }
    if (auto r = require_date(c.delivered_on, "/delivered_on")) return *r;
    if (c.participants < 0) {
      return validation_error("negative_participants", "/participants",
                              "participants must be zero or more");
    }
    std::optional<std::string> request_id = non_blank(c.request_id);
    if (request_id) {
      const std::string* delivered_by = n_.training_requests.find(*request_id);
      if (delivered_by == nullptr) {
        return validation_error("unknown_training_request", "/request_id",
                                "no training request '" + *request_id + "' in this network");
      }
      if (!delivered_by->empty()) {
        return conflict("training_request_delivered",
                        "training request '" + *request_id + "' was delivered by training '" +
                            *delivered_by + "'",
                        "/request_id");
      }
    }
    return one(TrainingDelivered{c.training_id, c.topic, c.delivered_on, c.participants,
                                 std::move(request_id)});
  }

 private:
  const TaxonomyState& taxonomy() const { return ctx_.taxonomy_or_builtin(); }

  std::vector<std::string> target_groups(const std::vector<std::string>& written) const {
    return stored_target_groups(written, taxonomy());
  }

  // The pending request, or why it cannot be answered.
  std::variant<const JoinRequest*, Rejection> pending_request(const std::string& id) const {
    const auto it = n_.join_requests.find(id);
    if (it == n_.join_requests.end()) return join_request_not_found(id);
    if (!it->second.is_pending()) {
      return conflict("join_request_answered",
                      "the join request is already " + std::string(to_string(it->second.status)));
    }
    return &it->second;
  }

  static PersonalData clean(const PersonalData& p) {
    return PersonalData{trimmed(p.name), trimmed(p.email), non_blank(p.phone)};
  }

  const EstablishedNetwork& n_;
  const DecisionContext& ctx_;
};

Decision<NetworkEvent> establish(const EstablishNetwork& c) {
  if (!is_network_id(c.network_id)) {
    return validation_error("invalid_network_id", "/network_id",
                            "a network id is 2 to 64 characters of a-z, 0-9 and '-'");
  }
  if (auto r = require_localized(c.name, "/name")) return *r;
  if (auto r = require_text(c.region, "/region")) return *r;
  if (auto r = require_text(c.seat, "/seat")) return *r;
  if (auto r = require_steward(c.steward, c.stewards, c.stewards_listed)) return *r;
  if (c.established_on) {
    if (auto r = require_date(*c.established_on, "/established_on")) return *r;
  }
  return one(
      NetworkEstablished{c.network_id, trimmed(c.name), trimmed(c.region), trimmed(c.seat),
                         c.stewards_listed ? std::string() : trimmed(c.steward), c.established_on,
                         c.stewards_listed ? trimmed(c.stewards) : std::vector<std::string>{}});
}

}  // namespace

Decision<NetworkEvent> decide(const NetworkCommand& command, const NetworkState& state,
                              const DecisionContext& context) {
  const EstablishedNetwork* n = established(state);
  if (n == nullptr) {
    if (const auto* c = std::get_if<EstablishNetwork>(&command)) return establish(*c);
    return not_found("network_not_found", "the network does not exist");
  }
  return std::visit(Decider(*n, context), command);
}

}  // namespace ikv::domain
