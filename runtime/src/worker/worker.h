// Worker: runs connector instances and their tasks in this process. It starts them, stops them
// within task.shutdown.graceful.timeout.ms, fences and abandons the tasks that overrun, reaps them
// once they end, and reports connector states to the StatusStore (tasks report their own). It
// decides nothing: the herder says what should run (Kafka Connect's Worker).
//
// Generations: every start of a connector instance or a task takes the next number of one
// counter. Status writes carry it, so an abandoned start can never overwrite a newer one's state;
// an abandoned task is also fenced (no offsets, no SourceTask::commit()).
//
// Threading: owned by the herder's control thread, the only caller of every method. Connector
// code (start/stop/task_configs) runs on that thread, as Connect runs it on its herder thread;
// tasks run on their own threads. A connector's own threads reach the worker only through
// ConnectorContext, which writes the StatusStore or calls the herder's on_reconfigure callback;
// both only take short locks, so neither can deadlock against the control thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/properties.h"
#include "metrics/metrics.h"
#include "offsets/offset_store.h"
#include "plugins/registry.h"
#include "storage/config_store.h"
#include "storage/status_store.h"
#include "worker/task_runner.h"
#include "worker/worker_config.h"

namespace tributary {

class Worker {
 public:
  struct Deps {
    const WorkerConfig& config;
    const PluginRegistry& registry;
    OffsetStore& offsets;
    Metrics& metrics;
    const ConfigProviders& providers;
    StatusStore& statuses;
  };
  explicit Worker(Deps deps);
  /// Stops everything (stop_all()).
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  /// Starts the connector's instance (config-provider references resolved for it) in `target`
  /// (Started or Paused) and returns its task configs with the references restored. On failure
  /// records FAILED with the trace and returns nullopt. `on_reconfigure` may be called from any
  /// thread when the connector asks for its task configs to be read again.
  std::optional<std::vector<ConfigMap>> start_connector(const std::string& name,
                                                        const ConfigMap& config, TargetState target,
                                                        std::function<void()> on_reconfigure);
  /// Asks the running instance for its task configs again; nullopt (and FAILED recorded) when
  /// it throws, or when no instance runs.
  std::optional<std::vector<ConfigMap>> connector_task_configs(const std::string& name,
                                                               const ConfigMap& config);
  /// Stops and drops the connector's instance (its tasks are left alone).
  void stop_connector(const std::string& name);
  bool connector_running(const std::string& name) const;
  /// Records the connector's state (RUNNING/PAUSED/STOPPED...) as of its current instance.
  void set_connector_state(const std::string& name, RunState state, std::string trace = "");

  /// Starts one runner per task config (ids 0..n-1), each a new generation.
  void start_tasks(const std::string& name, const PluginDescriptor& plugin,
                   const ConfigMap& connector_config, const std::vector<ConfigMap>& task_configs,
                   bool paused);
  /// Stops every task of the connector at once and waits for them together within
  /// task.shutdown.graceful.timeout.ms; a task still running then is fenced and abandoned. Their
  /// statuses are removed. Returns the ids of the tasks abandoned.
  std::vector<int> stop_tasks(const std::string& name);
  /// Stops task `id` (as stop_tasks) and starts a new generation of it. False when no such task.
  bool restart_task(const std::string& name, int id, const PluginDescriptor& plugin,
                    const ConfigMap& connector_config, const ConfigMap& task_config, bool paused);
  void set_paused(const std::string& name, bool paused);
  std::vector<int> task_ids(const std::string& name) const;
  std::size_t task_count() const;
  /// Abandoned tasks still running (waiting to end on their own).
  std::size_t abandoned_count() const { return abandoned_.size(); }

  /// Destroys abandoned runners whose threads have ended since. Cheap; called after every request.
  void reap();
  /// Stops every task (all at once, one shared graceful deadline) and every connector instance.
  void stop_all();

 private:
  class Context;
  struct Runtime {
    const PluginDescriptor* plugin = nullptr;
    std::uint64_t generation = 0;  // of the connector instance
    std::unique_ptr<Context> context;
    std::unique_ptr<SourceConnector> instance;
    std::map<int, std::unique_ptr<TaskRunner>> tasks;
  };

  std::unique_ptr<TaskRunner> make_runner(const std::string& name, int id,
                                          const PluginDescriptor& plugin,
                                          const ConfigMap& connector_config,
                                          const ConfigMap& task_config, bool paused);
  /// Stops `runners` together; returns the ids of the ones abandoned (fenced, kept in abandoned_).
  std::vector<int> stop_runners(std::vector<std::unique_ptr<TaskRunner>> runners);
  static void stop_instance(const std::string& name, Runtime& r);

  Deps deps_;
  std::uint64_t next_generation_ = 1;
  std::map<std::string, Runtime> runtimes_;
  std::vector<std::unique_ptr<TaskRunner>> abandoned_;
};

}  // namespace tributary
