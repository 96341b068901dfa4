// The config keys every Debezium relational connector shares, with Debezium 2.7's names,
// defaults and allowed values: the filters, the flow keys (queue, batch, poll, heartbeats,
// transaction metadata, reconnects) and snapshot.mode's names, plus the checks across keys.
// Each connector defines its own keys around them, in its own ConfigDef.
//
// Threading: pure functions (any thread).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tributary/config.h"

namespace tributary::cdc {

/// <container>.include/exclude.list ("schema" or "database", `plural` for the docs),
/// table.include/exclude.list, column.include/exclude.list, message.key.columns,
/// skipped.operations: the "Filters" group.
void define_filter_config(ConfigDef& d, const std::string& container, const std::string& plural);

/// max.batch.size, max.queue.size, max.queue.size.in.bytes, retriable.restart.connector.wait.ms,
/// errors.max.retries, poll.interval.ms, heartbeat.interval.ms, heartbeat.action.query,
/// topic.heartbeat.prefix, provide.transaction.metadata, topic.transaction: the "Flow" group.
/// `database` names the server in the docs ("PostgreSQL"), `stream` what events are read from
/// ("the replication stream"), `heartbeat_query_doc` documents heartbeat.action.query.
void define_flow_config(ConfigDef& d, const std::string& database, const std::string& stream,
                        const std::string& heartbeat_query_doc);

/// snapshot.mode: initial, initial_only, no_data (older names never, schema_only), when_needed,
/// always, recovery (older name schema_only_recovery).
enum class SnapshotMode { Initial, InitialOnly, NoData, WhenNeeded, Always, Recovery };
/// Throws ConfigError naming snapshot.mode for a value outside `allowed` (the connector's
/// modes, new names only; the older names are folded in first).
SnapshotMode parse_snapshot_mode(const std::string& value, const std::vector<std::string>& allowed);

/// max.queue.size must exceed max.batch.size (as in Debezium): the error text, or nullopt.
std::optional<std::string> check_queue_size(const ConfigDef& def, const ConfigMap& props);
/// Each table listed in snapshot.select.statement.overrides needs its statement under
/// snapshot.select.statement.overrides.<table>: (missing key, error text) pairs.
std::vector<std::pair<std::string, std::string>> check_select_overrides(const ConfigDef& def,
                                                                        const ConfigMap& props);

}  // namespace tributary::cdc
