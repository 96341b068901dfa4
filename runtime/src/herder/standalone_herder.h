// StandaloneHerder: the single-worker herder, built as Connect's herders are: one control thread
// that owns all connector state and applies every change in order, a Worker that runs what that
// thread decides, and stores behind interfaces (ConfigStore: the config.storage.file.filename
// file, so connectors created over REST survive a restart, which Kafka Connect's standalone mode
// does not do; StatusStore: in memory).
//
//   REST thread ──(validate: on a validation thread, with the request's deadline)──┐
//               └─(change: a job on the control queue; waits on its future, same deadline)
//   control thread: jobs in order → ConfigStore → Worker (start/stop/fence) → publish snapshot
//   reads (GET /connectors, status, /metrics, /health): the published snapshot + StatusStore,
//   never the control thread.
//
// Threading: every public method may be called from any thread. Only the control thread reads or
// writes connectors_ and calls the Worker and the ConfigStore. A waiting caller holds no lock; a
// change times out after tributary.rest.request.timeout.ms (ErrorKind::Timeout) while the job
// still runs. Connector code calling back (ConnectorContext) only enqueues or writes the
// StatusStore, so it can never deadlock against the control thread. Start-up (loading offsets,
// which may wait for Kafka) runs on a background thread; until it completes /health answers 503
// and changes answer 503.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "common/properties.h"
#include "herder/herder.h"
#include "metrics/metrics.h"
#include "offsets/offset_store.h"
#include "plugins/registry.h"
#include "storage/config_store.h"
#include "storage/status_store.h"
#include "worker/worker.h"
#include "worker/worker_config.h"

namespace tributary {

class StandaloneHerder : public Herder {
 public:
  /// `configs` null: the file store at config.storage.file.filename. `statuses` null: in memory.
  StandaloneHerder(WorkerConfig config, PluginRegistry& registry,
                   std::unique_ptr<OffsetStore> offsets,
                   std::unique_ptr<ConfigStore> configs = nullptr,
                   std::unique_ptr<StatusStore> statuses = nullptr);
  ~StandaloneHerder() override;

  /// Starts the control thread, then loads offsets (retrying while Kafka is unreachable) and the
  /// stored connectors, then creates the connectors given on the command line. Returns at once.
  void start(std::vector<std::pair<std::string, ConfigMap>> cli_connectors);
  /// Graceful stop: every task stops polling, flushes and commits within the graceful timeout;
  /// then the control thread ends. Requests still waiting answer 503.
  void stop();
  void set_worker_id(std::string id);
  bool ready() const { return ready_.load(); }

  ServerInfo server_info() override;
  HealthInfo health() override;
  std::vector<std::string> connector_names() override;
  ConnectorInfo connector_info(const std::string& name) override;
  ConnectorStateInfo connector_status(const std::string& name) override;
  ConnectorInfo create_connector(const std::string& name, const ConfigMap& config,
                                 std::optional<TargetState> initial_state) override;
  std::pair<ConnectorInfo, bool> put_connector_config(const std::string& name,
                                                      const ConfigMap& config) override;
  ConnectorInfo patch_connector_config(
      const std::string& name,
      const std::map<std::string, std::optional<std::string>>& patch) override;
  ConfigMap connector_config(const std::string& name) override;
  void delete_connector(const std::string& name) override;
  std::vector<TaskInfo> task_configs(const std::string& name) override;
  TaskStateInfo task_status(const std::string& name, int task) override;
  void restart_task(const std::string& name, int task) override;
  std::optional<ConnectorStateInfo> restart_connector(const std::string& name, bool include_tasks,
                                                      bool only_failed) override;
  void pause_connector(const std::string& name) override;
  void resume_connector(const std::string& name) override;
  void stop_connector(const std::string& name) override;
  std::vector<std::string> connector_topics(const std::string& name) override;
  void reset_connector_topics(const std::string& name) override;
  std::vector<std::pair<OffsetMap, OffsetMap>> connector_offsets(const std::string& name) override;
  std::string alter_connector_offsets(
      const std::string& name,
      const std::vector<std::pair<OffsetMap, std::optional<OffsetMap>>>& offsets) override;
  std::string reset_connector_offsets(const std::string& name) override;
  std::vector<PluginInfo> plugins(bool connectors_only) override;
  std::vector<ConfigKey> plugin_config(const std::string& plugin) override;
  ConfigInfos validate_config(const std::string& plugin, const ConfigMap& config) override;
  std::map<std::string, LoggerLevel> loggers() override;
  LoggerLevel logger(const std::string& name) override;
  std::vector<std::string> set_logger_level(const std::string& name,
                                            const std::string& level) override;
  std::string metrics_text() override;

  /// Tasks abandoned past their graceful timeout (fenced) whose threads have not ended yet.
  std::size_t abandoned_tasks() const { return abandoned_.load(); }

 private:
  using Clock = std::chrono::steady_clock;

  // Control-thread state of one connector (copied into snapshots for readers).
  struct Connector {
    ConfigMap config;  // as stored: config-provider references unresolved
    TargetState target = TargetState::Started;
    std::vector<ConfigMap> task_configs;
  };
  using Snapshot = std::map<std::string, Connector>;

  // ---- any thread
  std::shared_ptr<const Snapshot> snapshot() const;
  const Connector& find(const Snapshot& s, const std::string& name) const;  // throws NotFound
  void require_ready() const;
  /// Runs `job` on the control thread and waits for it until `deadline`.
  template <class T>
  T call(std::function<T()> job, Clock::time_point deadline);
  /// Queues `job` for the control thread; false when the thread has ended.
  bool enqueue(std::function<void()> job);
  /// Runs `work` on a thread of its own and waits for it until `deadline`.
  template <class T>
  T on_validation_thread(std::function<T()> work, Clock::time_point deadline);
  /// Validates on a validation thread, waiting until `deadline`; throws BadRequest when invalid.
  void validate_off_thread(const ConfigMap& config, Clock::time_point deadline);
  template <class T>
  void await(std::future<T>& f, Clock::time_point deadline) const;
  Clock::time_point request_deadline() const { return Clock::now() + config_.rest_request_timeout; }
  /// The connector's and its tasks' states from the status store.
  ConnectorStateInfo status_of(const std::string& name) const;
  std::string worker_id() const;

  // ---- control thread only
  void control_loop();
  Connector& find_mut(const std::string& name);  // throws NotFound
  void store(const std::string& name, const ConfigMap& config, TargetState target);
  void start_connector(const std::string& name, Connector& c);
  void stop_runtime(const std::string& name);
  void restart_instance(const std::string& name, Connector& c);
  void reconfigure(const std::string& name);
  void load_stored();
  void publish();
  ConnectorInfo info_of(const std::string& name, const Connector& c) const;

  WorkerConfig config_;
  PluginRegistry& registry_;
  std::unique_ptr<OffsetStore> offsets_;
  std::unique_ptr<ConfigStore> configs_;
  std::unique_ptr<StatusStore> statuses_;
  ConfigProviders providers_;
  Metrics metrics_;

  std::atomic<bool> ready_{false};
  std::atomic<bool> stopping_{false};
  mutable std::mutex info_mu_;  // worker_id_, cluster_id_, startup_error_
  std::string worker_id_;
  std::string cluster_id_;
  std::string startup_error_;

  // The control queue. queue_mu_ is only ever held to push or pop.
  mutable std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<std::function<void()>> queue_;
  bool control_ended_ = false;
  // steady_clock ns when the job now running started; 0 while idle (/health).
  std::atomic<std::int64_t> busy_since_ns_{0};
  std::atomic<std::size_t> abandoned_{0};

  mutable std::mutex snapshot_mu_;  // held only to copy the pointer
  std::shared_ptr<const Snapshot> snapshot_;

  // Validations in flight on their own threads (a hung one must not hold a REST thread).
  std::mutex validations_mu_;
  std::condition_variable validations_cv_;
  int validations_ = 0;

  // Control thread only.
  std::map<std::string, Connector> connectors_;
  std::unique_ptr<Worker> worker_;

  std::thread control_;
  std::thread starter_;
};

}  // namespace tributary
