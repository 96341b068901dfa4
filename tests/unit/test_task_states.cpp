// TaskRunner state machine without a broker: UNASSIGNED -> RUNNING -> PAUSED -> RUNNING ->
// STOPPED, FAILED (with trace) on a plugin exception, and FAILED sticking until a restart.
// The producer points at a closed port with a long timeout, so nothing is delivered or failed.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "converters/builtin.h"
#include "plugins/registry.h"
#include "worker/task_runner.h"

namespace tributary {
namespace {
using namespace std::chrono_literals;

template <class Pred>
bool eventually(Pred p, std::chrono::milliseconds timeout = 10s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (p()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return p();
}

// A transform that always throws, standing in for a failing SMT.
class AlwaysThrows : public Transformation {
 public:
  void configure(const ConfigMap&) override {}
  bool apply(SourceRecord&) override { throw std::runtime_error("boom from the test transform"); }
};

struct TaskStates : ::testing::Test {
  void SetUp() override {
    register_builtin_converters(registry);
    PluginDescriptor d;
    d.class_name = "test.AlwaysThrows";
    d.type = PluginType::Transformation;
    d.make_transformation = [] { return std::make_unique<AlwaysThrows>(); };
    registry.add(std::move(d));
    load_plugins({TRIBUTARY_PLUGIN_DIR}, registry);
    ASSERT_NE(registry.find("GeneratorSource", PluginType::Source), nullptr);
    dir = std::filesystem::temp_directory_path() /
          ("tributary-states-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
    worker = std::make_unique<WorkerConfig>(
        parse_worker_config({{"bootstrap.servers", "127.0.0.1:1"},
                             {"offset.storage.file.filename", (dir / "offsets").string()},
                             {"task.shutdown.graceful.timeout.ms", "200"}}));
    store = make_file_offset_store((dir / "offsets").string());
    store->start();
  }
  std::unique_ptr<TaskRunner> make(ConfigMap extra, bool paused = false) {
    ConfigMap cfg{{"name", "states"},
                  {"connector.class", "GeneratorSource"},
                  {"topic", "t"},
                  {"rate.per.sec", "100"},
                  {"producer.override.message.timeout.ms", "600000"}};
    for (auto& [k, v] : extra) cfg[k] = v;
    TaskEnvironment env{*worker, registry, *store, metrics};
    return std::make_unique<TaskRunner>(
        env, "states", 0, *registry.find("GeneratorSource", PluginType::Source), cfg, cfg, paused);
  }
  PluginRegistry registry;
  std::filesystem::path dir;
  std::unique_ptr<WorkerConfig> worker;
  std::unique_ptr<OffsetStore> store;
  Metrics metrics;
};

TEST_F(TaskStates, RunningPausedRunningStopped) {
  auto r = make({});
  EXPECT_EQ(r->status().state, RunState::Unassigned);
  r->start();
  ASSERT_TRUE(eventually([&] { return r->status().state == RunState::Running; }));
  r->pause();
  ASSERT_TRUE(eventually([&] { return r->status().state == RunState::Paused; }));
  EXPECT_NE(metrics.serialize().find(
                "tributary_task_state{connector=\"states\",state=\"PAUSED\",task=\"0\"} 1"),
            std::string::npos);
  r->resume();
  ASSERT_TRUE(eventually([&] { return r->status().state == RunState::Running; }));
  r->request_stop();
  ASSERT_TRUE(r->wait_stopped(5s));
  EXPECT_EQ(r->status().state, RunState::Stopped);
  EXPECT_TRUE(r->status().trace.empty());
}

TEST_F(TaskStates, StopFitsTheGracefulTimeoutWhenKafkaDoesNotAcknowledge) {
  // The stop arrives while poll() is stalled for 1.2 s of a 2 s budget, and the broker never
  // acknowledges what was sent. The final flush may use only what the poll left minus the offset
  // commit's share, so the runner ends within the budget. It used to flush for the whole budget
  // after the poll, overrun the herder's wait and be abandoned.
  worker = std::make_unique<WorkerConfig>(
      parse_worker_config({{"bootstrap.servers", "127.0.0.1:1"},
                           {"offset.storage.file.filename", (dir / "offsets").string()},
                           {"task.shutdown.graceful.timeout.ms", "2000"},
                           {"offset.flush.timeout.ms", "500"}}));
  auto r = make({{"rate.per.sec", "1000"}, {"stall.after.rows", "20"}, {"stall.ms", "1200"}});
  r->start();
  std::this_thread::sleep_for(300ms);  // 20 rows take 20 ms: the poll is stalled now
  const auto t0 = std::chrono::steady_clock::now();
  r->request_stop();
  ASSERT_TRUE(r->wait_stopped(2200ms)) << "the stop overran task.shutdown.graceful.timeout.ms";
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 800ms);  // it did wait for the poll
  EXPECT_EQ(r->status().state, RunState::Stopped);
}

TEST_F(TaskStates, StartsPausedWhenAsked) {
  auto r = make({}, true);
  r->start();
  ASSERT_TRUE(eventually([&] { return r->status().state == RunState::Paused; }));
  r->request_stop();
  ASSERT_TRUE(r->wait_stopped(5s));
}

TEST_F(TaskStates, ExceptionInPollFailsWithTraceAndStaysFailed) {
  auto r = make({{"fail.after.rows", "0"}});
  r->start();
  ASSERT_TRUE(r->wait_stopped(5s));
  auto s = r->status();
  EXPECT_EQ(s.state, RunState::Failed);
  EXPECT_NE(s.trace.find("ConnectException"), std::string::npos) << s.trace;
  EXPECT_NE(s.trace.find("fail.after.rows"), std::string::npos) << s.trace;
  r->request_stop();  // stopping a failed task keeps FAILED and its trace
  EXPECT_EQ(r->status().state, RunState::Failed);
}

TEST_F(TaskStates, UnknownConverterFailsTaskNamingTheKey) {
  auto r = make({{"value.converter", "com.example.NoSuchConverter"}});
  r->start();
  ASSERT_TRUE(r->wait_stopped(5s));
  EXPECT_EQ(r->status().state, RunState::Failed);
  EXPECT_NE(r->status().trace.find("value.converter"), std::string::npos) << r->status().trace;
}

TEST_F(TaskStates, TransformErrorFailsTaskNamingTransformTopicAndOffset) {
  auto r = make({{"transforms", "bad"}, {"transforms.bad.type", "test.AlwaysThrows"}});
  r->start();
  ASSERT_TRUE(r->wait_stopped(5s));
  auto s = r->status();
  EXPECT_EQ(s.state, RunState::Failed);
  EXPECT_NE(s.trace.find("transform 'bad'"), std::string::npos) << s.trace;
  EXPECT_NE(s.trace.find("topic 't'"), std::string::npos) << s.trace;
  EXPECT_NE(s.trace.find("{\"seq\":0}"), std::string::npos) << s.trace;
  EXPECT_NE(s.trace.find("boom from the test transform"), std::string::npos) << s.trace;
}

TEST_F(TaskStates, ToleratedTransformErrorsSkipRecordsCountThemAndCommitTheirOffsets) {
  auto r = make({{"transforms", "bad"},
                 {"transforms.bad.type", "test.AlwaysThrows"},
                 {"errors.tolerance", "all"},
                 {"errors.log.enable", "true"},
                 {"errors.log.include.messages", "true"},
                 {"count", "20"},
                 {"rate.per.sec", "0"}});
  r->start();
  ASSERT_TRUE(eventually([&] {
    return metrics.serialize().find(
               "tributary_source_records_failed_total{connector=\"states\",task=\"0\"} 20") !=
           std::string::npos;
  }));
  r->request_stop();
  ASSERT_TRUE(r->wait_stopped(5s));
  EXPECT_EQ(r->status().state, RunState::Stopped);
  // Skipped records count as done: their offsets are committed on the final flush.
  auto o = store->get("states", OffsetMap{{"generator", "states"}, {"task", 0}});
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ((*o)["seq"], 19);
}

}  // namespace
}  // namespace tributary
