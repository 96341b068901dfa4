// The MySQL / MariaDB source task: a consistent snapshot of the captured tables, then the binlog
// from the position the snapshot read under its lock, emitting Debezium-format change events.
//
// Phases: start() reads the config and the committed offset, connects and checks the server, and
// decides on a snapshot from snapshot.mode and the offset. A reader thread then snapshots (op r,
// the snapshot markers; FLUSH TABLES WITH READ LOCK while the position and the schema are read
// under snapshot.locking.mode=minimal, for the whole snapshot under extended, none at all under
// none; START TRANSACTION WITH CONSISTENT SNAPSHOT for the rows) and streams the binlog (ROWS
// events v1 and v2, TRUNCATE, heartbeats), and queues batches for poll().
//
// Offsets (docs/MYSQL.md): `file` and `pos` are where a restart reads from (the start of the
// transaction being read, or the event after the last transaction), `event` counts the row
// events of that transaction already delivered and `row` the rows of the next one, so a restart
// skips exactly what was delivered: nothing is lost and nothing delivered before the last
// committed offset is sent again.
//
// Threading (Debezium's ChangeEventQueue shape, as the PostgreSQL task): start() runs on the
// task thread; the reader thread owns the connections, the binlog client and all streaming
// state; poll() takes queued batches on the task thread. stop() (any thread) sets a flag the
// reader checks between events, closes the queue and interrupts the reader's connections (a
// shutdown() of their sockets, under conn_mu_, which the reader takes only to replace them), so
// a blocked read or SELECT returns at once. The destructor joins the reader.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "binlog_client.h"
#include "binlog_position.h"
#include "change_event_queue.h"
#include "debezium_events.h"
#include "mysql_config.h"
#include "mysql_connection.h"
#include "mysql_metrics.h"
#include "mysql_schema.h"
#include "mysql_schema_changes.h"
#include "struct_pool.h"
#include "tributary/connector.h"

namespace tributary::mysql {

/// Which Debezium connector class the task stands for: MySqlConnector (on MariaDB it writes no
/// GTIDs and no transaction metadata, as the real one) or MariaDbConnector (MariaDB GTIDs in
/// source.gtid and the offsets, transaction metadata from the GTID events).
enum class Flavor { MySql, MariaDb };

class MySqlTask : public SourceTask {
 public:
  explicit MySqlTask(Flavor flavor) : flavor_(flavor) {}
  ~MySqlTask() override;
  void start(const ConfigMap& props, SourceTaskContext& context) override;
  void poll(std::vector<SourceRecord>& out) override;
  void stop() override;
  /// Task thread: the records go back to the reader thread, which built them, to be freed.
  void recycle(std::vector<SourceRecord>& spent) override { queue_.recycle(spent); }

 private:
  struct Mapped;  // a TABLE_MAP of a captured table

  void reader_loop();
  /// The snapshot: rows of every captured table into the queue; sets stream_ to its position.
  void snapshot(bool with_data);
  /// Streams from stream_ until stopped; throws on failure (SqlError for a lost connection).
  void stream();
  void handle(const MARIADB_RPL_EVENT& ev, std::vector<SourceRecord>& out);
  void handle_rows(const MARIADB_RPL_EVENT& ev, std::uint64_t event_pos,
                   std::vector<SourceRecord>& out);
  void handle_query(const MARIADB_RPL_EVENT& ev, std::uint64_t event_pos, std::uint64_t next_pos,
                    std::vector<SourceRecord>& out);
  /// A schema change: its record on the schema change topic (include.schema.changes) into
  /// `out`, and its document on the schema history topic (written and acknowledged first).
  /// `source` is the change's Source struct, `offset` the record's offset, `position` the
  /// history's.
  void schema_change(const std::string& database, const std::string& ddl,
                     const std::vector<TableChange>& changes, Value source, const OffsetMap& offset,
                     const OffsetMap& position, std::vector<SourceRecord>& out);
  /// Reads the schema history back up to the stored position: the table definitions in force
  /// there. False when the history topic is empty.
  bool recover_history(const BinlogPosition& upto);
  /// `committed`: an XID or COMMIT ends the group (the END record is written), not a DDL.
  void end_transaction(std::uint64_t next_pos, std::vector<SourceRecord>& out, bool committed);
  /// Adds a "domain-server-seq" GTID read from the binlog to `state`.
  static void apply_gtid(GtidState& state, const std::string& gtid);
  void maybe_heartbeat(std::vector<SourceRecord>& out, bool force = false);
  void flush(std::vector<SourceRecord>& out, std::size_t bytes);
  /// The table schema of db.table (built on first use from the server's definition), or null
  /// when the table is not captured.
  TableSchema* table(const std::string& db, const std::string& name);
  void reload_table(const std::string& db, const std::string& name);
  /// The definition the server has now (SHOW CREATE TABLE, parsed), with its text in `text`;
  /// none for a table that does not exist.
  std::optional<TableDef> server_definition(const std::pair<std::string, std::string>& name,
                                            std::string* text = nullptr);
  /// The definition of a tracked table, captured or not.
  std::optional<TableDef> definition(const std::pair<std::string, std::string>& name) const;
  /// Keeps `def`: a TableSchema if the table is captured, else among others_.
  void put_definition(const TableDef& def);
  void forget_definition(const std::pair<std::string, std::string>& name);
  /// Whether streaming can resume at `stored` on this server (its binlog still holds it); for
  /// MariaDbConnector on another binlog than the offset's, by GTID (sets by_gtid_).
  bool can_resume(Connection& sql, const BinlogPosition& stored);
  std::unique_ptr<Connection> connect_sql();
  void set_sql(std::unique_ptr<Connection> c);
  void set_binlog(std::unique_ptr<BinlogClient> b);
  OffsetMap restart_offset() const;
  /// `pos` in the binlog file being read, with the event's server and time and, for
  /// MariaDbConnector, the GTID state completed so far.
  BinlogPosition position(std::uint64_t pos) const;
  /// The same into `p`, reusing its strings' storage (once per record).
  void set_position(BinlogPosition& p, std::uint64_t pos) const;
  /// The Source of a record of the binlog event being read (it starts at `pos`).
  SourceInfo stream_source(std::uint64_t pos, std::int32_t row) const;
  /// The Source of a snapshot record (`at`: the position read under the lock).
  SourceInfo snapshot_source(const BinlogPosition& at, std::int64_t ts_ms,
                             std::string_view marker) const;
  /// One record of the event being read; `now_ns`: the clock read once for the event's rows.
  void emit(TableSchema& t, char op, Value before, Value after, std::int32_t row,
            std::int64_t now_ns, std::vector<Header> headers, std::vector<SourceRecord>& out);
  std::int64_t now_ms() const;
  /// Waits `ms`, or less when stop() comes (checked every 50 ms).
  void sleep_unless_stopped(std::int64_t ms);
  bool mariadb() const { return flavor_ == Flavor::MariaDb; }
  std::int64_t now_ns() const;

  Flavor flavor_;
  ConfigMap props_;
  SourceTaskContext* context_ = nullptr;
  ConnectionSettings settings_;
  std::string prefix_, version_ = "2.7.4.Final";
  std::uint32_t server_id_ = 0;
  SnapshotMode snapshot_mode_ = SnapshotMode::Initial;
  LockingMode locking_ = LockingMode::Minimal;
  std::int64_t lock_timeout_ms_ = 10000;
  std::int64_t retry_wait_ms_ = 10000;
  int max_retries_ = -1;
  int keepalive_ms_ = 60000;
  int poll_interval_ms_ = 500;
  std::int64_t heartbeat_interval_ms_ = 0;
  std::string heartbeat_query_, heartbeat_prefix_, tx_topic_;
  bool tombstones_ = true, tx_metadata_ = false, include_query_ = false, ignore_builtin_ = true;
  bool skip_unparseable_ = false;
  bool include_schema_changes_ = true;
  SchemaPtr schema_change_schema_;
  std::unique_ptr<KafkaLog> history_;
  bool recover_ = false;  // read the history back before streaming (a resume)
  std::string skipped_ops_ = "t";
  std::string inconsistent_mode_ = "fail";
  std::map<std::string, std::string> select_overrides_;
  std::unique_ptr<cdc::TableFilters> filters_;
  SchemaScope scope_;  // what is captured, and what is kept and recorded beside it
  ValueModes modes_;
  PartitionPtr partition_;

  // Reader state.
  std::optional<OffsetMap> committed_;  // the offset at start
  bool need_snapshot_ = false;
  bool schema_only_ = false;                       // no_data / recovery: the schema without rows
  bool snapshot_only_ = false;                     // initial_only
  BinlogPosition stream_;                          // where streaming starts
  BinlogPosition record_pos_;                      // emit()'s scratch for a record's offset
  std::shared_ptr<const RowOffsets> row_offsets_;  // the offsets of the current event's rows
  std::array<std::vector<BinlogValue>, 2> image_;  // a row's (and an UPDATE's after-image)
  // The Source block of the current event's first record: the event's further records copy it
  // and set their row (building 17 fields per record was a tenth of the reader's work).
  std::uint64_t events_handled_ = 0;  // handle()'s count, which tells one event from the next
  std::uint64_t source_event_ = 0;
  const TableSchema* source_table_ = nullptr;
  std::shared_ptr<const Value::StructData> source_proto_;
  // The structs of spent batches, for the next records' (take_spent() in flush()); bounded by
  // start() to one batch's.
  cdc::StructPool pool_;
  cdc::RecordShells shells_;       // the records of spent batches, for the next records'
  bool by_gtid_ = false;           // open at stream_.gtids, not file / pos (until a GTID is read)
  std::uint64_t skip_events_ = 0;  // of the first transaction read (resume)
  std::uint64_t skip_rows_ = 0;
  std::map<std::string, std::unique_ptr<TableSchema>> tables_;  // by db.table
  std::map<std::string, bool> known_;                           // db.table -> captured
  std::map<std::string, TableDef> others_;  // tracked tables not captured, by db.table
  std::map<std::uint64_t, std::shared_ptr<Mapped>> table_maps_;  // by table id
  // The position being read.
  std::string file_;
  std::uint64_t txn_pos_ = 0;  // restart position: start of the transaction, or next event
  bool in_txn_ = false;
  bool txn_seen_ = false;           // a transaction began since the binlog was opened
  bool standalone_ = false;         // a MariaDB GTID without COMMIT (DDL)
  bool txn_begun_ = false;          // the transaction's BEGIN record is out (tx metadata)
  std::uint64_t txn_events_ = 0;    // row events of the transaction read so far
  std::int64_t event_ts_sec_ = 0;   // time of the event being read
  std::uint64_t event_server_ = 0;  // server id of the event being read
  std::uint64_t event_pos_ = 0;     // start of the row event being read
  std::int32_t last_row_ = 0;       // index of the last row of the last captured row event
  std::string gtid_;                // GTID of the transaction ("" if none)
  GtidState gtids_;                 // completed before the transaction
  std::string query_;               // Annotate_rows statement of the next row events
  std::string txn_id_;
  cdc::TransactionCounts txn_counts_;
  std::int64_t last_heartbeat_ms_ = 0;
  std::size_t batch_bytes_ = 0;

  std::unique_ptr<MySqlMetrics> metrics_;
  cdc::ChangeEventQueue queue_;
  std::thread reader_;
  std::atomic<bool> stopping_{false};
  std::mutex conn_mu_;  // guards sql_ and binlog_ pointers (interrupt from stop())
  std::unique_ptr<Connection> sql_;
  std::unique_ptr<BinlogClient> binlog_;
};

}  // namespace tributary::mysql
