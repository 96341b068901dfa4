#include "mysql_task.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "debezium_events.h"
#include "java_hash_map.h"
#include "mysql_ddl.h"

namespace tributary::mysql {

struct MySqlTask::Mapped {
  std::string db, table;
  std::vector<BinlogColumn> columns;
  TableSchema* schema = nullptr;  // null: not captured
  bool consistent = true;         // column count and types match the schema
};

namespace {

constexpr const char* kLogger = "io.debezium.connector.mysql";

bool is_connection_error(unsigned code) {
  // Client errors (2000-2999: lost connection, server gone, cannot connect) and a server
  // shutting down (1053 ER_SERVER_SHUTDOWN, 1927 ER_CONNECTION_KILLED).
  return (code >= 2000 && code < 3000) || code == 1053 || code == 1927;
}

std::string quote_name(const std::string& n) {
  std::string out = "`";
  for (char ch : n) {
    if (ch == '`') out += '`';
    out += ch;
  }
  return out + "`";
}

}  // namespace

void MySqlTask::sleep_unless_stopped(std::int64_t ms) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (!stopping_ && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

MySqlTask::~MySqlTask() {
  stop();
  if (reader_.joinable()) reader_.join();
}

std::int64_t MySqlTask::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t MySqlTask::now_ns() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void MySqlTask::start(const ConfigMap& props, SourceTaskContext& context) {
  context_ = &context;
  props_ = props;
  for (const auto& [key, errors] : mysql_config_def().validate(props))
    if (!errors.empty()) throw ConfigError(key, errors.front());
  for (const auto& [key, error] : check_config(props)) throw ConfigError(key, error);
  for (const auto& w : cdc::check_unsupported(props, mysql_unsupported_keys()).warnings)
    context.log(LogLevel::Warn, kLogger, w);
  const Config c(mysql_config_def(), props);
  settings_ = ConnectionSettings::from(props);
  prefix_ = c.get_string("topic.prefix");
  server_id_ = static_cast<std::uint32_t>(c.get_long("database.server.id"));
  snapshot_mode_ = parse_snapshot_mode(c.get_string("snapshot.mode"));
  locking_ = parse_locking_mode(c.get_string("snapshot.locking.mode"));
  lock_timeout_ms_ = c.get_long("snapshot.lock.timeout.ms");
  retry_wait_ms_ = c.get_long("retriable.restart.connector.wait.ms");
  max_retries_ = c.get_int("errors.max.retries");
  keepalive_ms_ = static_cast<int>(
      std::min<std::int64_t>(c.get_long("connect.keep.alive.interval.ms"), 3600000));
  poll_interval_ms_ = static_cast<int>(c.get_long("poll.interval.ms"));
  heartbeat_interval_ms_ = c.get_long("heartbeat.interval.ms");
  heartbeat_query_ = c.get_string("heartbeat.action.query");
  heartbeat_prefix_ = c.get_string("topic.heartbeat.prefix");
  tx_topic_ = prefix_ + "." + c.get_string("topic.transaction");
  tombstones_ = c.get_bool("tombstones.on.delete");
  tx_metadata_ = c.get_bool("provide.transaction.metadata") && flavor_ == Flavor::MariaDb;
  include_query_ = c.get_bool("include.query");
  ignore_builtin_ = c.get_bool("table.ignore.builtin");
  inconsistent_mode_ = c.get_string("inconsistent.schema.handling.mode");
  skip_unparseable_ = c.get_bool("schema.history.internal.skip.unparseable.ddl");
  include_schema_changes_ = c.get_bool("include.schema.changes");
  schema_change_schema_ = schema_change_value_schema(source_schema(mariadb()), mariadb());
  {
    // The history topic's client: its own brokers, with schema.history.internal.producer.*
    // (security settings) as Debezium reads them.
    ConfigMap client = with_prefix_stripped(props, "schema.history.internal.producer.");
    client["bootstrap.servers"] = c.get_string("schema.history.internal.kafka.bootstrap.servers");
    history_ = context.kafka_log(client, c.get_string("schema.history.internal.kafka.topic"));
  }
  skipped_ops_ = c.get_string("skipped.operations");
  if (skipped_ops_ == "none") skipped_ops_.clear();
  for (const auto& t : c.get_list("snapshot.select.statement.overrides"))
    select_overrides_[t] = props.at("snapshot.select.statement.overrides." + t);
  try {
    filters_ = std::make_unique<cdc::TableFilters>(props, "database");
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    throw ConfigError(what.substr(0, what.find(':')), what);
  }
  scope_.filters = filters_.get();
  scope_.ignore_builtin = ignore_builtin_;
  scope_.only_captured_tables =
      c.get_bool("schema.history.internal.store.only.captured.tables.ddl");
  scope_.only_captured_databases =
      c.get_bool("schema.history.internal.store.only.captured.databases.ddl");
  modes_ = ValueModes::from(props);
  queue_.configure(c.get_int("max.batch.size"), c.get_int("max.queue.size"),
                   c.get_long("max.queue.size.in.bytes"));
  // The structs of one full batch of updates (key, envelope, source, before, after per record):
  // what the reader takes back at a time.
  pool_ = cdc::StructPool(5 * static_cast<std::size_t>(c.get_int("max.batch.size")));
  metrics_ = std::make_unique<MySqlMetrics>(context, mariadb() ? "mariadb" : "mysql", prefix_,
                                            c.get_int("max.queue.size"),
                                            c.get_long("max.queue.size.in.bytes"));

  OffsetMap partition = OffsetMap::object();
  partition["server"] = prefix_;
  partition_ = std::make_shared<const OffsetMap>(partition);
  committed_ = context.committed_offset(partition);

  // The server as Debezium checks it at task start: binlog on, ROW, FULL, grants, server id.
  for (const auto& [key, errors] : check_server(props))
    if (!errors.empty()) throw ConfigError(key, errors.front());

  // Snapshot or stream, from snapshot.mode and the stored offset.
  auto sql = connect_sql();
  std::optional<BinlogPosition> stored;
  if (committed_) {
    try {
      stored = from_offset(*committed_);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error("The stored offset of connector " + context.connector_name() +
                               " for partition {\"server\":\"" + prefix_ +
                               "\"} cannot be used: " + e.what());
    }
  }
  const bool no_data =
      snapshot_mode_ == SnapshotMode::NoData || snapshot_mode_ == SnapshotMode::Recovery;
  schema_only_ = no_data;
  if (!stored || stored->snapshot) {
    // No offset, or a snapshot that did not finish (it starts again, as in Debezium): the
    // schema, and the rows unless no_data / recovery.
    need_snapshot_ = true;
  } else if (snapshot_mode_ == SnapshotMode::Always) {
    need_snapshot_ = true;
  } else {
    if (!can_resume(*sql, *stored)) {
      if (snapshot_mode_ == SnapshotMode::WhenNeeded) {
        context.log(LogLevel::Warn, kLogger,
                    "The binlog file " + stored->file +
                        " of the stored offset is no longer on the server; snapshot.mode "
                        "when_needed takes a new snapshot");
        need_snapshot_ = true;
      } else {
        throw std::runtime_error(
            "The connector is trying to read binlog starting at " + stored->file + ":" +
            std::to_string(stored->pos) +
            (stored->gtids.empty() ? std::string() : " (GTID state " + stored->gtids + ")") +
            ", but this is no longer available on the server (purged). Reconfigure the "
            "connector to use a snapshot when needed (snapshot.mode=when_needed), or remove its "
            "offsets to take a new snapshot.");
      }
    } else {
      stream_ = *stored;
      recover_ = true;
      // recovery: the history is rebuilt from the current schemas before streaming resumes.
      if (snapshot_mode_ == SnapshotMode::Recovery) need_snapshot_ = true;
      skip_events_ = stored->event;
      skip_rows_ = stored->row;
      if (!stored->gtids.empty()) gtids_ = GtidState::parse(stored->gtids);
    }
  }
  if (snapshot_mode_ == SnapshotMode::InitialOnly) {
    snapshot_only_ = true;
    if (stored && !stored->snapshot) need_snapshot_ = false;  // done before
  }
  set_sql(std::move(sql));
  reader_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "mysql-reader");
    reader_loop();
  });
}

bool MySqlTask::can_resume(Connection& sql, const BinlogPosition& stored) {
  if (flavor_ != Flavor::MariaDb || stored.gtids.empty()) {
    for (const auto& row : sql.query("SHOW BINARY LOGS").rows)
      if (row[0] && *row[0] == stored.file) return true;
    return false;
  }
  // MariaDbConnector's offset holds the GTID state at file / pos. When this server's binlog is
  // at that state there, it is the same binlog: read from file / pos.
  const auto at = sql.query("SELECT BINLOG_GTID_POS(" + sql.literal(stored.file) + ", " +
                            std::to_string(stored.pos) + ")")
                      .rows;
  const std::string here = at.empty() || !at[0][0] ? std::string() : *at[0][0];
  const GtidState state = GtidState::parse(stored.gtids);
  if (!here.empty() && GtidState::parse(here).str() == state.str()) return true;
  // Another binlog (a replica promoted after a failover, whose files have the same names but
  // other contents): read from the GTID state, if the server still has it, i.e. its oldest
  // binlog starts at or before it in every domain (the Gtid_list event at that file's start).
  GtidState oldest;
  const auto logs = sql.query("SHOW BINARY LOGS").rows;
  if (!logs.empty() && logs[0][0])
    for (const auto& ev :
         sql.query("SHOW BINLOG EVENTS IN " + sql.literal(*logs[0][0]) + " LIMIT 5").rows)
      if (ev.size() > 5 && ev[2] && *ev[2] == "Gtid_list" && ev[5]) {
        std::string list = *ev[5];
        std::erase_if(list, [](char ch) { return ch == '[' || ch == ']'; });
        oldest = GtidState::parse(list);
      }
  if (!state.includes(oldest)) return false;
  context_->log(LogLevel::Info, kLogger,
                "The binlog of " + settings_.where() + " at the stored " + stored.file + ":" +
                    std::to_string(stored.pos) + " is not at the stored GTID state " +
                    stored.gtids + (here.empty() ? "" : " (it is at " + here + ")") +
                    "; resuming from that GTID state");
  by_gtid_ = true;
  return true;
}

std::unique_ptr<Connection> MySqlTask::connect_sql() {
  const Config c(mysql_config_def(), props_);
  const auto timeout_ms = c.get_long("database.query.timeout.ms");
  auto conn = std::make_unique<Connection>(
      settings_, static_cast<unsigned>(timeout_ms <= 0 ? 0 : (timeout_ms + 999) / 1000));
  conn->exec("SET NAMES utf8mb4");
  conn->exec("SET SESSION time_zone = '+00:00'");
  for (const auto& stmt : cdc::split_list(c.get_string("database.initial.statements"), ';'))
    conn->exec(stmt);
  return conn;
}

void MySqlTask::set_sql(std::unique_ptr<Connection> c) {
  std::unique_ptr<Connection> old;
  std::lock_guard<std::mutex> lock(conn_mu_);
  old = std::move(sql_);
  sql_ = std::move(c);
  if (stopping_ && sql_) sql_->interrupt();
}

void MySqlTask::set_binlog(std::unique_ptr<BinlogClient> b) {
  std::unique_ptr<BinlogClient> old;
  {
    std::lock_guard<std::mutex> lock(conn_mu_);
    old = std::move(binlog_);
    binlog_ = std::move(b);
    if (stopping_ && binlog_) binlog_->interrupt();
  }
}

void MySqlTask::stop() {
  stopping_ = true;
  queue_.close();
  std::lock_guard<std::mutex> lock(conn_mu_);
  if (sql_) sql_->interrupt();
  if (binlog_) binlog_->interrupt();
}

void MySqlTask::poll(std::vector<SourceRecord>& out) {
  queue_.poll(out, context_->poll_wait(std::chrono::milliseconds(poll_interval_ms_)));
}

void MySqlTask::flush(std::vector<SourceRecord>& out, std::size_t bytes) {
  metrics_->publish(queue_.records() + out.size(), queue_.bytes() + bytes);
  if (out.empty()) return;
  while (!queue_.wait_for_room(std::chrono::milliseconds(100)))
    if (stopping_) return;
  const std::size_t n = out.size();
  queue_.push(std::move(out), bytes);
  // A batch the worker is done with: its structs go to the pool, its records are the next
  // records' shells (both freed here, on the thread that built them).
  std::vector<SourceRecord> spent;
  queue_.take_spent(spent);
  for (SourceRecord& r : spent) pool_.recycle(r);
  shells_.refill(out, spent);
  // The next batch likely fills as this one did: room for it up front, not by doubling (and
  // moving every record) as it grows; a trickle of single records reserves one.
  out.reserve(n);
  batch_bytes_ = 0;
}

void MySqlTask::reader_loop() {
  try {
    if (need_snapshot_) {
      // A connection lost during the snapshot (a server restart): it starts again after
      // retriable.restart.connector.wait.ms; the rows sent twice are the snapshot's own.
      for (int failures = 0;;) {
        try {
          if (!sql_) set_sql(connect_sql());
          snapshot(!schema_only_);
          break;
        } catch (const SqlError& e) {
          if (stopping_ || !is_connection_error(e.code)) throw;
          if (max_retries_ >= 0 && ++failures > max_retries_) throw;
          context_->log(LogLevel::Warn, kLogger,
                        std::string("The snapshot lost its connection (") + e.what() +
                            "); it starts again in " + std::to_string(retry_wait_ms_) + " ms");
          set_sql(nullptr);
          sleep_unless_stopped(retry_wait_ms_);
        } catch (const ConnectError& e) {
          if (stopping_) throw;
          if (max_retries_ >= 0 && ++failures > max_retries_) throw;
          set_sql(nullptr);
          sleep_unless_stopped(retry_wait_ms_);
        }
      }
    } else if (recover_ && !recover_history(stream_)) {
      if (snapshot_mode_ != SnapshotMode::Recovery)
        throw std::runtime_error(
            "The schema history topic " +
            Config(mysql_config_def(), props_).get_string("schema.history.internal.kafka.topic") +
            " is missing or empty, so the table schemas at the stored offset are not known. "
            "Set snapshot.mode=recovery to rebuild it from the current schemas (only safe if no "
            "schema changed since the stored offset).");
      snapshot(false);  // recovery: the schema only, then streaming from the stored offset
    }
    if (snapshot_only_ || stopping_) {
      queue_.end();
      return;
    }
    int failures = 0;
    while (!stopping_) {
      try {
        stream();
        failures = 0;
      } catch (const ConnectError& e) {
        // The server is not back yet: try again after the wait.
        if (stopping_) break;
        ++failures;
        if (max_retries_ >= 0 && failures > max_retries_) throw;
        context_->log(LogLevel::Warn, kLogger,
                      std::string("Reconnecting failed (") + e.what() + "); trying again in " +
                          std::to_string(retry_wait_ms_) + " ms");
        set_sql(nullptr);
        sleep_unless_stopped(retry_wait_ms_);
      } catch (const SqlError& e) {
        if (stopping_) break;
        if (!is_connection_error(e.code)) throw;
        metrics_->connected = false;
        ++metrics_->disconnects;
        set_sql(nullptr);  // the SQL connection went down with the server too
        ++failures;
        if (max_retries_ >= 0 && failures > max_retries_) throw;
        context_->log(LogLevel::Warn, kLogger,
                      std::string("The connection to the binlog was lost (") + e.what() +
                          "); reconnecting in " + std::to_string(retry_wait_ms_) + " ms");
        // Resume where the records queued so far end. Before the first transaction was
        // reached nothing changed: the start and its skips stay. Inside the transaction
        // resumed from, what it still had to skip is skipped again.
        if (txn_seen_) {
          const bool first = in_txn_ && file_ == stream_.file && txn_pos_ == stream_.pos;
          if (!first) {
            stream_.file = file_;
            stream_.pos = txn_pos_;
            skip_events_ = in_txn_ ? txn_events_ : 0;
            skip_rows_ = 0;
          } else if (txn_events_ > skip_events_) {
            skip_events_ = txn_events_;
            skip_rows_ = 0;
          }
        }
        in_txn_ = false;
        sleep_unless_stopped(retry_wait_ms_);
      }
    }
    queue_.end();
  } catch (...) {
    if (stopping_) {
      queue_.end();
    } else {
      queue_.fail(std::current_exception());
    }
  }
}

TableSchema* MySqlTask::table(const std::string& db, const std::string& name) {
  const std::string id = db + "." + name;
  if (auto it = tables_.find(id); it != tables_.end()) return it->second.get();
  if (auto it = known_.find(id); it != known_.end() && !it->second) return nullptr;
  if (!scope_.captured(db, name)) {
    known_[id] = false;
    return nullptr;
  }
  reload_table(db, name);
  auto it = tables_.find(id);
  return it == tables_.end() ? nullptr : it->second.get();
}

void MySqlTask::reload_table(const std::string& db, const std::string& name) {
  // A captured table the snapshot and the history did not define (a table renamed into the
  // captured set under store.only.captured.tables.ddl, where Debezium fails the task): the
  // definition in force now, from information_schema. A definition that does not fit the
  // binlog's TABLE_MAP is still caught by the consistency check of every row event.
  const std::string id = db + "." + name;
  tables_.erase(id);
  for (auto& def : load_tables(*sql_, scope_)) {
    if (def.database != db || def.table != name) continue;
    tables_[id] =
        std::make_unique<TableSchema>(std::move(def), modes_, *filters_, prefix_, mariadb());
    known_[id] = true;
    return;
  }
  known_[id] = false;
}

std::optional<TableDef> MySqlTask::server_definition(
    const std::pair<std::string, std::string>& name, std::string* text) {
  const std::string id = name.first + "." + name.second;
  Connection::Rows result;
  try {
    result =
        sql_->query("SHOW CREATE TABLE " + quote_name(name.first) + "." + quote_name(name.second));
  } catch (const SqlError& e) {
    if (e.code == 1146) return std::nullopt;  // ER_NO_SUCH_TABLE
    throw;
  }
  const auto& rows = result.rows;
  if (rows.empty() || rows[0].size() < 2 || !rows[0][1]) return std::nullopt;
  auto st = parse_ddl(*rows[0][1], name.first);
  if (st.kind != DdlStatement::Kind::CreateTable || !st.table)
    throw std::runtime_error("SHOW CREATE TABLE " + id + " is not a CREATE TABLE");
  if (text) *text = *rows[0][1];
  return std::move(*st.table);
}

std::optional<TableDef> MySqlTask::definition(
    const std::pair<std::string, std::string>& name) const {
  const std::string id = name.first + "." + name.second;
  if (auto it = tables_.find(id); it != tables_.end()) return it->second->def();
  if (auto it = others_.find(id); it != others_.end()) return it->second;
  return std::nullopt;
}

void MySqlTask::put_definition(const TableDef& def) {
  const std::string id = def.id();
  if (scope_.captured(def.database, def.table)) {
    tables_[id] = std::make_unique<TableSchema>(def, modes_, *filters_, prefix_, mariadb());
    known_[id] = true;
  } else {
    others_[id] = def;
  }
}

void MySqlTask::forget_definition(const std::pair<std::string, std::string>& name) {
  const std::string id = name.first + "." + name.second;
  tables_.erase(id);
  known_.erase(id);
  others_.erase(id);
}

void MySqlTask::snapshot(bool with_data) {
  const Config c(mysql_config_def(), props_);
  if (auto delay = c.get_long("snapshot.delay.ms"); delay > 0) {
    sleep_unless_stopped(delay);
  }
  Connection& sql = *sql_;
  sql.exec("SET SESSION lock_wait_timeout = " +
           std::to_string(std::max<std::int64_t>(1, (lock_timeout_ms_ + 999) / 1000)));
  sql.exec("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  bool locked = false;
  if (locking_ != LockingMode::None) {
    sql.exec("FLUSH TABLES WITH READ LOCK");
    locked = true;
  }
  sql.exec("START TRANSACTION WITH CONSISTENT SNAPSHOT");
  const auto status = sql.query("SHOW MASTER STATUS");
  if (status.rows.empty() || !status.rows[0][0])
    throw std::runtime_error("The server " + settings_.where() +
                             " has no binlog (SHOW MASTER STATUS is empty)");
  BinlogPosition at;
  at.file = *status.rows[0][0];
  at.pos = std::stoull(status.rows[0][1].value_or("4"));
  if (auto g = sql.global_variable("gtid_binlog_pos"); g && !g->empty())
    gtids_ = GtidState::parse(*g);
  // The schema, read under the lock: the tables' CREATE TABLE texts, parsed as the stream's DDL
  // will be (tests/integration/test_mysql_schema.cpp checks the parser against
  // information_schema).
  const auto listed = load_tables(sql, scope_);
  std::vector<std::pair<TableDef, std::string>> defs;  // definition, CREATE TABLE text
  for (const auto& t : listed) {
    std::string text;
    auto def = server_definition({t.database, t.table}, &text);
    if (!def) throw std::runtime_error("SHOW CREATE TABLE " + t.id() + " returned nothing");
    defs.emplace_back(std::move(*def), std::move(text));
  }
  struct Db {
    std::string name, charset, collation;
  };
  std::vector<Db> dbs;
  for (const auto& name : load_databases(sql, scope_)) {
    Db d{name, "", ""};
    const auto rows = sql.query(
                             "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM "
                             "information_schema.SCHEMATA "
                             "WHERE SCHEMA_NAME = '" +
                             name + "'")
                          .rows;
    if (!rows.empty()) {
      d.charset = rows[0][0].value_or("");
      d.collation = rows[0][1].value_or("");
    }
    dbs.push_back(std::move(d));
  }
  const std::string server_charset = sql.global_variable("character_set_server").value_or("");
  const std::string server_collation = sql.global_variable("collation_server").value_or("");
  if (locked && locking_ == LockingMode::Minimal) {
    sql.exec("UNLOCK TABLES");
    locked = false;
  }
  tables_.clear();
  known_.clear();
  others_.clear();
  // Every tracked table's definition is kept and recorded; only the captured ones are read.
  std::vector<TableSchema*> order;
  for (auto& [def, ddl] : defs) {
    put_definition(def);
    if (auto it = tables_.find(def.id()); it != tables_.end()) order.push_back(it->second.get());
  }
  if (with_data) {
    metrics_->snapshot_running = true;
    metrics_->snapshot_completed = metrics_->snapshot_aborted = false;
    metrics_->snapshot_start_ms = now_ms();
    metrics_->snapshot_end_ms = 0;
    metrics_->total_tables = metrics_->remaining_tables = static_cast<int>(order.size());
    for (const TableSchema* t : order) metrics_->set_rows_scanned(t->def().id(), 0);
  }
  const std::int64_t ts_sec = now_ms() / 1000;
  at.ts_sec = ts_sec;
  at.snapshot = true;
  if (flavor_ == Flavor::MariaDb) at.gtids = gtids_.str();
  const OffsetMap snap_offset = to_offset(at);
  BinlogPosition last_at = at;
  last_at.snapshot = false;
  const OffsetMap last_offset = to_offset(last_at);

  // The schema as DDL, in Debezium's order: the server's charset, DROP TABLE of every table,
  // then per database DROP / CREATE DATABASE, USE and each table's CREATE TABLE.
  // Offsets of the schema records: a snapshot's (a restart takes the snapshot again), except
  // that a recovery never moves past the stored position it resumes from.
  const OffsetMap stream_offset = recover_ ? to_offset(stream_) : last_offset;
  const OffsetMap record_offset = recover_ ? stream_offset : snap_offset;
  {
    std::vector<SourceRecord> out;
    history_->create(1,
                     {{"cleanup.policy", "delete"},
                      {"retention.ms", "9223372036854775807"},
                      {"retention.bytes", "-1"}},
                     std::chrono::milliseconds(30000));
    struct Pending {
      std::string db, table, ddl;
      std::vector<TableChange> changes;
    };
    std::vector<Pending> pending;
    auto record = [&](const std::string& db, const std::string& table, std::string ddl,
                      std::vector<TableChange> changes) {
      pending.push_back({db, table, std::move(ddl), std::move(changes)});
    };
    record("", "",
           "SET character_set_server=" + server_charset + ", collation_server=" + server_collation,
           {});
    for (const auto& [def, ddl] : defs) {
      TableChange ch;
      ch.type = TableChange::Type::Drop;
      ch.database = def.database;
      ch.table = def.table;
      record(def.database, def.table,
             "DROP TABLE IF EXISTS " + quote_name(def.database) + "." + quote_name(def.table),
             {ch});
    }
    for (const auto& d : dbs) {
      record(d.name, "", "DROP DATABASE IF EXISTS " + quote_name(d.name), {});
      record(d.name, "",
             "CREATE DATABASE " + quote_name(d.name) + " CHARSET " + d.charset + " COLLATE " +
                 d.collation,
             {});
      record(d.name, "", "USE " + quote_name(d.name), {});
      for (const auto& [def, ddl] : defs) {
        if (def.database != d.name) continue;
        TableChange ch;
        ch.type = TableChange::Type::Create;
        ch.database = def.database;
        ch.table = def.table;
        ch.def = def;
        record(def.database, def.table, ddl, {ch});
      }
    }
    // Without rows the last schema record is the snapshot's last record, marked "last" as
    // Debezium marks it (golden mariadb_default, snapshot.mode=no_data).
    for (std::size_t i = 0; i < pending.size(); ++i) {
      const Pending& r = pending[i];
      const bool last = !with_data && i + 1 == pending.size();
      schema_change(
          r.db, r.ddl, r.changes,
          source_value(snapshot_source(at, now_ms(), last ? "last" : "true"), r.db, r.table),
          record_offset, snap_offset, out);
    }
    // Without rows, the last schema record ends the snapshot: its offset is where streaming
    // starts (so a restart resumes there instead of taking the snapshot again, and a recovery
    // keeps the stored position, never the current one).
    if (!with_data && !out.empty()) out.back().source_offset = stream_offset;
    flush(out, 0);
  }
  if (!with_data) {
    if (!recover_) stream_ = last_at;
    sql.exec("COMMIT");
    if (locked) sql.exec("UNLOCK TABLES");
    context_->log(LogLevel::Info, kLogger,
                  "Schema snapshot done: " + std::to_string(order.size()) + " tables");
    return;
  }

  // One record held back: its marker depends on what follows.
  struct Pending {
    TableSchema* t = nullptr;
    Value row;
    bool first_in_table = false;
    bool first_of_snapshot = false;
  };
  std::optional<Pending> pending;
  std::vector<SourceRecord> out;
  bool any = false;
  // Every row's offset is the snapshot's but the last one's: one map each, shared (a map copied
  // per record was a tenth of a wide row's snapshot).
  const auto snap_source_offset = std::make_shared<const ConstantOffset>(snap_offset);
  const auto last_source_offset = std::make_shared<const ConstantOffset>(last_offset);
  // The Source block of the rows of a table between its first and last: built once, then copied
  // into each record's (pooled) struct.
  std::shared_ptr<const Value::StructData> middle_source;
  const TableSchema* middle_table = nullptr;
  auto release = [&](bool last_in_table, bool last_of_snapshot) {
    if (!pending) return;
    Pending& p = *pending;
    const char* marker = cdc::snapshot_marker(p.first_of_snapshot, last_of_snapshot, last_in_table,
                                              p.first_in_table);
    Value source;
    const bool middle = std::string_view(marker) == "true";
    if (middle && middle_table == p.t && middle_source) {
      auto data = pool_.acquire(middle_source->schema, middle_source->fields.size());
      cdc::assign_fields(data->fields, middle_source->fields);
      source = Value(std::move(data));
    } else {
      source = p.t->source(snapshot_source(at, ts_sec * 1000, marker), &pool_);
      if (middle) {
        middle_source = source.as<std::shared_ptr<Value::StructData>>();
        middle_table = p.t;
      }
    }
    SourceRecord& rec = shells_.emplace(out);
    cdc::UnfinishedRecord unfinished(out);
    cdc::share(rec.source_partition, partition_);
    cdc::share(rec.lazy_offset.source, last_of_snapshot ? last_source_offset : snap_source_offset);
    rec.lazy_offset.arg = 0;
    rec.topic = p.t->topic();
    rec.key = p.t->key(p.row, &pool_);
    cdc::share(rec.key_schema, rec.key.is_null() ? SchemaPtr() : p.t->key_schema());
    rec.value =
        p.t->envelope(Value(), std::move(p.row), std::move(source), 'r', now_ns(), Value(), &pool_);
    cdc::share(rec.value_schema, p.t->envelope_schema());
    unfinished.done();
    pending.reset();
    if (queue_.batch_full(out.size(), batch_bytes_)) flush(out, batch_bytes_);
  };
  for (TableSchema* t : order) {
    if (stopping_) return;
    const auto& def = t->def();
    const std::string id = def.id();
    // The columns by name, as the definition read under the lock has them: a column added
    // since (minimal locking lets DDL run during the snapshot) is not read; a dropped one fails
    // the query naming it.
    std::string select = "SELECT ";
    for (std::size_t i = 0; i < def.columns.size(); ++i)
      select += (i ? ", " : "") + quote_name(def.columns[i].name);
    select += " FROM " + quote_name(def.database) + "." + quote_name(def.table);
    if (auto it = select_overrides_.find(id); it != select_overrides_.end()) select = it->second;
    MYSQL* m = sql.raw();
    if (mysql_real_query(m, select.c_str(), select.size()) != 0)
      throw SqlError(mysql_errno(m), "Snapshot of " + id + " failed: " + mysql_error(m));
    MYSQL_RES* res = mysql_use_result(m);
    if (res == nullptr)
      throw SqlError(mysql_errno(m), "Snapshot of " + id + " failed: " + mysql_error(m));
    const unsigned ncols = mysql_num_fields(res);
    bool first_in_table = true;
    std::int64_t rows_scanned = 0;
    try {
      if (ncols != def.columns.size())
        throw std::runtime_error("The snapshot query of " + id + " returned " +
                                 std::to_string(ncols) + " columns, the table has " +
                                 std::to_string(def.columns.size()));
      while (MYSQL_ROW row = mysql_fetch_row(res)) {
        if (stopping_) break;
        const unsigned long* lengths = mysql_fetch_lengths(res);
        for (unsigned i = 0; i < ncols; ++i) batch_bytes_ += lengths[i];
        Value v = t->row_from_text(row, lengths, &pool_);
        ++rows_scanned;
        ++metrics_->snapshot_events;
        if ((rows_scanned & 4095) == 0) metrics_->set_rows_scanned(id, rows_scanned);
        release(pending && pending->t != t, false);
        pending = Pending{t, std::move(v), first_in_table, !any};
        first_in_table = false;
        any = true;
      }
    } catch (...) {
      mysql_free_result(res);
      throw;
    }
    const unsigned err = mysql_errno(m);
    mysql_free_result(res);
    if (stopping_) return;
    if (err != 0) throw SqlError(err, "Snapshot of " + id + " failed: " + mysql_error(m));
    metrics_->set_rows_scanned(id, rows_scanned);
    --metrics_->remaining_tables;
    if (pending && pending->t == t) {
      // The table's last row: held until we know whether another row follows at all.
    }
  }
  release(true, true);
  metrics_->snapshot_running = false;
  metrics_->snapshot_completed = true;
  metrics_->snapshot_end_ms = now_ms();
  flush(out, batch_bytes_);
  sql.exec("COMMIT");
  if (locked) sql.exec("UNLOCK TABLES");
  stream_ = last_at;
  skip_events_ = 0;
  skip_rows_ = 0;
  context_->log(LogLevel::Info, kLogger,
                "Snapshot done: " + std::to_string(order.size()) + " tables, streaming from " +
                    at.file + ":" + std::to_string(at.pos));
}

void MySqlTask::schema_change(const std::string& database, const std::string& ddl,
                              const std::vector<TableChange>& changes, Value source,
                              const OffsetMap& offset, const OffsetMap& position,
                              std::vector<SourceRecord>& out) {
  const std::int64_t now = now_ms();
  // The history first: a record on the topic is never ahead of what a restart reads back.
  // Under store.only.captured.tables.ddl, as in Debezium: only the server's SET statement and
  // changes of captured tables (not CREATE / DROP DATABASE, USE, or a TRUNCATE).
  const bool to_history =
      !scope_.only_captured_tables || (database.empty() && ddl.rfind("SET ", 0) == 0) ||
      std::any_of(changes.begin(), changes.end(),
                  [&](const TableChange& ch) { return scope_.captured(ch.database, ch.table); });
  if (to_history)
    history_->append(history_document(prefix_, position, now, database, ddl, changes),
                     std::chrono::milliseconds(30000));
  if (!include_schema_changes_) return;
  SourceRecord rec;
  rec.source_partition = partition_;
  rec.source_offset = offset;
  rec.topic = prefix_;
  rec.key_schema = schema_change_key_schema(mariadb());
  rec.key = schema_change_key(database, mariadb());
  rec.value_schema = schema_change_schema_;
  rec.value =
      schema_change_value(schema_change_schema_, std::move(source), now, database, ddl, changes);
  out.push_back(std::move(rec));
}

bool MySqlTask::recover_history(const BinlogPosition& upto) {
  auto seq = [](const std::string& file) {
    const auto dot = file.rfind('.');
    return dot == std::string::npos ? 0ULL : std::strtoull(file.c_str() + dot + 1, nullptr, 10);
  };
  const GtidState upto_gtids = GtidState::parse(upto.gtids);
  bool any = false;
  std::size_t applied = 0;
  tables_.clear();
  known_.clear();
  others_.clear();
  history_->read_all(
      [&](const std::string& text) {
        any = true;
        HistoryEntry e = parse_history_document(text);
        BinlogPosition p;
        try {
          p = from_offset(e.position);
        } catch (const std::invalid_argument& ex) {
          throw std::runtime_error(std::string("schema history: ") + ex.what());
        }
        // By GTIDs when both have them (file names differ between servers after a failover),
        // else by file and position.
        // A record at the very place of the offset (MariaDbConnector's DDL positions: the
        // transaction's start and the events done in it) counts when the offset has done as
        // many events; else its DDL is read again from the binlog.
        bool before = p.snapshot;
        if (!before && !p.gtids.empty() && !upto.gtids.empty()) {
          const GtidState at = GtidState::parse(p.gtids);
          before = upto_gtids.includes(at) && (!at.includes(upto_gtids) || p.event <= upto.event);
        } else if (!before) {
          before = seq(p.file) < seq(upto.file) ||
                   (seq(p.file) == seq(upto.file) &&
                    (p.pos < upto.pos || (p.pos == upto.pos && p.event <= upto.event)));
        }
        if (!before) return;
        ++applied;
        for (auto& ch : e.changes) {
          if (ch.previous) forget_definition(*ch.previous);
          forget_definition({ch.database, ch.table});
          if (ch.type == TableChange::Type::Drop || !ch.def) continue;
          if (!scope_.tracked(ch.database, ch.table)) continue;
          put_definition(*ch.def);
        }
      },
      std::chrono::milliseconds(60000));
  context_->log(LogLevel::Info, kLogger,
                "Schema history read back: " + std::to_string(applied) + " changes up to " +
                    upto.file + ":" + std::to_string(upto.pos) + ", " +
                    std::to_string(tables_.size()) + " captured tables");
  return any;
}

OffsetMap MySqlTask::restart_offset() const {
  BinlogPosition p = position(txn_pos_);
  p.event = in_txn_ ? txn_events_ : 0;
  return to_offset(p);
}

BinlogPosition MySqlTask::position(std::uint64_t pos) const {
  BinlogPosition p;
  set_position(p, pos);
  return p;
}

void MySqlTask::set_position(BinlogPosition& p, std::uint64_t pos) const {
  p.file = file_;
  p.pos = pos;
  p.event = 0;
  p.row = 0;
  p.gtids.clear();
  if (flavor_ == Flavor::MariaDb) p.gtids = gtids_.str();
  p.server_id = event_server_;
  p.ts_sec = event_ts_sec_;
  p.snapshot = false;
}

SourceInfo MySqlTask::stream_source(std::uint64_t pos, std::int32_t row) const {
  SourceInfo si;
  si.mariadb = mariadb();
  si.version = version_;
  si.server = prefix_;
  si.ts_ms = event_ts_sec_ * 1000;
  si.server_id = event_server_;
  if (flavor_ == Flavor::MariaDb) si.gtid = gtid_;
  si.file = file_;
  si.pos = pos;
  si.row = row;
  return si;
}

SourceInfo MySqlTask::snapshot_source(const BinlogPosition& at, std::int64_t ts_ms,
                                      std::string_view marker) const {
  SourceInfo si;
  si.mariadb = mariadb();
  si.version = version_;
  si.server = prefix_;
  si.ts_ms = ts_ms;
  si.snapshot = marker;
  si.file = at.file;
  si.pos = at.pos;
  return si;
}

void MySqlTask::stream() {
  if (!sql_) set_sql(connect_sql());
  BinlogClient::Options o;
  o.server_id = server_id_;
  // The server's heartbeat wakes the reader at least every 5 s on a quiet binlog (metrics,
  // heartbeat records), and a connection silent for twice the period counts as lost.
  o.heartbeat_ms = static_cast<unsigned>(std::min<std::int64_t>(
      std::min<std::int64_t>(keepalive_ms_, 5000),
      heartbeat_interval_ms_ > 0 ? std::max<std::int64_t>(heartbeat_interval_ms_, 100) : 5000));
  o.read_timeout_s =
      static_cast<unsigned>(std::max<std::int64_t>(2, 2 * o.heartbeat_ms / 1000 + 1));
  // include.query: MariaDbConnector asks for the Annotate_rows events that carry each row
  // event's statement (binlog_annotate_row_events, on by default). MySqlConnector does not,
  // as the real one on MariaDB leaves source.query null (tests/golden/mysql, double_hex).
  o.annotate_rows = mariadb() && include_query_;
  auto client = std::make_unique<BinlogClient>(settings_, o);
  BinlogClient* b = client.get();
  set_binlog(std::move(client));
  if (stopping_) return;
  table_maps_.clear();
  file_ = stream_.file;
  txn_pos_ = stream_.pos;
  in_txn_ = false;
  txn_seen_ = false;
  txn_events_ = 0;
  if (by_gtid_) {
    b->open("", 4, stream_.gtids);
  } else {
    b->open(stream_.file, stream_.pos);
  }
  metrics_->connected = true;
  metrics_->gtid_mode = true;  // MariaDB always writes GTIDs
  context_->log(LogLevel::Info, kLogger,
                "Reading the binlog of " + settings_.where() + " from " +
                    (by_gtid_ ? "GTID state " + stream_.gtids
                              : stream_.file + ":" + std::to_string(stream_.pos)));
  std::vector<SourceRecord> out;
  try {
    while (!stopping_) {
      const MARIADB_RPL_EVENT* ev = b->next();
      if (ev == nullptr) break;
      handle(*ev, out);
      if (!out.empty() && (!in_txn_ || queue_.batch_full(out.size(), batch_bytes_))) {
        flush(out, batch_bytes_);
      } else if (out.empty() && ev->event_type == HEARTBEAT_LOG_EVENT) {
        flush(out, 0);  // publishes the metrics of a quiet stream
      }
      maybe_heartbeat(out);
    }
  } catch (...) {
    flush(out, batch_bytes_);  // complete records: the restart position counts them
    throw;
  }
}

void MySqlTask::maybe_heartbeat(std::vector<SourceRecord>& out, bool force) {
  if (heartbeat_interval_ms_ <= 0) return;
  const std::int64_t now = now_ms();
  if (!force && now - last_heartbeat_ms_ < heartbeat_interval_ms_) return;
  last_heartbeat_ms_ = now;
  if (!heartbeat_query_.empty()) {
    try {
      sql_->exec(heartbeat_query_);
    } catch (const SqlError& e) {
      context_->log(LogLevel::Warn, kLogger,
                    std::string("heartbeat.action.query failed: ") + e.what());
    }
  }
  out.push_back(
      cdc::heartbeat_record(heartbeat_prefix_, prefix_, partition_, restart_offset(), now));
  flush(out, 0);
}

void MySqlTask::handle(const MARIADB_RPL_EVENT& ev, std::vector<SourceRecord>& out) {
  ++events_handled_;
  const bool artificial = (ev.flags & 0x20) != 0;  // LOG_EVENT_ARTIFICIAL_F
  const std::uint64_t next = ev.next_event_pos;
  const std::uint64_t start = next >= ev.event_length ? next - ev.event_length : 0;
  if (!artificial && ev.event_type != HEARTBEAT_LOG_EVENT) {
    event_ts_sec_ = ev.timestamp;
    event_server_ = ev.server_id;
    if (next != 0) metrics_->binlog_position = next;
  }
  switch (ev.event_type) {
    case ROTATE_EVENT: {
      file_ = std::string(view(ev.event.rotate.filename));
      const auto dot = file_.rfind('.');
      if (dot != std::string::npos)
        metrics_->binlog_file_number = std::strtoull(file_.c_str() + dot + 1, nullptr, 10);
      if (!in_txn_) txn_pos_ = ev.event.rotate.position;
      return;
    }
    case GTID_EVENT: {
      const auto& g = ev.event.gtid;
      in_txn_ = true;
      txn_pos_ = start;
      txn_events_ = 0;
      txn_counts_ = cdc::TransactionCounts();
      gtid_ = std::to_string(g.domain_id) + "-" + std::to_string(ev.server_id) + "-" +
              std::to_string(g.sequence_nr);
      txn_id_ = gtid_;
      standalone_ = (g.flags & 1) != 0;  // FL_STANDALONE: one statement, no COMMIT event
      if (by_gtid_) {
        // The transaction resumed from, at this server's position: a reconnect from here on
        // reads by file and position and still skips what the stored offset had delivered.
        stream_.file = file_;
        stream_.pos = start;
        by_gtid_ = false;
      }
      txn_seen_ = true;
      // MariaDbConnector begins a transaction at every GTID event (a DDL's too, and one of a
      // database it does not capture), and ends it at its XID or COMMIT with an END record,
      // even an empty one. Not again for a transaction a restart resumes inside: its BEGIN was
      // delivered.
      txn_begun_ = tx_metadata_;
      if (tx_metadata_ && skip_events_ == 0 && skip_rows_ == 0)
        out.push_back(cdc::transaction_begin_record(
            tx_topic_, partition_, to_offset(position(txn_pos_)), txn_id_, event_ts_sec_ * 1000));
      return;
    }
    case QUERY_EVENT: {
      const std::string_view stmt = view(ev.event.query.statement);
      if (stmt == "BEGIN") {
        if (!in_txn_) {
          in_txn_ = true;
          txn_pos_ = start;
          txn_events_ = 0;
        }
        txn_seen_ = true;
        return;
      }
      if (stmt == "COMMIT") {
        end_transaction(next, out, true);
        return;
      }
      handle_query(ev, start, next, out);
      // A DDL's group has no COMMIT: MariaDbConnector writes no END for it (its BEGIN stays
      // open until the next GTID event begins another).
      if (standalone_ || !in_txn_) end_transaction(next, out, false);
      return;
    }
    case ANNOTATE_ROWS_EVENT:
      if (include_query_) query_ = std::string(view(ev.event.annotate_rows.statement));
      return;
    case TABLE_MAP_EVENT: {
      const auto& tm = ev.event.table_map;
      auto m = std::make_shared<Mapped>();
      m->db = std::string(view(tm.database));
      m->table = std::string(view(tm.table));
      m->schema = table(m->db, m->table);
      if (m->schema != nullptr) {
        const std::string_view types = view(tm.column_types);
        const std::size_t numeric = signedness_columns(types);
        const std::string_view nulls(reinterpret_cast<const char*>(tm.null_indicator),
                                     (tm.column_count + 7) / 8);
        const std::string_view sign =
            tm.signed_indicator
                ? std::string_view(reinterpret_cast<const char*>(tm.signed_indicator),
                                   (numeric + 7) / 8)
                : std::string_view();
        m->columns = parse_table_columns(types, view(tm.metadata), nulls, sign);
        const auto& defs = m->schema->def().columns;
        m->consistent = m->columns.size() == defs.size();
        for (std::size_t i = 0; m->consistent && i < defs.size(); ++i)
          m->consistent = binlog_type_matches(defs[i], m->columns[i].type);
      }
      table_maps_[tm.table_id] = std::move(m);
      return;
    }
    case WRITE_ROWS_EVENT_V1:
    case UPDATE_ROWS_EVENT_V1:
    case DELETE_ROWS_EVENT_V1:
    case WRITE_ROWS_EVENT:
    case UPDATE_ROWS_EVENT:
    case DELETE_ROWS_EVENT: handle_rows(ev, start, out); return;
    case XID_EVENT: end_transaction(next, out, true); return;
    default:
      if (!in_txn_ && !artificial && next != 0 && ev.event_type != HEARTBEAT_LOG_EVENT)
        txn_pos_ = next;
      return;
  }
}

void MySqlTask::apply_gtid(GtidState& state, const std::string& gtid) {
  // domain-server-seq, as the GTID event handler wrote it
  const auto d1 = gtid.find('-');
  const auto d2 = gtid.find('-', d1 + 1);
  state.update(static_cast<std::uint32_t>(std::stoul(gtid.substr(0, d1))),
               static_cast<std::uint32_t>(std::stoul(gtid.substr(d1 + 1, d2 - d1 - 1))),
               std::stoull(gtid.substr(d2 + 1)));
}

void MySqlTask::end_transaction(std::uint64_t next_pos, std::vector<SourceRecord>& out,
                                bool committed) {
  if (!gtid_.empty()) apply_gtid(gtids_, gtid_);
  in_txn_ = false;
  standalone_ = false;
  ++metrics_->committed;
  if (next_pos != 0) txn_pos_ = next_pos;
  txn_events_ = 0;
  skip_events_ = 0;
  skip_rows_ = 0;
  if (tx_metadata_ && committed && txn_begun_)
    out.push_back(cdc::transaction_end_record(tx_topic_, partition_, restart_offset(), txn_id_,
                                              txn_counts_, event_ts_sec_ * 1000));
  txn_counts_ = cdc::TransactionCounts();
  txn_begun_ = false;
  gtid_.clear();
  query_.clear();
}

void MySqlTask::handle_query(const MARIADB_RPL_EVENT& ev, std::uint64_t event_pos,
                             std::uint64_t next_pos, std::vector<SourceRecord>& out) {
  const std::string stmt(view(ev.event.query.statement));
  const std::string db(view(ev.event.query.database));
  DdlStatement st;
  try {
    st = parse_ddl(stmt, db);
  } catch (const DdlError& e) {
    const std::string msg = "Cannot parse the statement at " + file_ + ":" +
                            std::to_string(event_pos) + " (" + e.what() + ")";
    if (!skip_unparseable_)
      throw std::runtime_error(msg +
                               "; set schema.history.internal.skip.unparseable.ddl=true "
                               "to skip statements that cannot be parsed");
    context_->log(LogLevel::Warn, kLogger, msg + "; skipped");
    ++metrics_->skipped_events;
    return;
  }
  auto tracked = [&](const std::pair<std::string, std::string>& n) {
    return scope_.tracked(n.first, n.second);
  };
  // What goes to the schema change topic and the history: the statement, the table its source
  // names, and its table changes; nothing for statements about tables that are not tracked.
  bool record = false;
  std::string source_table;
  std::vector<TableChange> drops;                            // DROP TABLE: a record each
  std::vector<std::pair<std::string, TableChange>> renames;  // RENAME TABLE: a record each
  std::vector<TableChange> changes;
  auto change = [&](TableChange::Type type, const std::pair<std::string, std::string>& id,
                    const TableDef* def) {
    TableChange ch;
    ch.type = type;
    ch.database = id.first;
    ch.table = id.second;
    if (def) ch.def = *def;
    changes.push_back(std::move(ch));
  };
  switch (st.kind) {
    case DdlStatement::Kind::TruncateTable: {
      if (!tracked(st.name)) break;
      record = true;
      source_table = st.name.second;
      TableSchema* t = table(st.name.first, st.name.second);
      if (t == nullptr) break;
      const std::uint64_t k = txn_events_++;
      if (skipped_ops_.find('t') != std::string::npos) break;
      if (k < skip_events_ || (k == skip_events_ && skip_rows_ > 0)) break;  // delivered
      const std::uint64_t saved = event_pos_;
      event_pos_ = event_pos;
      // the row counter as left, as Debezium
      emit(*t, 't', Value(), Value(), last_row_, now_ns(), {}, out);
      event_pos_ = saved;
      break;
    }
    case DdlStatement::Kind::CreateTable:
      if (st.if_not_exists && definition(st.name)) break;
      forget_definition(st.name);
      if (!tracked(st.name)) break;
      put_definition(*st.table);
      record = true;
      source_table = st.name.second;
      change(TableChange::Type::Create, st.name, &*st.table);
      break;
    case DdlStatement::Kind::CreateTableLike: {
      // gh-ost and pt-online-schema-change start this way: a copy, ALTERed, then renamed in.
      if (st.if_not_exists && definition(st.name)) break;
      std::optional<TableDef> def = definition(st.like);
      forget_definition(st.name);
      if (!tracked(st.name)) break;
      if (!def) {
        // The copied table is not tracked (another database): as the server has it now; the
        // TABLE_MAP check of every row event still guards against a later change of it.
        def = server_definition(st.like);
        if (!def)
          throw std::runtime_error("The statement at " + file_ + ":" + std::to_string(event_pos) +
                                   " copies " + st.like.first + "." + st.like.second +
                                   ", whose definition is not known");
        context_->log(LogLevel::Warn, kLogger,
                      "CREATE TABLE " + st.name.first + "." + st.name.second + " LIKE " +
                          st.like.first + "." + st.like.second +
                          ": the copied table is not tracked; its current definition is used");
      }
      def->database = st.name.first;
      def->table = st.name.second;
      put_definition(*def);
      record = true;
      source_table = st.name.second;
      change(TableChange::Type::Create, st.name, &*def);
      break;
    }
    case DdlStatement::Kind::AlterTable: {
      std::optional<TableDef> current = definition(st.name);
      if (!current) {
        TableSchema* t = table(st.name.first, st.name.second);  // a captured table not yet seen
        if (t == nullptr) break;
        current = t->def();
      }
      TableDef def = std::move(*current);
      try {
        apply_alter(st, def);
      } catch (const DdlError& e) {
        throw std::runtime_error("Cannot apply the statement at " + file_ + ":" +
                                 std::to_string(event_pos) + " to " + def.id() + ": " + e.what());
      }
      forget_definition(st.name);
      record = true;
      source_table = def.table;
      const std::pair<std::string, std::string> id{def.database, def.table};
      if (tracked(id)) {
        put_definition(def);
        change(TableChange::Type::Alter, id, &def);
        if (id != st.name) changes.back().previous = st.name;
      } else {
        change(TableChange::Type::Drop, st.name, nullptr);
      }
      break;
    }
    case DdlStatement::Kind::DropTables:
      // Debezium writes one record per tracked table, with a DDL of its own.
      for (const auto& n : st.names) {
        const bool known = definition(n).has_value();
        forget_definition(n);
        if (!known) continue;
        TableChange ch;
        ch.type = TableChange::Type::Drop;
        ch.database = n.first;
        ch.table = n.second;
        drops.emplace_back(std::move(ch));
      }
      break;
    case DdlStatement::Kind::RenameTables:
      // Debezium writes one record per rename ("RENAME TABLE a TO b", spelled as in the
      // statement), each naming every renamed table in source.table.
      for (std::size_t i = 0; i < st.renames.size(); ++i) {
        const auto& [from, to] = st.renames[i];
        std::optional<TableDef> def = definition(from);
        forget_definition(from);
        forget_definition(to);
        if (!def) continue;
        TableChange ch;
        ch.database = to.first;
        ch.table = to.second;
        if (tracked(to)) {
          def->database = to.first;
          def->table = to.second;
          put_definition(*def);
          ch.type = TableChange::Type::Alter;
          ch.def = std::move(*def);
          ch.previous = from;
        } else {
          ch.type = TableChange::Type::Drop;
          ch.database = from.first;
          ch.table = from.second;
        }
        renames.emplace_back("RENAME TABLE " + st.rename_texts.at(i), std::move(ch));
      }
      break;
    case DdlStatement::Kind::CreateDatabase:
    case DdlStatement::Kind::DropDatabase:
      if (!scope_.database_tracked(st.database)) break;
      record = true;
      if (st.kind == DdlStatement::Kind::DropDatabase) {
        std::vector<std::string> gone;  // table names, in id order as Debezium lists them
        for (const auto& [id, t] : tables_)
          if (t->def().database == st.database) gone.push_back(t->def().table);
        for (const auto& [id, def] : others_)
          if (def.database == st.database) gone.push_back(def.table);
        std::sort(gone.begin(), gone.end());
        for (const auto& name : gone) {
          change(TableChange::Type::Drop, {st.database, name}, nullptr);
          forget_definition({st.database, name});
        }
      }
      break;
    default: break;
  }
  // Row events are preceded by their TABLE_MAP again; drop pointers into replaced schemas.
  table_maps_.clear();
  if (!record && drops.empty() && renames.empty()) return;
  // Debezium's row counter is left where the last captured row event ended.
  const SourceInfo si = stream_source(event_pos, last_row_);
  const std::string database =
      st.kind == DdlStatement::Kind::CreateDatabase || st.kind == DdlStatement::Kind::DropDatabase
          ? st.database
          : db;
  BinlogPosition after = position(next_pos);
  OffsetMap history_position;
  if (flavor_ == Flavor::MariaDb) {
    // A DDL is a transaction of its own: the records' offset includes its GTID, so a restart
    // by GTID starts after it.
    GtidState done = gtids_;
    if (standalone_ && !gtid_.empty()) apply_gtid(done, gtid_);
    after.gtids = done.str();
    if (in_txn_ && !gtid_.empty()) {
      // The history's position is MariaDbConnector's: the start of the DDL's transaction, the
      // GTID set before it, one event (the DDL) done, and its GTID as transaction_id under
      // provide.transaction.metadata (golden mariadb_default). recover_history orders it.
      BinlogPosition at = position(txn_pos_);
      at.event = 1;
      history_position = to_offset(at, tx_metadata_ ? gtid_ : std::string());
    }
  }
  const OffsetMap position = to_offset(after);
  if (history_position.is_null()) history_position = position;
  for (const auto& d : drops)
    schema_change(d.database, "DROP TABLE " + quote_name(d.database) + "." + quote_name(d.table),
                  {d}, source_value(si, d.database, d.table), position, history_position, out);
  if (!renames.empty()) {
    // source.table: the tables' names joined by ",", in the order of Debezium's HashSet of ids.
    std::vector<std::pair<std::string, std::string>> ids;
    for (const auto& [text, ch] : renames) ids.emplace_back(ch.database + "." + ch.table, ch.table);
    std::string tables;
    for (const auto& [id, name] : cdc::java_hash_map_order(std::move(ids)))
      tables += (tables.empty() ? "" : ",") + name;
    for (auto& [text, ch] : renames)
      schema_change(database, text, {ch}, source_value(si, database, tables), position,
                    history_position, out);
  }
  if (record)
    schema_change(database, stmt, changes, source_value(si, database, source_table), position,
                  history_position, out);
}

void MySqlTask::handle_rows(const MARIADB_RPL_EVENT& ev, std::uint64_t event_pos,
                            std::vector<SourceRecord>& out) {
  const auto& rows = ev.event.rows;
  const std::uint64_t k = txn_events_++;
  auto it = table_maps_.find(rows.table_id);
  if (it == table_maps_.end())
    throw std::runtime_error("A rows event at " + file_ + ":" + std::to_string(event_pos) +
                             " refers to table id " + std::to_string(rows.table_id) +
                             " without a TABLE_MAP event");
  Mapped& m = *it->second;
  if (m.schema == nullptr) {
    ++metrics_->filtered;
    return;
  }
  if (k < skip_events_) {
    ++metrics_->skipped_events;
    return;
  }
  const std::uint64_t skip = k == skip_events_ ? skip_rows_ : 0;
  TableSchema& t = *m.schema;
  if (!m.consistent) {
    const std::string msg = "The binlog's TABLE_MAP of " + t.def().id() + " at " + file_ + ":" +
                            std::to_string(event_pos) + " (" + std::to_string(m.columns.size()) +
                            " columns) does not match the table's schema (" +
                            std::to_string(t.def().columns.size()) + " columns)";
    if (inconsistent_mode_ == "fail")
      throw std::runtime_error(msg + " (inconsistent.schema.handling.mode=fail)");
    context_->log(LogLevel::Warn, kLogger, msg + "; the event is skipped");
    ++metrics_->skipped_events;
    return;
  }
  const std::size_t bitmap = (rows.column_count + 7) / 8;
  const std::string_view present(reinterpret_cast<const char*>(rows.column_bitmap), bitmap);
  const bool update = ev.event_type == UPDATE_ROWS_EVENT_V1 || ev.event_type == UPDATE_ROWS_EVENT;
  const bool del = ev.event_type == DELETE_ROWS_EVENT_V1 || ev.event_type == DELETE_ROWS_EVENT;
  const std::string_view data(static_cast<const char*>(rows.row_data), rows.row_data_size);
  // Each row is decoded and mapped before the next (RowImages).
  RowImages images(
      m.columns, present, data,
      update ? std::string_view(reinterpret_cast<const char*>(rows.column_update_bitmap), bitmap)
             : std::string_view());
  event_pos_ = event_pos;
  batch_bytes_ += ev.event_length;
  const std::int64_t now = now_ns();  // one clock read for the event's rows
  auto& image = image_[0];
  auto& after_image = image_[1];
  for (std::size_t r = 0; !images.done(); ++r) {
    images.next(image, update ? &after_image : nullptr);
    last_row_ = static_cast<std::int32_t>(r);
    if (r < skip) continue;
    const auto row = static_cast<std::int32_t>(r);
    if (update) {
      Value before = t.row_from_binlog(image, &pool_);
      Value after = t.row_from_binlog(after_image, &pool_);
      const Value old_key = t.key(before);
      const Value new_key = t.key(after);
      if (t.key_schema() && !(old_key == new_key)) {
        Header newkey{"__debezium.newkey", t.key_schema(), new_key};
        Header oldkey{"__debezium.oldkey", t.key_schema(), old_key};
        if (skipped_ops_.find('d') == std::string::npos) {
          emit(t, 'd', std::move(before), Value(), row, now, {newkey}, out);
          if (tombstones_) {
            SourceRecord tomb = out.back();
            tomb.value_schema = nullptr;
            tomb.value = Value();
            out.push_back(std::move(tomb));
          }
        }
        if (skipped_ops_.find('c') == std::string::npos)
          emit(t, 'c', Value(), std::move(after), row, now, {oldkey}, out);
        continue;
      }
      if (skipped_ops_.find('u') == std::string::npos) {
        emit(t, 'u', std::move(before), std::move(after), row, now, {}, out);
      } else {
        ++metrics_->filtered;
      }
    } else if (del) {
      if (skipped_ops_.find('d') != std::string::npos) {
        ++metrics_->filtered;
        continue;
      }
      emit(t, 'd', t.row_from_binlog(image, &pool_), Value(), row, now, {}, out);
      if (tombstones_) {
        SourceRecord tomb = out.back();
        tomb.value_schema = nullptr;
        tomb.value = Value();
        out.push_back(std::move(tomb));
      }
    } else {
      if (skipped_ops_.find('c') != std::string::npos) {
        ++metrics_->filtered;
        continue;
      }
      emit(t, 'c', Value(), t.row_from_binlog(image, &pool_), row, now, {}, out);
    }
  }
}

void MySqlTask::emit(TableSchema& t, char op, Value before, Value after, std::int32_t row,
                     std::int64_t now_ns, std::vector<Header> headers,
                     std::vector<SourceRecord>& out) {
  Value source;
  if (source_proto_ && source_event_ == events_handled_ && source_table_ == &t) {
    // Another row of the same event: only `row` differs.
    auto data = pool_.acquire(source_proto_->schema, source_proto_->fields.size());
    cdc::assign_fields(data->fields, source_proto_->fields);
    data->fields[kSourceRowField] = Value(row);
    source = Value(std::move(data));
  } else {
    SourceInfo si = stream_source(event_pos_, row);
    si.query = query_;
    source = t.source(si, &pool_);
    source_proto_ = source.as<std::shared_ptr<Value::StructData>>();
    source_event_ = events_handled_;
    source_table_ = &t;
  }
  Value transaction;
  if (tx_metadata_ && in_txn_) {
    const std::int64_t order = txn_counts_.add(t.def().id());
    transaction = cdc::transaction_block(txn_id_, txn_counts_.total(), order);
  }
  // Built in place: a SourceRecord moved into the batch cost as much as its fields. One that
  // fails half-built is taken out again (stream() hands the batch's complete records on).
  SourceRecord& rec = shells_.emplace(out);
  cdc::UnfinishedRecord unfinished(out);
  cdc::share(rec.source_partition, partition_);
  set_position(record_pos_, txn_pos_);
  record_pos_.event = in_txn_ ? txn_events_ - 1 : 0;
  record_pos_.row = static_cast<std::uint64_t>(row) + 1;
  // One RowOffsets per binlog event; each record carries its row (the worker computes the map
  // only for the offset it commits).
  if (!row_offsets_ || !row_offsets_->covers(record_pos_)) {
    row_offsets_ = std::make_shared<const RowOffsets>(record_pos_);
  }
  cdc::share(rec.lazy_offset.source, row_offsets_);
  rec.lazy_offset.arg = record_pos_.row;
  rec.topic = t.topic();
  const Value& image = op == 'd' ? before : after;
  rec.key = op != 't' ? t.key(image, &pool_) : Value();
  cdc::share(rec.key_schema, rec.key.is_null() ? SchemaPtr() : t.key_schema());
  rec.value = t.envelope(std::move(before), std::move(after), std::move(source), op, now_ns,
                         std::move(transaction), &pool_);
  cdc::share(rec.value_schema, t.envelope_schema());
  if (!headers.empty()) rec.headers = std::move(headers);
  unfinished.done();
  ++metrics_->seen;
  if (op == 'c') ++metrics_->creates;
  if (op == 'u') ++metrics_->updates;
  if (op == 'd') ++metrics_->deletes;
  const std::int64_t now = now_ns / 1000000;
  metrics_->last_event_ms = now;
  metrics_->last_event_lag_ms = std::max<std::int64_t>(0, now - event_ts_sec_ * 1000);
}

}  // namespace tributary::mysql
