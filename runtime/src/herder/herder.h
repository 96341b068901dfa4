// The herder: owner of every connector's config and target state, the one writer of the config
// store, and the one decider of what the Worker runs. The REST layer (api/) calls only this
// interface; it never touches a task.
//
// Results are typed (Connect's REST entities as plain structs, no JSON): api/ encodes them in
// Kafka Connect's shapes, and a distributed herder can forward a request to the leader and decode
// the answer into the same types. Failures are thrown as HerderError with a kind that api/ maps to
// an HTTP status in one place (api/errors.cpp).
//
// Threading: every method is thread-safe and may be called from any thread. Reads answer from a
// snapshot and the status store without waiting on anything; changes wait for the herder's control
// thread at most rest.request.timeout (then ErrorKind::Timeout; the change may still complete).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "storage/config_store.h"
#include "storage/status_store.h"
#include "tributary/config.h"
#include "tributary/record.h"

namespace tributary {

enum class ErrorKind {
  BadRequest,   // 400: malformed body, invalid config, name mismatch
  NotFound,     // 404: unknown connector, task, plugin, logger
  Conflict,     // 409: connector exists, rebalance in progress, concurrent change
  Timeout,      // 500: herder operation timed out
  Internal,     // 500
  Unavailable,  // 503: worker still starting (or stopping)
};

class HerderError : public std::runtime_error {
 public:
  HerderError(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

// ---- Typed results (Connect's org.apache.kafka.connect.runtime.rest.entities) ----------------

struct ServerInfo {
  std::string version;
  std::string commit;
  std::optional<std::string> kafka_cluster_id;
};

struct HealthInfo {
  enum class State { Starting, Healthy, Unhealthy };
  State state = State::Starting;
  std::string message;
};

struct ConnectorTaskId {
  std::string connector;
  int task = 0;
  bool operator==(const ConnectorTaskId&) const = default;
};

struct ConnectorInfo {
  std::string name;
  ConfigMap config;
  std::vector<ConnectorTaskId> tasks;
  std::string type = "source";
};

struct StateInfo {
  RunState state = RunState::Unassigned;
  std::string worker_id;
  std::string trace;  // empty: none
};

struct TaskStateInfo {
  int id = 0;
  StateInfo state;
};

struct ConnectorStateInfo {
  std::string name;
  StateInfo connector;
  std::vector<TaskStateInfo> tasks;
  std::string type = "source";
};

struct TaskInfo {
  ConnectorTaskId id;
  ConfigMap config;
};

struct PluginInfo {
  std::string class_name;
  std::string type;  // "source", "converter", ...
  std::string version;
};

/// One entry of ConfigInfos: a key's definition (when the key is defined) and its value.
struct ConfigValueInfo {
  std::optional<ConfigKey> definition;
  std::string name;
  std::optional<std::string> value;  // as given ("[hidden]" for passwords); nullopt: null
  std::vector<std::string> recommended_values;
  std::vector<std::string> errors;
  bool visible = true;
};

/// PUT /connector-plugins/{p}/config/validate.
struct ConfigInfos {
  std::string name;
  int error_count = 0;
  std::vector<std::string> groups;
  std::vector<ConfigValueInfo> configs;
};

struct LoggerLevel {
  std::string level;
  std::optional<std::int64_t> last_modified;
};

class Herder {
 public:
  virtual ~Herder() = default;

  /// GET /
  virtual ServerInfo server_info() = 0;
  /// GET /health
  virtual HealthInfo health() = 0;

  virtual std::vector<std::string> connector_names() = 0;
  virtual ConnectorInfo connector_info(const std::string& name) = 0;
  virtual ConnectorStateInfo connector_status(const std::string& name) = 0;

  /// POST /connectors. Throws Conflict if it exists, BadRequest if invalid.
  virtual ConnectorInfo create_connector(const std::string& name, const ConfigMap& config,
                                         std::optional<TargetState> initial_state) = 0;
  /// PUT /connectors/{n}/config. Returns the info and whether it was created.
  virtual std::pair<ConnectorInfo, bool> put_connector_config(const std::string& name,
                                                              const ConfigMap& config) = 0;
  /// PATCH /connectors/{n}/config: keys mapped to nullopt are removed.
  virtual ConnectorInfo patch_connector_config(
      const std::string& name, const std::map<std::string, std::optional<std::string>>& patch) = 0;
  virtual ConfigMap connector_config(const std::string& name) = 0;
  virtual void delete_connector(const std::string& name) = 0;

  virtual std::vector<TaskInfo> task_configs(const std::string& name) = 0;
  virtual TaskStateInfo task_status(const std::string& name, int task) = 0;
  virtual void restart_task(const std::string& name, int task) = 0;
  /// Returns nullopt when nothing but the connector was restarted (204), else the plan (202): the
  /// status with RESTARTING on what is restarted.
  virtual std::optional<ConnectorStateInfo> restart_connector(const std::string& name,
                                                              bool include_tasks,
                                                              bool only_failed) = 0;
  virtual void pause_connector(const std::string& name) = 0;
  virtual void resume_connector(const std::string& name) = 0;
  virtual void stop_connector(const std::string& name) = 0;

  /// GET /connectors/{n}/topics (sorted)
  virtual std::vector<std::string> connector_topics(const std::string& name) = 0;
  virtual void reset_connector_topics(const std::string& name) = 0;

  /// GET /connectors/{n}/offsets: (partition, offset) pairs.
  virtual std::vector<std::pair<OffsetMap, OffsetMap>> connector_offsets(
      const std::string& name) = 0;
  /// PATCH: BadRequest unless STOPPED. An entry without an offset removes its partition.
  /// Returns the message to show.
  virtual std::string alter_connector_offsets(
      const std::string& name,
      const std::vector<std::pair<OffsetMap, std::optional<OffsetMap>>>& offsets) = 0;
  /// DELETE: BadRequest unless STOPPED. Returns the message to show.
  virtual std::string reset_connector_offsets(const std::string& name) = 0;

  virtual std::vector<PluginInfo> plugins(bool connectors_only) = 0;
  virtual std::vector<ConfigKey> plugin_config(const std::string& plugin) = 0;
  virtual ConfigInfos validate_config(const std::string& plugin, const ConfigMap& config) = 0;

  virtual std::map<std::string, LoggerLevel> loggers() = 0;
  virtual LoggerLevel logger(const std::string& name) = 0;
  /// PUT /admin/loggers/{name} {"level"}: the names of the loggers whose level changed.
  virtual std::vector<std::string> set_logger_level(const std::string& name,
                                                    const std::string& level) = 0;

  /// Prometheus text exposition of every metric (GET /metrics).
  virtual std::string metrics_text() = 0;
};

}  // namespace tributary
