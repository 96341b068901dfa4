#include "metrics/metrics.h"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <chrono>
#include <sstream>

namespace tributary {
namespace {
std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      worker_connectors(prometheus::BuildGauge()
                            .Name("tributary_worker_connector_count")
                            .Help("Number of connectors on this worker")
                            .Register(*registry_)),
      worker_tasks(prometheus::BuildGauge()
                       .Name("tributary_worker_task_count")
                       .Help("Number of tasks on this worker")
                       .Register(*registry_)),
      worker_start_time(prometheus::BuildGauge()
                            .Name("tributary_worker_start_time_seconds")
                            .Help("Unix time the worker started")
                            .Register(*registry_)),
      connector_state(prometheus::BuildGauge()
                          .Name("tributary_connector_state")
                          .Help("1 for the connector's current state (UNASSIGNED, RUNNING, PAUSED, "
                                "STOPPED, FAILED, RESTARTING), 0 for the others")
                          .Register(*registry_)),
      task_state(prometheus::BuildGauge()
                     .Name("tributary_task_state")
                     .Help("1 for the task's current state, 0 for the others")
                     .Register(*registry_)),
      polled(prometheus::BuildCounter()
                 .Name("tributary_source_records_polled_total")
                 .Help("Records returned by the task's poll(), before transforms")
                 .Register(*registry_)),
      written(prometheus::BuildCounter()
                  .Name("tributary_source_records_written_total")
                  .Help("Records acknowledged by Kafka")
                  .Register(*registry_)),
      filtered(prometheus::BuildCounter()
                   .Name("tributary_source_records_filtered_total")
                   .Help("Records dropped by the transform chain")
                   .Register(*registry_)),
      failed(prometheus::BuildCounter()
                 .Name("tributary_source_records_failed_total")
                 .Help("Records that failed in a transform or converter (skipped with "
                       "errors.tolerance=all)")
                 .Register(*registry_)),
      batch_size(prometheus::BuildHistogram()
                     .Name("tributary_poll_batch_size")
                     .Help("Records per poll() batch")
                     .Register(*registry_)),
      produce_latency(prometheus::BuildHistogram()
                          .Name("tributary_produce_latency_seconds")
                          .Help("Time from handing a record to the producer to its acknowledgement")
                          .Register(*registry_)),
      commit_success(prometheus::BuildCounter()
                         .Name("tributary_offset_commit_success_total")
                         .Help("Successful offset commits")
                         .Register(*registry_)),
      commit_failure(prometheus::BuildCounter()
                         .Name("tributary_offset_commit_failure_total")
                         .Help("Failed offset commits")
                         .Register(*registry_)),
      commit_age(prometheus::BuildGauge()
                     .Name("tributary_offset_commit_age_seconds")
                     .Help("Seconds since the task's last successful offset commit (-1: none yet)")
                     .Register(*registry_)) {
  worker_start_time.Add({}).Set(static_cast<double>(now_ms()) / 1000.0);
  worker_connectors.Add({});
  worker_tasks.Add({});
}

std::string Metrics::serialize() {
  {
    std::lock_guard lk(mu_);
    for (auto* p : probes_) p->refresh();
  }
  prometheus::TextSerializer s;
  return s.Serialize(registry_->Collect());
}

prometheus::Family<prometheus::Gauge>& Metrics::plugin_family(const std::string& name,
                                                              const std::string& help) {
  std::lock_guard lk(mu_);
  auto it = plugin_families_.find(name);
  if (it != plugin_families_.end()) return *it->second;
  auto& f = prometheus::BuildGauge().Name(name).Help(help).Register(*registry_);
  plugin_families_[name] = &f;
  return f;
}

void Metrics::set_counts(double connectors, double tasks) {
  worker_connectors.Add({}).Set(connectors);
  worker_tasks.Add({}).Set(tasks);
}

void Metrics::set_connector_state(const std::string& connector, const std::string& state) {
  std::lock_guard lk(mu_);
  for (const char* s : kStates)
    connector_state.Add({{"connector", connector}, {"state", s}}).Set(state == s ? 1 : 0);
  connector_states_[connector] = state;
}

void Metrics::update_connector_state(const std::string& connector, const std::string& state) {
  std::lock_guard lk(mu_);
  auto it = connector_states_.find(connector);
  if (it == connector_states_.end() || it->second == state) return;
  for (const char* s : kStates)
    connector_state.Add({{"connector", connector}, {"state", s}}).Set(state == s ? 1 : 0);
  it->second = state;
}

void Metrics::remove_connector(const std::string& connector) {
  std::lock_guard lk(mu_);
  for (const char* s : kStates) {
    prometheus::Labels l{{"connector", connector}, {"state", s}};
    if (connector_state.Has(l)) connector_state.Remove(&connector_state.Add(l));
  }
  connector_states_.erase(connector);
}

TaskProbe::TaskProbe(Metrics& m, const std::string& connector, int task)
    : m_(m),
      labels_{{"connector", connector}, {"task", std::to_string(task)}},
      polled_(&m.polled.Add(labels_)),
      written_(&m.written.Add(labels_)),
      filtered_(&m.filtered.Add(labels_)),
      failed_(&m.failed.Add(labels_)),
      batch_(&m.batch_size.Add(
          labels_,
          prometheus::Histogram::BucketBoundaries{1, 10, 100, 500, 1000, 2048, 5000, 10000})),
      latency_(&m.produce_latency.Add(labels_, produce_latency_buckets())),
      commit_success_(&m.commit_success.Add(labels_)),
      commit_failure_(&m.commit_failure.Add(labels_)),
      commit_age_(&m.commit_age.Add(labels_)) {
  commit_age_->Set(-1);
  set_state("UNASSIGNED");
  std::lock_guard lk(m_.mu_);
  m_.probes_.push_back(this);
}

struct TaskProbe::PluginGauge final : MetricGauge {
  prometheus::Family<prometheus::Gauge>* family;
  prometheus::Gauge* gauge;
  void set(double value) override { gauge->Set(value); }
};

MetricGauge& TaskProbe::plugin_gauge(const std::string& name, const std::string& help,
                                     const std::map<std::string, std::string>& labels) {
  prometheus::Labels l = labels_;
  for (const auto& [k, v] : labels) l[k] = v;
  std::lock_guard lk(plugin_mu_);
  auto& slot = plugin_[{name, l}];
  if (!slot) {
    auto& family = m_.plugin_family(name, help);
    slot = std::make_unique<PluginGauge>();
    slot->family = &family;
    slot->gauge = &family.Add(l);
  }
  return *slot;
}

TaskProbe::~TaskProbe() {
  {
    std::lock_guard lk(m_.mu_);
    m_.probes_.erase(std::remove(m_.probes_.begin(), m_.probes_.end(), this), m_.probes_.end());
  }
  for (auto& [key, g] : plugin_) g->family->Remove(g->gauge);
  for (const char* s : kStates) {
    auto l = labels_;
    l["state"] = s;
    if (m_.task_state.Has(l)) m_.task_state.Remove(&m_.task_state.Add(l));
  }
  m_.polled.Remove(polled_);
  m_.written.Remove(written_);
  m_.filtered.Remove(filtered_);
  m_.failed.Remove(failed_);
  m_.batch_size.Remove(batch_);
  m_.produce_latency.Remove(latency_);
  m_.commit_success.Remove(commit_success_);
  m_.commit_failure.Remove(commit_failure_);
  m_.commit_age.Remove(commit_age_);
}

void TaskProbe::set_state(const std::string& state) {
  std::lock_guard lk(state_mu_);
  if (state == state_) return;
  state_ = state;
  for (const char* s : kStates) {
    auto l = labels_;
    l["state"] = s;
    m_.task_state.Add(l).Set(state == s ? 1 : 0);
  }
}

void TaskProbe::add_latencies(const std::vector<double>& bucket_counts, double sum_seconds) {
  latency_->ObserveMultiple(bucket_counts, sum_seconds);
}

void TaskProbe::commit_succeeded() {
  commit_success_->Increment();
  last_commit_ms_.store(now_ms(), std::memory_order_relaxed);
  commit_age_->Set(0);
}

void TaskProbe::refresh() {
  auto last = last_commit_ms_.load(std::memory_order_relaxed);
  commit_age_->Set(last == 0 ? -1 : static_cast<double>(now_ms() - last) / 1000.0);
}

}  // namespace tributary
