// Pipeline benchmark: generator -> JsonConverter (schemas on) -> Kafka on loopback through the
// real TaskRunner, beside librdkafka alone producing the same serialized bytes with the same
// producer settings, in the same run and against the same broker. Prints events/s, MB/s and the
// ratio (goal >= 0.8).
//
// The broker shares this machine's cores and its throughput drifts run to run, so the two are
// interleaved REPS times (raw, pipeline, raw, pipeline, ...); the headline is the median of the
// per-rep ratios. Each rep also prints the CPU both sides spent per event (this process, and the
// broker's when BENCH_BROKER_PID names it).
//
//   bench_pipeline BOOTSTRAP [ROWS=500000] [FIELDS=5] [REPS=3]
// Environment: BENCH_WORKER_PROPS="k=v,..." adds worker keys to both runs;
//              BENCH_ONLY=raw|pipeline runs one side (for profiling).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <thread>

#include "bench_common.h"
#include "worker/task_runner.h"

using namespace tributary;
using bench::median;
using bench::unique;
using Clock = std::chrono::steady_clock;

namespace {

struct Result {
  double seconds;
  std::uint64_t bytes;
  double cpu = 0;         // this process's user+sys seconds during the run
  double broker_cpu = 0;  // the broker's, when BENCH_BROKER_PID names it
};

double self_cpu() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// utime+stime of the process named by BENCH_BROKER_PID, from /proc; 0 when unset.
double broker_cpu() {
  const char* pid = std::getenv("BENCH_BROKER_PID");
  if (pid == nullptr || *pid == 0) return 0;
  std::FILE* f = std::fopen((std::string("/proc/") + pid + "/stat").c_str(), "r");
  if (f == nullptr) return 0;
  char buf[2048];
  size_t n = std::fread(buf, 1, sizeof(buf) - 1, f);
  std::fclose(f);
  buf[n] = 0;
  // Fields after the ")" closing the command name: state is field 3, utime 14, stime 15.
  const char* p = std::strrchr(buf, ')');
  if (p == nullptr) return 0;
  unsigned long long ut = 0, st = 0;
  if (std::sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
    return 0;
  return static_cast<double>(ut + st) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Runs fn and fills in the CPU both sides spent on it.
template <typename F>
Result measured(F&& fn) {
  double c0 = self_cpu(), b0 = broker_cpu();
  Result r = fn();
  r.cpu = self_cpu() - c0;
  r.broker_cpu = broker_cpu() - b0;
  return r;
}

// Serializes exactly what the pipeline sends, by running the generator's task and the converters.
void serialize_rows(const PluginRegistry& reg, const WorkerConfig& wc, const std::string& topic,
                    std::int64_t rows, int fields, std::vector<std::string>& keys,
                    std::vector<std::string>& values) {
  bench::BenchTaskContext ctx;
  const auto* plugin = reg.find("GeneratorSource", PluginType::Source);
  auto conn = plugin->make_source();
  auto task = conn->create_task();
  task->start({{"topic", topic},
               {"count", std::to_string(rows)},
               {"fields", std::to_string(fields)},
               {"batch.size", "2048"}},
              ctx);
  auto kc = reg.find("org.apache.kafka.connect.json.JsonConverter")->make_converter();
  auto vc = reg.find("org.apache.kafka.connect.json.JsonConverter")->make_converter();
  kc->configure(with_prefix_stripped(wc.props, "key.converter."), true);
  vc->configure(with_prefix_stripped(wc.props, "value.converter."), false);
  std::vector<SourceRecord> batch;
  std::string buf;
  while (static_cast<std::int64_t>(values.size()) < rows) {
    batch.clear();
    task->poll(batch);
    for (auto& r : batch) {
      kc->from_connect(topic, r.key_schema, r.key, buf);
      keys.push_back(buf);
      vc->from_connect(topic, r.value_schema, r.value, buf);
      values.push_back(buf);
    }
  }
}

Result raw_librdkafka(const WorkerConfig& wc, const std::string& topic,
                      const std::vector<std::string>& keys,
                      const std::vector<std::string>& values) {
  std::uint64_t bytes = 0;
  for (size_t i = 0; i < values.size(); ++i) bytes += keys[i].size() + values[i].size();
  return {bench::produce_raw(wc, topic, values.size(), keys, values), bytes};
}

Result pipeline(const PluginRegistry& reg, const WorkerConfig& wc, const std::string& topic,
                std::int64_t rows, int fields, std::uint64_t bytes) {
  auto store = make_file_offset_store(wc.offset_file);
  store->start();
  Metrics metrics;
  TaskEnvironment env{wc, reg, *store, metrics};
  // A connector name of its own per run: the generator resumes after a committed offset.
  std::string name = unique("bench");
  ConfigMap cfg{{"name", name},
                {"connector.class", "GeneratorSource"},
                {"topic", topic},
                {"count", std::to_string(rows)},
                {"fields", std::to_string(fields)},
                {"batch.size", "2048"},
                {"task.id", "0"}};
  // Same warm-up as the raw run: the topic exists and the broker is connected.
  {
    kafka::Producer w(wc.producer_props({}), nullptr);
    w.produce(topic, RD_KAFKA_PARTITION_UA, "w", 1, "w", 1, 0, {}, nullptr);
    w.flush(std::chrono::seconds(30));
  }
  TaskRunner r(env, name, 0, *reg.find("GeneratorSource", PluginType::Source), cfg, cfg, false);
  auto t0 = Clock::now();
  r.start();
  for (;;) {
    if (r.records_written() >= static_cast<std::uint64_t>(rows)) break;
    if (Clock::now() - t0 > std::chrono::seconds(120)) {
      std::fprintf(stderr, "pipeline stalled: %llu of %lld records written\n%s\n",
                   static_cast<unsigned long long>(r.records_written()),
                   static_cast<long long>(rows), metrics.serialize().c_str());
      std::exit(1);
    }
    if (r.status().state == RunState::Failed) {
      std::fprintf(stderr, "pipeline task failed: %s\n", r.status().trace.c_str());
      std::exit(1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  r.request_stop();
  r.wait_stopped(std::chrono::seconds(10));
  return {secs, bytes};
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_pipeline BOOTSTRAP [ROWS=500000] [FIELDS=5]\n");
    return 2;
  }
  std::string bootstrap = argv[1];
  std::int64_t rows = argc > 2 ? std::stoll(argv[2]) : 500000;
  int fields = argc > 3 ? std::stoi(argv[3]) : 5;
  auto dir = std::filesystem::temp_directory_path() / unique("tributary-bench");
  std::filesystem::create_directories(dir);
  ConfigMap worker_props{{"bootstrap.servers", bootstrap},
                         {"offset.storage.file.filename", (dir / "offsets").string()},
                         {"offset.flush.interval.ms", "60000"},
                         {"key.converter.schemas.enable", "true"},
                         {"value.converter.schemas.enable", "true"}};
  // BENCH_WORKER_PROPS="k=v,k=v" adds worker keys to both runs (e.g. producer.linger.ms=20).
  WorkerConfig wc = bench::bench_worker_config(worker_props);
  PluginRegistry reg;
  bench::load_bench_plugins(reg);
  if (reg.find("GeneratorSource", PluginType::Source) == nullptr) {
    std::fprintf(stderr, "generator plugin not found in %s\n", TRIBUTARY_PLUGIN_DIR);
    return 1;
  }

  std::vector<std::string> keys, values;
  keys.reserve(static_cast<size_t>(rows));
  values.reserve(static_cast<size_t>(rows));
  auto s0 = Clock::now();
  serialize_rows(reg, wc, "bench", rows, fields, keys, values);
  double ser = std::chrono::duration<double>(Clock::now() - s0).count();

  int reps = argc > 4 ? std::stoi(argv[4]) : 3;
  std::vector<double> raw_s, tri_s, ratios;
  std::uint64_t bytes = 0;
  for (int i = 0; i < reps; ++i) {
    // Each run's topic is deleted right after it, so the broker drops its pages instead of
    // writing gigabytes back to disk under the next run.
    std::string raw_topic = unique("bench-raw"), pipe_topic = unique("bench-pipe");
    // BENCH_ONLY=raw or BENCH_ONLY=pipeline runs one side only (for profiling).
    std::string only = std::getenv("BENCH_ONLY") ? std::getenv("BENCH_ONLY") : "";
    Result raw{1, 0}, tri{1, 0};
    if (only != "pipeline") {
      raw = measured([&] { return raw_librdkafka(wc, raw_topic, keys, values); });
      kafka::delete_topics(wc.client_props(), {raw_topic}, std::chrono::seconds(30));
      bytes = raw.bytes;
    }
    if (only != "raw") {
      tri = measured([&] { return pipeline(reg, wc, pipe_topic, rows, fields, bytes); });
      kafka::delete_topics(wc.client_props(), {pipe_topic}, std::chrono::seconds(30));
    }
    raw_s.push_back(raw.seconds);
    tri_s.push_back(tri.seconds);
    ratios.push_back(raw.seconds / tri.seconds);
    auto us = [&](double cpu) { return cpu * 1e6 / static_cast<double>(rows); };
    std::printf(
        "rep %d: librdkafka %.0f events/s, pipeline %.0f events/s, ratio %.2f"
        " | CPU us/event: raw %.2f (+broker %.2f), pipeline %.2f (+broker %.2f)\n",
        i + 1, static_cast<double>(rows) / raw.seconds, static_cast<double>(rows) / tri.seconds,
        raw.seconds / tri.seconds, us(raw.cpu), us(raw.broker_cpu), us(tri.cpu),
        us(tri.broker_cpu));
  }
  double raw_m = median(raw_s), tri_m = median(tri_s);
  double mb = static_cast<double>(bytes) / 1e6;
  std::printf("rows=%lld fields=%d avg_record_bytes=%.0f reps=%d\n", static_cast<long long>(rows),
              fields, static_cast<double>(bytes) / static_cast<double>(rows), reps);
  std::printf("generate+serialize only  : %10.0f events/s (one thread, no Kafka)\n",
              static_cast<double>(rows) / ser);
  std::printf("librdkafka alone (median): %10.0f events/s %8.1f MB/s\n",
              static_cast<double>(rows) / raw_m, mb / raw_m);
  std::printf("tributary pipeline (med.): %10.0f events/s %8.1f MB/s\n",
              static_cast<double>(rows) / tri_m, mb / tri_m);
  // Each rep runs the two back to back, so a rep's ratio sees the same broker state; the median
  // of those paired ratios is steadier than the ratio of the two medians under drift.
  std::printf("ratio of medians         : %.2f\n", raw_m / tri_m);
  std::printf("ratio pipeline/librdkafka: %.2f (median of paired reps; goal >= 0.80)\n",
              median(ratios));
  std::filesystem::remove_all(dir);
  return 0;
}
