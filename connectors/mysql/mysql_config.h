// Configuration of the MySQL / MariaDB connector: Debezium 2.7's key names, defaults and allowed
// values for MySqlConnector (tests/golden/mysql/mysql-configdef.tsv is the real config()), as a
// ConfigDef the worker validates and documents. The filters and flow keys are the ones every
// Debezium-style connector shares (connectors/common/cdc_config.h).
//
// Threading: pure functions and an immutable ConfigDef (any thread).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cdc_config.h"
#include "tributary/config.h"
#include "unsupported_config.h"

namespace tributary::mysql {

const ConfigDef& mysql_config_def();

using SnapshotMode = cdc::SnapshotMode;
/// snapshot.mode with its older names folded in (never / schema_only: no_data,
/// schema_only_recovery: recovery).
SnapshotMode parse_snapshot_mode(const std::string& value);

enum class LockingMode { Minimal, Extended, None };
LockingMode parse_locking_mode(const std::string& value);

/// The checks across keys of a connector config, by key: max.queue.size > max.batch.size, the
/// statements of snapshot.select.statement.overrides, the schema history keys, and the refused
/// Debezium keys Tributary does not implement (unsupported_config.h).
std::vector<std::pair<std::string, std::string>> check_config(const ConfigMap& props);

/// The MySqlConnector / MariaDbConnector keys Tributary does not implement, beyond the common ones.
const std::vector<cdc::UnsupportedKey>& mysql_unsupported_keys();

}  // namespace tributary::mysql
