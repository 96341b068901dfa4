#include "cdc_config.h"

#include <algorithm>
#include <cctype>

namespace tributary::cdc {

void define_filter_config(ConfigDef& d, const std::string& container, const std::string& plural) {
  using CT = ConfigType;
  using I = Importance;
  d.define(container + ".include.list", CT::List, "", I::Medium,
           "Regular expressions (anchored) of " + plural + " to capture.", "Filters");
  d.define(container + ".exclude.list", CT::List, "", I::Medium,
           "Regular expressions (anchored) of " + plural + " not to capture.", "Filters");
  d.define("table.include.list", CT::List, "", I::Medium,
           "Regular expressions (anchored) of " + container + ".table to capture.", "Filters");
  d.define("table.exclude.list", CT::List, "", I::Medium,
           "Regular expressions (anchored) of " + container + ".table not to capture.", "Filters");
  d.define("column.include.list", CT::List, "", I::Low,
           "Regular expressions (anchored) of " + container + ".table.column to include in events.",
           "Filters");
  d.define(
      "column.exclude.list", CT::List, "", I::Low,
      "Regular expressions (anchored) of " + container + ".table.column to leave out of events.",
      "Filters");
  d.define("message.key.columns", CT::String, "", I::Low,
           "Key columns per table: <table regex>:<col>,<col>;<table regex>:<col>...", "Filters");
  d.define("skipped.operations", CT::List, "t", I::Low,
           "Operations not to emit: c, u, d, t, or none.", "Filters");
}

void define_flow_config(ConfigDef& d, const std::string& database, const std::string& stream,
                        const std::string& heartbeat_query_doc) {
  using CT = ConfigType;
  using I = Importance;
  namespace v = validators;
  d.define("max.batch.size", CT::Int, "2048", I::Medium, "Most events returned by one poll.",
           "Flow", v::at_least(1));
  d.define("max.queue.size", CT::Int, "8192", I::Medium,
           "Most events buffered between " + stream + " and poll.", "Flow", v::at_least(1));
  d.define("max.queue.size.in.bytes", CT::Long, "0", I::Medium,
           "Most bytes buffered between " + stream + " and poll (0: no limit).", "Flow",
           v::at_least(0));
  d.define("retriable.restart.connector.wait.ms", CT::Long, "10000", I::Low,
           "Wait before reconnecting after the connection to " + database +
               " was lost (server restart, network); the task stays RUNNING and resumes after "
               "the last event it returned.",
           "Flow", v::at_least(0));
  d.define("errors.max.retries", CT::Int, "-1", I::Low,
           "Reconnect attempts in a row before the task fails (-1: no limit, 0: fail at once).",
           "Flow", v::at_least(-1));
  d.define("poll.interval.ms", CT::Long, "500", I::Medium, "Longest wait of a poll for new events.",
           "Flow", v::at_least(0));
  d.define("heartbeat.interval.ms", CT::Long, "0", I::Medium,
           "Interval of heartbeat records (0: none).", "Flow", v::at_least(0));
  d.define("heartbeat.action.query", CT::String, "", I::Low, heartbeat_query_doc, "Flow");
  d.define("topic.heartbeat.prefix", CT::String, "__debezium-heartbeat", I::Low,
           "Heartbeat topic: <prefix>.<topic.prefix>.", "Flow");
  d.define("provide.transaction.metadata", CT::Boolean, "false", I::Low,
           "Write BEGIN/END records to <topic.prefix>.transaction and add `transaction` to "
           "events.",
           "Flow");
  d.define("topic.transaction", CT::String, "transaction", I::Low,
           "Suffix of the transaction metadata topic.", "Flow");
}

SnapshotMode parse_snapshot_mode(const std::string& value,
                                 const std::vector<std::string>& allowed) {
  std::string v = value;
  std::transform(v.begin(), v.end(), v.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (v == "never" || v == "schema_only") v = "no_data";
  if (v == "schema_only_recovery") v = "recovery";
  if (std::find(allowed.begin(), allowed.end(), v) != allowed.end()) {
    if (v == "initial") return SnapshotMode::Initial;
    if (v == "initial_only") return SnapshotMode::InitialOnly;
    if (v == "no_data") return SnapshotMode::NoData;
    if (v == "when_needed") return SnapshotMode::WhenNeeded;
    if (v == "always") return SnapshotMode::Always;
    if (v == "recovery") return SnapshotMode::Recovery;
  }
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  throw ConfigError(
      "snapshot.mode",
      "Invalid value " + value + " for configuration snapshot.mode: must be one of " + list);
}

std::optional<std::string> check_queue_size(const ConfigDef& def, const ConfigMap& props) {
  const Config c(def, props);
  const auto queue = c.get_long("max.queue.size");
  const auto batch = c.get_long("max.batch.size");
  if (queue > batch) return std::nullopt;
  return "Invalid value " + std::to_string(queue) +
         " for configuration max.queue.size: must be larger than max.batch.size (" +
         std::to_string(batch) + ")";
}

std::vector<std::pair<std::string, std::string>> check_select_overrides(const ConfigDef& def,
                                                                        const ConfigMap& props) {
  std::vector<std::pair<std::string, std::string>> errors;
  const Config c(def, props);
  for (const auto& table : c.get_list("snapshot.select.statement.overrides")) {
    const std::string key = "snapshot.select.statement.overrides." + table;
    auto it = props.find(key);
    if (it == props.end() || it->second.find_first_not_of(" \t\n;") == std::string::npos)
      errors.emplace_back(key, "Missing value for configuration " + key + ": table " + table +
                                   " is listed in snapshot.select.statement.overrides, so its "
                                   "snapshot SELECT statement must be given here");
  }
  return errors;
}

}  // namespace tributary::cdc
