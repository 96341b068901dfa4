#include "herder/standalone_herder.h"

#include <algorithm>
#include <chrono>
#include <tuple>

#include "common/log.h"
#include "common/version.h"
#include "herder/connector_validator.h"
#include "kafka/kafka.h"

namespace tributary {
namespace {
constexpr const char* kLogger = "io.tributary.herder";

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string starting_message(const std::string& error) {
  return "Request cannot be completed because the worker is still starting up" +
         (error.empty() ? std::string() : ": " + error);
}

void require_stopped(const std::string& name, TargetState target) {
  if (target != TargetState::Stopped)
    throw HerderError(ErrorKind::BadRequest,
                      "Connectors must be in the STOPPED state before their offsets can be "
                      "modified. This can be done for the specified connector by issuing a 'PUT' "
                      "request to the '/connectors/" +
                          name + "/stop' endpoint");
}
}  // namespace

StandaloneHerder::StandaloneHerder(WorkerConfig config, PluginRegistry& registry,
                                   std::unique_ptr<OffsetStore> offsets,
                                   std::unique_ptr<ConfigStore> configs,
                                   std::unique_ptr<StatusStore> statuses)
    : config_(std::move(config)),
      registry_(registry),
      offsets_(std::move(offsets)),
      configs_(configs ? std::move(configs) : make_file_config_store(config_.config_file)),
      statuses_(statuses ? std::move(statuses) : make_memory_status_store()),
      providers_(config_.props),
      snapshot_(std::make_shared<Snapshot>()) {
  worker_ = std::make_unique<Worker>(
      Worker::Deps{config_, registry_, *offsets_, metrics_, providers_, *statuses_});
}

StandaloneHerder::~StandaloneHerder() {
  stop();
  // A validation still running uses this object: wait for it, within reason (a plugin's check is
  // bounded by its own connect timeout). main() ends the process with _Exit after stop().
  std::unique_lock lk(validations_mu_);
  if (!validations_cv_.wait_for(lk, config_.graceful_shutdown + std::chrono::seconds(15),
                                [this] { return validations_ == 0; }))
    TLOG(Warn, kLogger, validations_ << " connector validation(s) still running at shutdown");
}

// ---- Control thread ---------------------------------------------------------------------------

void StandaloneHerder::start(std::vector<std::pair<std::string, ConfigMap>> cli_connectors) {
  control_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "herder");
    control_loop();
  });
  starter_ = std::thread([this, cli = std::move(cli_connectors)] {
    for (int attempt = 0; !stopping_.load(); ++attempt) {
      try {
        offsets_->start();
        break;
      } catch (const std::exception& e) {
        {
          std::lock_guard lk(info_mu_);
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
      std::lock_guard lk(info_mu_);
      startup_error_.clear();
    }
    try {
      call<bool>(
          [this] {
            load_stored();
            ready_.store(true);
            return true;
          },
          Clock::time_point::max());
    } catch (const std::exception& e) {
      if (!stopping_.load())
        TLOG(Error, kLogger, "Cannot load the stored connectors: " << e.what());
      return;
    }
    // Connectors from the command line are validated and applied like REST requests.
    for (const auto& [name, cfg] : cli) {
      if (stopping_.load()) return;
      try {
        put_connector_config(name, cfg);  // creates it when absent
      } catch (const std::exception& e) {
        TLOG(Error, kLogger,
             "Cannot create connector " << name << " from the command line: " << e.what());
      }
    }
    TLOG(Info, kLogger, "Worker started; " << snapshot()->size() << " connector(s)");
    for (int i = 0; i < 5 && !stopping_.load(); ++i) {
      try {
        if (auto id = kafka::cluster_id(config_.client_props(), std::chrono::seconds(2))) {
          std::lock_guard lk(info_mu_);
          cluster_id_ = *id;
          break;
        }
      } catch (const std::exception& e) {  // a client config librdkafka refuses
        TLOG(Warn, kLogger, "Cannot read the Kafka cluster id: " << e.what());
        break;
      }
    }
  });
}

void StandaloneHerder::control_loop() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lk(queue_mu_);
      // Wakes at least once a second to reap abandoned tasks that have ended.
      queue_cv_.wait_for(lk, std::chrono::seconds(1), [this] { return !queue_.empty(); });
      if (!queue_.empty()) {
        job = std::move(queue_.front());
        queue_.pop_front();
      }
    }
    if (job) {
      busy_since_ns_.store(steady_ns());
      job();  // jobs catch their own exceptions (they report through their promises)
      busy_since_ns_.store(0);
    }
    worker_->reap();
    abandoned_.store(worker_->abandoned_count());
    if (job) publish();
    if (stopping_.load()) {
      std::lock_guard lk(queue_mu_);
      if (queue_.empty()) {
        control_ended_ = true;
        break;
      }
    }
  }
}

bool StandaloneHerder::enqueue(std::function<void()> job) {
  {
    std::lock_guard lk(queue_mu_);
    if (control_ended_) return false;
    queue_.push_back(std::move(job));
  }
  queue_cv_.notify_one();
  return true;
}

template <class T>
void StandaloneHerder::await(std::future<T>& f, Clock::time_point deadline) const {
  // In slices, so a stopping worker answers waiting requests at once.
  for (;;) {
    auto now = Clock::now();
    if (now >= deadline) throw HerderError(ErrorKind::Timeout, "Request timed out");
    auto slice = std::min<Clock::duration>(deadline - now, std::chrono::milliseconds(50));
    if (f.wait_for(slice) == std::future_status::ready) return;
    if (stopping_.load()) throw HerderError(ErrorKind::Unavailable, "The worker is stopping");
  }
}

namespace {

// What a job or a validation produced: its value, or the error to throw on the waiting thread.
// Errors cross threads as values, not exception_ptrs: the waiter throws a fresh HerderError, so
// no exception object is shared between two threads (and ThreadSanitizer, which cannot see
// libstdc++'s reference count on one, has nothing to report).
template <class T>
struct Outcome {
  std::optional<T> value;
  ErrorKind kind = ErrorKind::Internal;
  std::string error;
};

template <class T>
Outcome<T> capture(const std::function<T()>& f) {
  Outcome<T> o;
  try {
    o.value.emplace(f());
  } catch (const HerderError& e) {
    o.kind = e.kind();
    o.error = e.what();
  } catch (const ConfigError& e) {
    o.kind = ErrorKind::BadRequest;
    o.error = e.what();
  } catch (const std::exception& e) {
    o.error = e.what();
  } catch (...) {
    o.error = "unknown error";
  }
  return o;
}

template <class T>
T unwrap(Outcome<T>&& o) {
  if (!o.value) throw HerderError(o.kind, o.error);
  return std::move(*o.value);
}

}  // namespace

template <class T>
T StandaloneHerder::call(std::function<T()> job, Clock::time_point deadline) {
  auto promise = std::make_shared<std::promise<Outcome<T>>>();
  auto future = promise->get_future();
  // The snapshot is published before the caller is answered, so the caller's next read sees its
  // own change.
  bool queued = enqueue([this, promise, job = std::move(job)] {
    Outcome<T> o = capture(job);
    publish();
    promise->set_value(std::move(o));
  });
  if (!queued) throw HerderError(ErrorKind::Unavailable, "The worker is stopping");
  await(future, deadline);
  return unwrap(future.get());
}

template <class T>
T StandaloneHerder::on_validation_thread(std::function<T()> work, Clock::time_point deadline) {
  auto promise = std::make_shared<std::promise<Outcome<T>>>();
  auto future = promise->get_future();
  {
    std::lock_guard lk(validations_mu_);
    ++validations_;
  }
  // Detached: a validation that hangs (a database that never answers) must not hold the caller
  // past its deadline. It uses this object, so the destructor waits for the count to drop.
  std::thread([this, promise, work = std::move(work)] {
    pthread_setname_np(pthread_self(), "validate");
    promise->set_value(capture(work));
    std::lock_guard lk(validations_mu_);
    --validations_;
    validations_cv_.notify_all();  // under the lock: the destructor may be waiting to return
  }).detach();
  await(future, deadline);
  return unwrap(future.get());
}

void StandaloneHerder::validate_off_thread(const ConfigMap& config, Clock::time_point deadline) {
  on_validation_thread<bool>(
      [this, config] {
        check_connector_config(registry_, providers_, config);
        return true;
      },
      deadline);
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
  // The control loop runs what is queued, then ends; the worker is this thread's from then on.
  queue_cv_.notify_all();
  if (control_.joinable()) control_.join();
  worker_->stop_all();
}

void StandaloneHerder::publish() {
  auto s = std::make_shared<const Snapshot>(connectors_);
  abandoned_.store(worker_->abandoned_count());
  for (const auto& [name, _] : connectors_) {
    auto st = statuses_->connector(name);
    metrics_.set_connector_state(name, run_state_name(st ? st->state : RunState::Unassigned));
  }
  metrics_.set_counts(static_cast<double>(connectors_.size()),
                      static_cast<double>(worker_->task_count()));
  std::lock_guard lk(snapshot_mu_);
  snapshot_ = std::move(s);
}

std::shared_ptr<const StandaloneHerder::Snapshot> StandaloneHerder::snapshot() const {
  std::lock_guard lk(snapshot_mu_);
  return snapshot_;
}

StandaloneHerder::Connector& StandaloneHerder::find_mut(const std::string& name) {
  auto it = connectors_.find(name);
  if (it == connectors_.end())
    throw HerderError(ErrorKind::NotFound, "Connector " + name + " not found");
  return it->second;
}

const StandaloneHerder::Connector& StandaloneHerder::find(const Snapshot& s,
                                                          const std::string& name) const {
  auto it = s.find(name);
  if (it == s.end()) throw HerderError(ErrorKind::NotFound, "Connector " + name + " not found");
  return it->second;
}

void StandaloneHerder::require_ready() const {
  if (stopping_.load()) throw HerderError(ErrorKind::Unavailable, "The worker is stopping");
  if (!ready_.load()) {
    std::lock_guard lk(info_mu_);
    throw HerderError(ErrorKind::Unavailable, starting_message(startup_error_));
  }
}

void StandaloneHerder::store(const std::string& name, const ConfigMap& config, TargetState target) {
  try {
    configs_->put(StoredConnector{name, config, target});
  } catch (const std::exception& e) {
    throw HerderError(ErrorKind::Internal, e.what());
  }
}

void StandaloneHerder::start_connector(const std::string& name, Connector& c) {
  if (c.target == TargetState::Stopped) {
    c.task_configs.clear();
    worker_->set_connector_state(name, RunState::Stopped);
    return;
  }
  auto configs = worker_->start_connector(
      name, c.config, c.target, [this, name] { enqueue([this, name] { reconfigure(name); }); });
  if (!configs) return;  // FAILED, recorded by the worker
  c.task_configs = std::move(*configs);
  const auto* plugin = registry_.find(c.config.at("connector.class"), PluginType::Source);
  worker_->start_tasks(name, *plugin, c.config, c.task_configs, c.target == TargetState::Paused);
  TLOG(Info, kLogger,
       "Connector " << name << " started with " << c.task_configs.size()
                    << " task(s), target state " << target_state_name(c.target));
}

void StandaloneHerder::stop_runtime(const std::string& name) {
  worker_->stop_tasks(name);
  worker_->stop_connector(name);
}

void StandaloneHerder::restart_instance(const std::string& name, Connector& c) {
  // Kafka Connect restarts the Connector object alone; tasks are restarted only when the new
  // instance hands out different task configs (or when asked for explicitly).
  worker_->stop_connector(name);
  auto before = c.task_configs;
  if (c.target == TargetState::Stopped) {
    worker_->stop_tasks(name);
    start_connector(name, c);
    return;
  }
  auto configs = worker_->start_connector(
      name, c.config, c.target, [this, name] { enqueue([this, name] { reconfigure(name); }); });
  if (!configs) {
    worker_->stop_tasks(name);
    return;
  }
  c.task_configs = std::move(*configs);
  if (c.task_configs != before || worker_->task_ids(name).empty()) {
    worker_->stop_tasks(name);
    const auto* plugin = registry_.find(c.config.at("connector.class"), PluginType::Source);
    worker_->start_tasks(name, *plugin, c.config, c.task_configs, c.target == TargetState::Paused);
  }
}

void StandaloneHerder::reconfigure(const std::string& name) {
  auto it = connectors_.find(name);
  if (it == connectors_.end() || !worker_->connector_running(name)) return;
  Connector& c = it->second;
  auto configs = worker_->connector_task_configs(name, c.config);
  if (!configs || *configs == c.task_configs) return;
  TLOG(Info, kLogger, "Connector " << name << " asked for new task configs; restarting its tasks");
  worker_->stop_tasks(name);
  c.task_configs = std::move(*configs);
  const auto* plugin = registry_.find(c.config.at("connector.class"), PluginType::Source);
  worker_->start_tasks(name, *plugin, c.config, c.task_configs, c.target == TargetState::Paused);
}

void StandaloneHerder::load_stored() {
  auto loaded = configs_->load();
  for (auto& stored : loaded.connectors) {
    Connector c;
    c.config = std::move(stored.config);
    c.target = stored.target;
    auto& ref = connectors_[stored.name] = std::move(c);
    start_connector(stored.name, ref);
  }
}

// ---- Reads: the snapshot and the status store, never the control thread ------------------

void StandaloneHerder::set_worker_id(std::string id) {
  std::lock_guard lk(info_mu_);
  worker_id_ = std::move(id);
}

std::string StandaloneHerder::worker_id() const {
  std::lock_guard lk(info_mu_);
  return worker_id_;
}

ServerInfo StandaloneHerder::server_info() {
  std::lock_guard lk(info_mu_);
  ServerInfo info{TRIBUTARY_VERSION, TRIBUTARY_COMMIT, std::nullopt};
  if (!cluster_id_.empty()) info.kafka_cluster_id = cluster_id_;
  return info;
}

HealthInfo StandaloneHerder::health() {
  if (!ready_.load()) {
    std::lock_guard lk(info_mu_);
    return {HealthInfo::State::Starting,
            "Worker is still starting up" +
                (startup_error_.empty() ? std::string() : ": " + startup_error_)};
  }
  // Kafka's /health asks the herder thread for a no-op and reports it unhealthy when it cannot
  // answer in time. Asking never waits here: a job running longer than the request timeout is the
  // same finding, read from the control loop's clock.
  const std::int64_t busy = busy_since_ns_.load();
  if (busy != 0 && steady_ns() - busy > std::chrono::duration_cast<std::chrono::nanoseconds>(
                                            config_.rest_request_timeout)
                                            .count())
    return {HealthInfo::State::Unhealthy,
            "Worker was unable to handle this request and may be unable to handle other "
            "requests: the herder has been busy with one request for longer than " +
                std::to_string(config_.rest_request_timeout.count()) + " ms"};
  return {HealthInfo::State::Healthy,
          "Worker has completed startup and is ready to handle requests."};
}

std::vector<std::string> StandaloneHerder::connector_names() {
  auto s = snapshot();
  std::vector<std::string> out;
  out.reserve(s->size());
  for (const auto& [n, _] : *s) out.push_back(n);
  return out;
}

ConnectorInfo StandaloneHerder::info_of(const std::string& name, const Connector& c) const {
  ConnectorInfo info;
  info.name = name;
  info.config = c.config;
  for (size_t i = 0; i < c.task_configs.size(); ++i)
    info.tasks.push_back({name, static_cast<int>(i)});
  return info;
}

ConnectorStateInfo StandaloneHerder::status_of(const std::string& name) const {
  ConnectorStateInfo out;
  out.name = name;
  const std::string wid = worker_id();
  out.connector.worker_id = wid;
  if (auto s = statuses_->connector(name)) {
    out.connector.state = s->state;
    out.connector.trace = s->trace;
  }
  for (const auto& [id, s] : statuses_->tasks(name))
    out.tasks.push_back({id, StateInfo{s.state, wid, s.trace}});
  return out;
}

ConnectorInfo StandaloneHerder::connector_info(const std::string& name) {
  auto s = snapshot();
  return info_of(name, find(*s, name));
}

ConnectorStateInfo StandaloneHerder::connector_status(const std::string& name) {
  auto s = snapshot();
  find(*s, name);
  return status_of(name);
}

ConfigMap StandaloneHerder::connector_config(const std::string& name) {
  auto s = snapshot();
  return find(*s, name).config;
}

std::vector<TaskInfo> StandaloneHerder::task_configs(const std::string& name) {
  auto s = snapshot();
  const auto& c = find(*s, name);
  std::vector<TaskInfo> out;
  for (size_t i = 0; i < c.task_configs.size(); ++i)
    out.push_back({{name, static_cast<int>(i)}, c.task_configs[i]});
  return out;
}

TaskStateInfo StandaloneHerder::task_status(const std::string& name, int task) {
  auto snap = snapshot();
  find(*snap, name);
  auto s = statuses_->task(name, task);
  if (!s)
    throw HerderError(ErrorKind::NotFound,
                      "No status found for task " + name + "-" + std::to_string(task));
  return {task, StateInfo{s->state, worker_id(), s->trace}};
}

std::vector<std::string> StandaloneHerder::connector_topics(const std::string& name) {
  auto s = snapshot();
  find(*s, name);
  return statuses_->topics(name);
}

std::vector<std::pair<OffsetMap, OffsetMap>> StandaloneHerder::connector_offsets(
    const std::string& name) {
  require_ready();
  auto s = snapshot();
  find(*s, name);
  return offsets_->all(name);
}

std::string StandaloneHerder::metrics_text() {
  // States change on task and connector threads too (the status store); refresh them. Only the
  // control thread adds and removes connectors' gauges (publish(), delete).
  auto s = snapshot();
  for (const auto& [name, _] : *s) {
    auto st = statuses_->connector(name);
    metrics_.update_connector_state(name, run_state_name(st ? st->state : RunState::Unassigned));
  }
  return metrics_.serialize();
}

// ---- Changes: validated off the control thread, applied on it -----------------------------

ConnectorInfo StandaloneHerder::create_connector(const std::string& name, const ConfigMap& config,
                                                 std::optional<TargetState> initial_state) {
  const auto deadline = request_deadline();
  require_ready();
  if (snapshot()->count(name))
    throw HerderError(ErrorKind::Conflict, "Connector " + name + " already exists");
  ConfigMap cfg = config;
  cfg["name"] = name;
  validate_off_thread(cfg, deadline);
  return call<ConnectorInfo>(
      [this, name, cfg, initial_state] {
        if (connectors_.count(name))  // created by another request while this one validated
          throw HerderError(ErrorKind::Conflict, "Connector " + name + " already exists");
        Connector c;
        c.config = cfg;
        c.target = initial_state.value_or(TargetState::Started);
        store(name, c.config, c.target);  // nothing changed when it throws
        auto& ref = connectors_[name] = std::move(c);
        start_connector(name, ref);
        return info_of(name, ref);
      },
      deadline);
}

std::pair<ConnectorInfo, bool> StandaloneHerder::put_connector_config(const std::string& name,
                                                                      const ConfigMap& config) {
  const auto deadline = request_deadline();
  require_ready();
  if (!snapshot()->count(name)) return {create_connector(name, config, std::nullopt), true};
  ConfigMap cfg = config;
  cfg["name"] = name;
  validate_off_thread(cfg, deadline);
  return call<std::pair<ConnectorInfo, bool>>(
      [this, name, cfg] {
        auto it = connectors_.find(name);
        if (it == connectors_.end())
          throw HerderError(
              ErrorKind::Conflict,
              "Connector " + name + " was deleted while its new config was validated");
        Connector& c = it->second;
        store(name, cfg, c.target);
        stop_runtime(name);
        c.config = cfg;
        start_connector(name, c);
        return std::make_pair(info_of(name, c), false);
      },
      deadline);
}

ConnectorInfo StandaloneHerder::patch_connector_config(
    const std::string& name, const std::map<std::string, std::optional<std::string>>& patch) {
  ConfigMap cfg;
  {
    auto s = snapshot();
    cfg = find(*s, name).config;
  }
  for (const auto& [k, v] : patch) {
    if (v)
      cfg[k] = *v;
    else
      cfg.erase(k);
  }
  return put_connector_config(name, cfg).first;
}

void StandaloneHerder::delete_connector(const std::string& name) {
  require_ready();
  call<bool>(
      [this, name] {
        find_mut(name);
        try {
          configs_->remove(name);
        } catch (const std::exception& e) {
          throw HerderError(ErrorKind::Internal, e.what());
        }
        stop_runtime(name);
        connectors_.erase(name);
        statuses_->remove_connector(name);
        metrics_.remove_connector(name);
        TLOG(Info, kLogger, "Connector " << name << " deleted");
        return true;
      },
      request_deadline());
}

void StandaloneHerder::restart_task(const std::string& name, int task) {
  require_ready();
  call<bool>(
      [this, name, task] {
        Connector& c = find_mut(name);
        const auto ids = worker_->task_ids(name);
        if (task < 0 || static_cast<size_t>(task) >= c.task_configs.size() ||
            std::find(ids.begin(), ids.end(), task) == ids.end())
          throw HerderError(ErrorKind::NotFound,
                            "Task " + name + "-" + std::to_string(task) + " not found");
        const auto* plugin = registry_.find(c.config.at("connector.class"), PluginType::Source);
        worker_->restart_task(name, task, *plugin, c.config,
                              c.task_configs[static_cast<size_t>(task)],
                              c.target == TargetState::Paused);
        return true;
      },
      request_deadline());
}

std::optional<ConnectorStateInfo> StandaloneHerder::restart_connector(const std::string& name,
                                                                      bool include_tasks,
                                                                      bool only_failed) {
  require_ready();
  return call<std::optional<ConnectorStateInfo>>(
      [this, name, include_tasks, only_failed]() -> std::optional<ConnectorStateInfo> {
        Connector& c = find_mut(name);
        if (!include_tasks && !only_failed) {
          restart_instance(name, c);
          return std::nullopt;
        }
        ConnectorStateInfo plan = status_of(name);
        const bool restart_conn = !only_failed || plan.connector.state == RunState::Failed;
        std::vector<int> restart_ids;
        if (include_tasks)
          for (auto& t : plan.tasks)
            if (!only_failed || t.state.state == RunState::Failed) {
              restart_ids.push_back(t.id);
              t.state.state = RunState::Restarting;
              t.state.trace.clear();
            }
        if (restart_conn) {
          plan.connector.state = RunState::Restarting;
          plan.connector.trace.clear();
          restart_instance(name, c);
        }
        const auto* plugin = registry_.find(c.config.at("connector.class"), PluginType::Source);
        const auto live = worker_->task_ids(name);
        for (int id : restart_ids)
          if (plugin != nullptr && std::find(live.begin(), live.end(), id) != live.end() &&
              static_cast<size_t>(id) < c.task_configs.size())
            worker_->restart_task(name, id, *plugin, c.config,
                                  c.task_configs[static_cast<size_t>(id)],
                                  c.target == TargetState::Paused);
        return plan;
      },
      request_deadline());
}

void StandaloneHerder::pause_connector(const std::string& name) {
  require_ready();
  call<bool>(
      [this, name] {
        Connector& c = find_mut(name);
        store(name, c.config, TargetState::Paused);
        const TargetState before = c.target;
        c.target = TargetState::Paused;
        if (before == TargetState::Stopped) {
          start_connector(name, c);  // starts paused
          return true;
        }
        worker_->set_paused(name, true);
        auto st = statuses_->connector(name);
        if (!st || st->state != RunState::Failed)
          worker_->set_connector_state(name, RunState::Paused);
        return true;
      },
      request_deadline());
}

void StandaloneHerder::resume_connector(const std::string& name) {
  require_ready();
  call<bool>(
      [this, name] {
        Connector& c = find_mut(name);
        store(name, c.config, TargetState::Started);
        const TargetState before = c.target;
        c.target = TargetState::Started;
        if (before == TargetState::Stopped) {
          start_connector(name, c);
          return true;
        }
        worker_->set_paused(name, false);
        auto st = statuses_->connector(name);
        if (!st || st->state != RunState::Failed)
          worker_->set_connector_state(name, RunState::Running);
        return true;
      },
      request_deadline());
}

void StandaloneHerder::stop_connector(const std::string& name) {
  require_ready();
  call<bool>(
      [this, name] {
        Connector& c = find_mut(name);
        store(name, c.config, TargetState::Stopped);
        c.target = TargetState::Stopped;
        stop_runtime(name);
        c.task_configs.clear();
        worker_->set_connector_state(name, RunState::Stopped);
        return true;
      },
      request_deadline());
}

void StandaloneHerder::reset_connector_topics(const std::string& name) {
  auto s = snapshot();
  find(*s, name);
  statuses_->reset_topics(name);
}

std::string StandaloneHerder::alter_connector_offsets(
    const std::string& name,
    const std::vector<std::pair<OffsetMap, std::optional<OffsetMap>>>& offsets) {
  require_ready();
  return call<std::string>(
      [this, name, offsets] {
        require_stopped(name, find_mut(name).target);
        std::vector<OffsetEntry> entries;
        entries.reserve(offsets.size());
        for (const auto& [p, o] : offsets) entries.push_back({p, o});
        try {
          offsets_->put(name, entries, config_.offset_flush_timeout);
        } catch (const std::exception& e) {
          throw HerderError(ErrorKind::Internal,
                            std::string("Failed to alter offsets: ") + e.what());
        }
        return std::string("The offsets for this connector have been altered successfully");
      },
      request_deadline());
}

std::string StandaloneHerder::reset_connector_offsets(const std::string& name) {
  require_ready();
  return call<std::string>(
      [this, name] {
        require_stopped(name, find_mut(name).target);
        std::vector<OffsetEntry> entries;
        for (auto& [p, _] : offsets_->all(name)) entries.push_back({p, std::nullopt});
        try {
          offsets_->put(name, entries, config_.offset_flush_timeout);
        } catch (const std::exception& e) {
          throw HerderError(ErrorKind::Internal,
                            std::string("Failed to reset offsets: ") + e.what());
        }
        return std::string("The offsets for this connector have been reset successfully");
      },
      request_deadline());
}

// ---- Plugins and loggers: no connector state --------------------------------------------------

std::vector<PluginInfo> StandaloneHerder::plugins(bool connectors_only) {
  std::vector<const PluginDescriptor*> ps;
  for (const auto& p : registry_.all())
    if (!connectors_only || p->type == PluginType::Source || p->type == PluginType::Sink)
      ps.push_back(p.get());
  std::sort(ps.begin(), ps.end(), [](auto* a, auto* b) {
    return std::tie(a->class_name, a->type) < std::tie(b->class_name, b->type);
  });
  std::vector<PluginInfo> out;
  for (auto* p : ps) out.push_back({p->class_name, plugin_type_name(p->type), p->version});
  return out;
}

std::vector<ConfigKey> StandaloneHerder::plugin_config(const std::string& plugin) {
  const auto* p = registry_.find(plugin);
  if (p == nullptr) throw HerderError(ErrorKind::NotFound, "Unknown plugin " + plugin + ".");
  return p->config_def.keys();
}

ConfigInfos StandaloneHerder::validate_config(const std::string& plugin, const ConfigMap& config) {
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
  // On a validation thread, so a hanging database holds neither a REST thread nor the herder
  // beyond the request's deadline.
  return on_validation_thread<ConfigInfos>(
      [this, p, plugin, config] {
        return validate_connector_config(registry_, providers_, p, plugin, config);
      },
      request_deadline());
}

std::map<std::string, LoggerLevel> StandaloneHerder::loggers() {
  std::map<std::string, LoggerLevel> out;
  for (const auto& [name, info] : log::loggers())
    out[name] = {std::string(log::level_name(info.level)), info.last_modified_ms};
  return out;
}

LoggerLevel StandaloneHerder::logger(const std::string& name) {
  auto all = log::loggers();
  auto it = all.find(name);
  if (it != all.end())
    return {std::string(log::level_name(it->second.level)), it->second.last_modified_ms};
  return {std::string(log::level_name(log::effective_level(name))), std::nullopt};
}

std::vector<std::string> StandaloneHerder::set_logger_level(const std::string& name,
                                                            const std::string& level) {
  auto l = log::parse_level(level);
  if (!l) throw HerderError(ErrorKind::NotFound, "invalid log level '" + level + "'.");
  return log::set_level(name, *l);
}

}  // namespace tributary
