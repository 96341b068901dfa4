// CPU cost per record of each transform, and of the seed's three-transform chain, on a Debezium
// envelope of a 10-column row (the PostgreSQL connector's shape: before, after, a 15-field source
// block, transaction, op, ts_ms). Each iteration transforms a batch of 1024 freshly built records
// (built outside the timed part, each holding its only reference, as records from poll() do) and
// reports ns/record. Google Benchmark; the figures go in the issue notes.
//
//   build/tests/bench/bench_transforms [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <chrono>

#include "plugins/registry.h"
#include "transforms.h"
#include "worker/transform_chain.h"

using namespace tributary;

namespace {

constexpr int kBatch = 1024;

struct Shapes {
  SchemaPtr row, source, tx, envelope, key;
  Shapes() {
    row = SchemaBuilder::struct_()
              .name("dbserver1.public.orders.Value")
              .optional()
              .field("id", schemas::int32())
              .field("customer", schemas::string(true))
              .field("email", schemas::string(true))
              .field("status", schemas::string(true))
              .field("amount", schemas::float64(true))
              .field("quantity", schemas::int32(true))
              .field("created_at", schemas::int64(true))
              .field("paid", schemas::boolean(true))
              .field("note", schemas::string(true))
              .field("score", schemas::float32(true))
              .build();
    SchemaBuilder s = SchemaBuilder::struct_().name("io.debezium.connector.postgresql.Source");
    for (const char* f : {"version", "connector", "name"}) s.field(f, schemas::string());
    s.field("ts_ms", schemas::int64());
    s.field("snapshot", schemas::string(true));
    s.field("db", schemas::string());
    s.field("sequence", schemas::string(true));
    s.field("ts_us", schemas::int64(true));
    s.field("ts_ns", schemas::int64(true));
    s.field("schema", schemas::string());
    s.field("table", schemas::string());
    s.field("txId", schemas::int64(true));
    s.field("lsn", schemas::int64(true));
    s.field("xmin", schemas::int64(true));
    source = s.build();
    tx = SchemaBuilder::struct_()
             .name("event.block")
             .optional()
             .field("id", schemas::string())
             .field("total_order", schemas::int64())
             .field("data_collection_order", schemas::int64())
             .build();
    envelope = SchemaBuilder::struct_()
                   .name("dbserver1.public.orders.Envelope")
                   .version(2)
                   .field("before", row)
                   .field("after", row)
                   .field("source", source)
                   .field("transaction", tx)
                   .field("op", schemas::string())
                   .field("ts_ms", schemas::int64(true))
                   .build();
    key = SchemaBuilder::struct_()
              .name("dbserver1.public.orders.Key")
              .field("id", schemas::int32())
              .build();
  }
};

const Shapes& shapes() {
  static const Shapes s;
  return s;
}

SourceRecord make_record(int i, const char* op, const char* status) {
  const Shapes& s = shapes();
  SourceRecord r;
  r.topic = "dbserver1.public.orders";
  r.key_schema = s.key;
  Struct key(s.key);
  key.put("id", std::int32_t{i});
  r.key = std::move(key).build();
  Struct row(s.row);
  row.put("id", std::int32_t{i})
      .put("customer", "Customer number " + std::to_string(i))
      .put("email", "customer" + std::to_string(i) + "@example.com")
      .put("status", status)
      .put("amount", 12.5 + i)
      .put("quantity", std::int32_t{3})
      .put("created_at", std::int64_t{1700000000000000})
      .put("paid", true)
      .put("note", "a note of moderate length")
      .put("score", 4.5F);
  Struct src(s.source);
  src.put("version", "2.7.4.Final")
      .put("connector", "postgresql")
      .put("name", "dbserver1")
      .put("ts_ms", std::int64_t{1700000000000})
      .put("snapshot", "false")
      .put("db", "inventory")
      .put("sequence", "[\"100\",\"200\"]")
      .put("schema", "public")
      .put("table", "orders")
      .put("txId", std::int64_t{571})
      .put("lsn", std::int64_t{123456});
  Struct env(s.envelope);
  env.put("before", Value())
      .put("after", std::move(row).build())
      .put("source", std::move(src).build())
      .put("op", op)
      .put("ts_ms", std::int64_t{1700000000123});
  r.value_schema = s.envelope;
  r.value = std::move(env).build();
  return r;
}

PluginRegistry& registry() {
  static PluginRegistry* reg = [] {
    auto* r = new PluginRegistry;
    transforms::register_transforms(*r);
    return r;
  }();
  return *reg;
}

// Applies `chain` (built from `config`) to batches of records from `make`.
template <class Make>
void run(benchmark::State& state, const ConfigMap& config, Make make) {
  TransformChain chain(config, registry());
  std::vector<SourceRecord> batch;
  std::int64_t kept = 0, n = 0;
  for (auto _ : state) {
    batch.clear();
    for (int i = 0; i < kBatch; ++i) batch.push_back(make(i));
    const auto t0 = std::chrono::steady_clock::now();
    for (auto& r : batch) kept += chain.apply(r) ? 1 : 0;
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    n += kBatch;
    benchmark::DoNotOptimize(batch.data());
  }
  state.SetItemsProcessed(n);
  state.counters["ns_per_record"] = benchmark::Counter(
      static_cast<double>(n), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["kept"] = static_cast<double>(kept) / static_cast<double>(n);
}

SourceRecord update(int i) {
  return make_record(i, "u", i % 4 == 0 ? "cancelled" : "paid");
}

void BM_None(benchmark::State& state) {
  run(state, {}, update);
}

void BM_RegexRouter(benchmark::State& state) {
  run(state,
      {{"transforms", "route"},
       {"transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter"},
       {"transforms.route.regex", "dbserver1.public.(.*)"},
       {"transforms.route.replacement", "cdc.$1"}},
      update);
}

void BM_InsertFieldTimestamp(benchmark::State& state) {
  run(state,
      {{"transforms", "ts"},
       {"transforms.ts.type", "org.apache.kafka.connect.transforms.InsertField$Value"},
       {"transforms.ts.timestamp.field", "cdc_ingested_at"}},
      update);
}

void BM_ExtractNewRecordStateSeed(benchmark::State& state) {
  run(state,
      {{"transforms", "unwrap"},
       {"transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState"},
       {"transforms.unwrap.drop.tombstones", "false"},
       {"transforms.unwrap.delete.handling.mode", "rewrite"},
       {"transforms.unwrap.add.fields", "op,source.ts_ms"}},
      update);
}

void BM_ExtractNewRecordStatePlain(benchmark::State& state) {
  run(state,
      {{"transforms", "unwrap"},
       {"transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState"}},
      update);
}

// Kafka's Cast and TimestampConverter on the envelope's own fields (they work at the top level).
void BM_CastToString(benchmark::State& state) {
  run(state,
      {{"transforms", "cast"},
       {"transforms.cast.type", "org.apache.kafka.connect.transforms.Cast$Value"},
       {"transforms.cast.spec", "ts_ms:string"}},
      update);
}

void BM_TimestampConverterToString(benchmark::State& state) {
  run(state,
      {{"transforms", "tc"},
       {"transforms.tc.type", "org.apache.kafka.connect.transforms.TimestampConverter$Value"},
       {"transforms.tc.field", "ts_ms"},
       {"transforms.tc.target.type", "string"},
       {"transforms.tc.format", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"}},
      update);
}

void BM_FilterSeedCondition(benchmark::State& state) {
  run(state,
      {{"transforms", "filter"},
       {"transforms.filter.type", "io.debezium.transforms.Filter"},
       {"transforms.filter.language", "jsr223.groovy"},
       {"transforms.filter.condition", "value.op == 'u' && value.after.status == 'cancelled'"}},
      update);
}

void BM_SeedChain(benchmark::State& state) {
  run(state,
      {{"transforms", "route,unwrap,ts"},
       {"transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter"},
       {"transforms.route.regex", "dbserver1.public.(.*)"},
       {"transforms.route.replacement", "cdc.$1"},
       {"transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState"},
       {"transforms.unwrap.drop.tombstones", "false"},
       {"transforms.unwrap.delete.handling.mode", "rewrite"},
       {"transforms.unwrap.add.fields", "op,source.ts_ms"},
       {"transforms.ts.type", "org.apache.kafka.connect.transforms.InsertField$Value"},
       {"transforms.ts.timestamp.field", "cdc_processed_at"}},
      update);
}

void BM_EventRouter(benchmark::State& state) {
  static const SchemaPtr row = SchemaBuilder::struct_()
                                   .name("dbserver1.public.outbox.Value")
                                   .optional()
                                   .field("id", schemas::string())
                                   .field("aggregatetype", schemas::string())
                                   .field("aggregateid", schemas::string())
                                   .field("type", schemas::string())
                                   .field("payload", schemas::string())
                                   .build();
  static const SchemaPtr env = SchemaBuilder::struct_()
                                   .name("dbserver1.public.outbox.Envelope")
                                   .field("before", row)
                                   .field("after", row)
                                   .field("op", schemas::string())
                                   .field("ts_ms", schemas::int64(true))
                                   .build();
  run(state,
      {{"transforms", "outbox"},
       {"transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter"},
       {"transforms.outbox.route.topic.replacement", "${routedByValue}.events"}},
      [](int i) {
        Struct r(row);
        r.put("id", "5f1c0c0a-0000-4000-8000-" + std::to_string(100000000000 + i))
            .put("aggregatetype", "order")
            .put("aggregateid", std::to_string(i))
            .put("type", "OrderCreated")
            .put("payload", "{\"customer_id\":7,\"amount\":10.5}");
        Struct e(env);
        e.put("after", std::move(r).build()).put("op", "c").put("ts_ms", std::int64_t{1});
        SourceRecord rec;
        rec.topic = "dbserver1.public.outbox";
        rec.value_schema = env;
        rec.value = std::move(e).build();
        return rec;
      });
}

}  // namespace

BENCHMARK(BM_None)->UseManualTime();
BENCHMARK(BM_RegexRouter)->UseManualTime();
BENCHMARK(BM_InsertFieldTimestamp)->UseManualTime();
BENCHMARK(BM_ExtractNewRecordStatePlain)->UseManualTime();
BENCHMARK(BM_ExtractNewRecordStateSeed)->UseManualTime();
BENCHMARK(BM_FilterSeedCondition)->UseManualTime();
BENCHMARK(BM_CastToString)->UseManualTime();
BENCHMARK(BM_TimestampConverterToString)->UseManualTime();
BENCHMARK(BM_EventRouter)->UseManualTime();
BENCHMARK(BM_SeedChain)->UseManualTime();
BENCHMARK_MAIN();
