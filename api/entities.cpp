#include "api/entities.h"

namespace tributary::api {

ojson to_json(const ServerInfo& info) {
  ojson o;
  o["version"] = info.version;
  o["commit"] = info.commit;
  o["kafka_cluster_id"] = info.kafka_cluster_id ? ojson(*info.kafka_cluster_id) : ojson(nullptr);
  return o;
}

ojson to_json(const HealthInfo& health) {
  ojson o;
  switch (health.state) {
    case HealthInfo::State::Starting: o["status"] = "starting"; break;
    case HealthInfo::State::Healthy: o["status"] = "healthy"; break;
    case HealthInfo::State::Unhealthy: o["status"] = "unhealthy"; break;
  }
  o["message"] = health.message;
  return o;
}

int http_status(const HealthInfo& health) {
  switch (health.state) {
    case HealthInfo::State::Starting: return 503;
    case HealthInfo::State::Healthy: return 200;
    case HealthInfo::State::Unhealthy: break;
  }
  return 500;
}

ojson to_json(const ConfigMap& config) {
  ojson o = ojson::object();
  for (const auto& [k, v] : config) o[k] = v;
  return o;
}

ojson to_json(const ConnectorInfo& info) {
  ojson o;
  o["name"] = info.name;
  o["config"] = to_json(info.config);
  ojson tasks = ojson::array();
  for (const auto& t : info.tasks) tasks.push_back({{"connector", t.connector}, {"task", t.task}});
  o["tasks"] = std::move(tasks);
  o["type"] = info.type;
  return o;
}

ojson to_json(const StateInfo& state) {
  ojson o;
  o["state"] = run_state_name(state.state);
  o["worker_id"] = state.worker_id;
  if (!state.trace.empty()) o["trace"] = state.trace;
  return o;
}

ojson to_json(const TaskStateInfo& task) {
  ojson o;
  o["id"] = task.id;  // first, then the StateInfo's keys in their order
  ojson state = to_json(task.state);
  for (auto& el : state.items()) o[el.key()] = std::move(el.value());
  return o;
}

ojson to_json(const ConnectorStateInfo& s) {
  ojson o;
  o["name"] = s.name;
  o["connector"] = to_json(s.connector);
  ojson tasks = ojson::array();
  for (const auto& t : s.tasks) tasks.push_back(to_json(t));
  o["tasks"] = std::move(tasks);
  o["type"] = s.type;
  return o;
}

ojson to_json(const TaskInfo& task) {
  ojson o;
  o["id"] = {{"connector", task.id.connector}, {"task", task.id.task}};
  o["config"] = to_json(task.config);
  return o;
}

ojson to_json(const PluginInfo& plugin) {
  return {{"class", plugin.class_name}, {"type", plugin.type}, {"version", plugin.version}};
}

ojson to_json(const ConfigKey& k) {
  ojson d;
  d["name"] = k.name;
  d["type"] = std::string(config_type_name(k.type));
  d["required"] = !k.default_value.has_value();
  d["default_value"] = k.default_value ? ojson(*k.default_value) : ojson(nullptr);
  d["importance"] = std::string(importance_name(k.importance));
  d["documentation"] = k.documentation;
  d["group"] = k.group.empty() ? ojson(nullptr) : ojson(k.group);
  d["width"] = k.width;
  d["display_name"] = k.display_name.empty() ? k.name : k.display_name;
  d["dependents"] = k.dependents;
  d["order"] = k.order_in_group;
  return d;
}

ojson to_json(const ConfigInfos& infos) {
  ojson out;
  out["name"] = infos.name;
  out["error_count"] = infos.error_count;
  out["groups"] = infos.groups;
  ojson configs = ojson::array();
  for (const auto& c : infos.configs) {
    ojson entry;
    if (c.definition) entry["definition"] = to_json(*c.definition);
    ojson value;
    value["name"] = c.name;
    value["value"] = c.value ? ojson(*c.value) : ojson(nullptr);
    value["recommended_values"] = c.recommended_values;
    value["errors"] = c.errors;
    value["visible"] = c.visible;
    entry["value"] = std::move(value);
    configs.push_back(std::move(entry));
  }
  out["configs"] = std::move(configs);
  return out;
}

ojson to_json(const LoggerLevel& level) {
  ojson l;
  l["level"] = level.level;
  l["last_modified"] = level.last_modified ? ojson(*level.last_modified) : ojson(nullptr);
  return l;
}

}  // namespace tributary::api
