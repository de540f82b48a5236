// Workload: random, mostly valid command sequences run through a Registry,
// for the snapshot property test and the open-time measurement. A seeded PRNG
// picks joins, leaves, detail changes, stewardship transfers, network detail
// corrections, observations (themes, target groups, meeting links) and their
// retractions, training requests and deliveries, meetings (scheduled, joint,
// rescheduled, held, cancelled, held records amended),
// taxonomy additions, tokens issued and revoked, and personal-data erasures.
// Commands the domain refuses are part of the sequence (they record nothing).
//
// Thread-safety: one Workload per thread; it waits for each command.
//
//   Workload w(*registry, /*seed=*/7);
//   w.setup();
//   for (int i = 0; i < 200; ++i) w.step();
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "app/registry.h"

namespace ikv::app::testing {

// Runs one registry call and waits for its result.
CommandResult run_sync(const std::function<void(CommandDone)>& f);
// A member joining: "Member" <email>, a reception centre, on 2024-01-01.
domain::JoinNetwork join(const std::string& member_id, const std::string& email);

struct WorkloadMix {
  int observations = 20;  // relative weights
  int joins = 14;
  int leaves = 5;
  int details = 5;
  int erasures = 3;
  int stewardship = 3;
  int renames = 2;
  int trainings = 8;
  int meetings = 18;
  int taxonomy = 2;
  int tokens = 4;
};

class Workload {
 public:
  Workload(Registry& registry, std::uint64_t seed, WorkloadMix mix = {}, std::string prefix = "");

  // Establishes the networks (three).
  void setup();
  // Runs one random command. Returns true when it recorded events.
  bool step();
  // Commands accepted so far.
  std::uint64_t accepted() const { return accepted_; }
  // An e-mail address the workload gave a member (for personal-data checks).
  const std::vector<std::string>& emails() const { return emails_; }

 private:
  struct MemberInfo {
    std::string network;
    bool current = true;
    bool erased = false;
  };
  bool run_network(const std::string& network, domain::NetworkCommand c);
  bool accept(const CommandResult& r);
  domain::Date today();
  std::size_t pick(std::size_t n);
  const std::string& pick_network();
  std::string pick_theme();
  std::vector<std::string> current_members_of(const std::string& network);

  bool join();
  bool leave();
  bool change_details();
  bool erase();
  bool transfer();
  bool rename();
  bool observe();
  bool training();
  bool meeting();
  bool taxonomy();
  bool token();

  Registry& registry_;
  std::mt19937_64 rng_;
  WorkloadMix mix_;
  std::string prefix_;
  std::uint64_t counter_ = 0;
  std::uint64_t accepted_ = 0;
  std::vector<std::string> networks_;
  std::map<std::string, MemberInfo> members_;
  std::vector<std::string> member_ids_;
  std::map<std::string, int> meetings_;  // id -> 0 planned, 1 held, 2 cancelled
  std::vector<std::string> meeting_ids_;
  std::vector<std::pair<std::string, std::string>> observations_;  // (id, network)
  std::vector<std::string> themes_;
  std::vector<std::pair<std::string, std::string>> open_requests_;  // (request id, network)
  std::vector<std::string> tokens_;
  std::vector<std::string> emails_;
};

}  // namespace ikv::app::testing
