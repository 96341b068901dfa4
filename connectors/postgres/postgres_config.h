// Configuration of the PostgreSQL connector: Debezium 2.7's key names, defaults and allowed
// values (REFERENCE §6), as a ConfigDef the worker validates and documents.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cdc_config.h"
#include "tributary/config.h"
#include "unsupported_config.h"

namespace tributary::pg {

const ConfigDef& postgres_config_def();

using SnapshotMode = cdc::SnapshotMode;
/// snapshot.mode with its older names folded in: `never` and `schema_only` are `no_data`.
SnapshotMode parse_snapshot_mode(const std::string& value);
/// max.queue.size must exceed max.batch.size (as in Debezium): the error text, or nullopt.
std::optional<std::string> check_queue_size(const ConfigMap& props);
/// Each table listed in snapshot.select.statement.overrides needs its statement under
/// snapshot.select.statement.overrides.<schema.table>: (missing key, error text) pairs.
std::vector<std::pair<std::string, std::string>> check_select_overrides(const ConfigMap& props);
/// The PostgresConnector keys Tributary does not implement, beyond the common ones
/// (unsupported_config.h).
const std::vector<cdc::UnsupportedKey>& postgres_unsupported_keys();

}  // namespace tributary::pg
