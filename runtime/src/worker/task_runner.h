// TaskRunner: runs one source task under supervision on its own thread.
//
//   poll() -> transform chain -> key/value/header converters -> librdkafka producer
//   -> delivery reports (on this thread, inside producer poll) -> offsets committable in order
//   -> written to the OffsetStore every offset.flush.interval.ms by an OffsetCommitter (its own
//   thread: a slow disk or offsets topic does not stall the records) -> SourceTask::commit().
//
// States follow Kafka Connect: UNASSIGNED until started, RUNNING, PAUSED, FAILED (with the trace),
// and the runner ends when stopped. An exception from plugin code fails this task only.
//
// Threading: the task thread owns the SourceTask, chain, converters and producer. Other threads
// call pause()/resume()/request_stop() (atomics + the task's thread-safe stop()) and read state().
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/properties.h"
#include "kafka/kafka.h"
#include "metrics/metrics.h"
#include "offsets/offset_committer.h"
#include "offsets/offset_store.h"
#include "plugins/registry.h"
#include "storage/status_store.h"
#include "tributary/connector.h"
#include "worker/transform_chain.h"
#include "worker/worker_config.h"

namespace tributary {

struct TaskStatus {
  RunState state = RunState::Unassigned;
  std::string trace;
};

/// Everything a task needs from the worker; outlives the runner.
struct TaskEnvironment {
  const WorkerConfig& worker;
  const PluginRegistry& registry;
  OffsetStore& offsets;
  Metrics& metrics;
  /// Resolves ${provider:...} references in the connector and task configs when the task starts
  /// (on the task thread; a failure fails the task). Null: configs are used as given.
  const ConfigProviders* providers = nullptr;
  /// Where the task's status and topics are reported (null: kept in the runner only, for tests).
  StatusStore* statuses = nullptr;
  /// This start of the task (from the Worker, higher for every start): its status writes carry it
  /// so an older start can never overwrite a newer one's.
  std::uint64_t generation = 0;
};

class TaskRunner : private SourceTaskContext {
 public:
  /// The configs are as stored: references to config providers are resolved on the task thread.
  TaskRunner(TaskEnvironment env, std::string connector, int task_id,
             const PluginDescriptor& connector_plugin, ConfigMap connector_config,
             ConfigMap task_config, bool start_paused);
  /// Stops and joins (waiting at most task.shutdown.graceful.timeout.ms, then abandoning).
  ~TaskRunner() override;

  void start();
  void pause() { paused_.store(true); }
  void resume() { paused_.store(false); }
  /// Asks the task to stop: no more polls; flush and commit then end. Returns at once. The stop
  /// has nested deadlines that together fit task.shutdown.graceful.timeout.ms from the first
  /// request: the producer flush may use what the poll left minus the offset commit's share
  /// (offset.flush.timeout.ms, at most half the budget), and the commit the rest.
  void request_stop();
  /// Waits for the thread to end; false if it did not end by the deadline.
  bool wait_stopped(std::chrono::milliseconds timeout);
  /// Fences this runner (one start of the task: its generation) once the herder gives up waiting
  /// for it and starts a replacement: whatever it still does, it commits no more offsets, calls
  /// SourceTask::commit() no more and writes no more status. Any thread.
  void fence() { fenced_.store(true); }

  TaskStatus status() const;
  int task_id() const override { return task_id_; }
  const std::string& connector() const { return connector_; }
  /// Topics this task has produced to (GET /connectors/{n}/topics).
  std::vector<std::string> topics() const;
  /// Records acknowledged by Kafka so far (updated once per batch).
  std::uint64_t records_written() const { return written_.load(std::memory_order_relaxed); }

 private:
  // SourceTaskContext
  const std::string& connector_name() const override { return connector_; }
  std::optional<OffsetMap> committed_offset(const OffsetMap& partition) const override;
  MetricGauge& gauge(const std::string& name, const std::string& help,
                     const std::map<std::string, std::string>& labels) override {
    return probe_->plugin_gauge(name, help, labels);
  }
  void log(LogLevel level, const std::string& logger, const std::string& message) override;
  std::unique_ptr<KafkaLog> kafka_log(const ConfigMap& client_props,
                                      const std::string& topic) override;
  /// `wanted` with no record in flight, else at most kInFlightPollWait: the acknowledgements are
  /// served after poll() returns (before, a 1M-row benchmark's last acks waited out the
  /// connector's 500 ms poll interval once the binlog backlog was read). Task thread.
  std::chrono::milliseconds poll_wait(std::chrono::milliseconds wanted) const override {
    return pending_.empty() ? wanted : std::min(wanted, kInFlightPollWait);
  }
  static constexpr std::chrono::milliseconds kInFlightPollWait{5};

  void run();
  void run_loop();
  void set_state(RunState s, std::string trace = "");
  void process_batch(std::vector<SourceRecord>& batch);
  void send(SourceRecord& r, std::uint32_t partition_index);
  std::uint32_t partition_index(const SourceRecord& r);
  void track_skipped(std::uint32_t partition_index, SourceRecord& r);  // takes r's offset
  /// A delivery report (msg == nullptr: only advance the committable offsets).
  void on_delivery(const rd_kafka_message_t* msg);
  /// Hands the committable offsets to the committer (which writes them to the OffsetStore within
  /// `timeout` on its own thread); false when there were none or a write is still in flight.
  bool start_commit(std::chrono::milliseconds timeout);
  /// The committer's result for the offsets start_commit() handed it: those partitions are clean
  /// unless newer offsets arrived meanwhile, and the task hears of the commit.
  void finish_commit(const OffsetCommitter::Result& result);
  /// The final commit at the end of the task: waits for a write in flight, then writes what is
  /// still committable, all by `until`.
  void commit_offsets_by(std::chrono::steady_clock::time_point until);
  /// Records `topic` in the status store if this runner has not since the last topics reset.
  void report_topic(const std::string& topic);
  void ensure_topic(const std::string& topic);
  void drain_latencies();
  /// Logs a record skipped under errors.tolerance=all (errors.log.enable), with its key and
  /// value when errors.log.include.messages is set.
  void log_skipped(const std::string& message, const SourceRecord& r);

  TaskEnvironment env_;
  std::string connector_;
  int task_id_;
  const PluginDescriptor& plugin_;
  ConfigMap connector_config_;
  ConfigMap task_config_;

  std::atomic<bool> paused_;
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> fenced_{false};
  // steady_clock nanoseconds by which the stop must be complete; 0 until a stop is requested.
  std::atomic<std::int64_t> stop_deadline_ns_{0};
  mutable std::mutex state_mu_;
  TaskStatus status_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::thread thread_;

  // Owned by the task thread.
  std::unique_ptr<SourceConnector> connector_instance_;  // keeps the task's factory alive
  std::shared_ptr<SourceTask> task_;  // shared with request_stop() for a safe stop() call
  mutable std::mutex task_ptr_mu_;
  bool converters_published_ = false;  // guarded by task_ptr_mu_; the converters below are set
  std::unique_ptr<Converter> key_converter_;
  std::unique_ptr<Converter> value_converter_;
  std::unique_ptr<HeaderConverter> header_converter_;
  std::unique_ptr<TransformChain> chain_;
  std::unique_ptr<kafka::Producer> producer_;
  std::unique_ptr<TaskProbe> probe_;
  bool tolerate_all_ = false;
  bool log_errors_ = false;
  bool log_messages_ = false;
  std::string key_buf_, value_buf_;
  std::vector<std::string> header_bufs_;
  std::vector<kafka::Producer::HeaderBytes> header_views_;

  // Offset tracking: every record sent or skipped gets a sequence number; offsets become
  // committable strictly in that order, once every earlier record is acknowledged.
  struct Pending {
    std::uint32_t partition;
    bool acked;
    std::chrono::steady_clock::time_point sent;
    OffsetMap offset;
    LazyOffset lazy;  // when set, the offset (computed only if it is committed)
  };
  struct PartitionState {
    OffsetMap partition;
    std::optional<OffsetMap> committable;
    LazyOffset committable_lazy;  // when set, newer than `committable`
    bool dirty = false;
    std::uint64_t version = 0;  // counts new committable offsets
  };
  // The offsets the committer is writing: each partition with the version it had.
  struct CommitInFlight {
    std::vector<std::pair<std::uint32_t, std::uint64_t>> partitions;
    std::vector<std::pair<OffsetMap, OffsetMap>> flushed;  // for SourceTask::commit()
  };
  static constexpr std::uint32_t kNoPartition = 0xFFFFFFFF;
  std::deque<Pending> pending_;
  std::uint64_t base_seq_ = 0;
  std::vector<PartitionState> partitions_;
  std::unordered_map<const OffsetMap*, std::uint32_t> partition_by_ptr_;
  std::unordered_map<std::string, std::uint32_t> partition_by_key_;
  std::vector<PartitionPtr> partition_keepalive_;
  std::uint64_t acked_since_report_ = 0;
  std::string delivery_error_;
  std::vector<double> latency_buckets_;
  double latency_sum_ = 0;
  std::chrono::steady_clock::time_point next_flush_;
  std::unique_ptr<OffsetCommitter> committer_;
  CommitInFlight commit_in_flight_;
  // Clock reads are per batch, not per record: records of one batch share their send time and
  // acknowledgements served by one producer poll share their receive time.
  std::chrono::steady_clock::time_point batch_time_;
  std::chrono::steady_clock::time_point ack_time_;
  bool ack_time_valid_ = false;
  std::atomic<std::uint64_t> written_{0};
  int poll_producer(int timeout_ms);

  std::unordered_set<std::string> known_topics_;
  // Topics reported to the status store since its last topics reset (epoch).
  std::unordered_set<std::string> reported_topics_;
  std::uint64_t topics_epoch_ = 0;
  bool topics_unreported_ = false;
  mutable std::mutex topics_mu_;
  std::vector<std::string> topics_seen_;
};

}  // namespace tributary
