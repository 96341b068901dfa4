// The herder's typed results in Kafka Connect's JSON shapes (its rest.entities classes, keys in
// Connect's order): the only place that knows them, so routes stay routing and a forwarded request
// can be encoded the same way.
//
// Threading: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "herder/herder.h"

namespace tributary::api {

using ojson = nlohmann::ordered_json;

ojson to_json(const ServerInfo& info);      // {"version","commit","kafka_cluster_id"}
ojson to_json(const HealthInfo& health);    // {"status","message"}
int http_status(const HealthInfo& health);  // 200, 503 while starting, 500 unhealthy
ojson to_json(
    const ConnectorInfo& info);         // {"name","config","tasks":[{"connector","task"}],"type"}
ojson to_json(const StateInfo& state);  // {"state","worker_id"[,"trace"]}
ojson to_json(const TaskStateInfo& task);    // {"id","state","worker_id"[,"trace"]}
ojson to_json(const ConnectorStateInfo& s);  // {"name","connector":{...},"tasks":[...],"type"}
ojson to_json(const TaskInfo& task);         // {"id":{"connector","task"},"config":{...}}
ojson to_json(const ConfigMap& config);      // {"k":"v",...}
ojson to_json(const PluginInfo& plugin);     // {"class","type","version"}
ojson to_json(const ConfigKey& key);         // a ConfigKeyInfo definition
ojson to_json(const ConfigInfos& infos);     // {"name","error_count","groups","configs":[...]}
ojson to_json(const LoggerLevel& level);     // {"level","last_modified"}

}  // namespace tributary::api
