#include "mysql_config.h"

#include <algorithm>
#include <cctype>

namespace tributary::mysql {

const ConfigDef& mysql_config_def() {
  static const ConfigDef def = [] {
    using CT = ConfigType;
    using I = Importance;
    namespace v = validators;
    ConfigDef d;
    // Connection.
    d.define("topic.prefix", CT::String, std::nullopt, I::High,
             "Prefix of every topic name (<prefix>.<database>.<table>), the schema change topic "
             "itself and the source partition {\"server\": <prefix>}.",
             "Connection", v::non_empty_string());
    d.define("database.hostname", CT::String, std::nullopt, I::High,
             "Host name or address of the MySQL / MariaDB server.", "Connection",
             v::non_empty_string());
    d.define("database.port", CT::Int, "3306", I::High, "Port of the server.", "Connection",
             v::between(1, 65535));
    d.define("database.user", CT::String, std::nullopt, I::High,
             "User to connect as; needs REPLICATION SLAVE, REPLICATION CLIENT (MariaDB: BINLOG "
             "MONITOR), SELECT and RELOAD on *.*.",
             "Connection", v::non_empty_string());
    d.define("database.password", CT::Password, "", I::High, "Password of database.user.",
             "Connection");
    d.define("database.server.id", CT::Long, std::nullopt, I::High,
             "Server id this connector registers with as a replica; must differ from the "
             "server's own and from every other replica's.",
             "Connection", v::between(1, 4294967295LL));
    d.define("database.server.id.offset", CT::Long, "10000", I::Low,
             "Accepted for Debezium compatibility (parallel snapshots, which Tributary does not "
             "run).",
             "Connection");
    d.define("database.ssl.mode", CT::String, "preferred", I::Medium,
             "disabled, preferred, required, verify_ca or verify_identity.", "Connection",
             v::one_of({"disabled", "preferred", "required", "verify_ca", "verify_identity"}));
    d.define("database.initial.statements", CT::String, "", I::Low,
             "Semicolon-separated SQL run on each new connection that is not the binlog reader.",
             "Connection");
    d.define("database.query.timeout.ms", CT::Int, "600000", I::Low,
             "Longest wait for the answer of a query (0: none).", "Connection", v::at_least(0));
    d.define("connect.timeout.ms", CT::Int, "30000", I::Medium,
             "Longest wait for a connection to the server.", "Connection", v::at_least(1));
    d.define("connect.keep.alive", CT::Boolean, "true", I::Low,
             "Reconnect the binlog reader after the connection was lost (see "
             "retriable.restart.connector.wait.ms).",
             "Connection");
    d.define("connect.keep.alive.interval.ms", CT::Long, "60000", I::Low,
             "Heartbeat period the binlog reader asks the server for; a stream silent for twice "
             "this long counts as lost.",
             "Connection", v::at_least(1));
    // Snapshot.
    d.define("snapshot.mode", CT::String, "initial", I::Medium,
             "initial, initial_only, no_data (older names: never, schema_only), when_needed, "
             "always, recovery (older name: schema_only_recovery).",
             "Snapshot",
             v::one_of({"initial", "initial_only", "no_data", "never", "schema_only", "when_needed",
                        "always", "recovery", "schema_only_recovery"}));
    d.define("snapshot.locking.mode", CT::String, "minimal", I::Low,
             "minimal: a global read lock only while the schema and binlog position are read; "
             "extended: held for the whole snapshot; none: no lock (only safe while no DDL "
             "runs).",
             "Snapshot", v::one_of({"minimal", "extended", "none"}));
    d.define("snapshot.fetch.size", CT::Int, "", I::Medium,
             "Accepted for Debezium compatibility and validated; Tributary streams each table's "
             "rows from the server (mysql_use_result), so memory is per row whatever the value.",
             "Snapshot", v::at_least(1));
    d.define("snapshot.select.statement.overrides", CT::List, "", I::Low,
             "Tables (database.table) whose snapshot query is given in "
             "snapshot.select.statement.overrides.<database.table>.",
             "Snapshot");
    d.define("snapshot.lock.timeout.ms", CT::Long, "10000", I::Low,
             "Longest wait for the global read lock of a snapshot.", "Snapshot", v::at_least(0));
    d.define("snapshot.delay.ms", CT::Long, "0", I::Low, "Wait before a snapshot starts.",
             "Snapshot", v::at_least(0));
    // Filters: shared with the other Debezium-style connectors.
    cdc::define_filter_config(d, "database", "databases");
    d.define("table.ignore.builtin", CT::Boolean, "true", I::Low,
             "Leave out the system databases (mysql, sys, performance_schema, "
             "information_schema).",
             "Filters");
    // Values.
    d.define("decimal.handling.mode", CT::String, "precise", I::Medium,
             "DECIMAL as precise (Connect Decimal), double or string.", "Values",
             v::one_of({"precise", "double", "string"}));
    d.define("bigint.unsigned.handling.mode", CT::String, "long", I::Medium,
             "BIGINT UNSIGNED as long (int64; values above 2^63-1 wrap negative, as in Debezium) "
             "or precise (Connect Decimal).",
             "Values", v::one_of({"long", "precise"}));
    d.define("time.precision.mode", CT::String, "adaptive_time_microseconds", I::Medium,
             "adaptive_time_microseconds (adaptive is the same for MySQL) or connect.", "Values",
             v::one_of({"adaptive", "adaptive_time_microseconds", "connect"}));
    d.define("binary.handling.mode", CT::String, "bytes", I::Low,
             "BINARY / VARBINARY / BLOB as bytes, base64, base64-url-safe or hex.", "Values",
             v::one_of({"bytes", "base64", "base64-url-safe", "hex"}));
    d.define("enable.time.adjuster", CT::Boolean, "true", I::Low,
             "Two-digit years in DATE / DATETIME / TIMESTAMP values: 00-69 become 2000-2069, "
             "70-99 1970-1999.",
             "Values");
    d.define("tombstones.on.delete", CT::Boolean, "true", I::Medium,
             "Follow each delete event with a tombstone (null value) for the same key.", "Values");
    d.define("include.query", CT::Boolean, "false", I::Medium,
             "Put the statement of each row event (MariaDB's Annotate_rows event, needs "
             "binlog_annotate_row_events) in source.query.",
             "Values");
    d.define("inconsistent.schema.handling.mode", CT::String, "fail", I::Medium,
             "A row event of a table whose schema is not known: fail, warn or skip (log and "
             "leave out).",
             "Values", v::one_of({"fail", "warn", "skip", "ignore"}));
    d.define("event.deserialization.failure.handling.mode", CT::String, "fail", I::Medium,
             "A binlog event that cannot be decoded: fail, warn or skip (log and leave out).",
             "Values", v::one_of({"fail", "warn", "skip", "ignore"}));
    // Schema changes and their history.
    d.define("include.schema.changes", CT::Boolean, "true", I::Medium,
             "Write each DDL to the schema change topic <topic.prefix>.", "Schema history");
    d.define("schema.history.internal.kafka.topic", CT::String, std::nullopt, I::High,
             "Topic (one partition) of the schema history the connector reads back at restart.",
             "Schema history", v::non_empty_string());
    d.define("schema.history.internal.kafka.bootstrap.servers", CT::String, std::nullopt, I::High,
             "Kafka brokers of the schema history topic.", "Schema history", v::non_empty_string());
    d.define("schema.history.internal.store.only.captured.tables.ddl", CT::Boolean, "false", I::Low,
             "Record only the DDL of captured tables in the schema history.", "Schema history");
    d.define("schema.history.internal.store.only.captured.databases.ddl", CT::Boolean, "true",
             I::Low, "Record only the DDL of captured databases in the schema history.",
             "Schema history");
    d.define("schema.history.internal.skip.unparseable.ddl", CT::Boolean, "false", I::Low,
             "Log and skip DDL that cannot be parsed instead of failing.", "Schema history");
    // Flow and heartbeats: shared with the other Debezium-style connectors.
    cdc::define_flow_config(d, "MySQL", "the binlog",
                            "SQL run on each heartbeat, so a quiet server still moves the "
                            "binlog position.");
    return d;
  }();
  return def;
}

SnapshotMode parse_snapshot_mode(const std::string& value) {
  return cdc::parse_snapshot_mode(
      value, {"initial", "initial_only", "no_data", "when_needed", "always", "recovery"});
}

LockingMode parse_locking_mode(const std::string& value) {
  std::string v = value;
  std::transform(v.begin(), v.end(), v.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (v == "extended") return LockingMode::Extended;
  if (v == "none") return LockingMode::None;
  if (v == "minimal") return LockingMode::Minimal;
  throw ConfigError("snapshot.locking.mode",
                    "Invalid value " + value +
                        " for configuration snapshot.locking.mode: must be one of minimal, "
                        "extended, none");
}

std::vector<std::pair<std::string, std::string>> check_config(const ConfigMap& props) {
  std::vector<std::pair<std::string, std::string>> errors;
  try {
    if (auto e = cdc::check_queue_size(mysql_config_def(), props))
      errors.emplace_back("max.queue.size", *e);
    for (auto& e : cdc::check_select_overrides(mysql_config_def(), props))
      errors.push_back(std::move(e));
  } catch (const std::exception&) {
    // A malformed number: the ConfigDef's own validation names it.
  }
  for (auto& e : cdc::check_unsupported(props, mysql_unsupported_keys()).errors)
    errors.push_back(std::move(e));
  return errors;
}

const std::vector<cdc::UnsupportedKey>& mysql_unsupported_keys() {
  using Kind = cdc::UnsupportedKey::Kind;
  static const std::vector<cdc::UnsupportedKey> keys = {
      {"gtid.source.includes",
       Kind::Refused,
       {},
       "the transactions of every server are captured; filter with a transform"},
      {"gtid.source.excludes",
       Kind::Refused,
       {},
       "the transactions of every server are captured; filter with a transform"},
      {"database.ssl.keystore",
       Kind::Refused,
       {},
       "Java key stores are not read (the client is MariaDB Connector/C); a client certificate "
       "cannot be given yet"},
      {"database.ssl.truststore",
       Kind::Refused,
       {},
       "Java key stores are not read (the client is MariaDB Connector/C); a CA certificate "
       "file cannot be given yet"},
      {"sourceinfo.struct.maker",
       Kind::Refused,
       {"io.debezium.connector.mysql.MySqlSourceInfoStructMaker",
        "io.debezium.connector.mariadb.MariaDbSourceInfoStructMaker"},
       "the source block is written as the connector's default maker writes it"},
      {"schema.history.internal",
       Kind::Refused,
       {"io.debezium.storage.kafka.history.KafkaSchemaHistory"},
       "the schema history is kept in schema.history.internal.kafka.topic (KafkaSchemaHistory)"},
      {"gtid.source.filter.dml.events",
       Kind::Ignored,
       {"true"},
       "read only with gtid.source.includes / excludes, which are refused"},
      {"database.ssl.keystore.password", Kind::Ignored, {}, "Java key stores are not read"},
      {"database.ssl.truststore.password", Kind::Ignored, {}, "Java key stores are not read"},
      {"binlog.buffer.size",
       Kind::Ignored,
       {"0"},
       "the binlog reader needs no look-ahead buffer: MariaDB writes no rolled-back transaction"},
      {"min.row.count.to.stream.results",
       Kind::Ignored,
       {"1000"},
       "snapshot rows are always streamed from the server (mysql_use_result)"},
      {"use.nongraceful.disconnect",
       Kind::Ignored,
       {"false"},
       "a Java client switch; Tributary closes the binlog connection by shutting its socket"},
      {"database.jdbc.driver",
       Kind::Ignored,
       {"com.mysql.cj.jdbc.Driver", "org.mariadb.jdbc.Driver"},
       "Tributary connects through MariaDB Connector/C, not JDBC"},
      {"database.protocol",
       Kind::Ignored,
       {"jdbc:mysql", "jdbc:mariadb"},
       "Tributary connects through MariaDB Connector/C, not JDBC"},
  };
  return keys;
}

}  // namespace tributary::mysql
