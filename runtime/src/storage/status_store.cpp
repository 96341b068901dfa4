#include "storage/status_store.h"

#include <atomic>
#include <mutex>
#include <set>

namespace tributary {

const char* run_state_name(RunState s) {
  switch (s) {
    case RunState::Running: return "RUNNING";
    case RunState::Paused: return "PAUSED";
    case RunState::Failed: return "FAILED";
    case RunState::Stopped: return "STOPPED";
    case RunState::Restarting: return "RESTARTING";
    case RunState::Unassigned: break;
  }
  return "UNASSIGNED";
}

namespace {

class MemoryStatusStore : public StatusStore {
 public:
  bool put_connector(const std::string& connector, const Status& s) override {
    std::lock_guard lk(mu_);
    auto& e = connectors_[connector];
    if (e.status && e.status->generation > s.generation) return false;
    e.status = s;
    return true;
  }

  bool put_task(const std::string& connector, int task, const Status& s) override {
    std::lock_guard lk(mu_);
    auto& e = connectors_[connector];
    if (s.generation < e.task_floor) return false;
    auto it = e.tasks.find(task);
    if (it != e.tasks.end() && it->second.generation > s.generation) return false;
    e.tasks[task] = s;
    return true;
  }

  std::optional<Status> connector(const std::string& connector) const override {
    std::lock_guard lk(mu_);
    auto it = connectors_.find(connector);
    if (it == connectors_.end()) return std::nullopt;
    return it->second.status;
  }

  std::optional<Status> task(const std::string& connector, int task) const override {
    std::lock_guard lk(mu_);
    auto it = connectors_.find(connector);
    if (it == connectors_.end()) return std::nullopt;
    auto t = it->second.tasks.find(task);
    if (t == it->second.tasks.end()) return std::nullopt;
    return t->second;
  }

  std::map<int, Status> tasks(const std::string& connector) const override {
    std::lock_guard lk(mu_);
    auto it = connectors_.find(connector);
    return it == connectors_.end() ? std::map<int, Status>{} : it->second.tasks;
  }

  void remove_tasks(const std::string& connector, std::uint64_t floor) override {
    std::lock_guard lk(mu_);
    auto& e = connectors_[connector];
    e.tasks.clear();
    e.task_floor = std::max(e.task_floor, floor);
  }

  void remove_connector(const std::string& connector) override {
    std::lock_guard lk(mu_);
    connectors_.erase(connector);
    epoch_.fetch_add(1);
  }

  void put_topic(const std::string& connector, const std::string& topic) override {
    std::lock_guard lk(mu_);
    connectors_[connector].topics.insert(topic);
  }

  std::vector<std::string> topics(const std::string& connector) const override {
    std::lock_guard lk(mu_);
    auto it = connectors_.find(connector);
    if (it == connectors_.end()) return {};
    return {it->second.topics.begin(), it->second.topics.end()};
  }

  void reset_topics(const std::string& connector) override {
    std::lock_guard lk(mu_);
    if (auto it = connectors_.find(connector); it != connectors_.end()) it->second.topics.clear();
    epoch_.fetch_add(1);
  }

  std::uint64_t topics_epoch() const override { return epoch_.load(); }

 private:
  struct Entry {
    std::optional<Status> status;
    std::map<int, Status> tasks;
    std::uint64_t task_floor = 0;
    std::set<std::string> topics;
  };
  mutable std::mutex mu_;
  std::map<std::string, Entry> connectors_;
  std::atomic<std::uint64_t> epoch_{0};
};

}  // namespace

std::unique_ptr<StatusStore> make_memory_status_store() {
  return std::make_unique<MemoryStatusStore>();
}

}  // namespace tributary
