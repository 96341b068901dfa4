// CPU cost per record of the task thread's own work, without Kafka: the generator's poll(), the
// JsonConverter (schemas on, and off) for key and value, the Avro binary of key and value
// (AvroEncoder: the body AvroConverter will write after its 5-byte header; hand-written, and
// through libavro's generic values for comparison), and poll + JSON
// together, as the pipeline runs them (buffers reused, records dropped after conversion). The
// bytes_per_record counter compares the sizes. Google Benchmark; figures go in the notes.
//
//   build/tests/bench/bench_convert [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include "bench_common.h"
#include "converters/avro_data.h"

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

template <bool kSchemas>
void BM_JsonKeyValue(benchmark::State& state) {
  Fixture f(static_cast<int>(state.range(0)));
  if (!kSchemas) {
    f.key->configure({{"schemas.enable", "false"}}, true);
    f.value->configure({{"schemas.enable", "false"}}, false);
  }
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
  state.counters["bytes_per_record"] = static_cast<double>(bytes) / static_cast<double>(n);
}

template <bool kLibavro>
void BM_AvroKeyValue(benchmark::State& state) {
  Fixture f(static_cast<int>(state.range(0)));
  std::vector<SourceRecord> batch;
  f.task->poll(batch);
  // The generator gives every record of a topic the same schemas: one encoder each.
  avro::AvroEncoder key(batch.front().key_schema), value(batch.front().value_schema);
  std::string kb, vb;
  std::int64_t n = 0, bytes = 0;
  for (auto _ : state) {
    for (auto& r : batch) {
      kb.clear();
      vb.clear();
      if constexpr (kLibavro) {
        key.encode_with_libavro(r.key, kb);
        value.encode_with_libavro(r.value, vb);
      } else {
        key.encode(r.key, kb);
        value.encode(r.value, vb);
      }
      bytes += static_cast<std::int64_t>(kb.size() + vb.size() + 10);  // + the 2 wire headers
    }
    n += static_cast<std::int64_t>(batch.size());
  }
  state.SetItemsProcessed(n);
  state.SetBytesProcessed(bytes);
  state.counters["bytes_per_record"] = static_cast<double>(bytes) / static_cast<double>(n);
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
BENCHMARK(BM_JsonKeyValue<true>)->Name("BM_JsonConverterKeyValue")->Arg(5)->Arg(30);
BENCHMARK(BM_JsonKeyValue<false>)->Name("BM_JsonConverterSchemasOff")->Arg(5)->Arg(30);
// The hand-written writer (AvroEncoder::encode) and libavro's generic values, the reason for it.
BENCHMARK(BM_AvroKeyValue<false>)->Name("BM_AvroEncoderKeyValue")->Arg(5)->Arg(30);
BENCHMARK(BM_AvroKeyValue<true>)->Name("BM_AvroLibavroKeyValue")->Arg(5)->Arg(30);
BENCHMARK(BM_GeneratePlusConvert)->Arg(5)->Arg(30);

}  // namespace

BENCHMARK_MAIN();
