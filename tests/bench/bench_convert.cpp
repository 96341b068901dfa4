// CPU cost per record of the task thread's own work, without Kafka: the generator's poll(), the
// JsonConverter (schemas on) for key and value, and both together, as the pipeline runs them
// (buffers reused, records dropped after conversion). Google Benchmark; figures go in the notes.
//
//   build/tests/bench/bench_convert [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include "bench_common.h"

using namespace tributary;

namespace {

struct Fixture {
  PluginRegistry reg;
  bench::BenchTaskContext ctx;
  std::unique_ptr<SourceConnector> conn;
  std::shared_ptr<SourceTask> task;
  std::unique_ptr<Converter> key, value;

  explicit Fixture(int fields) {
    bench::load_bench_plugins(reg);
    conn = reg.find("GeneratorSource", PluginType::Source)->make_source();
    task = conn->create_task();
    task->start({{"topic", "dbserver1.inventory.customers"},
                 {"fields", std::to_string(fields)},
                 {"batch.size", "2048"}},
                ctx);
    const auto* json = reg.find("org.apache.kafka.connect.json.JsonConverter");
    key = json->make_converter();
    value = json->make_converter();
    key->configure({{"schemas.enable", "true"}}, true);
    value->configure({{"schemas.enable", "true"}}, false);
  }
};

void BM_GeneratorPoll(benchmark::State& state) {
  Fixture f(static_cast<int>(state.range(0)));
  std::vector<SourceRecord> batch;
  std::int64_t n = 0;
  for (auto _ : state) {
    batch.clear();
    f.task->poll(batch);
    n += static_cast<std::int64_t>(batch.size());
  }
  state.SetItemsProcessed(n);
}

void BM_JsonConverterKeyValue(benchmark::State& state) {
  Fixture f(static_cast<int>(state.range(0)));
  std::vector<SourceRecord> batch;
  f.task->poll(batch);
  std::string kb, vb;
  std::int64_t n = 0, bytes = 0;
  for (auto _ : state) {
    for (auto& r : batch) {
      f.key->from_connect(r.topic, r.key_schema, r.key, kb);
      f.value->from_connect(r.topic, r.value_schema, r.value, vb);
      bytes += static_cast<std::int64_t>(kb.size() + vb.size());
    }
    n += static_cast<std::int64_t>(batch.size());
  }
  state.SetItemsProcessed(n);
  state.SetBytesProcessed(bytes);
}

void BM_GeneratePlusConvert(benchmark::State& state) {
  Fixture f(static_cast<int>(state.range(0)));
  std::vector<SourceRecord> batch;
  std::string kb, vb;
  std::int64_t n = 0;
  for (auto _ : state) {
    batch.clear();
    f.task->poll(batch);
    for (auto& r : batch) {
      f.key->from_connect(r.topic, r.key_schema, r.key, kb);
      f.value->from_connect(r.topic, r.value_schema, r.value, vb);
      benchmark::DoNotOptimize(vb.data());
    }
    n += static_cast<std::int64_t>(batch.size());
  }
  state.SetItemsProcessed(n);
}

BENCHMARK(BM_GeneratorPoll)->Arg(5)->Arg(30);
BENCHMARK(BM_JsonConverterKeyValue)->Arg(5)->Arg(30);
BENCHMARK(BM_GeneratePlusConvert)->Arg(5)->Arg(30);

}  // namespace

BENCHMARK_MAIN();
