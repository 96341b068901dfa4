#include "herder/standalone_herder.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "common/log.h"
#include "common/version.h"
#include "herder/connector_file.h"
#include "kafka/kafka.h"

namespace tributary {
namespace {
constexpr const char* kLogger = "io.tributary.herder";

/// tasks.max of a connector config (1 when absent), read without adding the key to the config.
int max_tasks(const ConfigMap& config) {
  auto it = config.find("tasks.max");
  if (it == config.end()) return 1;
  return static_cast<int>(parse_long(it->second).value_or(1));
}

ojson config_json(const ConfigMap& m) {
  ojson o = ojson::object();
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

// Kafka quotes the whole config when it has no connector.class; without a class there are no
// types to tell passwords by, so values of keys named like secrets are hidden.
std::string masked_config_text(const ConfigMap& m) {
  ojson o = ojson::object();
  for (const auto& [k, v] : m) {
    std::string lower = k;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    bool secret = false;
    for (const char* word : {"password", "secret", "credential", "token", "sasl.jaas"})
      secret |= lower.find(word) != std::string::npos;
    o[k] = secret ? std::string("[hidden]") : v;
  }
  return o.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

ojson key_definition(const ConfigKey& k) {
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

}  // namespace

// One connector: its stored config and target state, and its runtime.
struct StandaloneHerder::Connector {
  std::string name;
  ConfigMap config;
  TargetState target = TargetState::Started;
  const PluginDescriptor* plugin = nullptr;
  std::unique_ptr<Context> context;
  std::unique_ptr<SourceConnector> instance;
  RunState state = RunState::Unassigned;
  std::string trace;
  std::vector<ConfigMap> task_configs;
  std::vector<std::unique_ptr<TaskRunner>> tasks;
  std::vector<std::string> topics;
  std::atomic<bool> reconfigure{false};
};

class StandaloneHerder::Context : public ConnectorContext {
 public:
  Context(StandaloneHerder& h, Connector& c) : h_(h), c_(c) {}
  void request_task_reconfiguration() override { c_.reconfigure.store(true); }
  void raise_error(const std::string& message) override {
    std::lock_guard lk(h_.mu_);
    c_.state = RunState::Failed;
    c_.trace = "org.apache.kafka.connect.errors.ConnectException: " + message;
    h_.metrics_.set_connector_state(c_.name, "FAILED");
  }

 private:
  StandaloneHerder& h_;
  Connector& c_;
};

StandaloneHerder::StandaloneHerder(WorkerConfig config, PluginRegistry& registry,
                                   std::unique_ptr<OffsetStore> offsets)
    : config_(std::move(config)),
      registry_(registry),
      offsets_(std::move(offsets)),
      providers_(config_.props) {}

StandaloneHerder::~StandaloneHerder() {
  stop();
}

void StandaloneHerder::start(std::vector<std::pair<std::string, ConfigMap>> cli_connectors) {
  starter_ = std::thread([this, cli = std::move(cli_connectors)] {
    for (int attempt = 0; !stopping_.load(); ++attempt) {
      try {
        offsets_->start();
        break;
      } catch (const std::exception& e) {
        {
          std::lock_guard lk(mu_);
          startup_error_ = e.what();
        }
        TLOG(Error, kLogger,
             "Cannot load offsets (attempt " << attempt + 1 << "), retrying in 5 s: " << e.what());
        for (int i = 0; i < 50 && !stopping_.load(); ++i)
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    if (stopping_.load()) return;
    {
      std::lock_guard lk(mu_);
      startup_error_.clear();
      ready_.store(true);
      load_persisted();
    }
    {
      // Connectors from the command line are validated like REST requests: without mu_.
      for (const auto& [name, cfg] : cli) {
        try {
          put_connector_config(name, cfg);  // creates it when absent
        } catch (const std::exception& e) {
          TLOG(Error, kLogger,
               "Cannot create connector " << name << " from the command line: " << e.what());
        }
      }
    }
    {
      std::lock_guard lk(mu_);
      TLOG(Info, kLogger, "Worker started; " << connectors_.size() << " connector(s)");
    }
    for (int i = 0; i < 5 && !stopping_.load(); ++i) {
      try {
        if (auto id = kafka::cluster_id(config_.client_props(), std::chrono::seconds(2))) {
          std::lock_guard lk(mu_);
          cluster_id_ = *id;
          break;
        }
      } catch (const std::exception& e) {  // a client config librdkafka refuses
        TLOG(Warn, kLogger, "Cannot read the Kafka cluster id: " << e.what());
        break;
      }
    }
  });
  reconfigurer_ = std::thread([this] {
    while (!stopping_.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      reconfigure_pending();
    }
  });
}

void StandaloneHerder::reconfigure_pending() {
  std::lock_guard lk(mu_);
  for (auto& [_, c] : connectors_) {
    if (!c->reconfigure.exchange(false) || !c->instance) continue;
    try {
      auto configs = c->instance->task_configs(max_tasks(c->config));
      for (auto& tc : configs) providers_.reverse_transform(c->config, tc);
      if (configs != c->task_configs) {
        stop_tasks(*c);
        c->task_configs = std::move(configs);
        start_tasks(*c);
      }
    } catch (const std::exception& e) {
      c->state = RunState::Failed;
      c->trace = std::string("org.apache.kafka.connect.errors.ConnectException: ") + e.what();
    }
  }
}

void StandaloneHerder::stop() {
  if (stopping_.exchange(true)) return;
  // A start-up still waiting on Kafka (loading the offsets topic) is not waited for: the process
  // is exiting and main() ends it with _Exit once every task is stopped.
  if (starter_.joinable()) {
    if (ready_.load())
      starter_.join();
    else
      starter_.detach();
  }
  if (reconfigurer_.joinable()) reconfigurer_.join();
  std::lock_guard lk(mu_);
  // Ask every task to stop at once, then wait for them together within the graceful timeout.
  for (auto& [_, c] : connectors_)
    for (auto& t : c->tasks) t->request_stop();
  auto deadline = std::chrono::steady_clock::now() + config_.graceful_shutdown;
  for (auto& [_, c] : connectors_) {
    for (auto& t : c->tasks) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (!t->wait_stopped(std::max(left, std::chrono::milliseconds(0))))
        TLOG(Warn, kLogger,
             "Graceful stop of task " << c->name << "-" << t->task_id() << " failed.");
    }
  }
  for (auto& [_, c] : connectors_) {
    for (auto& t : c->tasks) {
      if (t->wait_stopped(std::chrono::milliseconds(0)))
        t.reset();
      else
        abandoned_.push_back(std::move(t));
    }
    c->tasks.clear();
    if (c->instance) {
      try {
        c->instance->stop();
      } catch (const std::exception& e) {
        TLOG(Warn, kLogger, "Connector " << c->name << " threw in stop(): " << e.what());
      }
      c->instance.reset();
    }
  }
  // Tasks that did not stop in time are left running; the process is exiting.
  for (auto& t : abandoned_) (void)t.release();
  abandoned_.clear();
}

void StandaloneHerder::require_ready() const {
  if (!ready_.load())
    throw HerderError(ErrorKind::Unavailable,
                      "Request cannot be completed because the worker is still starting up" +
                          (startup_error_.empty() ? std::string() : ": " + startup_error_));
}

StandaloneHerder::Connector& StandaloneHerder::find(const std::string& name) {
  auto it = connectors_.find(name);
  if (it == connectors_.end())
    throw HerderError(ErrorKind::NotFound, "Connector " + name + " not found");
  return *it->second;
}

ojson StandaloneHerder::server_info() {
  std::lock_guard lk(mu_);
  ojson o;
  o["version"] = TRIBUTARY_VERSION;
  o["commit"] = TRIBUTARY_COMMIT;
  o["kafka_cluster_id"] = cluster_id_.empty() ? ojson(nullptr) : ojson(cluster_id_);
  return o;
}

Herder::Health StandaloneHerder::health() {
  if (!ready_.load()) {
    std::lock_guard lk(mu_);
    return {503,
            {{"status", "starting"},
             {"message", "Worker is still starting up" +
                             (startup_error_.empty() ? std::string() : ": " + startup_error_)}}};
  }
  return {200,
          {{"status", "healthy"},
           {"message", "Worker has completed startup and is ready to handle requests."}}};
}

std::vector<std::string> StandaloneHerder::connector_names() {
  std::lock_guard lk(mu_);
  std::vector<std::string> out;
  for (const auto& [n, _] : connectors_) out.push_back(n);
  return out;
}

ojson StandaloneHerder::info_of(Connector& c) {
  ojson o;
  o["name"] = c.name;
  o["config"] = config_json(c.config);
  ojson tasks = ojson::array();
  for (size_t i = 0; i < c.task_configs.size(); ++i)
    tasks.push_back({{"connector", c.name}, {"task", static_cast<int>(i)}});
  o["tasks"] = tasks;
  o["type"] = "source";
  return o;
}

ojson StandaloneHerder::status_of(Connector& c) {
  ojson o;
  o["name"] = c.name;
  ojson conn;
  conn["state"] = run_state_name(c.state);
  conn["worker_id"] = worker_id_;
  if (!c.trace.empty()) conn["trace"] = c.trace;
  o["connector"] = conn;
  ojson tasks = ojson::array();
  for (auto& t : c.tasks) {
    auto s = t->status();
    ojson j;
    j["id"] = t->task_id();
    j["state"] = run_state_name(s.state);
    j["worker_id"] = worker_id_;
    if (!s.trace.empty()) j["trace"] = s.trace;
    tasks.push_back(j);
  }
  o["tasks"] = tasks;
  o["type"] = "source";
  return o;
}

ojson StandaloneHerder::connector_info(const std::string& name) {
  std::lock_guard lk(mu_);
  return info_of(find(name));
}

ojson StandaloneHerder::connector_status(const std::string& name) {
  std::lock_guard lk(mu_);
  return status_of(find(name));
}

ojson StandaloneHerder::validate(const PluginDescriptor* plugin, const std::string& plugin_name,
                                 const ConfigMap& raw_config) {
  ConfigDef def = connector_common_config_def();
  if (plugin != nullptr) def.merge(plugin->config_def);
  // Validation sees what the connector will see: references to config providers resolved. A
  // reference that does not resolve is an error on its key. The response echoes the values as
  // given (references, not what they resolve to) and PASSWORD values as Kafka's "[hidden]".
  std::map<std::string, std::vector<std::string>> provider_errors;
  ConfigMap config;
  for (const auto& [k, v] : raw_config) {
    try {
      config[k] = providers_.resolve_value(k, v);
    } catch (const std::exception& e) {
      provider_errors[k].push_back(e.what());
      config[k] = v;
    }
  }
  auto errors = def.validate(config);
  for (auto& [k, v] : provider_errors) errors[k].insert(errors[k].begin(), v.begin(), v.end());
  if (plugin == nullptr) {
    auto it = config.find("connector.class");
    std::string cls = it == config.end() ? plugin_name : it->second;
    if (!cls.empty()) {
      std::string names;
      for (const auto& p : registry_.all())
        if (p->type == PluginType::Source) names += (names.empty() ? "" : ", ") + p->class_name;
      errors["connector.class"].push_back(
          "Failed to find any class that implements Connector and which name matches " + cls +
          ", available connectors are: " + names);
    }
  }
  // Converters, transforms and predicates must resolve and accept their configs.
  for (const char* role : {"key.converter", "value.converter"}) {
    auto it = config.find(role);
    if (it != config.end() && !it->second.empty() &&
        registry_.find(it->second, PluginType::Converter) == nullptr)
      errors[role].push_back("Invalid value " + it->second + " for configuration " + role +
                             ": Class " + it->second + " could not be found.");
  }
  if (auto it = config.find("header.converter");
      it != config.end() && !it->second.empty() &&
      registry_.find(it->second, PluginType::HeaderConverter) == nullptr)
    errors["header.converter"].push_back("Invalid value " + it->second +
                                         " for configuration header.converter: Class " +
                                         it->second + " could not be found.");
  for (auto& [k, v] : TransformChain::validate(config, registry_))
    errors[k].insert(errors[k].end(), v.begin(), v.end());
  if (plugin != nullptr && plugin->make_source) {
    try {
      auto inst = plugin->make_source();
      for (auto& [k, v] : inst->validate(config))
        errors[k].insert(errors[k].end(), v.begin(), v.end());
    } catch (const std::exception& e) {
      errors["connector.class"].push_back(std::string("Connector validation failed: ") + e.what());
    }
  }

  // No message may carry a secret: what a reference resolved to, or a PASSWORD value (a
  // validator or a plugin may quote the value it refused).
  std::vector<std::string> secrets;
  for (const auto& [k, v] : raw_config) {
    const ConfigKey* key = def.find(k);
    if (key != nullptr && key->type == ConfigType::Password && v.size() >= 4) secrets.push_back(v);
    if (const auto& r = config.at(k); r != v && r.size() >= 4) secrets.push_back(r);
  }
  if (!secrets.empty())
    for (auto& [_, msgs] : errors)
      for (auto& m : msgs)
        for (const auto& secret : secrets)
          for (size_t at = m.find(secret); at != std::string::npos; at = m.find(secret, at + 8))
            m.replace(at, secret.size(), "[hidden]");

  ojson out;
  out["name"] = plugin != nullptr ? plugin->class_name : plugin_name;
  int count = 0;
  ojson groups = ojson::array();
  ojson configs = ojson::array();
  std::set<std::string> seen;
  auto add = [&](const ConfigKey* k, const std::string& name) {
    ojson entry;
    if (k != nullptr) entry["definition"] = key_definition(*k);
    ojson value;
    value["name"] = name;
    auto it = raw_config.find(name);
    value["value"] =
        it != raw_config.end()
            ? ojson(it->second)
            : (k != nullptr && k->default_value ? ojson(*k->default_value) : ojson(nullptr));
    if (k != nullptr && k->type == ConfigType::Password && !value["value"].is_null())
      value["value"] = "[hidden]";
    value["recommended_values"] = k != nullptr ? ojson(k->recommended_values) : ojson::array();
    auto e = errors.find(name);
    value["errors"] = e != errors.end() ? ojson(e->second) : ojson::array();
    if (e != errors.end()) count += static_cast<int>(e->second.size());
    value["visible"] = true;
    entry["value"] = value;
    configs.push_back(entry);
    seen.insert(name);
  };
  for (const auto& k : def.keys()) {
    if (!k.group.empty() && std::find(groups.begin(), groups.end(), ojson(k.group)) == groups.end())
      groups.push_back(k.group);
    add(&k, k.name);
  }
  for (const auto& [name, errs] : errors)
    if (!errs.empty() && !seen.count(name)) add(nullptr, name);
  out["error_count"] = count;
  out["groups"] = groups;
  out["configs"] = configs;
  return out;
}

void StandaloneHerder::check_valid(const std::string& name, const ConfigMap& config) {
  (void)name;
  auto it = config.find("connector.class");
  if (it == config.end() || it->second.empty())
    throw HerderError(ErrorKind::BadRequest,
                      "Connector config " + masked_config_text(config) +
                          " contains no connector type (missing required key "
                          "\"connector.class\")");
  const auto* plugin = registry_.find(it->second, PluginType::Source);
  ojson v = validate(plugin, it->second, config);
  int n = v["error_count"].get<int>();
  if (n == 0) return;
  std::string msg = "Connector configuration is invalid and contains the following " +
                    std::to_string(n) + " error(s):";
  for (const auto& c : v["configs"])
    for (const auto& e : c["value"]["errors"]) msg += "\n" + e.get<std::string>();
  msg +=
      "\nYou can also find the above list of errors at the endpoint "
      "`/connector-plugins/{connectorType}/config/validate`";
  throw HerderError(ErrorKind::BadRequest, msg);
}

void StandaloneHerder::start_tasks(Connector& c) {
  TaskEnvironment env{config_, registry_, *offsets_, metrics_, &providers_};
  for (size_t i = 0; i < c.task_configs.size(); ++i) {
    auto t = std::make_unique<TaskRunner>(env, c.name, static_cast<int>(i), *c.plugin, c.config,
                                          c.task_configs[i], c.target == TargetState::Paused);
    t->start();
    c.tasks.push_back(std::move(t));
  }
  update_counts();
}

void StandaloneHerder::stop_tasks(Connector& c) {
  for (auto& t : c.tasks) t->request_stop();
  auto deadline = std::chrono::steady_clock::now() + config_.graceful_shutdown;
  for (auto& t : c.tasks) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (!t->wait_stopped(std::max(left, std::chrono::milliseconds(0)))) {
      TLOG(Warn, kLogger,
           "Graceful stop of task " << c.name << "-" << t->task_id()
                                    << " failed; fencing and abandoning it");
      t->fence();
      abandoned_.push_back(std::move(t));
    }
  }
  for (auto& t : c.tasks)
    if (t) {
      auto topics = t->topics();
      for (auto& tp : topics)
        if (std::find(c.topics.begin(), c.topics.end(), tp) == c.topics.end())
          c.topics.push_back(tp);
    }
  c.tasks.clear();
  update_counts();
}

void StandaloneHerder::start_connector(Connector& c) {
  if (!start_instance(c)) return;
  start_tasks(c);
  TLOG(Info, kLogger,
       "Connector " << c.name << " started with " << c.task_configs.size()
                    << " task(s), target state " << target_state_name(c.target));
}

bool StandaloneHerder::start_instance(Connector& c) {
  c.trace.clear();
  c.plugin = registry_.find(c.config["connector.class"], PluginType::Source);
  if (c.target == TargetState::Stopped) {
    c.state = RunState::Stopped;
    c.task_configs.clear();
    metrics_.set_connector_state(c.name, "STOPPED");
    return false;
  }
  try {
    if (c.plugin == nullptr)
      throw std::runtime_error(
          "Failed to find any class that implements Connector and which name "
          "matches " +
          c.config["connector.class"]);
    ConfigMap resolved = providers_.resolve(c.config);
    c.context = std::make_unique<Context>(*this, c);
    c.instance = c.plugin->make_source();
    c.instance->start(resolved, *c.context);
    c.task_configs = c.instance->task_configs(max_tasks(c.config));
    for (auto& tc : c.task_configs) providers_.reverse_transform(c.config, tc);
    c.state = c.target == TargetState::Paused ? RunState::Paused : RunState::Running;
  } catch (const std::exception& e) {
    c.state = RunState::Failed;
    c.trace = std::string("org.apache.kafka.connect.errors.ConnectException: ") + e.what() +
              "\n\tat connector " + c.name;
    c.instance.reset();
    metrics_.set_connector_state(c.name, "FAILED");
    TLOG(Error, kLogger, "Connector " << c.name << " failed to start: " << e.what());
    return false;
  }
  metrics_.set_connector_state(c.name, run_state_name(c.state));
  return true;
}

void StandaloneHerder::stop_runtime(Connector& c) {
  stop_tasks(c);
  if (c.instance) {
    try {
      c.instance->stop();
    } catch (const std::exception& e) {
      TLOG(Warn, kLogger, "Connector " << c.name << " threw in stop(): " << e.what());
    }
    c.instance.reset();
  }
}

void StandaloneHerder::update_counts() {
  double tasks = 0;
  for (auto& [_, c] : connectors_) tasks += static_cast<double>(c->tasks.size());
  metrics_.set_counts(static_cast<double>(connectors_.size()), tasks);
}

// Validation (which may open database connections and wait on them) runs without mu_, so one slow
// or unreachable database never stalls GET /connectors, /metrics or any other change. mu_ is
// taken only to check and apply.
ojson StandaloneHerder::create_connector(const std::string& name, const ConfigMap& config,
                                         std::optional<TargetState> initial_state) {
  require_ready();
  {
    std::lock_guard lk(mu_);
    if (connectors_.count(name))
      throw HerderError(ErrorKind::Conflict, "Connector " + name + " already exists");
  }
  ConfigMap cfg = config;
  cfg["name"] = name;
  check_valid(name, cfg);
  std::lock_guard lk(mu_);
  if (connectors_.count(name))  // created by another request while this one validated
    throw HerderError(ErrorKind::Conflict, "Connector " + name + " already exists");
  auto c = std::make_unique<Connector>();
  c->name = name;
  c->config = std::move(cfg);
  c->target = initial_state.value_or(TargetState::Started);
  auto& ref = *c;
  connectors_[name] = std::move(c);
  start_connector(ref);
  persist();
  update_counts();
  return info_of(ref);
}

std::pair<ojson, bool> StandaloneHerder::put_connector_config(const std::string& name,
                                                              const ConfigMap& config) {
  require_ready();
  bool exists = false;
  {
    std::lock_guard lk(mu_);
    exists = connectors_.count(name) > 0;
  }
  if (!exists) return {create_connector(name, config, std::nullopt), true};
  ConfigMap cfg = config;
  cfg["name"] = name;
  check_valid(name, cfg);
  std::lock_guard lk(mu_);
  auto it = connectors_.find(name);
  if (it == connectors_.end())
    throw HerderError(ErrorKind::Conflict,
                      "Connector " + name + " was deleted while its new config was validated");
  auto& c = *it->second;
  stop_runtime(c);
  c.config = std::move(cfg);
  start_connector(c);
  persist();
  return {info_of(c), false};
}

ojson StandaloneHerder::patch_connector_config(const std::string& name, const ojson& patch) {
  ConfigMap cfg;
  {
    std::lock_guard lk(mu_);
    cfg = find(name).config;
  }
  for (const auto& [k, v] : patch.items()) {
    if (v.is_null())
      cfg.erase(k);
    else
      cfg[k] = v.is_string() ? v.get<std::string>() : v.dump();
  }
  return put_connector_config(name, cfg).first;
}

ConfigMap StandaloneHerder::connector_config(const std::string& name) {
  std::lock_guard lk(mu_);
  return find(name).config;
}

void StandaloneHerder::delete_connector(const std::string& name) {
  std::lock_guard lk(mu_);
  require_ready();
  auto& c = find(name);
  stop_runtime(c);
  metrics_.remove_connector(name);
  connectors_.erase(name);
  persist();
  update_counts();
  TLOG(Info, kLogger, "Connector " << name << " deleted");
}

ojson StandaloneHerder::task_configs(const std::string& name) {
  std::lock_guard lk(mu_);
  auto& c = find(name);
  ojson out = ojson::array();
  for (size_t i = 0; i < c.task_configs.size(); ++i) {
    ojson t;
    t["id"] = {{"connector", name}, {"task", static_cast<int>(i)}};
    t["config"] = config_json(c.task_configs[i]);
    out.push_back(t);
  }
  return out;
}

ojson StandaloneHerder::task_status(const std::string& name, int task) {
  std::lock_guard lk(mu_);
  auto& c = find(name);
  for (auto& t : c.tasks) {
    if (t->task_id() != task) continue;
    auto s = t->status();
    ojson j;
    j["id"] = task;
    j["state"] = run_state_name(s.state);
    j["worker_id"] = worker_id_;
    if (!s.trace.empty()) j["trace"] = s.trace;
    return j;
  }
  throw HerderError(ErrorKind::NotFound,
                    "No status found for task " + name + "-" + std::to_string(task));
}

void StandaloneHerder::restart_task(const std::string& name, int task) {
  std::lock_guard lk(mu_);
  require_ready();
  auto& c = find(name);
  for (auto& t : c.tasks) {
    if (t->task_id() != task) continue;
    t->request_stop();
    if (!t->wait_stopped(config_.graceful_shutdown)) {
      t->fence();
      abandoned_.push_back(std::move(t));
    }
    // The old runner (and its metrics, which the new one re-registers under the same labels)
    // goes first. Nothing here can throw between the two: config providers are resolved by the
    // new task on its own thread, where a failure fails that task, never the herder.
    t.reset();
    TaskEnvironment env{config_, registry_, *offsets_, metrics_, &providers_};
    t = std::make_unique<TaskRunner>(env, c.name, task, *c.plugin, c.config,
                                     c.task_configs[static_cast<size_t>(task)],
                                     c.target == TargetState::Paused);
    t->start();
    return;
  }
  throw HerderError(ErrorKind::NotFound,
                    "Task " + name + "-" + std::to_string(task) + " not found");
}

void StandaloneHerder::restart_instance(Connector& c) {
  // Kafka Connect restarts the Connector object alone; tasks are restarted only when the new
  // instance hands out different task configs (or when asked for explicitly).
  if (c.instance) {
    try {
      c.instance->stop();
    } catch (const std::exception& e) {
      TLOG(Warn, kLogger, "Connector " << c.name << " threw in stop(): " << e.what());
    }
    c.instance.reset();
  }
  auto before = c.task_configs;
  if (!start_instance(c)) {
    stop_tasks(c);
    return;
  }
  if (c.task_configs != before || c.tasks.empty()) {
    stop_tasks(c);
    start_tasks(c);
  }
}

std::optional<ojson> StandaloneHerder::restart_connector(const std::string& name,
                                                         bool include_tasks, bool only_failed) {
  std::lock_guard lk(mu_);
  require_ready();
  auto& c = find(name);
  if (!include_tasks && !only_failed) {
    restart_instance(c);
    return std::nullopt;
  }
  ojson plan = status_of(c);
  bool restart_conn = !only_failed || c.state == RunState::Failed;
  std::vector<int> restart_ids;
  if (include_tasks)
    for (auto& t : c.tasks)
      if (!only_failed || t->status().state == RunState::Failed)
        restart_ids.push_back(t->task_id());
  if (restart_conn) plan["connector"]["state"] = "RESTARTING";
  for (auto& tj : plan["tasks"])
    if (std::find(restart_ids.begin(), restart_ids.end(), tj["id"].get<int>()) != restart_ids.end())
      tj["state"] = "RESTARTING";
  if (restart_conn) restart_instance(c);
  for (int id : restart_ids) {
    bool exists = false;
    for (auto& t : c.tasks) exists |= t->task_id() == id;
    if (exists) restart_task(name, id);
  }
  return plan;
}

void StandaloneHerder::pause_connector(const std::string& name) {
  std::lock_guard lk(mu_);
  require_ready();
  auto& c = find(name);
  if (c.target == TargetState::Stopped) {
    c.target = TargetState::Paused;
    start_connector(c);
  }
  c.target = TargetState::Paused;
  for (auto& t : c.tasks) t->pause();
  if (c.state != RunState::Failed) c.state = RunState::Paused;
  metrics_.set_connector_state(name, run_state_name(c.state));
  persist();
}

void StandaloneHerder::resume_connector(const std::string& name) {
  std::lock_guard lk(mu_);
  require_ready();
  auto& c = find(name);
  TargetState before = c.target;
  c.target = TargetState::Started;
  if (before == TargetState::Stopped) {
    start_connector(c);
  } else {
    for (auto& t : c.tasks) t->resume();
    if (c.state != RunState::Failed) c.state = RunState::Running;
    metrics_.set_connector_state(name, run_state_name(c.state));
  }
  persist();
}

void StandaloneHerder::stop_connector(const std::string& name) {
  std::lock_guard lk(mu_);
  require_ready();
  auto& c = find(name);
  c.target = TargetState::Stopped;
  stop_runtime(c);
  c.state = RunState::Stopped;
  c.trace.clear();
  c.task_configs.clear();
  metrics_.set_connector_state(name, "STOPPED");
  persist();
}

ojson StandaloneHerder::connector_topics(const std::string& name) {
  std::lock_guard lk(mu_);
  auto& c = find(name);
  std::vector<std::string> topics = c.topics;
  for (auto& t : c.tasks)
    for (auto& tp : t->topics())
      if (std::find(topics.begin(), topics.end(), tp) == topics.end()) topics.push_back(tp);
  std::sort(topics.begin(), topics.end());
  ojson o;
  o[name] = {{"topics", topics}};
  return o;
}

void StandaloneHerder::reset_connector_topics(const std::string& name) {
  std::lock_guard lk(mu_);
  find(name).topics.clear();
}

ojson StandaloneHerder::connector_offsets(const std::string& name) {
  std::lock_guard lk(mu_);
  require_ready();
  find(name);
  ojson list = ojson::array();
  for (auto& [p, o] : offsets_->all(name)) {
    ojson e;
    e["partition"] = p;
    e["offset"] = o;
    list.push_back(e);
  }
  return {{"offsets", list}};
}

namespace {
void require_stopped(const std::string& name, RunState s) {
  if (s != RunState::Stopped)
    throw HerderError(ErrorKind::BadRequest,
                      "Connectors must be in the STOPPED state before their offsets can be "
                      "modified. This can be done for the specified connector by issuing a 'PUT' "
                      "request to the '/connectors/" +
                          name + "/stop' endpoint");
}
}  // namespace

ojson StandaloneHerder::alter_connector_offsets(const std::string& name, const ojson& body) {
  std::lock_guard lk(mu_);
  require_ready();
  auto& c = find(name);
  require_stopped(name, c.state);
  if (!body.is_object() || !body.contains("offsets") || !body["offsets"].is_array())
    throw HerderError(ErrorKind::BadRequest, "The request body must contain an \"offsets\" array");
  std::vector<OffsetEntry> entries;
  for (const auto& e : body["offsets"]) {
    if (!e.is_object() || !e.contains("partition") || !e["partition"].is_object())
      throw HerderError(ErrorKind::BadRequest,
                        "Each entry of \"offsets\" needs a \"partition\" object");
    OffsetEntry oe;
    oe.partition = e["partition"];
    if (e.contains("offset") && !e["offset"].is_null()) {
      if (!e["offset"].is_object())
        throw HerderError(ErrorKind::BadRequest, "An \"offset\" must be an object or null");
      oe.offset = e["offset"];
    }
    entries.push_back(std::move(oe));
  }
  try {
    offsets_->put(name, entries, config_.offset_flush_timeout);
  } catch (const std::exception& e) {
    throw HerderError(ErrorKind::Internal, std::string("Failed to alter offsets: ") + e.what());
  }
  return {{"message", "The offsets for this connector have been altered successfully"}};
}

ojson StandaloneHerder::reset_connector_offsets(const std::string& name) {
  std::lock_guard lk(mu_);
  require_ready();
  auto& c = find(name);
  require_stopped(name, c.state);
  std::vector<OffsetEntry> entries;
  for (auto& [p, _] : offsets_->all(name)) entries.push_back({p, std::nullopt});
  try {
    offsets_->put(name, entries, config_.offset_flush_timeout);
  } catch (const std::exception& e) {
    throw HerderError(ErrorKind::Internal, std::string("Failed to reset offsets: ") + e.what());
  }
  return {{"message", "The offsets for this connector have been reset successfully"}};
}

ojson StandaloneHerder::plugins(bool connectors_only) {
  ojson out = ojson::array();
  std::vector<const PluginDescriptor*> ps;
  for (const auto& p : registry_.all())
    if (!connectors_only || p->type == PluginType::Source || p->type == PluginType::Sink)
      ps.push_back(p.get());
  std::sort(ps.begin(), ps.end(), [](auto* a, auto* b) {
    return std::tie(a->class_name, a->type) < std::tie(b->class_name, b->type);
  });
  for (auto* p : ps)
    out.push_back(
        {{"class", p->class_name}, {"type", plugin_type_name(p->type)}, {"version", p->version}});
  return out;
}

ojson StandaloneHerder::plugin_config(const std::string& plugin) {
  const auto* p = registry_.find(plugin);
  if (p == nullptr) throw HerderError(ErrorKind::NotFound, "Unknown plugin " + plugin + ".");
  ojson out = ojson::array();
  for (const auto& k : p->config_def.keys()) out.push_back(key_definition(k));
  return out;
}

ojson StandaloneHerder::validate_config(const std::string& plugin, const ConfigMap& config) {
  const auto* p = registry_.find(plugin, PluginType::Source);
  if (p == nullptr) {
    // Kafka accepts the simple class name too.
    for (const auto& d : registry_.all())
      if (d->type == PluginType::Source && d->class_name.size() > plugin.size() &&
          d->class_name.compare(d->class_name.size() - plugin.size(), plugin.size(), plugin) == 0)
        p = d.get();
  }
  if (p == nullptr)
    throw HerderError(
        ErrorKind::BadRequest,
        "Failed to find any class that implements Connector and which name matches " + plugin);
  return validate(p, plugin, config);
}

ojson StandaloneHerder::loggers() {
  ojson out = ojson::object();
  for (const auto& [name, info] : log::loggers()) {
    ojson l;
    l["level"] = std::string(log::level_name(info.level));
    l["last_modified"] = info.last_modified_ms ? ojson(*info.last_modified_ms) : ojson(nullptr);
    out[name] = l;
  }
  return out;
}

ojson StandaloneHerder::logger(const std::string& name) {
  auto all = log::loggers();
  auto it = all.find(name);
  ojson l;
  l["level"] =
      std::string(log::level_name(it != all.end() ? it->second.level : log::effective_level(name)));
  l["last_modified"] = it != all.end() && it->second.last_modified_ms
                           ? ojson(*it->second.last_modified_ms)
                           : ojson(nullptr);
  return l;
}

ojson StandaloneHerder::set_logger_level(const std::string& name, const std::string& level) {
  auto l = log::parse_level(level);
  if (!l) throw HerderError(ErrorKind::NotFound, "invalid log level '" + level + "'.");
  return log::set_level(name, *l);
}

std::string StandaloneHerder::metrics_text() {
  {
    std::lock_guard lk(mu_);
    for (auto& [name, c] : connectors_)
      metrics_.set_connector_state(name, run_state_name(c->state));
  }
  return metrics_.serialize();
}

void StandaloneHerder::persist() {
  std::vector<StoredConnector> all;
  for (auto& [n, c] : connectors_) all.push_back({n, c->config, c->target});
  std::string text = render_connector_file(all);
  std::string tmp = config_.config_file + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  bool ok = fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!ok || std::rename(tmp.c_str(), config_.config_file.c_str()) != 0) {
    TLOG(Error, kLogger, "Cannot write connector configs to '" << config_.config_file << "'");
    throw HerderError(ErrorKind::Internal,
                      "Cannot write connector configs to '" + config_.config_file + "'");
  }
}

void StandaloneHerder::load_persisted() {
  std::ifstream in(config_.config_file, std::ios::binary);
  if (!in) return;
  std::stringstream ss;
  ss << in.rdbuf();
  ConnectorFile file = parse_connector_file(ss.str(), config_.config_file);
  if (!file.problems.empty()) {
    // A file we cannot read whole is copied aside, so the next persist() cannot lose what the
    // operator may need to recover.
    std::string aside = config_.config_file + ".corrupt-" +
                        std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
    std::ofstream(aside, std::ios::binary) << ss.str();
    for (const auto& p : file.problems)
      TLOG(Error, kLogger, p << " (skipped; a copy of the file is kept in '" << aside << "')");
  }
  for (auto& stored : file.connectors) {
    auto c = std::make_unique<Connector>();
    c->name = stored.name;
    c->config = std::move(stored.config);
    c->target = stored.target;
    auto& ref = *c;
    connectors_[ref.name] = std::move(c);
    start_connector(ref);
  }
  update_counts();
}

}  // namespace tributary
