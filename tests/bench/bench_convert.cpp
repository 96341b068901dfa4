// CPU cost per record of the task thread's own work, without Kafka: the generator's poll(), the
// JsonConverter (schemas on, and off) for key and value, the Avro binary of key and value
// (AvroEncoder: the body AvroConverter writes after its 5-byte header; hand-written, and
// through libavro's generic values for comparison), and poll + JSON
// together, as the pipeline runs them (buffers reused, records dropped after conversion). The
// bytes_per_record counter compares the sizes.
//
// BM_PgEnvelope*: the same comparison on the PostgreSQL connector's own change events. The
// connector's TableSchema (tributary_postgres_core) builds the key and the Debezium envelope of
// an insert (op "c", after, the PostgreSQL source block, ts_ms/ts_us/ts_ns, no transaction
// block) from the text pgoutput sends, for bench_postgres's table: id bigint primary key plus
// COLS-1 columns cycling integer, text, timestamptz, numeric(12,2), boolean, double precision
// (5 narrow, 30 wide), 1024 distinct rows. Each iteration converts the key and the value of one
// record, so the Time column is ns/record: JsonConverter with schemas on (...SchemasOn), off
// (...SchemasOff), and AvroConverter's steady-state path (...Avro: the 5-byte header plus
// AvroEncoder::encode for key and value, which is all AvroConverter::from_connect does once the
// schema id is cached; no registry needed). Counters: bytes_per_record (key + value, headers
// included) and value_bytes_per_record. JsonConverter with schemas on copies its cached schema
// text (2.5 KB narrow, 6 KB wide) into every value: glibc's memcpy does that with rep movsb,
// which is much slower on some pairs of buffer addresses (4K aliasing), so its repetitions are
// bimodal (about 750 or 1500 ns/record narrow, the buffers' addresses decide);
// GLIBC_TUNABLES=glibc.cpu.x86_rep_movsb_threshold=1000000 gives the fast mode every time.
//
// Google Benchmark; figures go in the notes.
//
//   build/tests/bench/bench_convert [--benchmark_filter=...]
//   build/tests/bench/bench_convert --benchmark_filter=BM_PgEnvelope
#include <benchmark/benchmark.h>

#include <charconv>
#include <ctime>

#include "bench_common.h"
#include "converters/avro_data.h"
#include "pg_schema.h"

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

// bench_postgres's table as the connector sees it: the TableSchema it builds from the catalog,
// and kBatch insert events with their keys.
struct PgEvents {
  static constexpr int kBatch = 1024;
  std::unique_ptr<pg::TableSchema> table;
  std::vector<SourceRecord> records;

  explicit PgEvents(int cols) {
    pg::TypeCatalog types;
    auto add = [&](std::uint32_t oid, const char* name) {
      pg::PgTypeInfo t;
      t.oid = oid;
      t.name = name;
      types.add(t);
    };
    add(20, "int8");
    add(23, "int4");
    add(25, "text");
    add(1184, "timestamptz");
    add(1700, "numeric");
    add(16, "bool");
    add(701, "float8");
    // The column types of bench_postgres's table_ddl(): numeric(12,2) is typmod (12 << 16 | 2) + 4.
    static const std::pair<std::uint32_t, std::int32_t> kTypes[] = {
        {23, -1}, {25, -1}, {1184, -1}, {1700, (12 << 16 | 2) + 4}, {16, -1}, {701, -1}};
    pg::TableDef def;
    def.oid = 16384;
    def.schema = "public";
    def.table = "t";
    def.columns.push_back({"id", 20, -1, false, std::nullopt});
    for (int i = 1; i < cols; ++i) {
      const auto& [oid, typmod] = kTypes[(i - 1) % 6];
      def.columns.push_back({"c" + std::to_string(i), oid, typmod, false, std::nullopt});
    }
    def.key_columns = {"id"};
    table = std::make_unique<pg::TableSchema>(std::move(def), types, pg::ValueModes{},
                                              cdc::TableFilters(ConfigMap{}, "schema"), "bench");
    // Row g as PostgreSQL's text output gives bench_postgres's row_select() (the connector's
    // session: datestyle ISO, timezone UTC, extra_float_digits 1).
    std::vector<std::string> text(static_cast<size_t>(cols));
    std::vector<pg::Cell> cells(static_cast<size_t>(cols));
    for (std::int64_t g = 1; g <= kBatch; ++g) {
      const std::int64_t id = 100000 + g * 97;  // spread over bench_postgres's id range
      text[0] = std::to_string(id);
      for (int i = 1; i < cols; ++i) {
        std::string& t = text[static_cast<size_t>(i)];
        switch ((i - 1) % 6) {
          case 0: t = std::to_string(id % 100000); break;
          case 1: t = "value of row " + std::to_string(id); break;
          case 2: {
            const std::time_t at = 1704067200 + id;
            std::tm tm{};
            gmtime_r(&at, &tm);
            char buf[32];
            std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S+00", &tm);
            t = buf;
            break;
          }
          case 3: {
            const std::int64_t cents = id % 1000000;
            char buf[32];
            std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(cents / 100),
                          static_cast<long long>(cents % 100));
            t = buf;
            break;
          }
          case 4: t = id % 2 == 0 ? "t" : "f"; break;
          default: {
            char buf[32];
            t.assign(buf, std::to_chars(buf, buf + sizeof buf, static_cast<double>(id) / 7.0).ptr);
          }
        }
      }
      for (int i = 0; i < cols; ++i)
        cells[static_cast<size_t>(i)] = {pg::Cell::Kind::Text, text[static_cast<size_t>(i)]};
      Value after = table->row(cells);
      pg::SourceInfo si;
      si.version = "2.7.4.Final";
      si.server = "bench";
      si.db = "tributary_bench";
      si.ts_us = 1718000000000000 + g * 1000;
      si.last_commit_lsn = 0x1A2B3C4D00 + static_cast<std::uint64_t>(g) * 256;
      si.lsn = si.last_commit_lsn.value() + 128;
      si.tx_id = 750 + g / 1000;
      SourceRecord r;
      r.topic = table->topic();
      r.key_schema = table->key_schema();
      r.key = table->key(after);
      r.value_schema = table->envelope_schema();
      r.value = table->envelope(Value(), std::move(after), table->source(si), 'c',
                                (1718000000000000 + g * 1000 + 150) * 1000);
      records.push_back(std::move(r));
    }
  }
};

void set_size_counters(benchmark::State& state, std::int64_t n, std::int64_t key_bytes,
                       std::int64_t value_bytes) {
  state.SetItemsProcessed(n);
  state.SetBytesProcessed(key_bytes + value_bytes);
  state.counters["bytes_per_record"] =
      static_cast<double>(key_bytes + value_bytes) / static_cast<double>(n);
  state.counters["value_bytes_per_record"] =
      static_cast<double>(value_bytes) / static_cast<double>(n);
}

template <bool kSchemas>
void BM_PgEnvelopeJson(benchmark::State& state) {
  PgEvents ev(static_cast<int>(state.range(0)));
  PluginRegistry reg;
  register_builtin_converters(reg);
  const auto* json = reg.find("org.apache.kafka.connect.json.JsonConverter");
  auto key = json->make_converter(), value = json->make_converter();
  const std::string schemas = kSchemas ? "true" : "false";
  key->configure({{"schemas.enable", schemas}}, true);
  value->configure({{"schemas.enable", schemas}}, false);
  std::string kb, vb;
  std::int64_t n = 0, key_bytes = 0, value_bytes = 0;
  size_t i = 0;
  for (auto _ : state) {
    const SourceRecord& r = ev.records[i];
    i = (i + 1) % ev.records.size();
    key->from_connect(r.topic, r.key_schema, r.key, kb);
    value->from_connect(r.topic, r.value_schema, r.value, vb);
    key_bytes += static_cast<std::int64_t>(kb.size());
    value_bytes += static_cast<std::int64_t>(vb.size());
    ++n;
  }
  set_size_counters(state, n, key_bytes, value_bytes);
}

// What AvroConverter::from_connect does per record once (topic, schema) is cached with its id:
// clear, the magic byte and the 4-byte schema id, then the encoder's Avro binary.
void avro_wire(avro::AvroEncoder& encoder, std::uint32_t id, const Value& v, std::string& out) {
  out.clear();
  out.push_back('\0');
  out.push_back(static_cast<char>(id >> 24));
  out.push_back(static_cast<char>(id >> 16));
  out.push_back(static_cast<char>(id >> 8));
  out.push_back(static_cast<char>(id));
  encoder.encode(v, out);
}

void BM_PgEnvelopeAvro(benchmark::State& state) {
  PgEvents ev(static_cast<int>(state.range(0)));
  avro::AvroEncoder key(ev.table->key_schema()), value(ev.table->envelope_schema());
  std::string kb, vb;
  std::int64_t n = 0, key_bytes = 0, value_bytes = 0;
  size_t i = 0;
  for (auto _ : state) {
    const SourceRecord& r = ev.records[i];
    i = (i + 1) % ev.records.size();
    avro_wire(key, 1, r.key, kb);
    avro_wire(value, 2, r.value, vb);
    key_bytes += static_cast<std::int64_t>(kb.size());
    value_bytes += static_cast<std::int64_t>(vb.size());
    ++n;
  }
  set_size_counters(state, n, key_bytes, value_bytes);
}

BENCHMARK(BM_GeneratorPoll)->Arg(5)->Arg(30);
BENCHMARK(BM_JsonKeyValue<true>)->Name("BM_JsonConverterKeyValue")->Arg(5)->Arg(30);
BENCHMARK(BM_JsonKeyValue<false>)->Name("BM_JsonConverterSchemasOff")->Arg(5)->Arg(30);
// The hand-written writer (AvroEncoder::encode) and libavro's generic values, the reason for it.
BENCHMARK(BM_AvroKeyValue<false>)->Name("BM_AvroEncoderKeyValue")->Arg(5)->Arg(30);
BENCHMARK(BM_AvroKeyValue<true>)->Name("BM_AvroLibavroKeyValue")->Arg(5)->Arg(30);
BENCHMARK(BM_GeneratePlusConvert)->Arg(5)->Arg(30);
// The PostgreSQL connector's envelopes, one record per iteration (Time = ns/record).
BENCHMARK(BM_PgEnvelopeJson<true>)->Name("BM_PgEnvelopeJsonSchemasOn")->Arg(5)->Arg(30);
BENCHMARK(BM_PgEnvelopeJson<false>)->Name("BM_PgEnvelopeJsonSchemasOff")->Arg(5)->Arg(30);
BENCHMARK(BM_PgEnvelopeAvro)->Name("BM_PgEnvelopeAvro")->Arg(5)->Arg(30);

}  // namespace

BENCHMARK_MAIN();
