// Sequencer: the one place where the registry decides commands, one at a
// time, in the order they were submitted.
//
// It has no thread of its own (flat combining). submit() queues a task; the
// thread that finds nobody running tasks takes the lead and runs every queued
// task, its own first on an idle server (no hand-off at all), then whatever
// other threads queued meanwhile, until the queue is empty. A thread that
// finds a leader only queues its task and returns at once: an HTTP thread
// never waits for another command to be decided. Everything a task touches
// that no other code touches (the tail states of the streams, names being
// issued) therefore needs no lock: tasks never overlap, and the queue's mutex
// orders each task after the one before it.
//
// settle() queues a small bookkeeping task (an append was answered: unpin a
// tail state) that runs before the next batch of tasks, on whichever thread
// leads then; a thread calling settle() never takes the lead, so the store's
// syncing thread, which answers appends, is never held up deciding commands.
//
// Tasks must not block and must not wait for another task: a task that
// submit()s queues behind itself. A task must not throw either; should one
// throw all the same, the sequencer counts it (failed_tasks()) and goes on
// with the next, so that one bad task never stops every later command.
//
// Thread-safety: submit() and settle() may be called from any thread,
// including from inside a task.
//
//   Sequencer seq;
//   seq.submit([&] { decide_and_append(command); });   // runs now, or on the leader
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace ikv::app {

class Sequencer {
 public:
  using Task = std::function<void()>;

  void submit(Task task) {
    {
      std::lock_guard lock(mu_);
      tasks_.push_back(std::move(task));
      if (leading_) return;
      leading_ = true;
      ++led_by_submitter_;
    }
    lead();
  }

  void settle(Task task) {
    std::lock_guard lock(mu_);
    settles_.push_back(std::move(task));
  }

  // Called from inside a task: is it the last task known to the sequencer
  // (none after it in the leader's batch, none queued)? A task that may
  // block its thread for a while (leading its own commit group) does so only
  // when alone, so that no command waits behind it.
  bool alone() const {
    if (following_ != 0) return false;
    std::lock_guard lock(mu_);
    return tasks_.empty();
  }

  // Tasks run by a thread that queued them onto an idle sequencer (it led).
  std::uint64_t led_by_submitter() const {
    std::lock_guard lock(mu_);
    return led_by_submitter_;
  }

  // Tasks and settles that threw (a bug: see above).
  std::uint64_t failed_tasks() const {
    std::lock_guard lock(mu_);
    return failed_tasks_;
  }

 private:
  void lead() {
    std::vector<Task> settles;
    std::vector<Task> tasks;
    for (;;) {
      {
        std::lock_guard lock(mu_);
        if (tasks_.empty()) {
          leading_ = false;
          return;
        }
        settles.swap(settles_);
        tasks.swap(tasks_);
      }
      for (auto& s : settles) run_one(s);
      settles.clear();
      for (std::size_t i = 0; i < tasks.size(); ++i) {
        // Settles queued by a task (an in-memory store answers on the spot)
        // run before the next task decides.
        following_ = tasks.size() - i - 1;
        run_one(tasks[i]);
        run_settles();
      }
      following_ = 0;
      tasks.clear();
    }
  }

  void run_settles() {
    std::vector<Task> settles;
    {
      std::lock_guard lock(mu_);
      if (settles_.empty()) return;
      settles.swap(settles_);
    }
    for (auto& s : settles) run_one(s);
  }

  void run_one(Task& task) {
    try {
      task();
    } catch (...) {
      std::lock_guard lock(mu_);
      ++failed_tasks_;
    }
  }

  mutable std::mutex mu_;
  std::vector<Task> tasks_;    // guarded by mu_
  std::vector<Task> settles_;  // guarded by mu_
  bool leading_ = false;       // guarded by mu_: a thread is running tasks
  std::size_t following_ = 0;  // the leader's only: tasks after the running one in its batch
  std::uint64_t led_by_submitter_ = 0;
  std::uint64_t failed_tasks_ = 0;
};

}  // namespace ikv::app
