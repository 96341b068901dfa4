// Pieces the benchmarks share: unique names, medians, the worker config with BENCH_WORKER_PROPS
// applied, the plugin registry, a task context without metrics, and librdkafka alone producing
// serialized events (the sink ceiling every pipeline benchmark compares with).
//
// Threading: everything here runs on the benchmark's main thread.
#pragma once

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "converters/builtin.h"
#include "kafka/kafka.h"
#include "plugins/registry.h"
#include "worker/worker_config.h"

namespace tributary::bench {

/// prefix + sep + a random number (topics use '-', PostgreSQL slot names '_').
inline std::string unique(const std::string& prefix, char sep = '-') {
  return prefix + sep + std::to_string(std::random_device{}() % 1000000000u);
}

/// CPU time spent during a phase: by the whole machine (every process, from /proc/stat) and by
/// this process (getrusage), so that a run can say whether it was CPU-bound and whose CPU it was.
struct CpuMeter {
  double machine0 = machine_busy_s(), self0 = self_s();
  double machine() const { return machine_busy_s() - machine0; }
  double self() const { return self_s() - self0; }

  /// Seconds of CPU all cores spent outside idle and iowait since boot.
  static double machine_busy_s() {
    std::ifstream in("/proc/stat");
    std::string cpu;
    double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
    return (user + nice + system + irq + softirq + steal) /
           static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  static double self_s() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return s(u.ru_utime) + s(u.ru_stime);
  }
};

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

/// parse_worker_config(props) after adding BENCH_WORKER_PROPS="k=v,k=v" (e.g.
/// producer.linger.ms=0) to them.
inline WorkerConfig bench_worker_config(ConfigMap props) {
  if (const char* extra = std::getenv("BENCH_WORKER_PROPS"))
    for (const auto& kv : split_list(extra)) {
      const auto eq = kv.find('=');
      if (eq != std::string::npos) props[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  return parse_worker_config(props);
}

/// The built-in converters and every plugin of the build.
inline void load_bench_plugins(PluginRegistry& reg) {
  register_builtin_converters(reg);
  // BENCH_PLUGIN_DIR: another build's plugins, for an A/B of two builds in one sitting.
  const char* dir = std::getenv("BENCH_PLUGIN_DIR");
  load_plugins({dir != nullptr ? dir : TRIBUTARY_PLUGIN_DIR}, reg);
}

/// A task context with no committed offsets (and the SDK's discarding gauges).
struct BenchTaskContext : SourceTaskContext {
  std::string name = "bench";
  const std::string& connector_name() const override { return name; }
  int task_id() const override { return 0; }
  std::optional<OffsetMap> committed_offset(const OffsetMap&) const override { return {}; }
};

/// librdkafka alone, with the task's producer settings (thread priority included), producing
/// `count` events to `topic`, cycling through keys/values; seconds from the first produce to
/// the last acknowledgement (a warm-up message first connects and fetches metadata).
inline double produce_raw(const WorkerConfig& wc, const std::string& topic, std::size_t count,
                          const std::vector<std::string>& keys,
                          const std::vector<std::string>& values) {
  auto fail = [](const char* what, rd_kafka_resp_err_t e) {
    std::fprintf(stderr, "%s: %s\n", what, rd_kafka_err2str(e));
    std::exit(1);
  };
  kafka::Producer p(
      wc.producer_props({}),
      [&](const rd_kafka_message_t& msg) {
        if (msg.err != RD_KAFKA_RESP_ERR_NO_ERROR) fail("delivery failed", msg.err);
      },
      wc.producer_io_thread_nice);
  p.produce(topic, RD_KAFKA_PARTITION_UA, "w", 1, "w", 1, 0, {}, nullptr);
  p.flush(std::chrono::seconds(30));
  const auto t0 = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t k = i % values.size();
    for (;;) {
      const auto e = p.produce(topic, RD_KAFKA_PARTITION_UA, keys[k].data(), keys[k].size(),
                               values[k].data(), values[k].size(), 0, {}, nullptr);
      if (e == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) fail("produce failed", e);
      p.poll(10);
    }
    p.poll(0);
  }
  p.flush(std::chrono::minutes(5));
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace tributary::bench
