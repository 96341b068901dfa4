// PostgreSQL -> Kafka benchmark: the PostgreSQL connector in the real TaskRunner (pgoutput ->
// Debezium envelope -> JsonConverter or AvroConverter -> librdkafka -> broker), against the lower
// of two ceilings measured in the same run on the same WAL:
//   source: a raw libpq drain of a pgoutput slot that decodes nothing (streaming), or
//           COPY (SELECT * FROM t) TO STDOUT into a discard (snapshot);
//   sink:   librdkafka alone producing serialized events of the same sizes (the first 100k
//           events the connector itself serializes with the configured converters, cycled) with
//           the same producer settings.
// Each case also prints the serialized sizes (average key and value bytes per event, from those
// 100k events) and the bytes/s they make at each throughput, so that converters compare by size.
//
//   bench_postgres BOOTSTRAP PG_HOST:PORT MODE ROWS COLS SCHEMAS REPS
//     MODE     stream | snapshot | latency
//     ROWS     changes (stream: inserted in 1000-row transactions) or table rows (snapshot)
//     COLS     columns per row (5 narrow, 30 wide)
//     SCHEMAS  on | off: JsonConverter with {key,value}.converter.schemas.enable true | false;
//              avro: key.converter and value.converter io.confluent.connect.avro.AvroConverter
//              with {key,value}.converter.schema.registry.url from BENCH_REGISTRY (a Confluent
//              API registry, e.g. tests/env/registry.sh's http://127.0.0.1:PORT/apis/ccompat/v7;
//              subjects <topic>-key / <topic>-value, one topic per run)
//   latency: inserts 10 rows per transaction at a steady 10k rows/s for ROWS rows and reports
//   the p50/p99/max from each transaction's COMMIT returning to its rows being readable by a
//   consumer (an upper bound of commit -> Kafka ack).
//
// The server needs the superuser "postgres" trusted on loopback (tests/env/postgres.sh).
// Environment: BENCH_REGISTRY: the schema registry URL (SCHEMAS avro only);
//              BENCH_WORKER_PROPS="k=v,..." adds worker keys (e.g. producer.linger.ms=0);
//              BENCH_ONLY=capture stops after the connector-alone pass (for profilers);
//              BENCH_DRAIN_PAUSE_US (default 200) pauses the raw drain before each read: a
//              drain that reads every message at once makes the walsender send() each message
//              alone and caps it near 140k narrow changes/s, while with the pause it reaches
//              ~235k/s (the connector, busy converting, reads in bulk by itself);
//              BENCH_DRAIN_AFTER=1 drains a second slot after the pipeline (order effects);
//              BENCH_CHAIN=1 also runs the pipeline with the seed's Exercise 3 transform chain
//              (needs the transforms plugin) and reports its throughput against the plain one.
#include <libpq-fe.h>
#include <librdkafka/rdkafka.h>
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench_common.h"
#include "worker/task_runner.h"

using namespace tributary;
using bench::median;
using Clock = std::chrono::steady_clock;

namespace {

std::string g_host, g_port;
const char* kDb = "tributary_bench";

// Slot names take no '-'.
std::string unique(const std::string& p) {
  return bench::unique(p, '_');
}

double secs_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "bench_postgres: %s\n", what.c_str());
  std::exit(1);
}

PGconn* connect(const std::string& db, bool replication = false) {
  std::string info = "host=" + g_host + " port=" + g_port + " user=postgres dbname=" + db;
  // The connector's session settings, so that the server formats values the same way for both.
  info +=
      " options='-c datestyle=ISO -c intervalstyle=postgres -c timezone=UTC"
      " -c extra_float_digits=1'";
  if (replication) info += " replication=database";
  PGconn* c = PQconnectdb(info.c_str());
  if (PQstatus(c) != CONNECTION_OK) die(std::string("connect: ") + PQerrorMessage(c));
  return c;
}

void exec(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  const auto st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
    die("SQL failed: " + std::string(PQerrorMessage(c)) + " in: " + sql.substr(0, 200));
  PQclear(r);
}

// The benchmark table: id bigint primary key plus COLS-1 columns of common types.
std::string table_ddl(int cols) {
  static const char* types[] = {"integer",       "text",    "timestamptz",
                                "numeric(12,2)", "boolean", "double precision"};
  std::string ddl = "CREATE TABLE t (id bigint PRIMARY KEY";
  for (int i = 1; i < cols; ++i)
    ddl += ", c" + std::to_string(i) + " " + types[(i - 1) % 6] + " NOT NULL";
  return ddl + ")";
}

std::string row_select(int cols, const std::string& from, const std::string& to) {
  static const char* exprs[] = {"(g % 100000)::integer",
                                "'value of row ' || g",
                                "timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second'",
                                "(g % 1000000) / 100.0",
                                "g % 2 = 0",
                                "g / 7.0"};
  std::string s = "SELECT g";
  for (int i = 1; i < cols; ++i) s += std::string(", ") + exprs[(i - 1) % 6];
  return s + " FROM generate_series(" + from + ", " + to + ") g";
}

void setup_db(int cols) {
  PGconn* c = connect("postgres");
  PGresult* r =
      PQexec(c, ("SELECT 1 FROM pg_database WHERE datname = '" + std::string(kDb) + "'").c_str());
  const bool exists = PQntuples(r) > 0;
  PQclear(r);
  if (!exists) exec(c, std::string("CREATE DATABASE ") + kDb);
  PQfinish(c);
  c = connect(kDb);
  exec(c, "DROP TABLE IF EXISTS t");
  exec(c, table_ddl(cols));
  exec(c, "DROP PUBLICATION IF EXISTS bench_pub");
  exec(c, "CREATE PUBLICATION bench_pub FOR TABLE t");
  PQfinish(c);
}

void drop_slots() {
  PGconn* c = connect(kDb);
  exec(c,
       "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name "
       "LIKE 'bench%' AND NOT active");
  PQfinish(c);
}

void create_slot(const std::string& slot) {
  PGconn* c = connect(kDb);
  exec(c, "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
  PQfinish(c);
}

// ROWS rows in transactions of 1000 (ids from `first`).
void load(std::int64_t first, std::int64_t rows, int cols) {
  PGconn* c = connect(kDb);
  exec(c, "DO $$ BEGIN FOR b IN 0.." + std::to_string((rows + 999) / 1000 - 1) +
              " LOOP INSERT INTO t " +
              row_select(cols, std::to_string(first) + " + b * 1000",
                         "least(" + std::to_string(first) + " + b * 1000 + 999, " +
                             std::to_string(first + rows - 1) + ")") +
              "; COMMIT; END LOOP; END $$");
  exec(c, "CHECKPOINT");
  PQfinish(c);
}

// BENCH_DRAIN_PAUSE_US: the raw drain's pause before reading a socket that has data (default
// 200 us).
int drain_pause_us() {
  const char* v = std::getenv("BENCH_DRAIN_PAUSE_US");
  return v ? std::atoi(v) : 200;
}

// The source ceiling of streaming: START_REPLICATION on a pgoutput slot, counting Insert
// messages (the first byte of each XLogData payload) until ROWS arrived; nothing is decoded.
double raw_drain(const std::string& slot, std::int64_t rows) {
  PGconn* c = connect(kDb, true);
  auto t0 = Clock::now();
  PGresult* r = PQexec(c, ("START_REPLICATION SLOT " + slot +
                           " LOGICAL 0/0 (proto_version '1', publication_names 'bench_pub')")
                              .c_str());
  if (PQresultStatus(r) != PGRES_COPY_BOTH) die(std::string("raw drain: ") + PQerrorMessage(c));
  PQclear(r);
  // Non-blocking reads with poll(), as the connector reads: whatever the socket holds is taken
  // in one go.
  std::int64_t inserts = 0;
  while (inserts < rows) {
    char* buf = nullptr;
    const int n = PQgetCopyData(c, &buf, 1);
    if (n > 0) {
      if (n > 25 && buf[0] == 'w' && buf[25] == 'I') ++inserts;
      PQfreemem(buf);
      continue;
    }
    if (n < 0) die(std::string("raw drain ended: ") + PQerrorMessage(c));
    pollfd p{PQsocket(c), POLLIN, 0};
    if (::poll(&p, 1, 100) > 0) {
      // A reader that takes everything at once makes the walsender send() every message on its
      // own (it flushes whenever the socket is writable), which slows the server down; a short
      // pause lets it fill the socket buffer, as it does for a client that has work to do.
      std::this_thread::sleep_for(std::chrono::microseconds(drain_pause_us()));
      if (PQconsumeInput(c) == 0) die(std::string("raw drain: ") + PQerrorMessage(c));
    }
  }
  const double s = secs_since(t0);
  PQfinish(c);
  return s;
}

// The source ceiling of a snapshot: the table through COPY TO STDOUT into a discard.
double raw_copy(std::int64_t rows) {
  PGconn* c = connect(kDb);
  auto t0 = Clock::now();
  PGresult* r = PQexec(c, "COPY (SELECT * FROM t) TO STDOUT");
  if (PQresultStatus(r) != PGRES_COPY_OUT) die(std::string("COPY: ") + PQerrorMessage(c));
  PQclear(r);
  std::int64_t n_rows = 0;
  for (;;) {
    char* buf = nullptr;
    const int n = PQgetCopyData(c, &buf, 0);
    if (n == -1) break;
    if (n < 0) die(std::string("COPY failed: ") + PQerrorMessage(c));
    ++n_rows;
    PQfreemem(buf);
  }
  PQclear(PQgetResult(c));
  const double s = secs_since(t0);
  PQfinish(c);
  if (n_rows != rows) die("COPY returned " + std::to_string(n_rows) + " rows");
  return s;
}

ConfigMap connector_config(const std::string& name, const std::string& slot,
                           const std::string& mode) {
  return {{"name", name},
          {"connector.class", "io.debezium.connector.postgresql.PostgresConnector"},
          {"database.hostname", g_host},
          {"database.port", g_port},
          {"database.user", "postgres"},
          {"database.dbname", kDb},
          {"topic.prefix", name},
          {"slot.name", slot},
          {"publication.name", "bench_pub"},
          {"publication.autocreate.mode", "disabled"},
          {"snapshot.mode", mode},
          {"task.id", "0"}};
}

// The worker's {key,value}.converter class (JsonConverter unless set).
std::string converter_class(const WorkerConfig& wc, const std::string& role) {
  const auto it = wc.props.find(role + ".converter");
  return it == wc.props.end() ? "org.apache.kafka.connect.json.JsonConverter" : it->second;
}

// "JsonConverter" or "AvroConverter", for the output.
std::string converter_name(const WorkerConfig& wc) {
  const std::string c = converter_class(wc, "value");
  return c.substr(c.rfind('.') + 1);
}

// What the connector serializes for its first `limit` events (keys, values), read through the
// plugin's task and the worker's converters, from slot `slot` (or a snapshot).
void capture(const PluginRegistry& reg, const WorkerConfig& wc, const ConfigMap& cfg,
             std::int64_t limit, std::vector<std::string>& keys, std::vector<std::string>& values) {
  bench::BenchTaskContext ctx;
  auto conn = reg.find("PostgresConnector", PluginType::Source)->make_source();
  auto task = conn->create_task();
  task->start(cfg, ctx);
  auto make = [&](const std::string& role) {
    const auto* d = reg.find(converter_class(wc, role), PluginType::Converter);
    if (d == nullptr) die("no converter " + converter_class(wc, role));
    return d->make_converter();
  };
  auto kc = make("key");
  auto vc = make("value");
  kc->configure(with_prefix_stripped(wc.props, "key.converter."), true);
  vc->configure(with_prefix_stripped(wc.props, "value.converter."), false);
  std::vector<SourceRecord> batch;
  std::string buf;
  const auto t0 = Clock::now();
  while (static_cast<std::int64_t>(values.size()) < limit) {
    batch.clear();
    task->poll(batch);
    for (auto& r : batch) {
      if (static_cast<std::int64_t>(values.size()) >= limit) break;
      kc->from_connect(r.topic, r.key_schema, r.key, buf);
      keys.push_back(buf);
      vc->from_connect(r.topic, r.value_schema, r.value, buf);
      values.push_back(buf);
    }
    task->recycle(batch);  // as the TaskRunner hands them back
    if (secs_since(t0) > 300) die("capture stalled");
  }
  const double s = secs_since(t0);
  std::printf("  connector task + %s alone (no Kafka): %.0f ev/s, %.2f us/event\n",
              converter_name(wc).c_str(), static_cast<double>(limit) / s,
              s * 1e6 / static_cast<double>(limit));
  task->stop();
}

// The connector in the real TaskRunner until `rows` events are acknowledged by Kafka.
double pipeline(const PluginRegistry& reg, const WorkerConfig& wc, const ConfigMap& cfg,
                std::int64_t rows, std::string topic = "") {
  auto store = make_file_offset_store(wc.offset_file);
  store->start();
  Metrics metrics;
  TaskEnvironment env{wc, reg, *store, metrics};
  const std::string name = cfg.at("name");
  if (topic.empty()) topic = name + ".public.t";
  // The same warm-up as the librdkafka run: the topic exists before the clock starts.
  {
    kafka::Producer w(wc.producer_props({}), nullptr);
    w.produce(topic, RD_KAFKA_PARTITION_UA, "w", 1, "w", 1, 0, {}, nullptr);
    w.flush(std::chrono::seconds(30));
  }
  TaskRunner r(env, name, 0, *reg.find("PostgresConnector", PluginType::Source), cfg, cfg, false);
  auto t0 = Clock::now();
  r.start();
  while (r.records_written() < static_cast<std::uint64_t>(rows)) {
    if (secs_since(t0) > 600) die("pipeline stalled:\n" + metrics.serialize());
    if (r.status().state == RunState::Failed) die("pipeline failed: " + r.status().trace);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const double s = secs_since(t0);
  r.request_stop();
  r.wait_stopped(std::chrono::seconds(30));
  return s;
}

void delete_topic(const WorkerConfig& wc, const std::string& topic) {
  kafka::delete_topics(wc.client_props(), {topic}, std::chrono::seconds(30));
}

// The id in an event's key, -1 when there is none: JSON {"schema":..,"payload":{"id":N}} or
// {"id":N} (the last "id": in it), or Avro in Confluent's wire format (magic byte and schema id,
// then the record {id: long}: one zigzag varint).
std::int64_t key_id(const char* key, std::size_t len, bool avro) {
  if (avro) {
    std::uint64_t v = 0;
    int shift = 0;
    for (std::size_t i = 5; i < len && shift < 64; ++i, shift += 7) {
      const auto b = static_cast<unsigned char>(key[i]);
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0)
        return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
    }
    return -1;
  }
  static const std::string needle = "\"id\":";
  const std::string_view k(key, len);
  const auto at = k.rfind(needle);
  if (at == std::string_view::npos) return -1;
  return std::strtoll(std::string(k.substr(at + needle.size(), 24)).c_str(), nullptr, 10);
}

// Steady 10k rows/s in 10-row transactions; latency from COMMIT returning to a consumer
// reading the transaction's last row.
void latency(const PluginRegistry& reg, const WorkerConfig& wc, const std::string& bootstrap,
             std::int64_t rows, int cols) {
  const bool avro = converter_name(wc) == "AvroConverter";
  const std::string name = unique("benchlat");
  const std::string slot = name;
  create_slot(slot);
  auto store = make_file_offset_store(wc.offset_file);
  store->start();
  Metrics metrics;
  TaskEnvironment env{wc, reg, *store, metrics};
  ConfigMap cfg = connector_config(name, slot, "no_data");
  const std::string topic = name + ".public.t";
  TaskRunner runner(env, name, 0, *reg.find("PostgresConnector", PluginType::Source), cfg, cfg,
                    false);
  runner.start();
  // A consumer that records when each id arrives.
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  auto set = [&](const char* k, const std::string& v) {
    if (rd_kafka_conf_set(conf, k, v.c_str(), err, sizeof(err)) != RD_KAFKA_CONF_OK) die(err);
  };
  set("bootstrap.servers", bootstrap);
  set("group.id", name);
  set("auto.offset.reset", "earliest");
  set("fetch.wait.max.ms", "5");
  set("enable.partition.eof", "false");
  set("allow.auto.create.topics", "true");
  set("topic.metadata.refresh.interval.ms", "500");
  rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
  if (!consumer) die(err);
  rd_kafka_poll_set_consumer(consumer);
  rd_kafka_topic_partition_list_t* subs = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(subs, topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(consumer, subs);
  rd_kafka_topic_partition_list_destroy(subs);

  const std::int64_t txns = rows / 10;
  std::vector<Clock::time_point> committed(static_cast<size_t>(txns));
  std::vector<Clock::time_point> seen(static_cast<size_t>(txns));
  std::atomic<std::int64_t> seen_count{0};
  std::atomic<bool> done{false};
  std::atomic<bool> warmed{false};
  std::thread reader([&] {
    while (!done) {
      rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer, 100);
      if (!m) continue;
      if (!m->err && m->payload && m->key) {
        const std::int64_t id = key_id(static_cast<const char*>(m->key), m->key_len, avro);
        if (id == 0) warmed = true;
        if (id > 0 && id % 10 == 0 && id / 10 - 1 < txns) {
          seen[static_cast<size_t>(id / 10 - 1)] = Clock::now();
          ++seen_count;
        }
      }
      rd_kafka_message_destroy(m);
    }
  });
  // Warm up: one row (id 0) through the whole path, so that the topic exists and the consumer
  // has joined before the measured load starts.
  PGconn* c = connect(kDb);
  exec(c, "TRUNCATE t");
  exec(c, "INSERT INTO t " + row_select(cols, "0", "0"));
  const auto t_warm = Clock::now();
  while (!warmed) {
    if (secs_since(t_warm) > 60) die("the warm-up row never reached the consumer");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const auto start = Clock::now();
  for (std::int64_t i = 0; i < txns; ++i) {
    std::this_thread::sleep_until(start + std::chrono::microseconds(1000 * i));
    const std::int64_t lo = i * 10 + 1;
    exec(c, "INSERT INTO t " + row_select(cols, std::to_string(lo), std::to_string(lo + 9)));
    committed[static_cast<size_t>(i)] = Clock::now();
  }
  const double load_s = secs_since(start);
  PQfinish(c);
  const auto t_wait = Clock::now();
  while (seen_count < txns && secs_since(t_wait) < 60)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  done = true;
  reader.join();
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
  // The worker's own send -> ack histogram, for where the time goes.
  std::string producer_hist;
  {
    const std::string text = metrics.serialize();
    std::size_t pos = 0;
    while ((pos = text.find("tributary_produce_latency_seconds_bucket", pos)) !=
           std::string::npos) {
      const auto le = text.find("le=\"", pos);
      const auto end = text.find('\n', pos);
      producer_hist += " " + text.substr(le + 4, text.find('"', le + 4) - le - 4) + ":" +
                       text.substr(text.rfind(' ', end) + 1, end - text.rfind(' ', end) - 1);
      pos = end;
    }
  }
  runner.request_stop();
  runner.wait_stopped(std::chrono::seconds(30));
  std::vector<double> ms;
  for (std::int64_t i = 0; i < txns; ++i)
    if (seen[static_cast<size_t>(i)] != Clock::time_point{})
      ms.push_back(std::chrono::duration<double, std::milli>(seen[static_cast<size_t>(i)] -
                                                             committed[static_cast<size_t>(i)])
                       .count());
  std::sort(ms.begin(), ms.end());
  if (ms.empty()) die("no transaction was seen by the consumer");
  auto pct = [&](double p) {
    return ms[std::min(ms.size() - 1, static_cast<size_t>(p * ms.size()))];
  };
  std::printf(
      "latency: %lld rows in %lld transactions at %.0f rows/s offered; seen %zu\n"
      "commit -> consumer: p50 %.1f ms, p99 %.1f ms, max %.1f ms (goal p99 <= 25 ms)\n",
      static_cast<long long>(rows), static_cast<long long>(txns),
      static_cast<double>(rows) / load_s, ms.size(), pct(0.5), pct(0.99), ms.back());
  std::printf("worker send -> ack, cumulative events per bucket (s):%s\n", producer_hist.c_str());
  delete_topic(wc, topic);
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  if (argc < 8) {
    std::fprintf(stderr,
                 "usage: bench_postgres BOOTSTRAP PG_HOST:PORT stream|snapshot|latency ROWS "
                 "COLS on|off|avro REPS\n");
    return 2;
  }
  const std::string bootstrap = argv[1];
  const std::string pg = argv[2];
  g_host = pg.substr(0, pg.rfind(':'));
  g_port = pg.substr(pg.rfind(':') + 1);
  const std::string mode = argv[3];
  const std::int64_t rows = std::stoll(argv[4]);
  const int cols = std::stoi(argv[5]);
  const std::string schemas = argv[6];
  if (schemas != "on" && schemas != "off" && schemas != "avro")
    die("SCHEMAS is on, off or avro, not " + schemas);
  const int reps = std::stoi(argv[7]);

  auto dir = std::filesystem::temp_directory_path() / unique("tributary-bench-pg");
  std::filesystem::create_directories(dir);
  ConfigMap worker_props{{"bootstrap.servers", bootstrap},
                         {"offset.storage.file.filename", (dir / "off").string()},
                         {"offset.flush.interval.ms", "1000"}};
  if (schemas == "avro") {
    const char* url = std::getenv("BENCH_REGISTRY");
    if (url == nullptr || *url == '\0') die("SCHEMAS avro needs BENCH_REGISTRY (a registry URL)");
    for (const std::string role : {"key", "value"}) {
      worker_props[role + ".converter"] = "io.confluent.connect.avro.AvroConverter";
      worker_props[role + ".converter.schema.registry.url"] = url;
    }
  } else {
    const std::string enable = schemas == "on" ? "true" : "false";
    worker_props["key.converter.schemas.enable"] = enable;
    worker_props["value.converter.schemas.enable"] = enable;
  }
  WorkerConfig wc = bench::bench_worker_config(worker_props);
  PluginRegistry reg;
  bench::load_bench_plugins(reg);
  if (reg.find("PostgresConnector", PluginType::Source) == nullptr)
    die(std::string("postgres plugin not found in ") + TRIBUTARY_PLUGIN_DIR);

  setup_db(cols);
  drop_slots();
  if (mode == "latency") {
    latency(reg, wc, bootstrap, rows, cols);
    drop_slots();
    std::filesystem::remove_all(dir);
    return 0;
  }
  std::vector<double> src_s, sink_s, tri_s, ratios;
  const std::int64_t sample = std::min<std::int64_t>(rows, 100000);
  std::size_t sample_key_bytes = 0, sample_value_bytes = 0;
  for (int rep = 0; rep < reps; ++rep) {
    const std::string raw_slot = unique("bench_raw"), cap_slot = unique("bench_cap"),
                      tri_slot = unique("bench_tri"), after_slot = unique("bench_after");
    {
      PGconn* c = connect(kDb);
      exec(c, "TRUNCATE t");
      PQfinish(c);
    }
    const bool chain = std::getenv("BENCH_CHAIN") != nullptr;
    const std::string chain_slot = unique("bench_chain");
    if (mode == "stream")
      for (const auto& s : {raw_slot, cap_slot, tri_slot}) create_slot(s);
    if (mode == "stream" && chain) create_slot(chain_slot);
    if (mode == "stream" && std::getenv("BENCH_DRAIN_AFTER")) create_slot(after_slot);
    auto tl = Clock::now();
    load(1, rows, cols);
    const double load_s = secs_since(tl);
    double src = 0;
    const std::string name = unique("bench");
    std::vector<std::string> keys, values;
    const bench::CpuMeter src_cpu;
    src = mode == "stream" ? raw_drain(raw_slot, rows) : raw_copy(rows);
    const double src_machine = src_cpu.machine(), src_self = src_cpu.self();
    const bench::CpuMeter cap_cpu;
    capture(reg, wc,
            connector_config(name, cap_slot, mode == "stream" ? "no_data" : "initial_only"), sample,
            keys, values);
    const double cap_self = cap_cpu.self();
    // BENCH_ONLY=capture stops after the connector-alone pass (for profilers).
    if (const char* only = std::getenv("BENCH_ONLY"); only && std::string(only) == "capture") {
      drop_slots();
      std::filesystem::remove_all(dir);
      return 0;
    }
    sample_key_bytes = sample_value_bytes = 0;
    for (size_t i = 0; i < values.size(); ++i) {
      sample_key_bytes += keys[i].size();
      sample_value_bytes += values[i].size();
    }
    const std::string raw_topic = unique("bench-raw");
    const bench::CpuMeter sink_cpu;
    const double sink =
        bench::produce_raw(wc, raw_topic, static_cast<std::size_t>(rows), keys, values);
    const double sink_machine = sink_cpu.machine(), sink_self = sink_cpu.self();
    delete_topic(wc, raw_topic);
    const ConfigMap cfg =
        connector_config(name, tri_slot, mode == "stream" ? "no_data" : "initial_only");
    const bench::CpuMeter tri_cpu;
    const double tri = pipeline(reg, wc, cfg, rows);
    const double tri_machine = tri_cpu.machine(), tri_self = tri_cpu.self();
    if (chain) {
      // BENCH_CHAIN=1: the seed's Exercise 3 chain (RegexRouter, ExtractNewRecordState with the
      // seed's options, InsertField) on the same changes, from a slot of its own.
      ConfigMap with =
          connector_config(name + "x", chain_slot, mode == "stream" ? "no_data" : "initial_only");
      with.insert({{"transforms", "route,unwrap,ts"},
                   {"transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter"},
                   {"transforms.route.regex", name + "x\\.public\\.(.*)"},
                   {"transforms.route.replacement", "cdc" + name + ".$1"},
                   {"transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState"},
                   {"transforms.unwrap.drop.tombstones", "false"},
                   {"transforms.unwrap.delete.handling.mode", "rewrite"},
                   {"transforms.unwrap.add.fields", "op,source.ts_ms"},
                   {"transforms.ts.type", "org.apache.kafka.connect.transforms.InsertField$Value"},
                   {"transforms.ts.timestamp.field", "cdc_processed_at"}});
      const double with_chain = pipeline(reg, wc, with, rows, "cdc" + name + ".t");
      delete_topic(wc, "cdc" + name + ".t");
      std::printf(
          "  with the seed's chain (route, unwrap, timestamp): %.0f ev/s = %.2f of the "
          "pipeline without it (goal: costs <= 10%%)\n",
          static_cast<double>(rows) / with_chain, tri / with_chain);
    }
    if (std::getenv("BENCH_DRAIN_AFTER") && mode == "stream")
      std::printf("  second raw drain, after the pipeline: %.0f ev/s\n",
                  static_cast<double>(rows) / raw_drain(after_slot, rows));
    delete_topic(wc, name + ".public.t");
    drop_slots();
    const double ceiling = std::max(src, sink);  // the slower side bounds the pipeline
    src_s.push_back(src);
    sink_s.push_back(sink);
    tri_s.push_back(tri);
    ratios.push_back(ceiling / tri);
    auto eps = [&](double s) { return static_cast<double>(rows) / s; };
    std::printf(
        "rep %d: load %.1f s | source (%s) %.0f ev/s | sink (librdkafka) %.0f ev/s | "
        "tributary %.0f ev/s | ratio %.2f of the %s ceiling\n",
        rep + 1, load_s, mode == "stream" ? "raw slot drain" : "COPY TO STDOUT", eps(src),
        eps(sink), eps(tri), ceiling / tri, src >= sink ? "source" : "sink");
    // CPU per event in microseconds (each phase's whole call, set-up included): the machine's
    // (every process: PostgreSQL, the broker, this one) and this process's; and how busy the
    // cores were. A phase at ~100 % is CPU-bound: whatever CPU the pipeline adds to the sink's
    // own per-event cost lowers its throughput below the sink ceiling in proportion.
    const double cores = static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN));
    auto us = [&](double cpu_s) { return cpu_s * 1e6 / static_cast<double>(rows); };
    auto busy = [&](double cpu_s, double wall_s) { return 100.0 * cpu_s / (wall_s * cores); };
    std::printf(
        "  cpu us/event, machine | this process: source %.1f | %.1f, sink %.1f | %.1f, "
        "tributary %.1f | %.1f; connector + %s alone %.1f (this process); "
        "cores busy: sink %.0f %%, tributary %.0f %%\n",
        us(src_machine), us(src_self), us(sink_machine), us(sink_self), us(tri_machine),
        us(tri_self), converter_name(wc).c_str(), cap_self * 1e6 / static_cast<double>(sample),
        busy(sink_machine, sink), busy(tri_machine, tri));
  }
  // Serialized sizes of the captured events (keys and values as produced, Avro's 5-byte headers
  // included), and the bytes/s of keys + values they make at the sink's and tributary's rates.
  const double avg_key = static_cast<double>(sample_key_bytes) / static_cast<double>(sample);
  const double avg_value = static_cast<double>(sample_value_bytes) / static_cast<double>(sample);
  const double avg = avg_key + avg_value;
  std::printf(
      "mode=%s rows=%lld cols=%d schemas=%s (%s) reps=%d avg_event_bytes=%.0f (key %.1f + value "
      "%.1f)\n",
      mode.c_str(), static_cast<long long>(rows), cols, schemas.c_str(), converter_name(wc).c_str(),
      reps, avg, avg_key, avg_value);
  auto mbps = [&](double s) { return static_cast<double>(rows) * avg / s / 1e6; };
  std::printf(
      "median: source %.0f ev/s, sink %.0f ev/s = %.1f MB/s, tributary %.0f ev/s = %.1f MB/s "
      "(keys + values)\n",
      static_cast<double>(rows) / median(src_s), static_cast<double>(rows) / median(sink_s),
      mbps(median(sink_s)), static_cast<double>(rows) / median(tri_s), mbps(median(tri_s)));
  std::printf("ratio tributary/ceiling: %.2f (median of paired reps; goal >= %.2f)\n",
              median(ratios), mode == "stream" ? 0.85 : 0.8);
  std::filesystem::remove_all(dir);
  return 0;
}
