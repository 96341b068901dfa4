// MySQL / MariaDB -> Kafka benchmark (issue 15): the MySqlConnector in the real TaskRunner
// (binlog -> Debezium envelope -> JsonConverter -> librdkafka -> broker) against the ceilings
// measured in the same run on the same events:
//   source: the binlog drained by BinlogClient alone (Connector/C's framing, no row decoding) and
//           by mariadb-binlog --read-from-remote-server into /dev/null (streaming); the table
//           read by SELECT into a discard (snapshot);
//   sink:   librdkafka alone producing the serialized events of the same sizes (the first 100k
//           events the connector itself serializes, cycled) with the same producer settings.
// CPU per event (this process: connector, converters, librdkafka) is the steadier figure. The
// pipeline's rate is counted from its first record (the task's start-up is printed beside it), and
// each run prints how many cores were busy (all processes: the broker and MariaDB share them).
//
//   bench_mysql BOOTSTRAP HOST:PORT stream|snapshot ROWS COLS on|off [REPS]
//     ROWS  changes (stream: inserted in 1000-row transactions) or table rows (snapshot)
//     COLS  5 (narrow) or 30 (wide)
//     REPS  pairs of (librdkafka alone, pipeline) run back to back (default 1); with more than
//           one, the median of the pairs' ratios is printed too
// The server needs root without a password on loopback (tests/env/mariadb.sh).
// For A/B comparisons of two builds (the spread between runs on a shared VM is large):
//   BENCH_CAPTURE_REPS=N  repeat the connector-alone pass N times (take the min or median);
//   BENCH_CAPTURE_ONLY=1  stop after it (no sink ceiling, no pipeline);
//   BENCH_EXTRA=k=v,...   extra connector properties, both passes (e.g. max.batch.size=256);
//   BENCH_PLUGIN_DIR=DIR  another build's plugins (with LD_LIBRARY_PATH at its lib/);
//   BENCH_NO_RECYCLE=1    the connector-alone pass frees the records on its own thread instead
//                         of handing them back to the reader (SourceTask::recycle), as before.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.h"
#include "binlog_client.h"
#include "kafka/kafka_log.h"
#include "mysql_connection.h"
#include "offsets/offset_store.h"
#include "worker/task_runner.h"

using namespace tributary;
using Clock = std::chrono::steady_clock;

namespace {

std::string g_host, g_port;
const char* kDb = "tributary_bench";

double secs_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "bench_mysql: %s\n", what.c_str());
  std::exit(1);
}

mysql::ConnectionSettings settings() {
  return mysql::ConnectionSettings::from(
      {{"database.hostname", g_host}, {"database.port", g_port}, {"database.user", "root"}});
}

// Narrow: id, an int, a string, a timestamp, a decimal; wide: that group six times.
std::string table_ddl(int cols) {
  std::string ddl = "CREATE TABLE t (id BIGINT PRIMARY KEY";
  for (int g = 0; g < cols / 5; ++g) {
    const std::string s = std::to_string(g);
    ddl += ", i" + s + " INT NOT NULL, s" + s + " VARCHAR(64) NOT NULL, d" + s +
           " DATETIME(6) NOT NULL, n" + s + " DECIMAL(12,2) NOT NULL";
    if (g > 0) ddl += ", x" + s + " BIGINT NOT NULL";
  }
  return ddl + ")";
}

std::string row_select(int cols, std::int64_t lo, std::int64_t hi) {
  std::string sel = "SELECT seq";
  for (int g = 0; g < cols / 5; ++g) {
    sel +=
        ", seq % 100000, concat('value of row ', seq), timestamp '2024-01-01 00:00:00' + "
        "interval seq second, (seq % 1000000) / 100";
    if (g > 0) sel += ", seq * 7";
  }
  return sel + " FROM seq_" + std::to_string(lo) + "_to_" + std::to_string(hi);
}

struct Start {
  std::string file;
  std::uint64_t pos = 0;
};

Start setup_and_load(int cols, std::int64_t rows) {
  mysql::Connection c(settings(), 0);
  c.exec(std::string("DROP DATABASE IF EXISTS ") + kDb);
  c.exec(std::string("CREATE DATABASE ") + kDb);
  c.exec(std::string("USE ") + kDb);
  c.exec(table_ddl(cols));
  const auto st = c.query("SHOW MASTER STATUS");
  Start s{*st.rows[0][0], std::stoull(*st.rows[0][1])};
  for (std::int64_t lo = 1; lo <= rows; lo += 1000)
    c.exec("INSERT INTO t " + row_select(cols, lo, std::min(rows, lo + 999)));
  return s;
}

double binlog_drain(const Start& s, std::int64_t rows) {
  mysql::BinlogClient::Options o;
  o.server_id = 7101;
  o.stop_at_end = true;
  mysql::BinlogClient b(settings(), o);
  const auto t0 = Clock::now();
  b.open(s.file, s.pos);
  std::int64_t events = 0;
  while (b.next() != nullptr) ++events;
  if (events < rows / 1000) die("the binlog drain read " + std::to_string(events) + " events");
  return secs_since(t0);
}

double mariadb_binlog_drain(const Start& s) {
  const auto t0 = Clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = ::open("/dev/null", O_WRONLY);
    dup2(fd, 1);
    dup2(fd, 2);
    execlp("mariadb-binlog", "mariadb-binlog", "--no-defaults", "--read-from-remote-server",
           ("--host=" + g_host).c_str(), ("--port=" + g_port).c_str(), "--user=root",
           ("--start-position=" + std::to_string(s.pos)).c_str(), "--to-last-log", s.file.c_str(),
           static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) die("mariadb-binlog failed");
  return secs_since(t0);
}

double select_discard(std::int64_t rows) {
  mysql::Connection c(settings(), 0);
  const auto t0 = Clock::now();
  const std::string q = std::string("SELECT * FROM ") + kDb + ".t";
  if (mysql_real_query(c.raw(), q.c_str(), q.size()) != 0) die("SELECT failed");
  MYSQL_RES* res = mysql_use_result(c.raw());
  std::int64_t n = 0;
  while (mysql_fetch_row(res) != nullptr) ++n;
  mysql_free_result(res);
  if (n != rows) die("SELECT returned " + std::to_string(n) + " rows");
  return secs_since(t0);
}

OffsetMap start_offset(const Start& s) {
  OffsetMap o = OffsetMap::object();
  o["file"] = s.file;
  o["pos"] = s.pos;
  return o;
}

ConfigMap connector_config(const std::string& name, const std::string& mode,
                           const std::string& bootstrap) {
  return {{"name", name},
          {"connector.class", "io.debezium.connector.mysql.MySqlConnector"},
          {"database.hostname", g_host},
          {"database.port", g_port},
          {"database.user", "root"},
          {"database.server.id", "7102"},
          {"database.include.list", kDb},
          {"topic.prefix", name},
          {"snapshot.mode", mode},
          {"schema.history.internal.kafka.bootstrap.servers", bootstrap},
          {"schema.history.internal.kafka.topic", name + "-history"},
          {"task.id", "0"}};
}
// BENCH_EXTRA: extra connector properties, for the connector-alone pass and the pipeline alike.
ConfigMap with_extra(ConfigMap c) {
  const char* e = std::getenv("BENCH_EXTRA");
  if (e == nullptr) return c;
  const std::string s = e;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t j = std::min(s.find(',', i), s.size());
    const std::string kv = s.substr(i, j - i);
    const std::size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) die("BENCH_EXTRA: '" + kv + "' is not key=value");
    c[kv.substr(0, eq)] = kv.substr(eq + 1);
    i = j + 1;
  }
  return c;
}

struct Ctx : bench::BenchTaskContext {
  std::optional<OffsetMap> offset;
  std::string bootstrap;
  std::optional<OffsetMap> committed_offset(const OffsetMap&) const override { return offset; }
  std::unique_ptr<KafkaLog> kafka_log(const ConfigMap& props, const std::string& topic) override {
    return std::make_unique<kafka::RdKafkaLog>(props, topic);
  }
};

// Returns the connector's CPU (reader and task thread, no Kafka) in seconds per event.
double capture(const PluginRegistry& reg, const WorkerConfig& wc, const ConfigMap& cfg,
               std::optional<OffsetMap> offset, std::int64_t limit, bool keep,
               std::vector<std::string>& keys, std::vector<std::string>& values,
               std::int64_t& leading) {
  Ctx ctx;
  ctx.offset = std::move(offset);
  auto task = reg.find("MySqlConnector", PluginType::Source)->make_source()->create_task();
  auto make = [&]() {
    return reg.find("org.apache.kafka.connect.json.JsonConverter", PluginType::Converter)
        ->make_converter();
  };
  auto kc = make();
  auto vc = make();
  kc->configure(with_prefix_stripped(wc.props, "key.converter."), true);
  vc->configure(with_prefix_stripped(wc.props, "value.converter."), false);
  const bench::CpuMeter cpu;
  const auto t0 = Clock::now();
  task->start(cfg, ctx);
  std::vector<SourceRecord> batch;
  std::string buf;
  std::int64_t n = 0;
  leading = 0;
  const bool recycle = std::getenv("BENCH_NO_RECYCLE") == nullptr;
  const std::string topic = cfg.at("topic.prefix") + "." + kDb + ".t";
  while (n < limit) {
    batch.clear();
    task->poll(batch);
    for (auto& r : batch) {
      if (r.topic != topic) {  // schema changes
        if (n == 0) ++leading;
        continue;
      }
      // The first 100k events' bytes are kept for the sink ceiling (only once: `keep`).
      kc->from_connect(r.topic, r.key_schema, r.key, buf);
      if (keep && keys.size() < 100000) keys.push_back(buf);
      vc->from_connect(r.topic, r.value_schema, r.value, buf);
      if (keep && values.size() < 100000) values.push_back(buf);
      release_offset(r.source_offset);  // as the TaskRunner frees the offset it commits past
      ++n;
    }
    if (recycle) task->recycle(batch);  // as the TaskRunner hands them back
    if (secs_since(t0) > 600) die("capture stalled");
  }
  const double s = secs_since(t0);
  const double cpu_per_event = cpu.self() / static_cast<double>(n);
  std::printf("  connector task + JsonConverter alone (no Kafka): %.0f ev/s, %.0f ns CPU/event\n",
              static_cast<double>(n) / s, cpu_per_event * 1e9);
  task->stop();
  return cpu_per_event;
}

// One pipeline run. Its rate is counted from the first change event written, as the sink's is
// from its producer's first message: the task's start (connection, schema snapshot, history
// topic, the schema change records before the rows) is a fixed cost that came to 0.3 - 0.5 s,
// which halved the rate of a 100k-row wide run; it is reported beside the rate instead. (Counted
// from the first schema change record, as before 2026-12-07, the window began with 0.1 - 0.3 s
// of the binlog being opened, with the cores half idle.)
struct PipelineRun {
  double seconds = 0;    // from the first change event written to the last record
  double events = 0;     // written in that time
  double cpu_s = 0;      // this process's CPU in that time
  double machine_s = 0;  // all cores' busy time in that time
  double startup_s = 0;  // from start() to the first change event written
};

PipelineRun pipeline(const PluginRegistry& reg, const WorkerConfig& wc, const ConfigMap& cfg,
                     std::optional<OffsetMap> offset, std::int64_t rows, std::int64_t leading) {
  auto store = make_file_offset_store(wc.offset_file);
  store->start();
  const std::string name = cfg.at("name");
  if (offset) {
    OffsetMap partition = OffsetMap::object();
    partition["server"] = name;
    store->put(name, {OffsetEntry{partition, *offset}}, std::chrono::seconds(10));
  }
  Metrics metrics;
  TaskEnvironment env{wc, reg, *store, metrics};
  const std::string topic = name + "." + kDb + ".t";
  // The table's topic and the schema change topic (topic.prefix) exist before the timed run, as
  // on a worker past its first start. Without the second, the leading schema change records
  // waited for the broker to create their topic for up to 1 s, and the run could not end before
  // their acknowledgement: a 200k-row wide run whose rows were written in 0.55 s was timed at
  // 0.8 - 1.0 s (session 12's "0.51 x" for wide rows without schemas).
  {
    kafka::Producer w(wc.producer_props({}), nullptr);
    w.produce(topic, RD_KAFKA_PARTITION_UA, "w", 1, "w", 1, 0, {}, nullptr);
    w.produce(name, RD_KAFKA_PARTITION_UA, "w", 1, "w", 1, 0, {}, nullptr);
    w.flush(std::chrono::seconds(30));
  }
  TaskRunner r(env, name, 0, *reg.find("MySqlConnector", PluginType::Source), cfg, cfg, false);
  const auto t0 = Clock::now();
  r.start();
  std::optional<bench::CpuMeter> cpu;
  Clock::time_point t_first;
  std::uint64_t w0 = 0;
  // The `leading` schema change records come first (as many as the connector-alone pass saw);
  // the table's rows are the next `rows`.
  const auto total = static_cast<std::uint64_t>(rows + leading);
  for (;;) {
    const std::uint64_t w = r.records_written();
    if (!cpu && w > static_cast<std::uint64_t>(leading)) {
      cpu.emplace();
      t_first = Clock::now();
      w0 = w;
    }
    if (w >= total) break;
    if (secs_since(t0) > 900) die("pipeline stalled");
    if (r.status().state == RunState::Failed) die("pipeline failed: " + r.status().trace);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  PipelineRun run;
  run.seconds = secs_since(t_first);
  run.events = static_cast<double>(total - w0);
  run.cpu_s = cpu->self();
  run.machine_s = cpu->machine();
  run.startup_s = std::chrono::duration<double>(t_first - t0).count();
  if (run.events < static_cast<double>(rows) / 2)
    die("pipeline: too few rows after the first write");
  r.request_stop();
  r.wait_stopped(std::chrono::seconds(30));
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  if (argc < 7) {
    std::fprintf(
        stderr, "usage: bench_mysql BOOTSTRAP HOST:PORT stream|snapshot ROWS COLS on|off [REPS]\n");
    return 2;
  }
  const std::string bootstrap = argv[1];
  const std::string addr = argv[2];
  g_host = addr.substr(0, addr.rfind(':'));
  g_port = addr.substr(addr.rfind(':') + 1);
  const std::string mode = argv[3];
  const std::int64_t rows = std::stoll(argv[4]);
  const int cols = std::stoi(argv[5]);
  const std::string schemas = argv[6];
  const int reps_pairs = argc > 7 ? std::max(1, std::atoi(argv[7])) : 1;
  auto dir = std::filesystem::temp_directory_path() / bench::unique("tributary-bench-mysql");
  std::filesystem::create_directories(dir);
  const std::string enable = schemas == "on" ? "true" : "false";
  WorkerConfig wc =
      bench::bench_worker_config({{"bootstrap.servers", bootstrap},
                                  {"offset.storage.file.filename", (dir / "off").string()},
                                  {"offset.flush.interval.ms", "1000"},
                                  {"key.converter.schemas.enable", enable},
                                  {"value.converter.schemas.enable", enable}});
  PluginRegistry reg;
  bench::load_bench_plugins(reg);
  if (reg.find("MySqlConnector", PluginType::Source) == nullptr) die("mysql plugin not found");

  std::printf("== %s rows=%lld cols=%d schemas=%s\n", mode.c_str(), static_cast<long long>(rows),
              cols, schemas.c_str());
  const Start start = setup_and_load(cols, rows);
  const double n = static_cast<double>(rows);
  double source_s = 0;
  double source_machine_s = 0;  // all cores' busy time while the source ceiling ran
  std::optional<OffsetMap> offset;
  std::string cmode;
  if (mode == "stream") {
    offset = start_offset(start);
    cmode = "recovery";  // the schema from the server, then the binlog from `start`
    const bench::CpuMeter cpu;
    source_s = binlog_drain(start, rows);
    source_machine_s = cpu.machine();
    std::printf(
        "  source: BinlogClient drain %.0f ev/s (%.0f ns CPU/event; all processes %.0f ns)\n",
        n / source_s, cpu.self() * 1e9 / n, source_machine_s * 1e9 / n);
    const double mb = mariadb_binlog_drain(start);
    std::printf("  source: mariadb-binlog --read-from-remote-server > /dev/null %.0f ev/s\n",
                n / mb);
  } else {
    cmode = "initial_only";
    const bench::CpuMeter cpu;
    source_s = select_discard(rows);
    source_machine_s = cpu.machine();
    std::printf("  source: SELECT * into a discard %.0f rows/s (all processes %.0f ns CPU/row)\n",
                n / source_s, source_machine_s * 1e9 / n);
  }
  std::vector<std::string> keys, values;
  // BENCH_CAPTURE_REPS=N repeats the connector-alone pass (the spread between passes of one
  // process is smaller than between processes on this VM); the first pass's bytes are kept.
  const char* reps_env = std::getenv("BENCH_CAPTURE_REPS");
  const int reps = reps_env != nullptr ? std::max(1, std::atoi(reps_env)) : 1;
  std::int64_t leading = 0;  // schema change records before the first row
  std::vector<double> capture_cpu;
  for (int i = 0; i < reps; ++i)
    capture_cpu.push_back(
        capture(reg, wc, with_extra(connector_config(bench::unique("capture"), cmode, bootstrap)),
                offset, rows, i == 0, keys, values, leading));
  const double connector_cpu = bench::median(capture_cpu);  // s per event
  if (std::getenv("BENCH_CAPTURE_ONLY") != nullptr) {
    std::filesystem::remove_all(dir);
    return 0;
  }
  double kb = 0, vb = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    kb += static_cast<double>(keys[i].size());
    vb += static_cast<double>(values[i].size());
  }
  std::printf("  serialized: %.0f key + %.0f value bytes per event\n",
              kb / static_cast<double>(keys.size()), vb / static_cast<double>(values.size()));
  // REPS pairs of (librdkafka alone, pipeline), each pair run back to back: the spread between
  // runs on this VM is large, the ratio within a pair steadier; the headline is their median.
  // A fresh broker gets faster over its first runs (sink alone, 500k narrow events: 322k, 453k,
  // 586k ev/s in reps 1-3), so the first pair's ratio came out highest. An untimed produce of the
  // same events first warms it up.
  {
    const std::string warm_topic = bench::unique("mysql-warm");
    bench::produce_raw(wc, warm_topic,
                       std::min<std::size_t>(static_cast<std::size_t>(rows), 200000), keys, values);
    kafka::delete_topics(wc.client_props(), {warm_topic}, std::chrono::seconds(30));
  }
  std::vector<double> ratios, bounds, cpu_bounds;
  for (int rep = 0; rep < reps_pairs; ++rep) {
    const std::string tag = reps_pairs > 1 ? "  rep " + std::to_string(rep + 1) + ":" : " ";
    const std::string raw_topic = bench::unique("mysql-raw");
    const bench::CpuMeter sink_cpu;
    const double sink_s =
        bench::produce_raw(wc, raw_topic, static_cast<std::size_t>(rows), keys, values);
    const double sink_machine_s = sink_cpu.machine();
    const auto cores = static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN));
    std::printf(
        "%s sink: librdkafka alone %.0f ev/s (%.0f ns CPU/event; cores busy %.2f of %.0f)\n",
        tag.c_str(), n / sink_s, sink_cpu.self() * 1e9 / n, sink_machine_s / sink_s, cores);
    const std::string name = bench::unique("tri");
    const PipelineRun run = pipeline(reg, wc, with_extra(connector_config(name, cmode, bootstrap)),
                                     offset, rows, leading);
    const double rate = run.events / run.seconds;
    const double ceiling = std::min(n / source_s, n / sink_s);
    ratios.push_back(rate / ceiling);
    std::printf(
        "%s tributary: %.0f ev/s (%.0f ns CPU/event; cores busy %.2f; start-up %.2f s before its "
        "first record) = %.2f x the lower ceiling (%s)\n",
        tag.c_str(), rate, run.cpu_s * 1e9 / run.events, run.machine_s / run.seconds, run.startup_s,
        rate / ceiling, source_s > sink_s ? "source" : "sink");
    // What the source and the sink alone leave on this machine: they share its cores with the
    // pipeline, so even a connector that cost no CPU would run at most at cores / (the source's
    // and the sink's CPU per event, all processes), however its work were spread.
    const double bound = n * cores / (source_machine_s + sink_machine_s);
    std::printf(
        "%s a connector costing no CPU: at most %.0f ev/s = %.2f x the lower ceiling (source %.0f "
        "+ sink %.0f ns CPU/event, all processes, on %.0f cores); tributary's own share: %.0f "
        "ns/event\n",
        tag.c_str(), std::min(bound, ceiling), std::min(bound, ceiling) / ceiling,
        source_machine_s * 1e9 / n, sink_machine_s * 1e9 / n, cores,
        run.machine_s * 1e9 / run.events - (source_machine_s + sink_machine_s) * 1e9 / n);
    bounds.push_back(std::min(bound, ceiling) / ceiling);
    // The same with the connector's own CPU per event (the connector-alone pass) added: what the
    // cores allow if nothing ever waited. A pipeline near it is CPU-bound on this machine, and
    // only less CPU per event (the connector's or librdkafka's) moves it. The pipeline can pass
    // it by a little: the sink's CPU includes librdkafka 2.0's broker thread polling in a loop
    // while five requests are in flight (kafka.cpp), which fills idle cores when the sink runs
    // alone and yields them (nice 10) in the pipeline.
    const double cpu_bound = n * cores / (source_machine_s + sink_machine_s + connector_cpu * n);
    std::printf(
        "%s the connector at its own CPU (%.0f ns/event alone): at most %.0f ev/s = %.2f x the "
        "lower ceiling; tributary reached %.2f of that\n",
        tag.c_str(), connector_cpu * 1e9, std::min(cpu_bound, ceiling),
        std::min(cpu_bound, ceiling) / ceiling, rate / std::min(cpu_bound, ceiling));
    cpu_bounds.push_back(std::min(cpu_bound, ceiling) / ceiling);
    // The run's topics go (a long run's events would fill the broker's tmpfs).
    kafka::delete_topics(wc.client_props(),
                         {raw_topic, name + "." + kDb + ".t", name, name + "-history"},
                         std::chrono::seconds(30));
  }
  if (reps_pairs > 1)
    std::printf(
        "  ratio tributary / lower ceiling: %.2f (median of %d paired reps); a connector costing "
        "no CPU: at most %.2f; at its own CPU: at most %.2f\n",
        bench::median(ratios), reps_pairs, bench::median(bounds), bench::median(cpu_bounds));
  std::filesystem::remove_all(dir);
  return 0;
}
