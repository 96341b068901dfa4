#include "postgres_config.h"

#include "cdc_config.h"

namespace tributary::pg {

const ConfigDef& postgres_config_def() {
  static const ConfigDef def = [] {
    using CT = ConfigType;
    using I = Importance;
    namespace v = validators;
    ConfigDef d;
    // Connection.
    d.define("database.hostname", CT::String, std::nullopt, I::High,
             "Host name or address of the PostgreSQL server.", "Connection", v::non_empty_string());
    d.define("database.port", CT::Int, "5432", I::High, "Port of the PostgreSQL server.",
             "Connection", v::between(1, 65535));
    d.define("database.user", CT::String, std::nullopt, I::High,
             "User to connect as; needs the REPLICATION attribute (or superuser).", "Connection",
             v::non_empty_string());
    d.define("database.password", CT::Password, "", I::High, "Password of database.user.",
             "Connection");
    d.define("database.dbname", CT::String, std::nullopt, I::High,
             "Database to capture changes from.", "Connection", v::non_empty_string());
    d.define("database.sslmode", CT::String, "prefer", I::Medium,
             "libpq sslmode: disable, allow, prefer, require, verify-ca, verify-full.",
             "Connection",
             v::one_of({"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}));
    d.define("database.sslcert", CT::String, "", I::Medium,
             "File of the client's SSL certificate (libpq sslcert).", "Connection");
    d.define("database.sslkey", CT::String, "", I::Medium,
             "File of the client's SSL private key (libpq sslkey).", "Connection");
    d.define("database.sslpassword", CT::Password, "", I::Medium,
             "Password of the private key in database.sslkey (libpq sslpassword).", "Connection");
    d.define("database.sslrootcert", CT::String, "", I::Medium,
             "File of the root certificates the server is verified against under verify-ca and "
             "verify-full (libpq sslrootcert).",
             "Connection");
    d.define("database.initial.statements", CT::String, "", I::Low,
             "Semicolon-separated SQL run on each new (non-replication) connection.", "Connection");
    d.define("database.tcpKeepAlive", CT::Boolean, "true", I::Low,
             "Enable TCP keepalives on the connections.", "Connection");
    d.define("topic.prefix", CT::String, std::nullopt, I::High,
             "Prefix of every topic name (<prefix>.<schema>.<table>) and the source partition "
             "{\"server\": <prefix>}.",
             "Connection", v::non_empty_string());
    // Replication.
    d.define("plugin.name", CT::String, "pgoutput", I::Medium,
             "Logical decoding plugin. Tributary decodes pgoutput (built into PostgreSQL 10+); "
             "Debezium's default decoderbufs needs a server extension and is not supported.",
             "Replication", v::one_of({"pgoutput"}));
    d.define("slot.name", CT::String, "debezium", I::Medium, "Name of the replication slot.",
             "Replication", v::non_empty_string());
    d.define("slot.drop.on.stop", CT::Boolean, "false", I::Low,
             "Drop the replication slot when the connector stops gracefully.", "Replication");
    d.define("slot.max.retries", CT::Int, "6", I::Low,
             "Times the task tries again to take the replication slot while it is active in "
             "another session (a replaced task's stream ending, another consumer), before it "
             "fails naming the slot.",
             "Replication", v::at_least(1));
    d.define("slot.retry.delay.ms", CT::Long, "10000", I::Low,
             "Delay between attempts to take the replication slot.", "Replication", v::at_least(0));
    d.define("publication.name", CT::String, "dbz_publication", I::Medium,
             "Name of the publication pgoutput streams.", "Replication", v::non_empty_string());
    d.define("publication.autocreate.mode", CT::String, "all_tables", I::Medium,
             "all_tables: create the publication FOR ALL TABLES if missing; filtered: create or "
             "update it for the captured tables; disabled: it must exist; no_tables: create it "
             "with no tables.",
             "Replication", v::one_of({"all_tables", "filtered", "disabled", "no_tables"}));
    d.define("status.update.interval.ms", CT::Long, "10000", I::Low,
             "Interval of standby status updates (flush LSN feedback) to the server.",
             "Replication", v::at_least(0));
    // Snapshot.
    d.define("snapshot.mode", CT::String, "initial", I::Medium,
             "initial, initial_only, no_data (older names: never, schema_only), when_needed, "
             "always.",
             "Snapshot",
             v::one_of({"initial", "initial_only", "no_data", "never", "schema_only", "when_needed",
                        "always"}));
    d.define("snapshot.fetch.size", CT::Int, "10240", I::Medium,
             "Accepted for Debezium compatibility and validated; Tributary streams each table's "
             "snapshot through COPY (SELECT ...) TO STDOUT, which has no fetch round trips, so "
             "memory is per row whatever the value.",
             "Snapshot", v::at_least(1));
    d.define("snapshot.select.statement.overrides", CT::List, "", I::Low,
             "Tables (schema.table) whose snapshot query is given in "
             "snapshot.select.statement.overrides.<schema.table>.",
             "Snapshot");
    d.define("snapshot.lock.timeout.ms", CT::Long, "10000", I::Low,
             "Longest wait for table locks during a snapshot.", "Snapshot", v::at_least(0));
    // Filters: shared with the other Debezium-style connectors.
    cdc::define_filter_config(d, "schema", "schemas");
    // Values.
    d.define("decimal.handling.mode", CT::String, "precise", I::Medium,
             "numeric as precise (Connect Decimal), double or string.", "Values",
             v::one_of({"precise", "double", "string"}));
    d.define("time.precision.mode", CT::String, "adaptive", I::Medium,
             "adaptive, adaptive_time_microseconds or connect.", "Values",
             v::one_of({"adaptive", "adaptive_time_microseconds", "connect"}));
    d.define("binary.handling.mode", CT::String, "bytes", I::Low,
             "bytea as bytes, base64, base64-url-safe or hex.", "Values",
             v::one_of({"bytes", "base64", "base64-url-safe", "hex"}));
    d.define("interval.handling.mode", CT::String, "numeric", I::Low,
             "interval as numeric (MicroDuration) or string (ISO-8601).", "Values",
             v::one_of({"numeric", "string"}));
    d.define("hstore.handling.mode", CT::String, "json", I::Low, "hstore as json or map.", "Values",
             v::one_of({"json", "map"}));
    d.define("unavailable.value.placeholder", CT::String, "__debezium_unavailable_value", I::Low,
             "Value given to unchanged TOASTed columns PostgreSQL did not send.", "Values");
    d.define("tombstones.on.delete", CT::Boolean, "true", I::Medium,
             "Follow each delete event with a tombstone (null value) for the same key.", "Values");
    d.define("include.unknown.datatypes", CT::Boolean, "false", I::Low,
             "Emit columns of unknown types as strings instead of leaving them out.", "Values");
    // Flow and heartbeats: shared with the other Debezium-style connectors.
    cdc::define_flow_config(d, "PostgreSQL", "the replication stream",
                            "SQL run on each heartbeat, so a quiet database still moves the slot.");
    return d;
  }();
  return def;
}

std::optional<std::string> check_queue_size(const ConfigMap& props) {
  return cdc::check_queue_size(postgres_config_def(), props);
}

std::vector<std::pair<std::string, std::string>> check_select_overrides(const ConfigMap& props) {
  return cdc::check_select_overrides(postgres_config_def(), props);
}

const std::vector<cdc::UnsupportedKey>& postgres_unsupported_keys() {
  using Kind = cdc::UnsupportedKey::Kind;
  static const std::vector<cdc::UnsupportedKey> keys = {
      {"replica.identity.autoset.values",
       Kind::Refused,
       {},
       "Tributary does not change a table's REPLICA IDENTITY; set it with ALTER TABLE ... "
       "REPLICA IDENTITY"},
      {"slot.stream.params",
       Kind::Refused,
       {},
       "pgoutput is started with fixed parameters (proto_version 1 and the publication)"},
      {"schema.refresh.mode",
       Kind::Refused,
       {"columns_diff"},
       "a table's schema is refreshed when its columns differ (columns_diff)"},
      {"flush.lsn.source",
       Kind::Refused,
       {"true"},
       "the connector confirms to the slot the LSNs whose records are committed"},
      {"xmin.fetch.interval.ms", Kind::Refused, {"0"}, "source.xmin is not filled"},
      {"snapshot.locking.mode", Kind::Refused, {"none"}, "the snapshot takes no table locks"},
      {"sourceinfo.struct.maker",
       Kind::Refused,
       {"io.debezium.connector.postgresql.PostgresSourceInfoStructMaker"},
       "the source block is written as the connector's default maker writes it"},
      {"message.prefix.include.list",
       Kind::Ignored,
       {},
       "logical decoding messages are not captured"},
      {"message.prefix.exclude.list",
       Kind::Ignored,
       {},
       "logical decoding messages are not captured"},
      {"snapshot.delay.ms", Kind::Ignored, {"0"}, "the snapshot starts at once"},
      {"table.ignore.builtin", Kind::Ignored, {"true"}, "the system schemas are never captured"},
      {"database.sslfactory",
       Kind::Ignored,
       {},
       "a Java class; libpq follows database.sslmode and database.sslrootcert"},
      {"database.query.timeout.ms",
       Kind::Ignored,
       {"600000"},
       "the PostgreSQL connector's queries are bounded by connect.timeout and cancelled at stop"},
  };
  return keys;
}

SnapshotMode parse_snapshot_mode(const std::string& value) {
  return cdc::parse_snapshot_mode(value,
                                  {"initial", "initial_only", "no_data", "when_needed", "always"});
}

}  // namespace tributary::pg
