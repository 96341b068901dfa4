// StandaloneHerder: the single-worker herder. Owns each connector's config, target state and
// runtime (connector instance + TaskRunners), persists connector configs and target states to
// config.storage.file.filename so connectors created over REST survive a restart (Kafka
// Connect's standalone mode forgets them; ours does not), and answers the REST API.
//
// Threading: every public method may be called from any thread; mu_ serializes them. Start-up
// (loading offsets, which may wait for Kafka) runs on a background thread; until it completes
// /health answers 503 and changes answer 503. Tasks run on their own threads (TaskRunner).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "common/properties.h"
#include "herder/herder.h"
#include "metrics/metrics.h"
#include "offsets/offset_store.h"
#include "plugins/registry.h"
#include "worker/task_runner.h"
#include "worker/worker_config.h"

namespace tributary {

class StandaloneHerder : public Herder {
 public:
  StandaloneHerder(WorkerConfig config, PluginRegistry& registry,
                   std::unique_ptr<OffsetStore> offsets);
  ~StandaloneHerder() override;

  /// Loads offsets (retrying while Kafka is unreachable) and the persisted connectors, then
  /// creates the connectors given on the command line. Returns at once; work is in background.
  void start(std::vector<std::pair<std::string, ConfigMap>> cli_connectors);
  /// Graceful stop: every task stops polling, flushes and commits within the graceful timeout.
  void stop();
  void set_worker_id(std::string id) { worker_id_ = std::move(id); }
  bool ready() const { return ready_.load(); }

  ojson server_info() override;
  Health health() override;
  std::vector<std::string> connector_names() override;
  ojson connector_info(const std::string& name) override;
  ojson connector_status(const std::string& name) override;
  ojson create_connector(const std::string& name, const ConfigMap& config,
                         std::optional<TargetState> initial_state) override;
  std::pair<ojson, bool> put_connector_config(const std::string& name,
                                              const ConfigMap& config) override;
  ojson patch_connector_config(const std::string& name, const ojson& patch) override;
  ConfigMap connector_config(const std::string& name) override;
  void delete_connector(const std::string& name) override;
  ojson task_configs(const std::string& name) override;
  ojson task_status(const std::string& name, int task) override;
  void restart_task(const std::string& name, int task) override;
  std::optional<ojson> restart_connector(const std::string& name, bool include_tasks,
                                         bool only_failed) override;
  void pause_connector(const std::string& name) override;
  void resume_connector(const std::string& name) override;
  void stop_connector(const std::string& name) override;
  ojson connector_topics(const std::string& name) override;
  void reset_connector_topics(const std::string& name) override;
  ojson connector_offsets(const std::string& name) override;
  ojson alter_connector_offsets(const std::string& name, const ojson& body) override;
  ojson reset_connector_offsets(const std::string& name) override;
  ojson plugins(bool connectors_only) override;
  ojson plugin_config(const std::string& plugin) override;
  ojson validate_config(const std::string& plugin, const ConfigMap& config) override;
  ojson loggers() override;
  ojson logger(const std::string& name) override;
  ojson set_logger_level(const std::string& name, const std::string& level) override;
  std::string metrics_text() override;

 private:
  struct Connector;
  class Context;

  Connector& find(const std::string& name);  // throws NotFound; mu_ held
  void require_ready() const;
  /// Full validation of a connector config: ConfigInfos JSON (error_count > 0 when invalid).
  ojson validate(const PluginDescriptor* plugin, const std::string& plugin_name,
                 const ConfigMap& config);
  void check_valid(const std::string& name, const ConfigMap& config);  // throws BadRequest
  void start_connector(Connector& c);   // mu_ held: instance, then tasks
  bool start_instance(Connector& c);    // mu_ held: false when stopped or failed
  void stop_runtime(Connector& c);      // mu_ held: stops tasks and the connector instance
  void start_tasks(Connector& c);       // mu_ held
  void stop_tasks(Connector& c);        // mu_ held
  void restart_instance(Connector& c);  // mu_ held
  void persist();                       // mu_ held
  void load_persisted();
  ojson status_of(Connector& c);
  ojson info_of(Connector& c);
  void update_counts();
  void reconfigure_pending();

  WorkerConfig config_;
  PluginRegistry& registry_;
  std::unique_ptr<OffsetStore> offsets_;
  ConfigProviders providers_;
  Metrics metrics_;
  std::string worker_id_;
  std::string cluster_id_;
  std::atomic<bool> ready_{false};
  std::atomic<bool> stopping_{false};
  std::string startup_error_;
  std::thread starter_;
  std::thread reconfigurer_;
  std::recursive_mutex mu_;
  std::map<std::string, std::unique_ptr<Connector>> connectors_;
  std::vector<std::unique_ptr<TaskRunner>> abandoned_;
};

}  // namespace tributary
