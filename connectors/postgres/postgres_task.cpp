#include "postgres_task.h"

#include <poll.h>
#include <pthread.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <iterator>
#include <stdexcept>
#include <thread>

#include "debezium_events.h"
#include "pg_text.h"

namespace tributary::pg {
namespace {

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::int64_t wall_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string quote_ident(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string quote_literal(const std::string& s) {
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::vector<Cell> cells_of(const Tuple& t) {
  std::vector<Cell> cells(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    switch (t[i].kind) {
      case TupleValue::Kind::Null: cells[i].kind = Cell::Kind::Null; break;
      case TupleValue::Kind::UnchangedToast: cells[i].kind = Cell::Kind::UnchangedToast; break;
      default: cells[i].kind = Cell::Kind::Text; cells[i].text = t[i].data;
    }
  }
  return cells;
}

constexpr const char* kLogger = "io.debezium.connector.postgresql";

/// The replication stream ended or broke (server restart, network): the task reconnects.
struct StreamLost : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The slot a stored offset is to be resumed from is gone: the task fails, also on a reconnect.
struct SlotLost : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The replication slot is active in another session (pid): taking_slot() tries again.
struct SlotBusy : std::runtime_error {
  SlotBusy(const std::string& message, std::string pid)
      : std::runtime_error(message), pid(std::move(pid)) {}
  std::string pid;
};

/// stop() came while the task connected or waited for the slot.
struct Stopped : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The server's "object in use" (55006), as for a slot another walsender streams from.
constexpr const char* kObjectInUse = "55006";

/// The pid in PostgreSQL's "replication slot \"s\" is active for PID 1234", or "?".
std::string pid_in(const std::string& message) {
  const auto at = message.find("for PID ");
  if (at == std::string::npos) return "?";
  size_t end = at + 8;
  while (end < message.size() && std::isdigit(static_cast<unsigned char>(message[end]))) ++end;
  return end > at + 8 ? message.substr(at + 8, end - at - 8) : "?";
}

}  // namespace

// A snapshot in progress: the tables still to read, the open cursor, and one row of look-ahead
// so that each record's source.snapshot marker (first, last_in_data_collection, ...) is known
// before it is returned.
struct PostgresTask::Snapshot {
  std::vector<TableDef> tables;
  size_t next_table = 0;
  std::unique_ptr<TableSchema> current;
  bool copy_open = false;    // COPY (SELECT ...) TO STDOUT of `current` under way
  std::vector<int> col_map;  // def column -> result column (-1: absent)
  std::vector<std::optional<std::string_view>> fields;  // the current COPY row
  std::vector<std::string> scratch;                     // its fields with escapes, decoded
  bool first_in_table = false;
  Lsn lsn = 0;
  std::int64_t txid = 0;
  std::int64_t ts_us = 0;
  std::optional<SourceRecord> pending;
  bool pending_first_in_table = false;
  bool emitted_any = false;
  std::int64_t current_rows = 0;  // rows read of the current table
  std::string exported;           // the slot's exported snapshot name, if any
  OffsetMap offset;               // every row's offset but the last's
  Value source;                   // every row's source block of `current` but the marked ones'
  std::vector<Cell> cells;        // the current row's cells (reused)
};

// The transaction being streamed.
struct PostgresTask::Txn {
  std::int64_t xid = 0;
  Lsn final_lsn = 0;
  std::int64_t commit_us = 0;
  bool skip = false;  // already delivered before a restart
  cdc::TransactionCounts counts;
  std::optional<Lsn> first_lsn;
  Lsn last_lsn = 0;
};

PostgresTask::PostgresTask() = default;

PostgresTask::~PostgresTask() {
  stop();
  if (reader_.joinable()) reader_.join();
  // Nothing blocks on the connections any more: the canceller ends before they are used below
  // (the final confirm and the slot's drop must not meet a late cancel).
  {
    std::lock_guard lk(conn_mu_);
    cancel_done_ = true;
  }
  cancel_cv_.notify_all();
  if (canceller_.joinable()) canceller_.join();
  // The worker's last commit() (after its final flush) reaches the slot here.
  try {
    if (repl_ && PQstatus(repl_->raw()) == CONNECTION_OK) apply_commits();
  } catch (const std::exception&) {
  }
  if (drop_slot_on_stop_ && repl_) {
    try {
      repl_.reset();
      if (sql_) sql_->exec("SELECT pg_drop_replication_slot(" + quote_literal(slot_) + ")");
    } catch (const std::exception&) {
    }
  }
}

class PostgresTask::TxnOffsets : public OffsetSource {
 public:
  explicit TxnOffsets(Position p) : p_(std::move(p)) {}
  /// Whether `p` differs from this transaction's position in its LSN at most.
  bool covers(const Position& p) const {
    return p.xid == p_.xid && p.commit_us == p_.commit_us && p.last_commit == p_.last_commit;
  }
  OffsetMap offset(std::uint64_t lsn) const override {
    Position p = p_;
    p.lsn = lsn;
    return offset_of(p);
  }

 private:
  Position p_;
};

void PostgresTask::start(const ConfigMap& props, SourceTaskContext& context) {
  props_ = props;
  context_ = &context;
  Config c(postgres_config_def(), props);
  prefix_ = c.get_string("topic.prefix");
  slot_ = c.get_string("slot.name");
  publication_ = c.get_string("publication.name");
  autocreate_ = c.get_string("publication.autocreate.mode");
  db_ = c.get_string("database.dbname");
  snapshot_mode_ = parse_snapshot_mode(c.get_string("snapshot.mode"));
  max_batch_ = std::max(1, c.get_int("max.batch.size"));
  max_queue_ = std::max(1, c.get_int("max.queue.size"));
  max_queue_bytes_ = c.get_long("max.queue.size.in.bytes");
  queue_.configure(max_batch_, max_queue_, max_queue_bytes_);
  if (auto e = check_queue_size(props)) throw ConfigError("max.queue.size", *e);
  const auto unsupported = cdc::check_unsupported(props, postgres_unsupported_keys());
  for (const auto& [key, error] : unsupported.errors) throw ConfigError(key, error);
  for (const auto& w : unsupported.warnings) context.log(LogLevel::Warn, kLogger, w);
  poll_interval_ms_ = std::max(1, c.get_int("poll.interval.ms"));
  status_interval_ms_ = std::max(1, c.get_int("status.update.interval.ms"));
  heartbeat_interval_ms_ = c.get_int("heartbeat.interval.ms");
  heartbeat_query_ = c.get_string("heartbeat.action.query");
  heartbeat_prefix_ = c.get_string("topic.heartbeat.prefix");
  tx_topic_ = prefix_ + "." + c.get_string("topic.transaction");
  retry_wait_ms_ = c.get_long("retriable.restart.connector.wait.ms");
  max_retries_ = c.get_int("errors.max.retries");
  slot_max_retries_ = c.get_int("slot.max.retries");
  slot_retry_delay_ms_ = c.get_long("slot.retry.delay.ms");
  tombstones_ = c.get_bool("tombstones.on.delete");
  tx_metadata_ = c.get_bool("provide.transaction.metadata");
  drop_slot_on_stop_ = c.get_bool("slot.drop.on.stop");
  skipped_ops_ = c.get_string("skipped.operations");
  if (skipped_ops_ == "none") skipped_ops_.clear();
  for (const auto& [key, error] : check_select_overrides(props)) throw ConfigError(key, error);
  for (const auto& t : c.get_list("snapshot.select.statement.overrides"))
    select_overrides_[t] = props.at("snapshot.select.statement.overrides." + t);
  try {
    filters_ = std::make_unique<cdc::TableFilters>(props, "schema");
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    throw ConfigError(what.substr(0, what.find(':')), what);
  }
  modes_ = ValueModes::from(props);
  metrics_ = std::make_unique<PgMetrics>(context, prefix_, slot_, max_queue_, max_queue_bytes_);

  OffsetMap partition = OffsetMap::object();
  partition["server"] = prefix_;
  partition_ = std::make_shared<const OffsetMap>(partition);
  try {
    open(context.committed_offset(partition), false);
  } catch (const std::exception& e) {
    if (!stopping_) throw;
    // stop() came while connecting, waiting for the slot, or cancelled a statement: not a
    // failure of the task, which ends with nothing to poll.
    context.log(LogLevel::Info, kLogger, std::string("stopped while starting: ") + e.what());
    queue_.end();
    return;
  }
  reader_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "pg-reader");
    reader_loop();
  });
}

void PostgresTask::open(const std::optional<OffsetMap>& offset, bool reconnecting) {
  // Everything a previous connection left behind.
  set_connections(nullptr, nullptr);
  snap_.reset();
  streaming_ = false;
  done_ = false;
  relations_.clear();
  tables_.clear();
  txn_.reset();
  received_ = 0;
  resume_commit_.reset();
  resume_txid_.reset();
  resume_lsn_ = 0;

  const Config c(postgres_config_def(), props_);
  const auto settings = ConnectionSettings::from(props_);
  set_connections(std::make_shared<Connection>(settings, false, "tributary-" + slot_),
                  std::make_shared<Connection>(settings, true, stream_application_name(slot_)));
  // A stop() during the connects found nothing to cancel.
  if (stopping_) throw Stopped("stopped while connecting to PostgreSQL");
  for (const auto& stmt : c.get_list("database.initial.statements")) sql_->exec(stmt);
  types_ = load_types(*sql_);
  ensure_publication();

  std::optional<StoredPosition> stored;
  if (offset) {
    stored = read_position(*offset);
    if (!stored->in_snapshot) {
      resume_commit_ = stored->lsn_commit;
      resume_txid_ = stored->txid;
      resume_lsn_ = stored->lsn;
      if (resume_commit_) last_commit_end_ = resume_commit_;
      last_txn_xid_ = stored->txid.value_or(0);
      last_txn_us_ = stored->ts_usec;
    }
  }
  const bool snapshot_done = stored && stored->snapshot_done;
  const Result slot = sql_->exec(
      "SELECT confirmed_flush_lsn, restart_lsn FROM pg_replication_slots "
      "WHERE slot_name = $1 AND database = $2",
      {slot_, db_});
  const bool slot_exists = slot.rows() > 0;
  bool want_snapshot = false;
  switch (snapshot_mode_) {
    case SnapshotMode::Initial:
    case SnapshotMode::InitialOnly: want_snapshot = !snapshot_done; break;
    // `always` snapshots at each start of the task, not again on a reconnect after it finished
    // unless the slot went away meanwhile (as a restart of the task would).
    case SnapshotMode::Always:
      want_snapshot = !(reconnecting && snapshot_done) || !slot_exists;
      break;
    case SnapshotMode::NoData:
    case SnapshotMode::Recovery:
      want_snapshot = false;
      break;  // Recovery: not a PostgreSQL mode
    // Also when the slot the offset refers to is gone: its position cannot be streamed from.
    case SnapshotMode::WhenNeeded: want_snapshot = !offset || !snapshot_done || !slot_exists; break;
  }
  if (snapshot_mode_ == SnapshotMode::InitialOnly && snapshot_done) {
    done_ = true;
    return;
  }
  if (snapshot_done && !slot_exists && want_snapshot && snapshot_mode_ == SnapshotMode::WhenNeeded)
    context_->log(LogLevel::Warn, kLogger,
                  "Replication slot '" + slot_ + "' of database '" + db_ +
                      "' does not exist, but the connector has a stored offset (lsn " +
                      format_lsn(stored->furthest) +
                      "): taking a new snapshot (snapshot.mode=when_needed)");
  if (snapshot_done && !want_snapshot) {
    // The changes after the stored position must come from the slot. A new slot would only
    // hold those from now on: fail rather than skip what happened in between, unless this
    // task's own last stop dropped it (slot.drop.on.stop accepts that gap).
    if (!slot_exists && (reconnecting || !drop_slot_on_stop_))
      throw SlotLost(missing_slot_message(slot_, db_, context_->connector_name(), *stored));
    if (!slot_exists)
      context_->log(LogLevel::Warn, kLogger,
                    "Replication slot '" + slot_ + "' of database '" + db_ +
                        "' does not exist (slot.drop.on.stop=true): creating it; the changes "
                        "since the stored offset (lsn " +
                        format_lsn(stored->furthest) + ") are not streamed");
    if (slot_exists && !slot.is_null(0, 0) && !slot.is_null(0, 1)) {
      const SlotState state{parse_lsn(slot.get(0, 0)), parse_lsn(slot.get(0, 1))};
      const auto here = reconnecting ? std::optional<Lsn>(confirmed_) : std::nullopt;
      if (auto warning = slot_ahead_warning(slot_, db_, state, *stored, here))
        context_->log(LogLevel::Warn, kLogger, *warning);
    }
  }
  if (want_snapshot) snap_ = std::make_unique<Snapshot>();
  taking_slot([&] {
    prepare_slot_and_snapshot();
    if (!snap_) start_streaming();
  });
}

void PostgresTask::taking_slot(const std::function<void()>& step) {
  for (int retry = 0;; ++retry) {
    try {
      step();
      return;
    } catch (const SlotBusy& e) {
      if (stopping_) throw Stopped("stopped while taking replication slot '" + slot_ + "'");
      const std::string busy =
          "Replication slot '" + slot_ + "' is active in another session (pid " + e.pid + ")";
      if (retry >= slot_max_retries_)
        throw ConfigError(
            "slot.name", busy + "; stop the other consumer or choose another slot.name (tried " +
                             std::to_string(retry + 1) +
                             " times, slot.retry.delay.ms=" + std::to_string(slot_retry_delay_ms_) +
                             " apart; slot.max.retries=" + std::to_string(slot_max_retries_) + ")");
      context_->log(LogLevel::Warn, kLogger,
                    busy + "; trying again in " + std::to_string(slot_retry_delay_ms_) +
                        " ms (retry " + std::to_string(retry + 1) + " of " +
                        std::to_string(slot_max_retries_) + ", slot.max.retries)");
      if (!sleep_unless_stopped(slot_retry_delay_ms_))
        throw Stopped("stopped while waiting for replication slot '" + slot_ + "'");
    }
  }
}

bool PostgresTask::sleep_unless_stopped(std::int64_t ms) {
  std::unique_lock lk(mu_);
  return !stop_cv_.wait_for(lk, std::chrono::milliseconds(ms), [&] { return stopping_.load(); });
}

void PostgresTask::set_connections(std::shared_ptr<Connection> sql,
                                   std::shared_ptr<Connection> repl) {
  // The old ones are freed after the lock, unless the canceller still holds them for a moment.
  std::shared_ptr<Connection> old_sql, old_repl;
  std::lock_guard lk(conn_mu_);
  old_sql.swap(sql_);
  old_repl.swap(repl_);
  sql_ = std::move(sql);
  repl_ = std::move(repl);
}

std::optional<OffsetMap> PostgresTask::resume_position() const {
  if (last_emitted_) return offset_of(*last_emitted_);
  if (metrics_->snapshot_completed || snapshot_mode_ == SnapshotMode::NoData) {
    // Nothing streamed yet: start where the slot is, with no snapshot.
    OffsetMap o = OffsetMap::object();
    o["snapshot"] = true;
    o["last_snapshot_record"] = true;
    return o;
  }
  return context_->committed_offset(*partition_);
}

bool PostgresTask::reconnect() {
  if (steady_ms() < *reconnect_at_ms_) return false;
  try {
    open(resume_position(), true);
    context_->log(LogLevel::Info, kLogger,
                  "reconnected to PostgreSQL (attempt " + std::to_string(failed_attempts_ + 1) +
                      "); resuming " + (snap_ ? "with a snapshot" : "the stream"));
    reconnect_at_ms_.reset();
    failed_attempts_ = 0;
    return true;
  } catch (const SlotLost&) {
    throw;  // trying again cannot bring the changes back
  } catch (const std::exception& e) {
    if (stopping_) return false;  // cut by stop(): the reader ends
    ++failed_attempts_;
    if (max_retries_ >= 0 && failed_attempts_ > max_retries_)
      throw std::runtime_error(
          "Could not reconnect to PostgreSQL after " + std::to_string(failed_attempts_) +
          " attempts (errors.max.retries=" + std::to_string(max_retries_) + "): " + e.what());
    context_->log(LogLevel::Warn, kLogger,
                  "reconnecting to PostgreSQL failed (attempt " + std::to_string(failed_attempts_) +
                      "), next try in " + std::to_string(retry_wait_ms_) + " ms: " + e.what());
    reconnect_at_ms_ = steady_ms() + retry_wait_ms_;
    return false;
  }
}

void PostgresTask::ensure_publication() {
  auto r = sql_->exec("SELECT puballtables FROM pg_publication WHERE pubname = $1", {publication_});
  if (r.rows() > 0 && autocreate_ != "filtered") return;
  if (autocreate_ == "disabled") {
    if (r.rows() == 0)
      throw ConfigError("publication.name",
                        "Publication '" + publication_ + "' does not exist in database " + db_ +
                            " and publication.autocreate.mode is disabled; create it "
                            "(CREATE PUBLICATION " +
                            publication_ + " FOR ALL TABLES) or enable auto-creation");
    return;
  }
  std::string tables;
  if (autocreate_ == "filtered") {
    for (const auto& t : load_tables(*sql_)) {
      if (!filters_->table_included(t.schema, t.table)) continue;
      tables += (tables.empty() ? "" : ", ") + quote_ident(t.schema) + "." + quote_ident(t.table);
    }
  }
  try {
    if (autocreate_ == "all_tables") {
      sql_->exec("CREATE PUBLICATION " + quote_ident(publication_) + " FOR ALL TABLES");
    } else if (autocreate_ == "no_tables") {
      if (r.rows() == 0) sql_->exec("CREATE PUBLICATION " + quote_ident(publication_));
    } else if (r.rows() == 0) {
      sql_->exec("CREATE PUBLICATION " + quote_ident(publication_) +
                 (tables.empty() ? "" : " FOR TABLE " + tables));
    } else if (!tables.empty()) {
      sql_->exec("ALTER PUBLICATION " + quote_ident(publication_) + " SET TABLE " + tables);
    }
  } catch (const std::exception& e) {
    throw ConfigError("publication.autocreate.mode",
                      "Cannot create or update publication '" + publication_ + "': " + e.what());
  }
}

void PostgresTask::prepare_slot_and_snapshot() {
  auto r = sql_->exec(
      "SELECT confirmed_flush_lsn, active, active_pid FROM pg_replication_slots "
      "WHERE slot_name = $1 AND database = $2",
      {slot_, db_});
  bool exists = r.rows() > 0;
  if (exists && r.get(0, 1) == "t")
    throw SlotBusy("replication slot '" + slot_ + "' is active", r.get(0, 2));
  if (exists && !r.is_null(0, 0)) confirmed_ = parse_lsn(r.get(0, 0));
  if (!exists) {
    std::optional<Result> made;
    try {
      made = repl_->exec("CREATE_REPLICATION_SLOT " + quote_ident(slot_) + " LOGICAL pgoutput " +
                         (snap_ ? "EXPORT_SNAPSHOT" : "NOEXPORT_SNAPSHOT"));
    } catch (const DbError& e) {
      if (e.sqlstate == kObjectInUse) throw SlotBusy(e.what(), pid_in(e.what()));
      throw;
    }
    const Result& created = *made;
    confirmed_ = parse_lsn(created.get(0, 1));
    if (snap_ && !created.is_null(0, 2)) snap_->exported = created.get(0, 2);
  }
  if (!snap_) return;
  // The snapshot transaction: the slot's exported snapshot when the slot was just created, so
  // that the snapshot and the stream meet exactly at the slot's consistent point.
  if (!snap_->exported.empty()) {
    sql_->exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    sql_->exec("SET TRANSACTION SNAPSHOT " + quote_literal(snap_->exported));
    snap_->lsn = confirmed_;
  } else {
    sql_->exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    snap_->lsn = parse_lsn(sql_->exec("SELECT pg_current_wal_lsn()").get(0, 0));
  }
  snap_->txid = std::stoll(sql_->exec("SELECT txid_current()").get(0, 0));
  snap_->ts_us = wall_us();
  for (auto& t : load_tables(*sql_))
    if (filters_->table_included(t.schema, t.table)) snap_->tables.push_back(std::move(t));
  metrics_->snapshot_running = true;
  metrics_->snapshot_aborted = false;  // a snapshot cut by a lost connection starts again
  metrics_->snapshot_completed = false;
  metrics_->snapshot_start_ms = wall_us() / 1000;
  metrics_->snapshot_end_ms = 0;
  metrics_->total_tables = metrics_->remaining_tables = static_cast<int>(snap_->tables.size());
  for (const auto& t : snap_->tables) metrics_->set_rows_scanned(t.id(), 0);
}

void PostgresTask::poll(std::vector<SourceRecord>& out) {
  queue_.poll(out, context_->poll_wait(std::chrono::milliseconds(poll_interval_ms_)));
}

void PostgresTask::reader_loop() {
  std::vector<SourceRecord> batch;
  try {
    // A lost connection while confirming is found and handled by the next fill().
    auto quietly = [](auto&& f) {
      try {
        f();
      } catch (const std::exception&) {
      }
    };
    while (!stopping_) {
      quietly([&] { apply_commits(); });
      if (!queue_.wait_for_room(std::chrono::milliseconds(100))) {
        // poll() has not taken a batch yet; meanwhile keep the walsender's timeout at bay.
        if (streaming_ && repl_ && steady_ms() - last_status_ms_ >= status_interval_ms_)
          quietly([&] { send_status(false); });
        continue;
      }
      batch.clear();  // after the move: valid but unspecified
      // A batch the worker is done with: its records are freed here, on the thread that built
      // them, and its vector holds the next batch.
      queue_.take_spent(batch);
      batch.clear();
      batch.reserve(static_cast<size_t>(queue_.read_ahead()));
      batch_bytes_ = 0;
      fill(batch);
      queue_.push(std::move(batch), batch_bytes_);
    }
    if (snap_ && !metrics_->snapshot_completed && !metrics_->snapshot_aborted) {
      metrics_->snapshot_aborted = true;
      metrics_->snapshot_running = false;
      metrics_->publish(queue_.records(), queue_.bytes());
    }
  } catch (const std::exception& e) {
    // After stop() the error is most likely the cancel of what was running: the task ends, it
    // does not fail.
    if (!stopping_)
      queue_.fail(std::current_exception());
    else
      context_->log(LogLevel::Info, kLogger, std::string("stopped while reading: ") + e.what());
  } catch (...) {
    queue_.fail(std::current_exception());
  }
  queue_.end();
}

void PostgresTask::fill(std::vector<SourceRecord>& out) {
  if (reconnect_at_ms_ && !reconnect()) {
    for (int i = 0; i < poll_interval_ms_ / 100 && !stopping_; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    metrics_->publish(queue_.records(), queue_.bytes());
    return;
  }
  try {
    if (done_) {
      for (int i = 0; i < poll_interval_ms_ / 100 && !stopping_; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } else if (snap_) {
      poll_snapshot(out);
    } else {
      poll_stream(out);
    }
    publish_metrics(out);
  } catch (const std::exception& e) {
    if (stopping_) throw;  // a statement cut by stop(): no reconnect
    const bool lost = (repl_ && PQstatus(repl_->raw()) == CONNECTION_BAD) ||
                      (sql_ && PQstatus(sql_->raw()) == CONNECTION_BAD) ||
                      dynamic_cast<const StreamLost*>(&e) != nullptr;
    if (!lost || max_retries_ == 0) throw;
    // The events already in `out` are complete and go out; the rest is read again after the
    // reconnect, from the last of them on.
    context_->log(LogLevel::Warn, kLogger,
                  std::string("lost the connection to PostgreSQL (") + e.what() +
                      "); reconnecting in " + std::to_string(retry_wait_ms_) + " ms");
    metrics_->connected = false;
    if (snap_) {
      metrics_->snapshot_running = false;
      metrics_->snapshot_aborted = true;
    }
    metrics_->publish(queue_.records() + out.size(), queue_.bytes() + batch_bytes_);
    set_connections(nullptr, nullptr);
    streaming_ = false;
    txn_.reset();
    reconnect_at_ms_ = steady_ms() + retry_wait_ms_;
  }
}

void PostgresTask::publish_metrics(const std::vector<SourceRecord>& out) {
  PgMetrics& m = *metrics_;
  if (streaming_ && last_emitted_ && !out.empty()) {
    const std::int64_t now_ms = wall_us() / 1000;
    m.last_event_ms = now_ms;
    m.last_event_lag_ms = std::max<std::int64_t>(0, now_ms - last_emitted_->commit_us / 1000);
    m.last_txid = last_emitted_->xid;
  }
  if (snap_ && snap_->current) m.set_rows_scanned(snap_->current->def().id(), snap_->current_rows);
  m.publish(queue_.records() + out.size(), queue_.bytes() + batch_bytes_);
  // The catalog connection is busy with the snapshot's COPY until the snapshot is done.
  if (snap_ || steady_ms() - last_slot_check_ms_ < 5000) return;
  last_slot_check_ms_ = steady_ms();
  auto r = sql_->exec(
      "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), "
      "pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) "
      "FROM pg_replication_slots WHERE slot_name = $1",
      {slot_});
  if (r.rows() == 1 && !r.is_null(0, 0) && !r.is_null(0, 1))
    m.set_slot(std::stod(r.get(0, 0)), std::stod(r.get(0, 1)));
}

void PostgresTask::poll_snapshot(std::vector<SourceRecord>& out) {
  Snapshot& s = *snap_;
  bool row_first = false;  // whether the row next_row() returned opens its table
  auto next_row = [&]() -> std::optional<SourceRecord> {
    while (true) {
      if (s.copy_open) {
        char* buf = nullptr;
        int n = 0;
        {
          // The server may take long to send the next row (a slow override, a big sort).
          const Connection::Blocking busy(*sql_);
          n = PQgetCopyData(sql_->raw(), &buf, 0);
        }
        if (n > 0) {
          const std::unique_ptr<char, decltype(&PQfreemem)> hold(buf, &PQfreemem);
          split_copy_row(std::string_view(buf, static_cast<size_t>(n)), s.fields, s.scratch);
          row_first = s.first_in_table;
          s.first_in_table = false;
          const TableSchema& t = *s.current;
          std::vector<Cell>& cells = s.cells;
          cells.assign(t.column_count(), Cell{});
          for (size_t i = 0; i < cells.size(); ++i) {
            const int rc = s.col_map[i];
            if (rc < 0 || static_cast<size_t>(rc) >= s.fields.size() || !s.fields[rc]) continue;
            cells[i].kind = Cell::Kind::Text;
            cells[i].text = *s.fields[rc];
          }
          batch_bytes_ += static_cast<size_t>(n);
          ++s.current_rows;
          ++metrics_->snapshot_events;
          Value after = t.row(cells);
          if (s.source.is_null()) {  // the same for every row of the table: built once, shared
            SourceInfo si;
            si.version = version_;
            si.server = prefix_;
            si.db = db_;
            si.ts_us = s.ts_us;
            si.snapshot = "true";
            si.lsn = s.lsn;
            si.tx_id = s.txid;
            s.source = t.source(si);
          }
          SourceRecord rec;
          rec.source_partition = partition_;
          rec.topic = t.topic();
          rec.key_schema = t.key_schema();
          rec.key = t.key(after);
          rec.value_schema = t.envelope_schema();
          rec.value = t.envelope(Value(), std::move(after), s.source, 'r', now_ns());
          return rec;
        }
        if (n == -2)
          throw std::runtime_error("Reading the snapshot of " + s.current->def().id() +
                                   " failed: " + sql_->error());
        // The COPY is done: its final result says whether it succeeded.
        const Result end = [&] {
          const Connection::Blocking busy(*sql_);
          return Result(PQgetResult(sql_->raw()));
        }();
        if (PQresultStatus(end.raw()) != PGRES_COMMAND_OK)
          throw std::runtime_error("The snapshot of " + s.current->def().id() +
                                   " failed: " + sql_->error());
        while (PGresult* extra = PQgetResult(sql_->raw())) PQclear(extra);
        s.copy_open = false;
        continue;
      }
      if (s.current) metrics_->set_rows_scanned(s.current->def().id(), s.current_rows);
      if (s.next_table >= s.tables.size()) return std::nullopt;
      const TableDef& def = s.tables[s.next_table++];
      metrics_->remaining_tables = static_cast<int>(s.tables.size() - s.next_table);
      s.current = std::make_unique<TableSchema>(def, types_, modes_, *filters_, prefix_);
      s.source = Value();
      s.current_rows = 0;
      auto ov = select_overrides_.find(def.id());
      std::string select =
          ov != select_overrides_.end()
              ? ov->second
              : "SELECT * FROM " + quote_ident(def.schema) + "." + quote_ident(def.table);
      while (!select.empty() &&
             (select.back() == ';' || std::isspace(static_cast<unsigned char>(select.back()))))
        select.pop_back();
      // The result's columns, mapped to the table's by name; then the rows through COPY, which
      // the server streams while we convert (no round trip per fetch).
      const Result shape =
          sql_->exec("SELECT * FROM (" + select + ") AS tributary_snapshot LIMIT 0");
      s.col_map.assign(s.current->column_count(), -1);
      for (size_t i = 0; i < s.col_map.size(); ++i)
        s.col_map[i] = PQfnumber(shape.raw(), quote_ident(def.columns[i].name).c_str());
      const Result copy = [&] {
        const Connection::Blocking busy(*sql_);
        return Result(PQexec(sql_->raw(), ("COPY (" + select + ") TO STDOUT").c_str()));
      }();
      if (PQresultStatus(copy.raw()) != PGRES_COPY_OUT)
        throw std::runtime_error("The snapshot of " + def.id() + " failed: " + sql_->error() +
                                 " (in: COPY (" + select + ") TO STDOUT)");
      s.copy_open = true;
      s.first_in_table = true;
    }
  };
  while (!batch_full(out) && !stopping_) {
    std::optional<SourceRecord> next = next_row();
    const bool first_in_table = row_first;
    if (s.pending) {
      // Markers: first / last of the whole snapshot, then last / first in its table.
      const std::string marker = cdc::snapshot_marker(
          !s.emitted_any, !next, next && next->topic != s.pending->topic, s.pending_first_in_table);
      if (marker != "true") {
        // The table's rows share one source block (marker "true"): a marked row gets its own.
        Value& source = s.pending->value.as_struct().fields[2];
        auto own = std::make_shared<Value::StructData>(source.as_struct());
        own->fields[4] = Value(marker);
        source = Value(std::move(own));
      }
      if (s.offset.is_null()) {  // the same for every row: built once, copied per row
        s.offset = OffsetMap::object();
        s.offset["last_snapshot_record"] = false;
        s.offset["lsn"] = s.lsn;
        s.offset["txId"] = s.txid;
        s.offset["ts_usec"] = s.ts_us;
        s.offset["snapshot"] = true;
      }
      s.pending->source_offset = s.offset;
      if (!next) s.pending->source_offset["last_snapshot_record"] = true;
      out.push_back(std::move(*s.pending));
      s.pending.reset();
      s.emitted_any = true;
    }
    if (!next) {
      finish_snapshot();
      return;
    }
    s.pending = std::move(next);
    s.pending_first_in_table = first_in_table;
  }
}

void PostgresTask::finish_snapshot() {
  // Every row is out (the last carries last_snapshot_record): the snapshot is complete even if
  // ending its read-only transaction fails because the connection dropped just now.
  snap_.reset();
  metrics_->snapshot_running = false;
  metrics_->snapshot_completed = true;
  metrics_->snapshot_end_ms = wall_us() / 1000;
  sql_->exec("COMMIT");
  if (snapshot_mode_ == SnapshotMode::InitialOnly) {
    done_ = true;
    return;
  }
  taking_slot([&] { start_streaming(); });
}

void PostgresTask::start_streaming() {
  const std::string cmd = "START_REPLICATION SLOT " + quote_ident(slot_) + " LOGICAL 0/0 " +
                          "(proto_version '1', publication_names " +
                          quote_literal(quote_ident(publication_)) + ")";
  ExecStatusType status = PGRES_FATAL_ERROR;
  std::string sqlstate;
  {
    // Blocking only until the stream starts: a cancel after that would end the stream the
    // destructor confirms the last offsets through.
    const Connection::Blocking busy(*repl_);
    PGresult* r = PQexec(repl_->raw(), cmd.c_str());
    status = PQresultStatus(r);
    if (const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr)
      sqlstate = state;
    PQclear(r);
  }
  if (status != PGRES_COPY_BOTH) {
    const std::string what = "START_REPLICATION on slot '" + slot_ + "' failed: " + repl_->error();
    // "replication slot ... is active for PID ...": another walsender streams from it.
    if (sqlstate == kObjectInUse) throw SlotBusy(what, pid_in(what));
    throw std::runtime_error(what);
  }
  streaming_ = true;
  metrics_->connected = true;
  last_status_ms_ = steady_ms();
  last_heartbeat_ms_ = steady_ms();
  pending_confirm_ = std::max(pending_confirm_, confirmed_);
}

void PostgresTask::poll_stream(std::vector<SourceRecord>& out) {
  PGconn* conn = repl_->raw();
  const std::int64_t deadline = steady_ms() + poll_interval_ms_;
  while (!batch_full(out) && !stopping_) {
    char* buf = nullptr;
    const int n = PQgetCopyData(conn, &buf, 1);
    if (n > 0) {
      const std::string_view frame(buf, static_cast<size_t>(n));
      batch_bytes_ += frame.size();
      try {
        const Frame f = decode_frame(frame);
        if (const auto* x = std::get_if<XLogData>(&f)) {
          handle(*x, out);
        } else {
          const auto& k = std::get<Keepalive>(f);
          if (!txn_ && k.wal_end > received_) received_ = k.wal_end;
          if (k.reply_requested) send_status(false);
        }
      } catch (...) {
        PQfreemem(buf);
        throw;
      }
      PQfreemem(buf);
      continue;
    }
    if (n == -1)
      throw StreamLost("The replication stream of slot '" + slot_ + "' ended: " + repl_->error());
    if (n == -2) throw StreamLost("Reading the replication stream failed: " + repl_->error());
    // No complete frame buffered: report status if due, then wait for the socket.
    if (steady_ms() - last_status_ms_ >= status_interval_ms_) send_status(false);
    maybe_heartbeat(out);
    if (!out.empty() || steady_ms() >= deadline) return;
    pollfd p{PQsocket(conn), POLLIN, 0};
    const int wait = static_cast<int>(std::min<std::int64_t>(100, deadline - steady_ms()));
    if (::poll(&p, 1, std::max(wait, 1)) > 0 && PQconsumeInput(conn) == 0)
      throw StreamLost("Reading the replication stream failed: " + repl_->error());
  }
}

TableSchema* PostgresTask::table_for(std::uint32_t relation_id) {
  auto it = tables_.find(relation_id);
  if (it != tables_.end()) return it->second.get();
  auto rel = relations_.find(relation_id);
  if (rel == relations_.end())
    throw std::runtime_error("pgoutput sent a change for relation " + std::to_string(relation_id) +
                             " before describing it");
  const RelationMsg& r = rel->second;
  if (!filters_->table_included(r.schema, r.table)) {
    tables_[relation_id] = nullptr;
    return nullptr;
  }
  // Columns as the stream describes them; nullability, defaults and keys from the catalog.
  TableDef def;
  def.oid = relation_id;
  def.schema = r.schema;
  def.table = r.table;
  std::optional<TableDef> cat = load_table(*sql_, relation_id);
  for (const auto& c : r.columns) {
    ColumnDef col;
    col.name = c.name;
    col.type_oid = c.type_oid;
    col.typmod = c.type_modifier;
    if (types_.find(c.type_oid) == nullptr) types_ = load_types(*sql_);
    if (cat) {
      for (const auto& cc : cat->columns) {
        if (cc.name != c.name) continue;
        col.optional = cc.optional;
        col.default_expr = cc.default_expr;
      }
    }
    def.columns.push_back(std::move(col));
  }
  if (cat) {
    for (const auto& k : cat->key_columns) {
      bool present = false;
      for (const auto& c : def.columns) present = present || c.name == k;
      if (present) def.key_columns.push_back(k);
    }
    if (def.key_columns.size() != cat->key_columns.size()) def.key_columns.clear();
  }
  auto schema = std::make_unique<TableSchema>(std::move(def), types_, modes_, *filters_, prefix_);
  TableSchema* p = schema.get();
  tables_[relation_id] = std::move(schema);
  return p;
}

void PostgresTask::handle(const XLogData& x, std::vector<SourceRecord>& out) {
  if (x.wal_end > received_) received_ = x.wal_end;
  const Message m = decode_message(x.payload);
  const Lsn lsn = x.start_lsn;
  if (const auto* b = std::get_if<BeginMsg>(&m)) {
    txn_ = std::make_unique<Txn>();
    txn_->xid = b->xid;
    txn_->final_lsn = b->final_lsn;
    txn_->commit_us = b->commit_time_us;
    // Delivered before a restart: a transaction that committed before the offset's last commit.
    if (resume_commit_ && b->final_lsn < *resume_commit_) txn_->skip = true;
    return;
  }
  if (const auto* c = std::get_if<CommitMsg>(&m)) {
    if (txn_ && !txn_->skip && txn_->first_lsn && tx_metadata_) {
      const std::string id = std::to_string(txn_->xid) + ":" + std::to_string(lsn);
      out.push_back(cdc::transaction_end_record(tx_topic_, partition_,
                                                stream_offset(txn_->last_lsn), id, txn_->counts,
                                                static_cast<std::int64_t>(txn_->commit_us / 1000)));
    }
    if (txn_ && txn_->first_lsn && !txn_->skip)
      unconfirmed_.push_back({txn_->xid, txn_->last_lsn, c->end_lsn, lsn});
    else if (!records_outstanding_)
      pending_confirm_ = std::max(pending_confirm_, c->end_lsn);
    last_commit_end_ = lsn;
    if (txn_) {
      last_txn_xid_ = txn_->xid;
      last_txn_us_ = txn_->commit_us;
      if (!txn_->skip) ++metrics_->committed;
    }
    txn_.reset();
    return;
  }
  if (const auto* r = std::get_if<RelationMsg>(&m)) {
    relations_[r->relation_id] = *r;
    tables_.erase(r->relation_id);
    return;
  }
  if (std::holds_alternative<TypeMsg>(m)) {
    types_ = load_types(*sql_);
    return;
  }
  if (!txn_ || txn_->skip) return;
  if (resume_txid_ && txn_->xid == *resume_txid_ && lsn <= resume_lsn_) return;
  if (const auto* ins = std::get_if<InsertMsg>(&m)) {
    if (TableSchema* t = table_for(ins->relation_id))
      emit_change(*t, 'c', lsn, Value(), t->row(cells_of(ins->new_tuple)), out);
    else
      ++metrics_->filtered;
  } else if (const auto* up = std::get_if<UpdateMsg>(&m)) {
    TableSchema* t = table_for(up->relation_id);
    if (!t) {
      ++metrics_->filtered;
      return;
    }
    std::vector<Cell> new_cells = cells_of(up->new_tuple);
    if (up->old_kind == 'O') {
      // REPLICA IDENTITY FULL: an unchanged TOASTed value is in the old row.
      const std::vector<Cell> old_cells = cells_of(up->old_tuple);
      for (size_t i = 0; i < new_cells.size() && i < old_cells.size(); ++i)
        if (new_cells[i].kind == Cell::Kind::UnchangedToast) new_cells[i] = old_cells[i];
    }
    Value after = t->row(new_cells);
    Value before;
    if (up->old_kind == 'O')
      before = t->row(cells_of(up->old_tuple));
    else if (up->old_kind == 'K')
      before = t->row(cells_of(up->old_tuple), true);
    // A changed key: a delete of the old key and a create of the new one, as Debezium.
    if (!before.is_null() && t->key_schema()) {
      Value old_key = t->key(before);
      Value new_key = t->key(after);
      if (!(old_key == new_key)) {
        const bool skip_d = skipped_ops_.find('d') != std::string::npos;
        const bool skip_c = skipped_ops_.find('c') != std::string::npos;
        Header newkey{"__debezium.newkey", t->key_schema(), new_key};
        Header oldkey{"__debezium.oldkey", t->key_schema(), old_key};
        metrics_->filtered += (skip_d ? 1 : 0) + (skip_c ? 1 : 0);
        if (!skip_d) {
          count_event('d');
          emit(*t, lsn, old_key, t->envelope(std::move(before), Value(), Value(), 'd', now_ns()),
               {newkey}, out);
          if (tombstones_) {
            SourceRecord tomb = out.back();
            tomb.value_schema = nullptr;
            tomb.value = Value();
            tomb.headers = {newkey};
            out.push_back(std::move(tomb));
          }
        }
        if (!skip_c) count_event('c');
        if (!skip_c)
          emit(*t, lsn, new_key, t->envelope(Value(), std::move(after), Value(), 'c', now_ns()),
               {oldkey}, out);
        return;
      }
    }
    if (up->old_kind == 'K') before = Value();  // DEFAULT identity: no before-image on update
    emit_change(*t, 'u', lsn, std::move(before), std::move(after), out);
  } else if (const auto* del = std::get_if<DeleteMsg>(&m)) {
    TableSchema* t = table_for(del->relation_id);
    if (!t) {
      ++metrics_->filtered;
      return;
    }
    Value before = t->row(cells_of(del->old_tuple), del->old_kind == 'K');
    emit_change(*t, 'd', lsn, std::move(before), Value(), out);
  } else if (const auto* tr = std::get_if<TruncateMsg>(&m)) {
    if (skipped_ops_.find('t') != std::string::npos) {
      metrics_->filtered += static_cast<std::int64_t>(tr->relation_ids.size());
      return;
    }
    for (const auto rel : tr->relation_ids)
      if (TableSchema* t = table_for(rel)) emit_change(*t, 't', lsn, Value(), Value(), out);
  }
}

void PostgresTask::emit_change(TableSchema& t, char op, Lsn lsn, Value before, Value after,
                               std::vector<SourceRecord>& out) {
  if (skipped_ops_.find(op) != std::string::npos) {
    ++metrics_->filtered;
    return;
  }
  count_event(op);
  Value key = op == 't' ? Value() : t.key(op == 'd' ? before : after);
  emit(t, lsn, std::move(key),
       t.envelope(std::move(before), std::move(after), Value(), op, now_ns()), {}, out);
  if (op == 'd' && tombstones_) {
    SourceRecord tomb = out.back();
    tomb.value_schema = nullptr;
    tomb.value = Value();
    tomb.headers.clear();
    out.push_back(std::move(tomb));
  }
}

// Fills in source and transaction block of `value` (an envelope) and appends the record, with
// the transaction's BEGIN record first when it is the transaction's first event.
void PostgresTask::emit(TableSchema& t, Lsn lsn, Value key, Value value,
                        std::vector<Header> headers, std::vector<SourceRecord>& out) {
  Txn& tx = *txn_;
  SourceInfo si;
  si.version = version_;
  si.server = prefix_;
  si.db = db_;
  si.ts_us = tx.commit_us;
  si.last_commit_lsn = last_commit_end_;
  si.lsn = lsn;
  si.tx_id = tx.xid;
  auto& env = value.as_struct().fields;
  env[2] = t.source(si);
  const bool first = !tx.first_lsn.has_value();
  if (first) tx.first_lsn = lsn;
  tx.last_lsn = lsn;
  if (tx_metadata_) {
    if (first)
      out.push_back(
          cdc::transaction_begin_record(tx_topic_, partition_, stream_offset(lsn),
                                        std::to_string(tx.xid) + ":" + std::to_string(lsn),
                                        static_cast<std::int64_t>(tx.commit_us / 1000)));
    const std::int64_t collection_order = tx.counts.add(t.def().id());
    env[3] = cdc::transaction_block(std::to_string(tx.xid) + ":" + std::to_string(lsn),
                                    tx.counts.total(), collection_order);
  }
  SourceRecord rec;
  rec.source_partition = partition_;
  const Position at{tx.xid, lsn, tx.commit_us, last_commit_end_};  // stream_offset(lsn)'s
  if (!txn_offsets_ || !txn_offsets_->covers(at)) txn_offsets_ = std::make_shared<TxnOffsets>(at);
  rec.lazy_offset = {txn_offsets_, lsn};
  rec.topic = t.topic();
  rec.key_schema = key.is_null() ? nullptr : t.key_schema();
  rec.key = std::move(key);
  rec.value_schema = t.envelope_schema();
  rec.value = std::move(value);
  rec.headers = std::move(headers);
  last_emitted_ = at;
  records_outstanding_ = true;
  out.push_back(std::move(rec));
}

OffsetMap PostgresTask::stream_offset(Lsn lsn) const {
  return offset_of(
      Position{txn_ ? txn_->xid : 0, lsn, txn_ ? txn_->commit_us : 0, last_commit_end_});
}

OffsetMap PostgresTask::offset_of(const Position& p) {
  OffsetMap o = OffsetMap::object();
  o["lsn_proc"] = p.lsn;
  if (p.last_commit)
    o["lsn_commit"] = *p.last_commit;
  else
    o["lsn_commit"] = nullptr;
  o["lsn"] = p.lsn;
  o["txId"] = p.xid;
  o["ts_usec"] = p.commit_us;
  return o;
}

// Reader thread. With no transaction open, every change received so far was decoded into `out`
// or an earlier batch, ahead of the heartbeat: its offset is the furthest position fully
// processed, the end of the last commit seen (captured or filtered out) or a keepalive's WAL end
// (with a publication of the captured tables only, PostgreSQL 15 sends nothing else for the
// other tables' writes). Once Kafka acknowledged it and the offset is stored, commit() confirms
// that far, so the slot's WAL is released while the captured tables are quiet.
void PostgresTask::maybe_heartbeat(std::vector<SourceRecord>& out) {
  if (heartbeat_interval_ms_ <= 0 || txn_) return;
  if (steady_ms() - last_heartbeat_ms_ < heartbeat_interval_ms_) return;
  last_heartbeat_ms_ = steady_ms();
  if (!heartbeat_query_.empty()) sql_->exec(heartbeat_query_);
  const Lsn processed = std::max({received_, confirmed_, last_commit_end_.value_or(0)});
  out.push_back(cdc::heartbeat_record(
      heartbeat_prefix_, prefix_, partition_,
      offset_of(Position{last_txn_xid_, processed, last_txn_us_, last_commit_end_}),
      wall_us() / 1000));
}

void PostgresTask::commit(const std::vector<std::pair<OffsetMap, OffsetMap>>& flushed) {
  {
    std::lock_guard lk(mu_);
    commits_.insert(commits_.end(), flushed.begin(), flushed.end());
  }
  queue_.wake_reader();
}

void PostgresTask::apply_commits() {
  std::vector<std::pair<OffsetMap, OffsetMap>> flushed;
  {
    std::lock_guard lk(mu_);
    if (commits_.empty()) return;
    flushed.swap(commits_);
  }
  apply_commit(flushed);
}

void PostgresTask::apply_commit(const std::vector<std::pair<OffsetMap, OffsetMap>>& flushed) {
  for (const auto& [partition, offset] : flushed) {
    const StoredPosition durable = read_position(offset);
    if (durable.in_snapshot) continue;
    // Transactions whose last record is now durable are released whole; a heartbeat's offset
    // also vouches for the position it was taken at.
    pending_confirm_ = std::max(pending_confirm_, release_durable(unconfirmed_, durable));
    if (last_emitted_ &&
        covers(durable, last_emitted_->xid, last_emitted_->lsn, last_emitted_->last_commit))
      records_outstanding_ = false;
  }
  if (streaming_ && pending_confirm_ > confirmed_) send_status(false);
}

void PostgresTask::send_status(bool reply_requested) {
  if (!streaming_) return;
  if (pending_confirm_ > confirmed_) confirmed_ = pending_confirm_;
  const Lsn written = std::max(received_, confirmed_);
  const std::string msg =
      encode_status_update(written, confirmed_, confirmed_, wall_us(), reply_requested);
  if (PQputCopyData(repl_->raw(), msg.data(), static_cast<int>(msg.size())) != 1 ||
      PQflush(repl_->raw()) != 0)
    throw std::runtime_error("Sending the standby status update failed: " + repl_->error());
  last_status_ms_ = steady_ms();
}

void PostgresTask::stop() {
  const bool first = !stopping_.exchange(true);
  queue_.close();
  {
    std::lock_guard lk(mu_);
    stop_cv_.notify_all();
  }
  if (!first) return;
  // Cancelling connects to the server: on a thread of its own, so that the worker's thread
  // calling stop() never waits on the network.
  std::lock_guard lk(conn_mu_);
  if (!cancel_done_ && !canceller_.joinable()) canceller_ = std::thread([this] { cancel_loop(); });
}

void PostgresTask::cancel_loop() {
  pthread_setname_np(pthread_self(), "pg-cancel");
  bool logged = false;
  std::unique_lock lk(conn_mu_);
  while (!cancel_done_) {
    // Copies, so that a reconnect of the reader replacing them never frees one in use here.
    std::shared_ptr<Connection> conns[] = {sql_, repl_};
    lk.unlock();
    for (auto& c : conns) {
      if (!c) continue;
      std::string error;
      const bool sent = c->cancel(&error);
      if ((sent || !error.empty()) && !logged && context_ != nullptr) {
        logged = true;
        context_->log(sent ? LogLevel::Info : LogLevel::Warn, kLogger,
                      sent ? "stopping: cancelled the statement in progress"
                           : "stopping: could not cancel the statement in progress: " + error);
      }
      c.reset();
    }
    lk.lock();
    // Again while the task lives: a cancel that reached the server between two statements, or
    // before the statement it was meant for, was ignored.
    cancel_cv_.wait_for(lk, std::chrono::milliseconds(200), [this] { return cancel_done_; });
  }
}

void PostgresTask::count_event(char op) {
  PgMetrics& m = *metrics_;
  ++m.seen;
  if (op == 'c') ++m.creates;
  if (op == 'u') ++m.updates;
  if (op == 'd') ++m.deletes;
}

std::int64_t PostgresTask::now_ns() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace tributary::pg
