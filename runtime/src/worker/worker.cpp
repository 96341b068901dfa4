#include "worker/worker.h"

#include <algorithm>

#include "common/log.h"

namespace tributary {
namespace {
constexpr const char* kLogger = "io.tributary.worker";

// A runner ends by its own stop deadline (task_runner.h); the wait allows it this much more to
// end its thread before it is called overdue.
constexpr std::chrono::milliseconds kJoinSlack{100};

int max_tasks(const ConfigMap& config) {
  auto it = config.find("tasks.max");
  if (it == config.end()) return 1;
  return static_cast<int>(parse_long(it->second).value_or(1));
}

std::string connect_trace(const std::string& message) {
  return "org.apache.kafka.connect.errors.ConnectException: " + message;
}
}  // namespace

// What a connector instance may call from any of its threads. Writes go to the StatusStore with
// the instance's generation, so a late call from a replaced instance changes nothing.
class Worker::Context : public ConnectorContext {
 public:
  Context(StatusStore& statuses, std::string name, std::uint64_t generation,
          std::function<void()> on_reconfigure)
      : statuses_(statuses),
        name_(std::move(name)),
        generation_(generation),
        on_reconfigure_(std::move(on_reconfigure)) {}
  void request_task_reconfiguration() override {
    if (on_reconfigure_) on_reconfigure_();
  }
  void raise_error(const std::string& message) override {
    TLOG(Error, kLogger, "Connector " << name_ << " raised an error: " << message);
    statuses_.put_connector(name_, Status{RunState::Failed, connect_trace(message), generation_});
  }

 private:
  StatusStore& statuses_;
  std::string name_;
  std::uint64_t generation_;
  std::function<void()> on_reconfigure_;
};

Worker::Worker(Deps deps) : deps_(deps) {}

Worker::~Worker() {
  stop_all();
}

std::optional<std::vector<ConfigMap>> Worker::start_connector(
    const std::string& name, const ConfigMap& config, TargetState target,
    std::function<void()> on_reconfigure) {
  stop_connector(name);
  Runtime& r = runtimes_[name];
  r.generation = next_generation_++;
  auto cls = config.find("connector.class");
  r.plugin = cls == config.end() ? nullptr : deps_.registry.find(cls->second, PluginType::Source);
  try {
    if (r.plugin == nullptr)
      throw std::runtime_error(
          "Failed to find any class that implements Connector and which name matches " +
          (cls == config.end() ? std::string() : cls->second));
    ConfigMap resolved = deps_.providers.resolve(config);
    r.context =
        std::make_unique<Context>(deps_.statuses, name, r.generation, std::move(on_reconfigure));
    r.instance = r.plugin->make_source();
    r.instance->start(resolved, *r.context);
    auto configs = r.instance->task_configs(max_tasks(config));
    for (auto& tc : configs) deps_.providers.reverse_transform(config, tc);
    set_connector_state(name, target == TargetState::Paused ? RunState::Paused : RunState::Running);
    return configs;
  } catch (const std::exception& e) {
    TLOG(Error, kLogger, "Connector " << name << " failed to start: " << e.what());
    r.instance.reset();
    set_connector_state(name, RunState::Failed,
                        connect_trace(e.what()) + "\n\tat connector " + name);
    return std::nullopt;
  }
}

std::optional<std::vector<ConfigMap>> Worker::connector_task_configs(const std::string& name,
                                                                     const ConfigMap& config) {
  auto it = runtimes_.find(name);
  if (it == runtimes_.end() || !it->second.instance) return std::nullopt;
  try {
    auto configs = it->second.instance->task_configs(max_tasks(config));
    for (auto& tc : configs) deps_.providers.reverse_transform(config, tc);
    return configs;
  } catch (const std::exception& e) {
    set_connector_state(name, RunState::Failed, connect_trace(e.what()));
    return std::nullopt;
  }
}

void Worker::stop_instance(const std::string& name, Runtime& r) {
  if (r.instance) {
    try {
      r.instance->stop();
    } catch (const std::exception& e) {
      TLOG(Warn, kLogger, "Connector " << name << " threw in stop(): " << e.what());
    }
  }
  r.instance.reset();
  r.context.reset();  // after the instance: its threads may use the context until it is gone
}

void Worker::stop_connector(const std::string& name) {
  auto it = runtimes_.find(name);
  if (it == runtimes_.end()) return;
  stop_instance(name, it->second);
  if (it->second.tasks.empty()) runtimes_.erase(it);
}

bool Worker::connector_running(const std::string& name) const {
  auto it = runtimes_.find(name);
  return it != runtimes_.end() && it->second.instance != nullptr;
}

void Worker::set_connector_state(const std::string& name, RunState state, std::string trace) {
  auto it = runtimes_.find(name);
  // A connector with no instance (stopped, or never started) still has a state: generation of
  // this call, so it outranks every instance before it.
  std::uint64_t generation =
      it != runtimes_.end() && it->second.instance ? it->second.generation : next_generation_++;
  deps_.statuses.put_connector(name, Status{state, std::move(trace), generation});
}

std::unique_ptr<TaskRunner> Worker::make_runner(const std::string& name, int id,
                                                const PluginDescriptor& plugin,
                                                const ConfigMap& connector_config,
                                                const ConfigMap& task_config, bool paused) {
  TaskEnvironment env{deps_.config,     deps_.registry,  deps_.offsets,     deps_.metrics,
                      &deps_.providers, &deps_.statuses, next_generation_++};
  auto t =
      std::make_unique<TaskRunner>(env, name, id, plugin, connector_config, task_config, paused);
  t->start();
  return t;
}

void Worker::start_tasks(const std::string& name, const PluginDescriptor& plugin,
                         const ConfigMap& connector_config,
                         const std::vector<ConfigMap>& task_configs, bool paused) {
  Runtime& r = runtimes_[name];
  for (size_t i = 0; i < task_configs.size(); ++i) {
    int id = static_cast<int>(i);
    r.tasks[id] = make_runner(name, id, plugin, connector_config, task_configs[i], paused);
  }
}

std::vector<int> Worker::stop_runners(std::vector<std::unique_ptr<TaskRunner>> runners) {
  for (auto& t : runners) t->request_stop();
  const auto deadline =
      std::chrono::steady_clock::now() + deps_.config.graceful_shutdown + kJoinSlack;
  std::vector<int> abandoned;
  for (auto& t : runners) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (t->wait_stopped(std::max(left, std::chrono::milliseconds(0)))) continue;
    TLOG(Warn, kLogger,
         "Graceful stop of task " << t->connector() << "-" << t->task_id()
                                  << " failed; fencing and abandoning it");
    t->fence();
    abandoned.push_back(t->task_id());
    abandoned_.push_back(std::move(t));
  }
  return abandoned;  // the runners that ended are destroyed here, joining their ended threads
}

std::vector<int> Worker::stop_tasks(const std::string& name) {
  auto it = runtimes_.find(name);
  if (it == runtimes_.end()) return {};
  std::vector<std::unique_ptr<TaskRunner>> runners;
  for (auto& [_, t] : it->second.tasks) runners.push_back(std::move(t));
  it->second.tasks.clear();
  auto abandoned = stop_runners(std::move(runners));
  deps_.statuses.remove_tasks(name, next_generation_);
  if (!it->second.instance) runtimes_.erase(it);
  return abandoned;
}

bool Worker::restart_task(const std::string& name, int id, const PluginDescriptor& plugin,
                          const ConfigMap& connector_config, const ConfigMap& task_config,
                          bool paused) {
  auto it = runtimes_.find(name);
  if (it == runtimes_.end()) return false;
  auto t = it->second.tasks.find(id);
  if (t == it->second.tasks.end()) return false;
  std::vector<std::unique_ptr<TaskRunner>> old;
  old.push_back(std::move(t->second));
  // The old runner (and its metrics, which the new one registers under the same labels) goes
  // first; config providers are resolved by the new runner on its own thread, so nothing here
  // can throw between the two.
  stop_runners(std::move(old));
  t->second = make_runner(name, id, plugin, connector_config, task_config, paused);
  return true;
}

void Worker::set_paused(const std::string& name, bool paused) {
  auto it = runtimes_.find(name);
  if (it == runtimes_.end()) return;
  for (auto& [_, t] : it->second.tasks) {
    if (paused)
      t->pause();
    else
      t->resume();
  }
}

std::vector<int> Worker::task_ids(const std::string& name) const {
  std::vector<int> ids;
  auto it = runtimes_.find(name);
  if (it != runtimes_.end())
    for (const auto& [id, _] : it->second.tasks) ids.push_back(id);
  return ids;
}

std::size_t Worker::task_count() const {
  std::size_t n = 0;
  for (const auto& [_, r] : runtimes_) n += r.tasks.size();
  return n;
}

void Worker::reap() {
  std::erase_if(abandoned_, [](const std::unique_ptr<TaskRunner>& t) {
    if (!t->wait_stopped(std::chrono::milliseconds(0))) return false;
    TLOG(Info, kLogger,
         "Abandoned task " << t->connector() << "-" << t->task_id()
                           << " has ended; its thread is released");
    return true;
  });
}

void Worker::stop_all() {
  // Every task is asked at once and all share one deadline, so a worker with many tasks still
  // stops within one graceful timeout.
  std::vector<std::unique_ptr<TaskRunner>> runners;
  for (auto& [name, r] : runtimes_) {
    for (auto& [_, t] : r.tasks) runners.push_back(std::move(t));
    r.tasks.clear();
  }
  stop_runners(std::move(runners));
  for (auto& [name, r] : runtimes_) stop_instance(name, r);
  runtimes_.clear();
  // Runners that did not stop in time are left running; the process is exiting, and joining
  // them could wait on a database forever.
  for (auto& t : abandoned_) (void)t.release();
  abandoned_.clear();
}

}  // namespace tributary
