// Metrics: the worker's prometheus-cpp registry and the probes that own each subsystem's
// metrics (worker, connector, task), registered with help text and connector/task labels.
//
// Threading: prometheus-cpp metrics are thread-safe. A TaskProbe is updated by its task thread,
// once per batch on the hot path (never per record); scrapes run on REST threads.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tributary/connector.h"

namespace tributary {

/// Produce latency bucket bounds in seconds (0.5 ms .. 10 s).
inline const std::vector<double>& produce_latency_buckets() {
  static const std::vector<double> b{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                     0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return b;
}

class Metrics;

/// One task's metrics. Removed from the registry when the probe is destroyed.
class TaskProbe {
 public:
  TaskProbe(Metrics& m, const std::string& connector, int task);
  ~TaskProbe();
  TaskProbe(const TaskProbe&) = delete;
  TaskProbe& operator=(const TaskProbe&) = delete;

  void set_state(const std::string& state);
  void add_polled(double n) { polled_->Increment(n); }
  void add_written(double n) { written_->Increment(n); }
  void add_filtered(double n) { filtered_->Increment(n); }
  void add_failed(double n) { failed_->Increment(n); }
  void observe_batch(double n) { batch_->Observe(n); }
  /// Adds locally accumulated latency buckets (one count per bucket of produce_latency_buckets()
  /// plus +Inf) and their sum in seconds.
  void add_latencies(const std::vector<double>& bucket_counts, double sum_seconds);
  void commit_succeeded();
  void commit_failed() { commit_failure_->Increment(); }
  /// Refreshes time-derived gauges (age of the last commit); called before a scrape.
  void refresh();
  /// A gauge the task's plugin publishes (SourceTaskContext::gauge): this probe's labels plus
  /// `labels`. Removed with the probe.
  MetricGauge& plugin_gauge(const std::string& name, const std::string& help,
                            const std::map<std::string, std::string>& labels);

 private:
  struct PluginGauge;
  Metrics& m_;
  prometheus::Labels labels_;
  std::string state_;
  prometheus::Counter* polled_;
  prometheus::Counter* written_;
  prometheus::Counter* filtered_;
  prometheus::Counter* failed_;
  prometheus::Histogram* batch_;
  prometheus::Histogram* latency_;
  prometheus::Counter* commit_success_;
  prometheus::Counter* commit_failure_;
  prometheus::Gauge* commit_age_;
  std::atomic<std::int64_t> last_commit_ms_{0};
  std::mutex state_mu_;
  std::mutex plugin_mu_;
  std::map<std::pair<std::string, prometheus::Labels>, std::unique_ptr<PluginGauge>> plugin_;
};

class Metrics {
 public:
  Metrics();
  prometheus::Registry& registry() { return *registry_; }
  /// Text exposition of everything (refreshes the time-derived gauges first).
  std::string serialize();
  void set_connector_state(const std::string& connector, const std::string& state);
  /// set_connector_state() for a connector already known (set and not removed since): a reader
  /// refreshing states can never bring back a connector deleted meanwhile.
  void update_connector_state(const std::string& connector, const std::string& state);
  void remove_connector(const std::string& connector);
  void set_counts(double connectors, double tasks);
  /// The gauge family a plugin names (registered on first use, help from that first use).
  prometheus::Family<prometheus::Gauge>& plugin_family(const std::string& name,
                                                       const std::string& help);

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Gauge>& worker_connectors;
  prometheus::Family<prometheus::Gauge>& worker_tasks;
  prometheus::Family<prometheus::Gauge>& worker_start_time;
  prometheus::Family<prometheus::Gauge>& connector_state;
  prometheus::Family<prometheus::Gauge>& task_state;
  prometheus::Family<prometheus::Counter>& polled;
  prometheus::Family<prometheus::Counter>& written;
  prometheus::Family<prometheus::Counter>& filtered;
  prometheus::Family<prometheus::Counter>& failed;
  prometheus::Family<prometheus::Histogram>& batch_size;
  prometheus::Family<prometheus::Histogram>& produce_latency;
  prometheus::Family<prometheus::Counter>& commit_success;
  prometheus::Family<prometheus::Counter>& commit_failure;
  prometheus::Family<prometheus::Gauge>& commit_age;

 private:
  friend class TaskProbe;
  std::mutex mu_;
  std::vector<TaskProbe*> probes_;
  std::map<std::string, std::string> connector_states_;
  std::map<std::string, prometheus::Family<prometheus::Gauge>*> plugin_families_;
};

/// The states a connector or task can be in, as Kafka Connect names them.
inline constexpr std::array<const char*, 6> kStates = {"UNASSIGNED", "RUNNING", "PAUSED",
                                                       "STOPPED",    "FAILED",  "RESTARTING"};

}  // namespace tributary
