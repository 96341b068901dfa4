// StatusStore: the last known state of every connector and task, and the topics each connector
// has produced to (Kafka Connect's StatusBackingStore and TopicStatus). Whoever changes a state
// writes it here: the herder and the Worker for connectors, each TaskRunner for its task, a
// connector's own thread through ConnectorContext::raise_error. REST reads it directly.
//
// Generations fence stale writers: each start of a task (and of a connector instance) gets a
// higher generation from the Worker, and a write older than the newest one seen for that task is
// ignored. So a task the herder abandoned after task.shutdown.graceful.timeout.ms can never
// overwrite its replacement's status, and tasks removed with remove_tasks() cannot reappear.
//
// Threading: thread-safe; every method takes one short internal lock and never blocks on I/O.
// The memory store serves the standalone worker; a Kafka-topic store (Connect's status topic
// format) comes with distributed mode behind the same interface.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tributary {

/// Connect's AbstractStatus.State (plus RESTARTING, shown in restart plans).
enum class RunState { Unassigned, Running, Paused, Failed, Stopped, Restarting };
const char* run_state_name(RunState s);

struct Status {
  RunState state = RunState::Unassigned;
  std::string trace;  // set when FAILED
  std::uint64_t generation = 0;
};

class StatusStore {
 public:
  virtual ~StatusStore() = default;

  /// Records a connector's status unless a newer generation was recorded. Returns whether it did.
  virtual bool put_connector(const std::string& connector, const Status& s) = 0;
  /// Records a task's status unless a newer generation was recorded (or the connector's tasks were
  /// removed at a later generation). Returns whether it did.
  virtual bool put_task(const std::string& connector, int task, const Status& s) = 0;
  virtual std::optional<Status> connector(const std::string& connector) const = 0;
  virtual std::optional<Status> task(const std::string& connector, int task) const = 0;
  /// Every task with a status, by id.
  virtual std::map<int, Status> tasks(const std::string& connector) const = 0;
  /// Forgets the connector's task statuses; writes from generations below `floor` stay ignored.
  virtual void remove_tasks(const std::string& connector, std::uint64_t floor) = 0;
  /// Forgets everything about the connector (deleted): statuses and topics.
  virtual void remove_connector(const std::string& connector) = 0;

  /// Records that the connector produced to `topic` (kept until reset or delete).
  virtual void put_topic(const std::string& connector, const std::string& topic) = 0;
  /// The connector's topics, sorted.
  virtual std::vector<std::string> topics(const std::string& connector) const = 0;
  virtual void reset_topics(const std::string& connector) = 0;
  /// Grows on every reset_topics(): a task that caches which topics it reported asks again after
  /// a change (Connect re-records a topic on the next record sent to it after a reset).
  virtual std::uint64_t topics_epoch() const = 0;
};

std::unique_ptr<StatusStore> make_memory_status_store();

}  // namespace tributary
