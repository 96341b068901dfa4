// The herder: owner of every connector's config and target state, and the one writer of the
// config store. The REST layer (api/) calls only this interface; it never touches a task.
//
// Results come back in Kafka Connect's REST shapes (nlohmann::ordered_json, keys in Connect's
// order) so api/ only routes and encodes. Failures are thrown as HerderError with a kind that api/
// maps to an HTTP status in one place (api/errors.cpp).
//
// Threading: every method is thread-safe and may be called from any REST strand; the herder
// serializes changes internally with its own mutex and never blocks on a task's poll().
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tributary/config.h"

namespace tributary {

using ojson = nlohmann::ordered_json;

enum class ErrorKind {
  BadRequest,   // 400: malformed body, invalid config, name mismatch
  NotFound,     // 404: unknown connector, task, plugin, logger
  Conflict,     // 409: connector exists, rebalance in progress, concurrent change
  Timeout,      // 500: herder operation timed out
  Internal,     // 500
  Unavailable,  // 503: worker still starting
};

class HerderError : public std::runtime_error {
 public:
  HerderError(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

enum class TargetState { Started, Paused, Stopped };

class Herder {
 public:
  virtual ~Herder() = default;

  /// GET / : {"version","commit","kafka_cluster_id"}
  virtual ojson server_info() = 0;
  /// GET /health : {"status","message"}; the status code comes from `healthy`/`starting`.
  struct Health {
    int http_status;  // 200, 503 while starting, 500 unhealthy
    ojson body;
  };
  virtual Health health() = 0;

  virtual std::vector<std::string> connector_names() = 0;
  /// ConnectorInfo {"name","config","tasks":[{"connector","task"}],"type"}
  virtual ojson connector_info(const std::string& name) = 0;
  /// ConnectorStateInfo {"name","connector":{"state","worker_id"[,"trace"]},"tasks":[...],"type"}
  virtual ojson connector_status(const std::string& name) = 0;

  /// POST /connectors. Throws Conflict if it exists, BadRequest if invalid. Returns ConnectorInfo.
  virtual ojson create_connector(const std::string& name, const ConfigMap& config,
                                 std::optional<TargetState> initial_state) = 0;
  /// PUT /connectors/{n}/config. Returns {info, created}.
  virtual std::pair<ojson, bool> put_connector_config(const std::string& name,
                                                      const ConfigMap& config) = 0;
  /// PATCH /connectors/{n}/config: keys with a null value are removed. Returns ConnectorInfo.
  virtual ojson patch_connector_config(const std::string& name, const ojson& patch) = 0;
  virtual ConfigMap connector_config(const std::string& name) = 0;
  virtual void delete_connector(const std::string& name) = 0;

  /// GET /connectors/{n}/tasks : [{"id":{"connector","task"},"config":{...}}]
  virtual ojson task_configs(const std::string& name) = 0;
  /// {"id","state","worker_id"[,"trace"]}
  virtual ojson task_status(const std::string& name, int task) = 0;
  virtual void restart_task(const std::string& name, int task) = 0;
  /// Returns nullopt when nothing but the connector was restarted (204), else the status (202).
  virtual std::optional<ojson> restart_connector(const std::string& name, bool include_tasks,
                                                 bool only_failed) = 0;
  virtual void pause_connector(const std::string& name) = 0;
  virtual void resume_connector(const std::string& name) = 0;
  virtual void stop_connector(const std::string& name) = 0;

  /// GET /connectors/{n}/topics : {"<n>":{"topics":[...]}}
  virtual ojson connector_topics(const std::string& name) = 0;
  virtual void reset_connector_topics(const std::string& name) = 0;

  /// GET /connectors/{n}/offsets : {"offsets":[{"partition":{...},"offset":{...}}]}
  virtual ojson connector_offsets(const std::string& name) = 0;
  /// PATCH: body {"offsets":[...]} ; BadRequest unless STOPPED. Returns {"message":...}.
  virtual ojson alter_connector_offsets(const std::string& name, const ojson& body) = 0;
  /// DELETE: BadRequest unless STOPPED. Returns {"message":...}.
  virtual ojson reset_connector_offsets(const std::string& name) = 0;

  /// GET /connector-plugins : [{"class","type","version"}]
  virtual ojson plugins(bool connectors_only) = 0;
  /// GET /connector-plugins/{p}/config : list of config key definitions
  virtual ojson plugin_config(const std::string& plugin) = 0;
  /// PUT /connector-plugins/{p}/config/validate : ConfigInfos
  virtual ojson validate_config(const std::string& plugin, const ConfigMap& config) = 0;

  /// GET /admin/loggers : {"<logger>":{"level","last_modified"}}
  virtual ojson loggers() = 0;
  virtual ojson logger(const std::string& name) = 0;
  /// PUT /admin/loggers/{name} {"level"} : returns the list of affected logger names
  virtual ojson set_logger_level(const std::string& name, const std::string& level) = 0;

  /// Prometheus text exposition of every metric (GET /metrics).
  virtual std::string metrics_text() = 0;
};

}  // namespace tributary
