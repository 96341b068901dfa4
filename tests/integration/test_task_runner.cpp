// TaskRunner end to end against the real broker: generator -> JsonConverter -> Kafka, offsets
// committed in order, topic creation per topic.creation.default.*, a plugin that throws fails only
// its task, and an unreachable broker fails the task with a clear trace.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "../unit/gated_offset_store.h"
#include "converters/builtin.h"
#include "kafka/kafka.h"
#include "kafka_test_util.h"
#include "plugins/registry.h"
#include "worker/task_runner.h"

namespace tributary {
namespace {
using namespace std::chrono_literals;
using testing::bootstrap;

struct Fixture : ::testing::Test {
  void SetUp() override {
    register_builtin_converters(registry);
    auto results = load_plugins({TRIBUTARY_PLUGIN_DIR}, registry);
    ASSERT_NE(registry.find("GeneratorSource", PluginType::Source), nullptr)
        << "generator plugin not found in " << TRIBUTARY_PLUGIN_DIR;
    dir = testing::temp_dir("task");
  }
  WorkerConfig worker(const std::string& bootstrap_servers) {
    return parse_worker_config({{"bootstrap.servers", bootstrap_servers},
                                {"offset.storage.file.filename", (dir / "offsets").string()},
                                {"offset.flush.interval.ms", "100"},
                                {"value.converter.schemas.enable", "true"},
                                {"key.converter.schemas.enable", "false"}});
  }
  std::unique_ptr<TaskRunner> runner(const WorkerConfig& wc, OffsetStore& store, Metrics& m,
                                     ConfigMap cfg) {
    const auto* plugin = registry.find("GeneratorSource", PluginType::Source);
    TaskEnvironment env{wc, registry, store, m};
    ConfigMap task = cfg;
    task["task.id"] = "0";
    return std::make_unique<TaskRunner>(env, cfg["name"], 0, *plugin, cfg, task, false);
  }
  /// A generator task writing `count` rows at 1 000 rows/s, started. Its topic exists first, so
  /// the records are acknowledged as they go, not all at once after the broker created it (which
  /// could take longer than the rows take to generate).
  std::unique_ptr<TaskRunner> paced_generator(const WorkerConfig& wc, OffsetStore& store,
                                              Metrics& m, const std::string& name, int count) {
    const std::string topic = testing::unique_name(name);
    kafka::create_topics(wc.client_props(), {kafka::NewTopic{topic, 1, 1, {}}}, 30s);
    auto r = runner(wc, store, m,
                    {{"name", name},
                     {"connector.class", "GeneratorSource"},
                     {"topic", topic},
                     {"count", std::to_string(count)},
                     {"batch.size", "50"},
                     {"rate.per.sec", "1000"}});
    r->start();
    return r;
  }
  PluginRegistry registry;
  std::filesystem::path dir;
};

TEST_F(Fixture, GeneratorRowsReachKafkaAndOffsetsCommitInOrder) {
  REQUIRE_KAFKA();
  auto wc = worker(bootstrap());
  auto store = make_file_offset_store((dir / "offsets").string());
  store->start();
  Metrics metrics;
  std::string topic = testing::unique_name("gen");
  ConfigMap cfg{{"name", "gen-it"},    {"connector.class", "GeneratorSource"},
                {"topic", topic},      {"count", "2000"},
                {"batch.size", "128"}, {"fields", "5"}};
  auto r = runner(wc, *store, metrics, cfg);
  r->start();
  OffsetMap partition{{"generator", "gen-it"}, {"task", 0}};
  ASSERT_TRUE(testing::wait_until(
      [&] {
        auto o = store->get("gen-it", partition);
        return o && (*o)["seq"] == 1999;
      },
      30s))
      << "offsets never reached seq 1999; status: " << r->status().trace;
  EXPECT_EQ(r->status().state, RunState::Running);
  r->request_stop();
  ASSERT_TRUE(r->wait_stopped(10s));
  EXPECT_EQ(r->status().state, RunState::Stopped);

  auto msgs = testing::consume_all(topic, 2000);
  ASSERT_EQ(msgs.size(), 2000u);
  std::set<int64_t> seqs;
  for (const auto& m : msgs) {
    ASSERT_TRUE(m.value.has_value());
    auto v = nlohmann::json::parse(*m.value);
    int64_t seq = v["payload"]["seq"].get<int64_t>();
    seqs.insert(seq);
    // Key converter has schemas off: the bare key struct.
    ASSERT_EQ(*m.key, "{\"seq\":" + std::to_string(seq) + "}");
  }
  EXPECT_EQ(seqs.size(), 2000u);
  EXPECT_EQ(*seqs.begin(), 0);
  EXPECT_EQ(*seqs.rbegin(), 1999);
  auto first = nlohmann::json::parse(*msgs[0].value);
  EXPECT_EQ(first["schema"]["type"], "struct");
  EXPECT_EQ(first["schema"]["name"], "tributary.generator." + topic + ".Value");
  EXPECT_EQ(first["schema"]["fields"][0],
            nlohmann::json::parse(R"({"type":"int64","optional":false,"field":"seq"})"));
  EXPECT_EQ(first["schema"]["fields"].size(), 6u);

  // Metrics saw every record written and at least one commit.
  std::string text = metrics.serialize();
  EXPECT_NE(
      text.find("tributary_source_records_written_total{connector=\"gen-it\",task=\"0\"} 2000"),
      std::string::npos)
      << text;
}

TEST_F(Fixture, ResumesAfterCommittedOffset) {
  REQUIRE_KAFKA();
  auto wc = worker(bootstrap());
  auto store = make_file_offset_store((dir / "offsets").string());
  store->start();
  OffsetMap partition{{"generator", "gen-resume"}, {"task", 0}};
  store->put("gen-resume", {{partition, OffsetMap{{"seq", 499}}}}, 5s);
  Metrics metrics;
  std::string topic = testing::unique_name("resume");
  auto r = runner(wc, *store, metrics,
                  {{"name", "gen-resume"},
                   {"connector.class", "GeneratorSource"},
                   {"topic", topic},
                   {"count", "600"}});
  r->start();
  ASSERT_TRUE(testing::wait_until(
      [&] { return (*store->get("gen-resume", partition))["seq"] == 599; }, 30s));
  r->request_stop();
  ASSERT_TRUE(r->wait_stopped(10s));
  auto msgs = testing::consume_all(topic, 100);
  ASSERT_EQ(msgs.size(), 100u);
  EXPECT_EQ(nlohmann::json::parse(*msgs[0].value)["payload"]["seq"], 500);
}

// Offsets given as a LazyOffset (a shared OffsetSource and a counter, as the MySQL connector
// gives them) commit the same maps as offsets given as maps: for records sent, and for records a
// transform dropped; a restart resumes after them.
TEST_F(Fixture, LazyOffsetsCommitTheMapsOfSentAndDroppedRecords) {
  REQUIRE_KAFKA();
  auto wc = worker(bootstrap());
  auto store = make_file_offset_store((dir / "offsets").string());
  store->start();
  Metrics metrics;
  const std::string topic = testing::unique_name("lazy");
  OffsetMap partition{{"generator", "gen-lazy"}, {"task", 0}};
  ConfigMap cfg{{"name", "gen-lazy"}, {"connector.class", "GeneratorSource"},
                {"topic", topic},     {"count", "1000"},
                {"batch.size", "64"}, {"offsets.lazy", "true"}};
  // Runs the task until the stored offset reaches `seq`, then stops it.
  auto run_until = [&](std::int64_t seq) {
    auto r = runner(wc, *store, metrics, cfg);
    r->start();
    const bool reached = testing::wait_until(
        [&] {
          auto o = store->get("gen-lazy", partition);
          return o && (*o)["seq"] == seq;
        },
        30s);
    r->request_stop();
    EXPECT_TRUE(r->wait_stopped(10s));
    return reached;
  };
  ASSERT_TRUE(run_until(999)) << "offsets never reached seq 999";
  EXPECT_EQ(store->get("gen-lazy", partition)->dump(), R"({"seq":999})");
  auto msgs = testing::consume_all(topic, 1000);
  ASSERT_EQ(msgs.size(), 1000u);
  // Resumed after 999; every further record dropped by Filter: their offsets commit all the same.
  cfg["count"] = "1500";
  cfg["transforms"] = "drop";
  cfg["transforms.drop.type"] = "org.apache.kafka.connect.transforms.Filter";
  ASSERT_TRUE(run_until(1499)) << "offsets of dropped records never reached seq 1499";
  EXPECT_EQ(store->get("gen-lazy", partition)->dump(), R"({"seq":1499})");
  EXPECT_EQ(testing::consume_all(topic, 1001, 3s).size(), 1000u);
}

// The worker serves Kafka's acknowledgements between polls: a task whose poll() waits for records
// asks SourceTaskContext::poll_wait, which is short while records are in flight. The generator
// here waits 20 s per poll once its 1000 rows are out; before poll_wait the last batch's acks
// (and the offset they make committable) waited out that poll.
TEST_F(Fixture, AcknowledgementsAreNotHeldBackByAWaitingPoll) {
  REQUIRE_KAFKA();
  auto wc = worker(bootstrap());
  auto store = make_file_offset_store((dir / "offsets").string());
  store->start();
  Metrics metrics;
  const std::string topic = testing::unique_name("acks");
  auto r = runner(wc, *store, metrics,
                  {{"name", "gen-acks"},
                   {"connector.class", "GeneratorSource"},
                   {"topic", topic},
                   {"count", "1000"},
                   {"batch.size", "1000"},
                   {"idle.poll.ms", "20000"}});
  r->start();
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(testing::wait_until([&] { return r->records_written() >= 1000; }, 40s))
      << "written: " << r->records_written() << " trace: " << r->status().trace;
  // All 1000 rows are one poll's: every ack came while the next poll waited.
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 10s);
  r->request_stop();
  EXPECT_TRUE(r->wait_stopped(30s));
}

// An offset write that stalls (a disk stuck in fsync) does not stall the records: they are sent
// and acknowledged while the write waits, the next write carries the newest offset once the first
// has ended, and the final commit at the stop writes the last one. (Before the OffsetCommitter,
// the write ran on the task thread and the records stopped with it.)
TEST_F(Fixture, RecordsFlowWhileAnOffsetWriteStalls) {
  REQUIRE_KAFKA();
  auto wc = worker(bootstrap());  // offsets every 100 ms
  testing::GatedOffsetStore store;
  Metrics metrics;
  auto r = paced_generator(wc, store, metrics, "gen-stall", 2000);
  ASSERT_TRUE(store.wait_started(1, 30s)) << r->status().trace;
  const auto written_at_stall = r->records_written();
  ASSERT_TRUE(testing::wait_until([&] { return r->records_written() >= 2000; }, 30s))
      << "records stopped at " << r->records_written() << " while the offset write waited ("
      << written_at_stall << " when it began)";
  EXPECT_LT(written_at_stall, 1500u);  // the write began mid-stream
  EXPECT_EQ(store.started(), 1);       // one write at a time: the next waits for the first
  EXPECT_EQ(r->status().state, RunState::Running);
  store.open();
  const OffsetMap partition{{"generator", "gen-stall"}, {"task", 0}};
  ASSERT_TRUE(testing::wait_until(
      [&] {
        auto o = store.get("gen-stall", partition);
        return o && (*o)["seq"] == 1999;
      },
      30s));
  r->request_stop();
  ASSERT_TRUE(r->wait_stopped(10s));
  // Every write carried a newer offset than the one before it.
  std::int64_t last = -1;
  for (const auto& w : store.written()) {
    ASSERT_EQ(w.size(), 1u);
    const auto seq = nlohmann::json::parse(*w[0].second)["seq"].get<std::int64_t>();
    EXPECT_GT(seq, last);
    last = seq;
  }
  EXPECT_EQ(last, 1999);
}

// A stop while an offset write is stuck: the final commit waits for it (within the stop's time)
// and then writes the last offset, after it.
TEST_F(Fixture, StopWaitsForTheOffsetWriteInFlightThenCommitsTheLast) {
  REQUIRE_KAFKA();
  auto wc = worker(bootstrap());
  testing::GatedOffsetStore store;
  Metrics metrics;
  auto r = paced_generator(wc, store, metrics, "gen-stopwrite", 1000);
  ASSERT_TRUE(store.wait_started(1, 30s)) << r->status().trace;
  ASSERT_TRUE(testing::wait_until([&] { return r->records_written() >= 1000; }, 30s));
  r->request_stop();
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(store.started(), 1);  // the stop waits: no second write overtakes the first
  store.open();
  ASSERT_TRUE(r->wait_stopped(15s));
  const auto w = store.written();
  ASSERT_EQ(w.size(), 2u);
  const auto first = nlohmann::json::parse(*w[0][0].second)["seq"].get<std::int64_t>();
  EXPECT_LT(first, 999);
  EXPECT_EQ(*w[1][0].second, R"({"seq":999})");
}

TEST_F(Fixture, TopicCreationDefaultGroupSetsPartitions) {
  REQUIRE_KAFKA();
  auto wc = worker(bootstrap());
  auto store = make_file_offset_store((dir / "offsets").string());
  store->start();
  Metrics metrics;
  std::string topic = testing::unique_name("created");
  auto r = runner(wc, *store, metrics,
                  {{"name", "gen-create"},
                   {"connector.class", "GeneratorSource"},
                   {"topic", topic},
                   {"count", "10"},
                   {"topic.creation.default.partitions", "3"},
                   {"topic.creation.default.replication.factor", "1"},
                   {"topic.creation.default.cleanup.policy", "compact"}});
  r->start();
  ASSERT_TRUE(testing::wait_until([&] { return testing::partition_count(topic) == 3; }, 30s))
      << "partitions: " << testing::partition_count(topic) << " trace: " << r->status().trace;
  r->request_stop();
  ASSERT_TRUE(r->wait_stopped(10s));
  EXPECT_EQ(r->status().state, RunState::Stopped);
}

TEST_F(Fixture, PluginThatThrowsInPollFailsItsTaskWithTraceAndKeepsAckedOffsets) {
  REQUIRE_KAFKA();
  auto wc = worker(bootstrap());
  auto store = make_file_offset_store((dir / "offsets").string());
  store->start();
  Metrics metrics;
  auto r = runner(wc, *store, metrics,
                  {{"name", "gen-fail"},
                   {"connector.class", "GeneratorSource"},
                   {"topic", testing::unique_name("fail")},
                   {"batch.size", "100"},
                   {"fail.after.rows", "500"}});
  r->start();
  ASSERT_TRUE(testing::wait_until([&] { return r->status().state == RunState::Failed; }, 30s));
  auto st = r->status();
  EXPECT_NE(st.trace.find("fail.after.rows"), std::string::npos) << st.trace;
  EXPECT_NE(st.trace.find("gen-fail"), std::string::npos) << st.trace;
  ASSERT_TRUE(r->wait_stopped(10s));
  // Every acknowledged record before the failure is committed.
  auto o = store->get("gen-fail", OffsetMap{{"generator", "gen-fail"}, {"task", 0}});
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ((*o)["seq"], 499);
}

// A task stuck in a blocking call past task.shutdown.graceful.timeout.ms is fenced by the herder
// when it gives up on it: when the call returns, the old generation sends what it had, but
// commits no offset and calls no commit() (a replacement may own the task by then).
TEST_F(Fixture, FencedTaskCommitsNothingAfterItWasAbandoned) {
  REQUIRE_KAFKA();
  auto wc = worker(bootstrap());
  auto store = make_file_offset_store((dir / "offsets").string());
  store->start();
  Metrics metrics;
  auto r = runner(wc, *store, metrics,
                  {{"name", "gen-fence"},
                   {"connector.class", "GeneratorSource"},
                   {"topic", testing::unique_name("fence")},
                   {"batch.size", "50"},
                   {"rate.per.sec", "500"},
                   {"stall.after.rows", "2500"},
                   {"stall.ms", "4000"}});
  r->start();
  OffsetMap partition{{"generator", "gen-fence"}, {"task", 0}};
  ASSERT_TRUE(testing::wait_until(
      [&] {
        auto o = store->get("gen-fence", partition);
        return o && (*o)["seq"] >= 1500;  // streaming steadily (past the start-up burst)
      },
      30s));
  // Stalled (at row 2500) once the stored offset stops moving: it moves every 100 ms while rows
  // flow at 500/s.
  std::optional<OffsetMap> before;
  ASSERT_TRUE(testing::wait_until(
      [&] {
        auto a = store->get("gen-fence", partition);
        std::this_thread::sleep_for(400ms);
        before = store->get("gen-fence", partition);
        return a == before;
      },
      30s));
  r->request_stop();
  EXPECT_FALSE(r->wait_stopped(500ms));  // stuck in poll(), ignoring stop()
  r->fence();
  ASSERT_TRUE(r->wait_stopped(15s));
  // Its last batch went out after the stall, but no offset past the one stored before was.
  EXPECT_EQ(store->get("gen-fence", partition), before);
}

TEST_F(Fixture, PluginThatThrowsInStartFailsItsTask) {
  REQUIRE_KAFKA();
  auto wc = worker(bootstrap());
  auto store = make_file_offset_store((dir / "offsets").string());
  store->start();
  Metrics metrics;
  auto r = runner(wc, *store, metrics,
                  {{"name", "gen-start"},
                   {"connector.class", "GeneratorSource"},
                   {"topic", "unused"},
                   {"fail.on.start", "true"}});
  r->start();
  ASSERT_TRUE(r->wait_stopped(10s));
  EXPECT_EQ(r->status().state, RunState::Failed);
  EXPECT_NE(r->status().trace.find("fail.on.start"), std::string::npos);
}

TEST_F(Fixture, UnreachableBrokerFailsTaskWithClearTraceAndCommitsNothing) {
  auto wc = worker("127.0.0.1:1");
  auto store = make_file_offset_store((dir / "offsets").string());
  store->start();
  Metrics metrics;
  auto r = runner(wc, *store, metrics,
                  {{"name", "gen-down"},
                   {"connector.class", "GeneratorSource"},
                   {"topic", "nowhere"},
                   {"count", "50"},
                   {"producer.override.message.timeout.ms", "1500"}});
  r->start();
  ASSERT_TRUE(testing::wait_until([&] { return r->status().state == RunState::Failed; }, 30s));
  EXPECT_NE(r->status().trace.find("Failed to deliver a record to Kafka topic 'nowhere'"),
            std::string::npos)
      << r->status().trace;
  EXPECT_FALSE(store->get("gen-down", OffsetMap{{"generator", "gen-down"}, {"task", 0}}));
  ASSERT_TRUE(r->wait_stopped(10s));
}

}  // namespace
}  // namespace tributary
