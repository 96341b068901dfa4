#include "worker/task_runner.h"

#include <pthread.h>

#include <regex>

#include "common/log.h"
#include "kafka/kafka_log.h"

namespace tributary {
namespace {
constexpr const char* kLogger = "io.tributary.worker.task";

struct StopInterrupted {};

std::string get(const ConfigMap& m, const std::string& k, const std::string& def = "") {
  auto it = m.find(k);
  return it == m.end() ? def : it->second;
}

// The class and sub-keys of a converter role ("key.converter", "value.converter",
// "header.converter"): the connector's when it names a class, else the worker's (as Kafka
// Connect's Plugins.newConverter). Throws ConfigError naming the key for an unknown class.
const PluginDescriptor& resolve_converter(const std::string& key, PluginType type,
                                          const char* default_class, const ConfigMap& connector,
                                          const WorkerConfig& worker,
                                          const PluginRegistry& registry, ConfigMap& sub_keys) {
  const ConfigMap* source = &connector;
  std::string cls = get(connector, key);
  if (cls.empty()) {
    source = &worker.props;
    cls = get(worker.props, key, default_class);
  }
  const auto* d = registry.find(cls, type);
  if (d == nullptr)
    throw ConfigError(key, "Invalid value " + cls + " for configuration " + key + ": Class " + cls +
                               " could not be found.");
  sub_keys = with_prefix_stripped(*source, key + ".");
  return *d;
}

std::unique_ptr<Converter> make_converter(const std::string& role, const ConfigMap& connector,
                                          const WorkerConfig& worker,
                                          const PluginRegistry& registry) {
  ConfigMap sub;
  auto c = resolve_converter(role + ".converter", PluginType::Converter,
                             "org.apache.kafka.connect.json.JsonConverter", connector, worker,
                             registry, sub)
               .make_converter();
  c->configure(sub, role == "key");
  return c;
}

std::unique_ptr<HeaderConverter> make_header_converter(const ConfigMap& connector,
                                                       const WorkerConfig& worker,
                                                       const PluginRegistry& registry) {
  ConfigMap sub;
  auto c = resolve_converter("header.converter", PluginType::HeaderConverter,
                             "org.apache.kafka.connect.storage.SimpleHeaderConverter", connector,
                             worker, registry, sub)
               .make_header_converter();
  c->configure(sub);
  return c;
}

std::string trace_of(const std::string& kind, const std::string& message,
                     const std::string& where) {
  return kind + ": " + message + "\n\tat " + where;
}

}  // namespace

TaskRunner::TaskRunner(TaskEnvironment env, std::string connector, int task_id,
                       const PluginDescriptor& connector_plugin, ConfigMap connector_config,
                       ConfigMap task_config, bool start_paused)
    : env_(env),
      connector_(std::move(connector)),
      task_id_(task_id),
      plugin_(connector_plugin),
      connector_config_(std::move(connector_config)),
      task_config_(std::move(task_config)),
      paused_(start_paused),
      latency_buckets_(produce_latency_buckets().size() + 1, 0.0) {
  probe_ = std::make_unique<TaskProbe>(env_.metrics, connector_, task_id_);
}

TaskRunner::~TaskRunner() {
  request_stop();
  if (thread_.joinable()) thread_.join();
}

void TaskRunner::start() {
  thread_ = std::thread([this] {
    // "task:<connector>-<id>", cut to the 15 characters Linux keeps (shown by top -H, perf).
    std::string name = "task:" + connector_ + "-" + std::to_string(task_id_);
    if (name.size() > 15) name = name.substr(0, 15);
    pthread_setname_np(pthread_self(), name.c_str());
    run();
  });
}

void TaskRunner::request_stop() {
  std::int64_t none = 0;
  const auto deadline = std::chrono::steady_clock::now() + env_.worker.graceful_shutdown;
  stop_deadline_ns_.compare_exchange_strong(
      none, std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch())
                .count());  // the first request sets the budget
  stop_requested_.store(true);
  std::shared_ptr<SourceTask> t;
  {
    std::lock_guard lk(task_ptr_mu_);
    t = task_;
    // A converter blocked on a schema registry ends its call; interrupt() only sets a flag
    // (noexcept, never blocks), so calling it under the lock is safe.
    if (converters_published_) {
      key_converter_->interrupt();
      value_converter_->interrupt();
    }
  }
  if (t) {
    try {
      t->stop();
    } catch (const std::exception& e) {
      TLOG(Warn, kLogger, connector_ << "-" << task_id_ << " threw in stop(): " << e.what());
    }
  }
}

bool TaskRunner::wait_stopped(std::chrono::milliseconds timeout) {
  std::unique_lock lk(state_mu_);
  return done_cv_.wait_for(lk, timeout, [this] { return done_; });
}

TaskStatus TaskRunner::status() const {
  std::lock_guard lk(state_mu_);
  return status_;
}

std::vector<std::string> TaskRunner::topics() const {
  std::lock_guard lk(topics_mu_);
  return topics_seen_;
}

void TaskRunner::set_state(RunState s, std::string trace) {
  if (fenced_.load()) return;  // a replacement owns the task's status now
  {
    std::lock_guard lk(state_mu_);
    if (status_.state == RunState::Failed && s != RunState::Failed) return;  // FAILED sticks
    status_.state = s;
    status_.trace = trace;
  }
  if (env_.statuses != nullptr)
    env_.statuses->put_task(connector_, task_id_, Status{s, std::move(trace), env_.generation});
  probe_->set_state(run_state_name(s));
}

std::optional<OffsetMap> TaskRunner::committed_offset(const OffsetMap& partition) const {
  return env_.offsets.get(connector_, partition);
}

std::unique_ptr<KafkaLog> TaskRunner::kafka_log(const ConfigMap& client_props,
                                                const std::string& topic) {
  return std::make_unique<kafka::RdKafkaLog>(client_props, topic);
}

void TaskRunner::log(LogLevel level, const std::string& logger, const std::string& message) {
  log::Level l = log::Level::Info;
  switch (level) {
    case LogLevel::Debug: l = log::Level::Debug; break;
    case LogLevel::Info: l = log::Level::Info; break;
    case LogLevel::Warn: l = log::Level::Warn; break;
    case LogLevel::Error: l = log::Level::Error; break;
  }
  if (log::enabled(logger, l))
    log::write(l, logger, connector_ + "-" + std::to_string(task_id_) + " " + message);
}

void TaskRunner::run() {
  std::string where = "connector " + connector_ + " task " + std::to_string(task_id_);
  try {
    run_loop();
  } catch (const StopInterrupted&) {
  } catch (const ConfigError& e) {
    set_state(RunState::Failed,
              trace_of("org.apache.kafka.common.config.ConfigException", e.what(), where));
  } catch (const std::exception& e) {
    set_state(RunState::Failed,
              trace_of("org.apache.kafka.connect.errors.ConnectException", e.what(), where));
  } catch (...) {
    set_state(RunState::Failed, trace_of("org.apache.kafka.connect.errors.ConnectException",
                                         "unknown exception", where));
  }
  if (status().state == RunState::Failed)
    TLOG(Error, kLogger, connector_ << "-" << task_id_ << " failed: " << status().trace);
  // Whatever happened, deliver what is in flight and commit what Kafka acknowledged, within the
  // stop's budget: the flush gets what the poll left minus the commit's share, the commit the
  // rest, so the runner ends by the deadline the herder waits for and is not abandoned just
  // because Kafka was slow to acknowledge.
  if (producer_) {
    try {
      using namespace std::chrono;
      const auto now = steady_clock::now();
      const std::int64_t stop_ns = stop_deadline_ns_.load();
      const auto end = stop_ns != 0 ? steady_clock::time_point(nanoseconds(stop_ns))
                                    : now + env_.worker.graceful_shutdown;
      const auto commit_share = std::min<milliseconds>(env_.worker.offset_flush_timeout,
                                                       env_.worker.graceful_shutdown / 2);
      auto left = [](steady_clock::time_point until) {
        return std::max(milliseconds(0), duration_cast<milliseconds>(until - steady_clock::now()));
      };
      ack_time_valid_ = false;
      producer_->flush(left(end - commit_share));
      poll_producer(0);
      drain_latencies();
      // A commit always gets a moment, even when the flush or the poll overran.
      commit_offsets_by(std::max(end, steady_clock::now() + milliseconds(50)));
    } catch (const std::exception& e) {
      TLOG(Error, kLogger,
           connector_ << "-" << task_id_ << " final offset commit failed: " << e.what());
    }
  }
  committer_.reset();  // joins its writer (a write still running ends by its timeout)
  {
    std::shared_ptr<SourceTask> t;
    {
      std::lock_guard lk(task_ptr_mu_);
      t.swap(task_);
    }
    t.reset();  // the task's destructor runs on its own thread
  }
  connector_instance_.reset();
  producer_.reset();
  if (status().state != RunState::Failed) set_state(RunState::Stopped);
  {
    std::lock_guard lk(state_mu_);
    done_ = true;
  }
  done_cv_.notify_all();
}

void TaskRunner::run_loop() {
  if (env_.providers != nullptr) {
    connector_config_ = env_.providers->resolve(connector_config_);
    task_config_ = env_.providers->resolve(task_config_);
  }
  tolerate_all_ = get(connector_config_, "errors.tolerance", "none") == "all";
  log_errors_ = parse_bool(get(connector_config_, "errors.log.enable", "false")).value_or(false);
  log_messages_ =
      parse_bool(get(connector_config_, "errors.log.include.messages", "false")).value_or(false);
  key_converter_ = make_converter("key", connector_config_, env_.worker, env_.registry);
  value_converter_ = make_converter("value", connector_config_, env_.worker, env_.registry);
  header_converter_ = make_header_converter(connector_config_, env_.worker, env_.registry);
  {
    std::lock_guard lk(task_ptr_mu_);
    converters_published_ = true;  // request_stop() may interrupt them from now on
  }
  chain_ = std::make_unique<TransformChain>(connector_config_, env_.registry);
  producer_ = std::make_unique<kafka::Producer>(
      env_.worker.producer_props(connector_config_),
      [this](const rd_kafka_message_t& msg) { on_delivery(&msg); },
      env_.worker.producer_io_thread_nice);

  connector_instance_ = plugin_.make_source();
  {
    std::shared_ptr<SourceTask> t = connector_instance_->create_task();
    std::lock_guard lk(task_ptr_mu_);
    task_ = std::move(t);
  }
  if (stop_requested_.load()) throw StopInterrupted{};
  task_->start(task_config_, *this);
  TLOG(Info, kLogger, connector_ << "-" << task_id_ << " started");

  committer_ = std::make_unique<OffsetCommitter>(env_.offsets, connector_,
                                                 [this] { return fenced_.load(); });
  auto interval = env_.worker.offset_flush_interval;
  next_flush_ = std::chrono::steady_clock::now() + interval;
  std::vector<SourceRecord> batch;
  while (!stop_requested_.load(std::memory_order_relaxed)) {
    if (paused_.load(std::memory_order_relaxed)) {
      if (status().state != RunState::Paused) set_state(RunState::Paused);
      poll_producer(100);
    } else {
      if (status().state != RunState::Running) set_state(RunState::Running);
      batch.clear();
      task_->poll(batch);
      if (!batch.empty()) {
        process_batch(batch);
        task_->recycle(batch);  // the connector may free them on its own thread
      }
      poll_producer(0);
    }
    drain_latencies();
    if (!delivery_error_.empty()) throw std::runtime_error(delivery_error_);
    if (env_.statuses != nullptr && env_.statuses->topics_epoch() != topics_epoch_) {
      topics_epoch_ = env_.statuses->topics_epoch();
      reported_topics_.clear();
      topics_unreported_ = !known_topics_.empty();
    }
    if (auto done = committer_->take()) finish_commit(*done);
    // A write still in flight at the interval: the next one starts as soon as it has ended.
    if (std::chrono::steady_clock::now() >= next_flush_ && !committer_->busy()) {
      start_commit(env_.worker.offset_flush_timeout);
      next_flush_ = std::chrono::steady_clock::now() + interval;
    }
  }
}

std::uint32_t TaskRunner::partition_index(const SourceRecord& r) {
  if (!r.source_partition) return kNoPartition;
  auto it = partition_by_ptr_.find(r.source_partition.get());
  if (it != partition_by_ptr_.end()) return it->second;
  std::string key = compact_json(*r.source_partition);
  auto kit = partition_by_key_.find(key);
  std::uint32_t idx;
  if (kit != partition_by_key_.end()) {
    idx = kit->second;
  } else {
    idx = static_cast<std::uint32_t>(partitions_.size());
    partitions_.push_back({*r.source_partition, std::nullopt, {}, false});
    partition_by_key_.emplace(std::move(key), idx);
  }
  // Remember the pointer only while we keep the object alive, so an address cannot be reused.
  if (partition_by_ptr_.size() < 1024) {
    partition_keepalive_.push_back(r.source_partition);
    partition_by_ptr_.emplace(r.source_partition.get(), idx);
  }
  return idx;
}

void TaskRunner::track_skipped(std::uint32_t pidx, SourceRecord& r) {
  pending_.push_back({pidx, true, {}, std::move(r.source_offset), std::move(r.lazy_offset)});
  // Advance at once if everything before it is acknowledged.
  on_delivery(nullptr);
}

int TaskRunner::poll_producer(int timeout_ms) {
  ack_time_valid_ = false;  // the first delivery served by this poll reads the clock
  return producer_->poll(timeout_ms);
}

void TaskRunner::process_batch(std::vector<SourceRecord>& batch) {
  batch_time_ = std::chrono::steady_clock::now();
  probe_->add_polled(static_cast<double>(batch.size()));
  probe_->observe_batch(static_cast<double>(batch.size()));
  double filtered = 0, failed = 0;
  for (auto& r : batch) {
    std::uint32_t pidx = partition_index(r);
    if (!chain_->empty()) {
      bool keep;
      try {
        keep = chain_->apply(r);
      } catch (const std::exception& e) {
        std::string msg = "Error in transform '" + chain_->failed_step() +
                          "' for record to topic '" + r.topic + "' at offset " +
                          compact_json(r.offset()) + ": " + e.what();
        if (!tolerate_all_) throw std::runtime_error(msg);
        log_skipped(msg, r);
        ++failed;
        track_skipped(pidx, r);
        continue;
      }
      if (!keep) {
        ++filtered;
        track_skipped(pidx, r);
        continue;
      }
    }
    try {
      send(r, pidx);
    } catch (const StopInterrupted&) {
      throw;
    } catch (const std::exception& e) {
      // A converter interrupted by the stop (a schema registry call): the record was never sent
      // and its offset is not committed.
      if (stop_requested_.load()) throw StopInterrupted{};
      if (dynamic_cast<const std::invalid_argument*>(&e) == nullptr) throw;
      // The converter rejected the data.
      std::string msg = "Error converting record for topic '" + r.topic + "' at offset " +
                        compact_json(r.offset()) + ": " + e.what();
      if (!tolerate_all_) throw std::runtime_error(msg);
      log_skipped(msg, r);
      ++failed;
      track_skipped(pidx, r);
    }
  }
  if (filtered > 0) probe_->add_filtered(filtered);
  if (failed > 0) probe_->add_failed(failed);
}

void TaskRunner::send(SourceRecord& r, std::uint32_t pidx) {
  const void* key = nullptr;
  size_t key_len = 0;
  const void* value = nullptr;
  size_t value_len = 0;
  if (key_converter_->from_connect(r.topic, r.key_schema, r.key, key_buf_)) {
    key = key_buf_.data();
    key_len = key_buf_.size();
  }
  if (value_converter_->from_connect(r.topic, r.value_schema, r.value, value_buf_)) {
    value = value_buf_.data();
    value_len = value_buf_.size();
  }
  header_views_.clear();
  if (!r.headers.empty()) {
    header_bufs_.resize(r.headers.size());
    for (size_t i = 0; i < r.headers.size(); ++i) {
      auto& h = r.headers[i];
      bool present = header_converter_->from_connect_header(r.topic, h.key, h.schema, h.value,
                                                            header_bufs_[i]);
      header_views_.push_back({h.key, present ? header_bufs_[i].data() : nullptr,
                               present ? header_bufs_[i].size() : 0});
    }
  }
  ensure_topic(r.topic);
  std::uint64_t seq = base_seq_ + pending_.size();
  pending_.push_back(
      {pidx, false, batch_time_, std::move(r.source_offset), std::move(r.lazy_offset)});
  for (;;) {
    auto err = producer_->produce(r.topic, r.kafka_partition.value_or(RD_KAFKA_PARTITION_UA), key,
                                  key_len, value, value_len, r.timestamp.value_or(0), header_views_,
                                  reinterpret_cast<void*>(static_cast<std::uintptr_t>(seq + 1)));
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      // Back-pressure: wait for deliveries. A stop request while Kafka is not draining gives up
      // the rest of the batch; those records were never committed and will be polled again.
      poll_producer(50);
      drain_latencies();
      if (!delivery_error_.empty()) throw std::runtime_error(delivery_error_);
      if (stop_requested_.load()) {
        pending_.pop_back();
        throw StopInterrupted{};
      }
      continue;
    }
    pending_.pop_back();
    throw std::runtime_error("Failed to send record to topic '" + r.topic +
                             "': " + rd_kafka_err2str(err));
  }
}

void TaskRunner::on_delivery(const rd_kafka_message_t* msg) {
  if (msg != nullptr) {
    rd_kafka_resp_err_t err = msg->err;
    // The opaque is seq + 1 so that no message's opaque is nullptr.
    auto seq = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(msg->_private)) - 1;
    auto& p = pending_[seq - base_seq_];
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR || tolerate_all_) {
      p.acked = true;
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++acked_since_report_;
        if (!ack_time_valid_) {
          ack_time_ = std::chrono::steady_clock::now();
          ack_time_valid_ = true;
        }
        double secs = std::chrono::duration<double>(ack_time_ - p.sent).count();
        const auto& b = produce_latency_buckets();
        size_t i = 0;
        while (i < b.size() && secs > b[i]) ++i;
        latency_buckets_[i] += 1;
        latency_sum_ += secs;
      } else {
        TLOG(Warn, kLogger,
             connector_ << "-" << task_id_ << ": record to topic '" << rd_kafka_topic_name(msg->rkt)
                        << "' not delivered and skipped (errors.tolerance=all): "
                        << rd_kafka_err2str(err));
      }
    } else if (delivery_error_.empty()) {
      delivery_error_ = std::string("Failed to deliver a record to Kafka topic '") +
                        rd_kafka_topic_name(msg->rkt) + "': " + rd_kafka_err2str(err) +
                        " (offsets after the last acknowledged record are not committed)";
    }
  }
  while (!pending_.empty() && pending_.front().acked) {
    auto& f = pending_.front();
    if (f.partition != kNoPartition && (f.lazy.source || !f.offset.is_null())) {
      auto& ps = partitions_[f.partition];
      if (f.lazy.source) {
        ps.committable_lazy = std::move(f.lazy);  // its map is computed when committed
      } else {
        if (ps.committable) release_offset(*ps.committable);
        ps.committable = std::move(f.offset);
        ps.committable_lazy = {};
      }
      ps.dirty = true;
      ++ps.version;
    }
    pending_.pop_front();
    ++base_seq_;
  }
}

void TaskRunner::log_skipped(const std::string& message, const SourceRecord& r) {
  if (!log_errors_) return;
  std::string text =
      connector_ + "-" + std::to_string(task_id_) + ": skipped (errors.tolerance=all): " + message;
  if (log_messages_) {
    std::string buf;
    auto render = [&](Converter& c, const SchemaPtr& s, const Value& v) -> std::string {
      try {
        return c.from_connect(r.topic, s, v, buf) ? buf : "null";
      } catch (const std::exception& e) {
        return std::string("<not convertible: ") + e.what() + ">";
      }
    };
    text += "; key=" + render(*key_converter_, r.key_schema, r.key);
    text += " value=" + render(*value_converter_, r.value_schema, r.value);
  }
  TLOG(Error, kLogger, text);
}

void TaskRunner::drain_latencies() {
  if (acked_since_report_ == 0) return;
  probe_->add_written(static_cast<double>(acked_since_report_));
  written_.fetch_add(acked_since_report_, std::memory_order_relaxed);
  probe_->add_latencies(latency_buckets_, latency_sum_);
  acked_since_report_ = 0;
  std::fill(latency_buckets_.begin(), latency_buckets_.end(), 0.0);
  latency_sum_ = 0;
}

bool TaskRunner::start_commit(std::chrono::milliseconds timeout) {
  if (committer_->busy()) return false;
  std::vector<OffsetEntry> entries;
  commit_in_flight_.partitions.clear();
  commit_in_flight_.flushed.clear();
  for (std::uint32_t i = 0; i < partitions_.size(); ++i) {
    auto& ps = partitions_[i];
    if (!ps.dirty) continue;
    if (ps.committable_lazy.source) {
      // Computed here: an OffsetSource is the connector's, and this is the task's thread.
      ps.committable = ps.committable_lazy.source->offset(ps.committable_lazy.arg);
      ps.committable_lazy = {};
    }
    entries.push_back({ps.partition, ps.committable});
    commit_in_flight_.partitions.emplace_back(i, ps.version);
  }
  if (entries.empty()) return false;
  if (fenced_.load()) {
    // Abandoned after task.shutdown.graceful.timeout.ms: a replacement may be running, and
    // offsets from this older generation could move its position backwards or skip records.
    TLOG(Warn, kLogger,
         connector_ << "-" << task_id_ << " was fenced (it did not stop in time); its offsets for "
                    << entries.size() << " partition(s) are not committed");
    for (const auto& [i, v] : commit_in_flight_.partitions) partitions_[i].dirty = false;
    commit_in_flight_.partitions.clear();
    return false;
  }
  if (task_)
    for (const auto& e : entries) commit_in_flight_.flushed.emplace_back(e.partition, *e.offset);
  committer_->submit(std::move(entries), timeout);
  return true;
}

void TaskRunner::finish_commit(const OffsetCommitter::Result& result) {
  const std::size_t n = commit_in_flight_.partitions.size();
  if (result.cancelled) {
    // Fenced between the hand-over and the write: nothing was written, and nothing will be.
    TLOG(Warn, kLogger,
         connector_ << "-" << task_id_ << " was fenced (it did not stop in time); its offsets for "
                    << n << " partition(s) are not committed");
    for (const auto& [i, v] : commit_in_flight_.partitions) partitions_[i].dirty = false;
    return;
  }
  if (!result.ok) {
    probe_->commit_failed();
    TLOG(Error, kLogger,
         connector_ << "-" << task_id_ << " failed to commit offsets: " << result.error);
    return;  // the partitions stay dirty: the next commit writes their newest offsets
  }
  probe_->commit_succeeded();
  // A partition whose offset moved on while the write ran stays dirty for the next commit.
  for (const auto& [i, v] : commit_in_flight_.partitions)
    if (partitions_[i].version == v) partitions_[i].dirty = false;
  TLOG(Debug, kLogger,
       connector_ << "-" << task_id_ << " committed offsets for " << n << " partition(s)");
  if (task_) task_->commit(commit_in_flight_.flushed);
}

void TaskRunner::commit_offsets_by(std::chrono::steady_clock::time_point until) {
  using namespace std::chrono;
  auto left = [&] {
    return std::max(milliseconds(0), duration_cast<milliseconds>(until - steady_clock::now()));
  };
  if (!committer_) return;  // the task never started
  if (committer_->busy()) {
    if (auto done = committer_->wait(left())) {
      finish_commit(*done);
    } else {
      // Writing the earlier offsets takes longer than the stop allows: a second write could
      // land before it and be overwritten by the older offsets, so there is none.
      TLOG(Error, kLogger,
           connector_ << "-" << task_id_
                      << " final offset commit skipped: the previous offset write did not end "
                         "within the stop's time");
      return;
    }
  }
  // The last offsets get a moment even when waiting for the earlier write used the time up.
  const milliseconds budget = std::max(left(), milliseconds(50));
  if (!start_commit(budget)) return;
  if (auto done = committer_->wait(budget + milliseconds(50))) {
    finish_commit(*done);
  } else {
    TLOG(
        Error, kLogger,
        connector_ << "-" << task_id_ << " final offset commit did not end within the stop's time");
  }
}

void TaskRunner::report_topic(const std::string& topic) {
  if (env_.statuses == nullptr || fenced_.load() || !reported_topics_.insert(topic).second) return;
  env_.statuses->put_topic(connector_, topic);
  topics_unreported_ = reported_topics_.size() < known_topics_.size();
}

void TaskRunner::ensure_topic(const std::string& topic) {
  if (known_topics_.count(topic)) {
    if (topics_unreported_) report_topic(topic);  // only after a topics reset
    return;
  }
  const auto& c = connector_config_;
  if (env_.worker.topic_creation_enable && c.count("topic.creation.default.replication.factor") &&
      c.count("topic.creation.default.partitions")) {
    std::string group = "default";
    for (const auto& g : split_list(get(c, "topic.creation.groups"))) {
      auto matches = [&](const std::string& key) {
        for (const auto& re : split_list(get(c, key)))
          if (std::regex_match(topic, std::regex(re))) return true;
        return false;
      };
      if (matches("topic.creation." + g + ".include") &&
          !matches("topic.creation." + g + ".exclude")) {
        group = g;
        break;
      }
    }
    auto setting = [&](const std::string& name) {
      std::string v = get(c, "topic.creation." + group + "." + name);
      return v.empty() ? get(c, "topic.creation.default." + name) : v;
    };
    kafka::NewTopic nt;
    nt.name = topic;
    nt.partitions = static_cast<int>(parse_long(setting("partitions")).value_or(-1));
    nt.replication_factor =
        static_cast<int>(parse_long(setting("replication.factor")).value_or(-1));
    std::map<std::string, std::string> configs;
    for (const auto& [k, v] : with_prefix_stripped(c, "topic.creation.default.")) configs[k] = v;
    if (group != "default")
      for (const auto& [k, v] : with_prefix_stripped(c, "topic.creation." + group + "."))
        configs[k] = v;
    for (const auto& [k, v] : configs)
      if (k != "partitions" && k != "replication.factor" && k != "include" && k != "exclude")
        nt.configs.emplace_back(k, v);
    kafka::create_topics(env_.worker.client_props(), {nt}, std::chrono::seconds(30));
    TLOG(Info, kLogger,
         connector_ << "-" << task_id_ << " ensured topic " << topic << " (group " << group << ")");
  }
  known_topics_.insert(topic);
  report_topic(topic);
  std::lock_guard lk(topics_mu_);
  topics_seen_.push_back(topic);
}

}  // namespace tributary
