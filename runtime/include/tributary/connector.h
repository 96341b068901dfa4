// Source connectors and tasks: the classes a connector plugin implements.
//
// Mirrors Kafka Connect's SourceConnector / SourceTask. A connector splits its work into task
// configs; the worker runs each task on its own thread, calling poll() in a loop.
//
// Threading: start(), poll(), commit() and the destructor of a task run on that task's thread.
// stop() is called from another thread (the worker's) to wake a blocked poll(): it must be
// thread-safe and return quickly. Connector methods run on the herder's thread.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tributary/config.h"
#include "tributary/record.h"

namespace tributary {

/// A number a plugin publishes on the worker's /metrics (a Prometheus gauge). set() is an atomic
/// store, safe from any thread; call it once per batch rather than per record.
class MetricGauge {
 public:
  virtual ~MetricGauge() = default;
  virtual void set(double value) = 0;
};

enum class LogLevel { Debug, Info, Warn, Error };

/// A connector's own Kafka topic beside the worker's data path, such as Debezium's schema
/// history: created, appended to and read back with client properties the connector gives
/// (its own bootstrap.servers and security settings). The worker implements it with its Kafka
/// client, so plugins need no Kafka library of their own.
///
/// Threading: one thread at a time. Every call has a deadline and throws std::runtime_error
/// naming the topic when it passes or the broker refuses.
class KafkaLog {
 public:
  virtual ~KafkaLog() = default;
  /// Creates the topic when it does not exist, with `partitions` and topic `configs`; returns
  /// the number of partitions the topic has.
  virtual int create(int partitions,
                     const std::vector<std::pair<std::string, std::string>>& configs,
                     std::chrono::milliseconds timeout) = 0;
  /// Appends one value with a null key to partition 0 and waits for its acknowledgement.
  virtual void append(const std::string& value, std::chrono::milliseconds timeout) = 0;
  /// Calls fn for every value from the beginning of the topic to its end, in order (nothing
  /// when the topic does not exist).
  virtual void read_all(const std::function<void(const std::string& value)>& fn,
                        std::chrono::milliseconds timeout) = 0;
};

/// What the runtime gives a task.
class SourceTaskContext {
 public:
  virtual ~SourceTaskContext() = default;
  virtual const std::string& connector_name() const = 0;
  virtual int task_id() const = 0;
  /// The last committed offset of a source partition, or nullopt if none was ever committed.
  virtual std::optional<OffsetMap> committed_offset(const OffsetMap& partition) const = 0;
  /// A gauge on /metrics named `name`, labelled with the task's `connector` and `task` plus
  /// `labels`; the same name and labels give the same gauge. It stays valid, and on /metrics,
  /// until the task object is destroyed. The default (for contexts without metrics, such as
  /// tests) is a gauge that discards its values.
  virtual MetricGauge& gauge(const std::string& name, const std::string& help,
                             const std::map<std::string, std::string>& labels);
  /// Writes a line to the worker's log under `logger` (a dotted name whose level
  /// /admin/loggers can change), prefixed with the connector and task. Default: stderr.
  virtual void log(LogLevel level, const std::string& logger, const std::string& message);
  /// A KafkaLog on `topic` with `client_props` (bootstrap.servers, security.protocol, ...).
  /// The default (contexts without Kafka, such as unit tests) throws std::runtime_error.
  virtual std::unique_ptr<KafkaLog> kafka_log(const ConfigMap& client_props,
                                              const std::string& topic);
  /// How long a poll() that has no records yet may wait for some: `wanted` (the connector's poll
  /// interval), or a few milliseconds while the worker has records in flight. The worker serves
  /// Kafka's acknowledgements on the task thread between polls (Kafka Connect's producer serves
  /// them on its own I/O thread), so a poll that waits holds them back, and with them the
  /// records' offsets, the written-records counts and the produce latencies. A connector that
  /// waits inside poll() asks this on the task thread before it waits. Default: `wanted`.
  virtual std::chrono::milliseconds poll_wait(std::chrono::milliseconds wanted) const {
    return wanted;
  }
};

class SourceTask {
 public:
  virtual ~SourceTask() = default;
  virtual void start(const ConfigMap& props, SourceTaskContext& context) = 0;
  /// Appends the next records to `out` (which the caller has cleared). May return with none; should
  /// not block for much longer than the connector's poll interval. Throwing fails the task.
  virtual void poll(std::vector<SourceRecord>& out) = 0;
  /// Called after offsets were flushed: `flushed` holds, per source partition, the offset that is
  /// now durable (every record up to it was acknowledged by Kafka). Connectors release their log
  /// here (PostgreSQL: advance the slot's flush LSN).
  virtual void commit(const std::vector<std::pair<OffsetMap, OffsetMap>>& flushed) {
    (void)flushed;
  }
  /// Called from another thread: make poll() return soon and stop producing records.
  virtual void stop() = 0;
  /// Called on the task thread with the records of the last poll() once the worker is done with
  /// them (sent to the producer, or dropped; their offsets taken out). A task whose records are
  /// built on a thread of its own may take them (leaving `spent` empty) and free them there: the
  /// thread that allocated the memory then reuses it, rather than every record's allocations
  /// crossing from one thread's allocator cache to the other's. Must not block. By default the
  /// worker frees them.
  virtual void recycle(std::vector<SourceRecord>& spent) { (void)spent; }
};

/// What the runtime gives a connector.
class ConnectorContext {
 public:
  virtual ~ConnectorContext() = default;
  /// Ask the worker to call task_configs() again and restart the tasks.
  virtual void request_task_reconfiguration() = 0;
  /// Fail the connector with this message.
  virtual void raise_error(const std::string& message) = 0;
};

class SourceConnector {
 public:
  virtual ~SourceConnector() = default;
  virtual void start(const ConfigMap& props, ConnectorContext& context) = 0;
  /// Up to max_tasks task configurations.
  virtual std::vector<ConfigMap> task_configs(int max_tasks) = 0;
  virtual void stop() = 0;
  /// Checks beyond the ConfigDef (reachability, permissions): per-key errors, empty when valid.
  virtual std::map<std::string, std::vector<std::string>> validate(const ConfigMap& props) {
    (void)props;
    return {};
  }
  virtual std::unique_ptr<SourceTask> create_task() = 0;
};

}  // namespace tributary
