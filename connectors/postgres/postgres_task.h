// The PostgreSQL source task: snapshot through the replication slot's exported snapshot, then
// streaming of pgoutput changes, emitting Debezium-format change events.
//
// Phases: start() connects (a regular and a walsender connection), checks or creates the
// publication and the slot, and decides on a snapshot from snapshot.mode and the committed
// offset. poll() then returns snapshot rows (op r) until the snapshot is done, then streamed
// changes. commit() advances the slot's confirmed flush LSN to what Kafka has acknowledged and
// the offsets store holds.
//
// Threading (Debezium's ChangeEventQueue shape): start() connects on the task thread, then starts
// a reader thread that owns the connections and all streaming state. It decodes the snapshot or
// the stream into batches and queues them, at most max.queue.size records and
// max.queue.size.in.bytes source bytes ahead; poll() takes queued batches on the task thread, so
// the worker's transforms, converters and producer run on one core while decoding runs on the
// other. commit() only hands the flushed offsets to the reader, which confirms them to the slot.
// stop() (any thread, also while start() runs) sets a flag the reader checks at least every
// 100 ms, ends a wait for the replication slot at once, and starts a canceller thread that
// cancels the statement start() or the reader is blocked in (a snapshot's COPY, a
// CREATE_REPLICATION_SLOT waiting for running transactions, START_REPLICATION), again every
// 200 ms until the task is destroyed, since a cancel that reaches the server between two
// statements is ignored. stop() itself never waits on the network (PQcancel connects to the
// server). The connections sql_ and repl_ are replaced only by the thread that uses them (start(),
// then the reader), under conn_mu_; the canceller copies the shared pointers under it, so a
// reconnect never frees a connection it is cancelling. A statement cut by the stop ends the task
// quietly (no error, no reconnect). The destructor joins the reader and the canceller and
// confirms what the last commit() allowed.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "change_event_queue.h"
#include "pg_connection.h"
#include "pg_metrics.h"
#include "pg_position.h"
#include "pg_schema.h"
#include "pg_types.h"
#include "pgoutput.h"
#include "postgres_config.h"
#include "tributary/connector.h"

namespace tributary::pg {

class PostgresTask : public SourceTask {
 public:
  PostgresTask();
  ~PostgresTask() override;
  void start(const ConfigMap& props, SourceTaskContext& context) override;
  void poll(std::vector<SourceRecord>& out) override;
  void commit(const std::vector<std::pair<OffsetMap, OffsetMap>>& flushed) override;
  void stop() override;
  /// Task thread: the records go back to the reader thread, which built them, to be freed.
  void recycle(std::vector<SourceRecord>& spent) override { queue_.recycle(spent); }

 private:
  struct Snapshot;
  struct Txn;
  struct Position;

  /// Connects, checks the publication and slot, and decides on a snapshot from snapshot.mode
  /// and `offset` (the committed one at start, the last returned position on a reconnect).
  void open(const std::optional<OffsetMap>& offset, bool reconnecting);
  /// The position to resume from after a reconnect: the last event poll() returned.
  std::optional<OffsetMap> resume_position() const;
  /// After the connection was lost: waits retriable.restart.connector.wait.ms, then reopens;
  /// false while still waiting or failing.
  bool reconnect();
  void ensure_publication();
  void prepare_slot_and_snapshot();
  /// Runs `step` (taking the replication slot: the checks before a snapshot, START_REPLICATION)
  /// again while the slot is active in another session: up to slot.max.retries more times,
  /// slot.retry.delay.ms apart (a replaced task's walsender may take a moment to go), then fails
  /// naming the slot and the other session's pid. stop() ends the wait at once.
  void taking_slot(const std::function<void()>& step);
  /// Sleeps `ms` unless stop() comes first; false when stopped.
  bool sleep_unless_stopped(std::int64_t ms);
  /// Replaces the connections stop() may cancel (the owning thread only).
  void set_connections(std::shared_ptr<Connection> sql, std::shared_ptr<Connection> repl);
  /// The canceller thread: cancels the calls blocking on sql_ and repl_ until the destructor.
  void cancel_loop();
  /// The reader thread: fills batches and queues them until stopped or failed.
  void reader_loop();
  /// One batch of the snapshot or the stream into `out` (the reader's former poll()); handles a
  /// lost connection by scheduling a reconnect.
  void fill(std::vector<SourceRecord>& out);
  /// Applies the offsets commit() handed over (reader thread, or the destructor after it).
  void apply_commits();
  void apply_commit(const std::vector<std::pair<OffsetMap, OffsetMap>>& flushed);
  void poll_snapshot(std::vector<SourceRecord>& out);
  void finish_snapshot();
  void start_streaming();
  void poll_stream(std::vector<SourceRecord>& out);
  void handle(const XLogData& x, std::vector<SourceRecord>& out);
  void send_status(bool reply_requested);
  void maybe_heartbeat(std::vector<SourceRecord>& out);
  TableSchema* table_for(std::uint32_t relation_id);
  void emit_change(TableSchema& t, char op, Lsn lsn, Value before, Value after,
                   std::vector<SourceRecord>& out);
  void emit(TableSchema& t, Lsn lsn, Value key, Value value, std::vector<Header> headers,
            std::vector<SourceRecord>& out);
  OffsetMap stream_offset(Lsn lsn) const;
  static OffsetMap offset_of(const Position& p);
  std::int64_t now_ns() const;
  void count_event(char op);
  /// Publishes the metrics for the batch in `out`; every 5 s also reads the slot's WAL figures.
  void publish_metrics(const std::vector<SourceRecord>& out);
  /// Whether the batch being filled is complete (ChangeEventQueue::batch_full).
  bool batch_full(const std::vector<SourceRecord>& out) const {
    return queue_.batch_full(out.size(), batch_bytes_);
  }

  // Configuration.
  ConfigMap props_;
  SourceTaskContext* context_ = nullptr;
  std::int64_t retry_wait_ms_ = 10000;
  int max_retries_ = -1;
  int slot_max_retries_ = 6;
  std::int64_t slot_retry_delay_ms_ = 10000;
  std::string prefix_, slot_, publication_, autocreate_, db_;
  SnapshotMode snapshot_mode_ = SnapshotMode::Initial;
  int max_batch_ = 2048;
  int max_queue_ = 8192;
  std::int64_t max_queue_bytes_ = 0;
  std::size_t batch_bytes_ = 0;  // source bytes behind the records of the current poll
  int poll_interval_ms_ = 500;
  int status_interval_ms_ = 10000;
  int heartbeat_interval_ms_ = 0;
  std::string heartbeat_query_;
  std::string heartbeat_prefix_ = "__debezium-heartbeat";  // topic.heartbeat.prefix
  std::string tx_topic_;                                   // <topic.prefix>.<topic.transaction>
  bool tombstones_ = true;
  bool tx_metadata_ = false;
  bool drop_slot_on_stop_ = false;
  std::string skipped_ops_ = "t";
  std::map<std::string, std::string> select_overrides_;
  std::unique_ptr<cdc::TableFilters> filters_;
  ValueModes modes_;
  std::string version_ = "2.7.4.Final";

  // State. The connections are written under conn_mu_ by the thread that uses them, which reads
  // them without it; the canceller reads them under it.
  std::shared_ptr<Connection> sql_;   // catalog and snapshot
  std::shared_ptr<Connection> repl_;  // walsender
  TypeCatalog types_;
  PartitionPtr partition_;
  std::unique_ptr<Snapshot> snap_;
  bool streaming_ = false;
  bool done_ = false;  // initial_only after its snapshot
  std::atomic<bool> stopping_{false};

  // Streaming position.
  std::map<std::uint32_t, RelationMsg> relations_;
  std::map<std::uint32_t, std::unique_ptr<TableSchema>> tables_;
  std::unique_ptr<Txn> txn_;
  std::optional<Lsn> last_commit_end_;  // end LSN of the last commit seen ("sequence" [0])
  Lsn received_ = 0;                    // highest WAL position received
  Lsn confirmed_ = 0;                   // flush LSN reported to the server
  Lsn pending_confirm_ = 0;             // what commit() allows to confirm next
  std::int64_t last_status_ms_ = 0;
  std::int64_t last_heartbeat_ms_ = 0;
  // Resume: skip what the committed offset says was delivered.
  std::optional<Lsn> resume_commit_;  // lsn_commit of the offset
  std::optional<std::int64_t> resume_txid_;
  Lsn resume_lsn_ = 0;
  // Committed transactions whose last record may still be in flight, in commit order.
  std::deque<EmittedTxn> unconfirmed_;
  // Whether a record emitted may not be durable yet: until then the commits of transactions
  // without records are not confirmed at once (they wait for an offset after them).
  bool records_outstanding_ = false;
  // The last transaction committed in the stream, captured or not: heartbeats carry its xid and
  // commit time (as Debezium's offset after a commit does).
  std::int64_t last_txn_xid_ = 0;
  std::int64_t last_txn_us_ = 0;
  // The position of the last record emitted (where a reconnect resumes).
  struct Position {
    std::int64_t xid = 0;
    Lsn lsn = 0;
    std::int64_t commit_us = 0;
    std::optional<Lsn> last_commit;
  };
  std::optional<Position> last_emitted_;
  // The offsets of the current transaction's changes (a LazyOffset's source): its position with
  // `lsn` the argument. A map built and freed per change cost the task about 2,000 instructions.
  class TxnOffsets;
  std::shared_ptr<const TxnOffsets> txn_offsets_;

  std::unique_ptr<PgMetrics> metrics_;
  // The queue between the reader and poll() (connectors/common).
  cdc::ChangeEventQueue queue_;
  std::thread reader_;
  std::mutex mu_;                    // guards commits_
  std::condition_variable stop_cv_;  // stop(), for waits between attempts to take the slot
  std::vector<std::pair<OffsetMap, OffsetMap>> commits_;  // handed over by commit()
  // Connection loss: when to try again and how many attempts failed in a row.
  std::optional<std::int64_t> reconnect_at_ms_;
  int failed_attempts_ = 0;
  std::int64_t last_slot_check_ms_ = 0;
  // Cancelling on stop(): the canceller thread and when it is to end, guarded by conn_mu_.
  std::mutex conn_mu_;
  std::condition_variable cancel_cv_;
  std::thread canceller_;
  bool cancel_done_ = false;
};

}  // namespace tributary::pg
