// Worker configuration: Kafka Connect's worker.properties keys (REFERENCE §2), their definitions
// (for validation and the generated docs) and the parsed values the worker uses.
//
// Threading: immutable after parsing; read from any thread.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "tributary/config.h"

namespace tributary {

/// Definitions of every worker key Tributary reads.
const ConfigDef& worker_config_def();
/// Definitions of the keys every connector config may hold (name, connector.class, tasks.max,
/// converters, transforms, predicates, errors.*, topic.creation.*).
const ConfigDef& connector_common_config_def();

struct WorkerConfig {
  ConfigMap props;  // every key as given (after config providers)
  std::string bootstrap_servers;
  std::string listeners;  // e.g. "http://:8083"
  std::string advertised_host;
  int advertised_port = 0;
  std::vector<std::string> plugin_path;
  std::string offset_file;   // offset.storage.file.filename ("" = use the topic)
  std::string offset_topic;  // offset.storage.topic
  int offset_topic_partitions = 25;
  int offset_topic_replication = 3;
  std::string config_file;  // where connector configs persist (standalone)
  std::chrono::milliseconds offset_flush_interval{60000};
  std::chrono::milliseconds offset_flush_timeout{5000};
  std::chrono::milliseconds graceful_shutdown{5000};
  std::chrono::milliseconds rest_request_timeout{90000};
  bool topic_creation_enable = true;
  int producer_io_thread_nice = 10;  // tributary.producer.io.thread.nice

  /// Kafka client properties for the worker's own clients (bootstrap.servers plus any
  /// security.* / sasl.* / ssl.* / client.dns.lookup keys).
  ConfigMap client_props() const;
  /// Producer properties for a task: client props, worker `producer.*`, then the connector's
  /// `producer.override.*`, then the settings delivery depends on (idempotence, acks=all).
  ConfigMap producer_props(const ConfigMap& connector_config) const;
};

/// Parses and validates. Throws ConfigError naming the key on an invalid value.
WorkerConfig parse_worker_config(const ConfigMap& props);

}  // namespace tributary
