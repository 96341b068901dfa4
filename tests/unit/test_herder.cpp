// The herder's state machine without REST and without Kafka: StandaloneHerder with its control
// thread, Worker, file config store and memory status store, driving a scripted test connector
// whose validation, start, stop, task configs and polls the tests control. The producer points at
// a closed port, so tasks run but nothing is delivered.
//
// Covers: create/pause/resume/stop/delete and what each stores; conflicts and invalid configs;
// reads and other changes answering while a validation hangs; the request timeout; a connector
// calling back (raise_error, reconfiguration) from its own threads while the herder stops it; the
// fencing of an abandoned task by generation; restart plans; a restart from the stored state.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "converters/builtin.h"
#include "herder/standalone_herder.h"
#include "plugins/registry.h"

namespace tributary {
namespace {
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

template <class Pred>
bool eventually(Pred p, std::chrono::milliseconds timeout = 10s) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (p()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return p();
}

// A gate the test opens; whoever waits on it blocks until then (or 30 s, so a failing test ends).
class Gate {
 public:
  void open() {
    std::lock_guard lk(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock lk(mu_);
    cv_.wait_for(lk, 30s, [this] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// What the scripted connector does, set by each test. Connector code reads it on the herder's,
// the validation and the task threads.
struct Script {
  std::atomic<Gate*> validate_gate{nullptr};  // validate() waits on it when set
  std::atomic<int> tasks{1};                  // task_configs() hands out this many
  std::atomic<int> config_version{1};         // in every task config: a change reconfigures
  std::atomic<int> poll_stall_ms{0};          // poll() blocks this long (ignoring stop)
  std::atomic<bool> fail_task{false};         // poll() throws
  std::atomic<bool> raise_in_stop{false};     // stop() calls raise_error from another thread
  std::atomic<ConnectorContext*> context{nullptr};
  std::atomic<int> validations{0};
};
Script* script = nullptr;

class ScriptedTask : public SourceTask {
 public:
  void start(const ConfigMap&, SourceTaskContext&) override {}
  void poll(std::vector<SourceRecord>&) override {
    if (script->fail_task.load()) throw std::runtime_error("scripted task failure");
    if (int stall = script->poll_stall_ms.load(); stall > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(stall));
    else if (!stopped_.load())
      std::this_thread::sleep_for(5ms);
  }
  void stop() override { stopped_.store(true); }

 private:
  std::atomic<bool> stopped_{false};
};

class ScriptedConnector : public SourceConnector {
 public:
  void start(const ConfigMap&, ConnectorContext& context) override {
    script->context.store(&context);
  }
  std::vector<ConfigMap> task_configs(int max_tasks) override {
    std::vector<ConfigMap> out;
    for (int i = 0; i < std::min(max_tasks, script->tasks.load()); ++i)
      out.push_back({{"task.index", std::to_string(i)},
                     {"version", std::to_string(script->config_version.load())}});
    return out;
  }
  void stop() override {
    ConnectorContext* ctx = script->context.exchange(nullptr);
    if (ctx != nullptr && script->raise_in_stop.load()) {
      // A connector thread reporting a failure while the herder is stopping the connector and
      // waits for that thread: with a herder lock taken in raise_error, this deadlocked.
      std::thread t([ctx] { ctx->raise_error("failure reported while stopping"); });
      t.join();
    }
  }
  std::map<std::string, std::vector<std::string>> validate(const ConfigMap& props) override {
    script->validations.fetch_add(1);
    if (Gate* g = script->validate_gate.load()) g->wait();
    if (props.count("scripted.invalid")) return {{"scripted.invalid", {"scripted refusal"}}};
    return {};
  }
  std::unique_ptr<SourceTask> create_task() override { return std::make_unique<ScriptedTask>(); }
};

struct HerderTest : ::testing::Test {
  void SetUp() override {
    script = &s;
    register_builtin_converters(registry);
    PluginDescriptor d;
    d.class_name = "test.ScriptedSourceConnector";
    d.aliases = {"ScriptedSource"};
    d.type = PluginType::Source;
    d.make_source = [] { return std::make_unique<ScriptedConnector>(); };
    registry.add(std::move(d));
    dir = std::filesystem::temp_directory_path() /
          ("tributary-herder-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  void TearDown() override {
    if (herder) herder->stop();
    herder.reset();
    std::filesystem::remove_all(dir);
    script = nullptr;
  }

  void start_herder(std::map<std::string, std::string> extra = {}) {
    ConfigMap props{{"bootstrap.servers", "127.0.0.1:1"},
                    {"offset.storage.file.filename", (dir / "offsets").string()},
                    {"config.storage.file.filename", (dir / "connectors.json").string()},
                    {"task.shutdown.graceful.timeout.ms", "500"},
                    {"offset.flush.interval.ms", "100"}};
    for (auto& [k, v] : extra) props[k] = v;
    WorkerConfig wc = parse_worker_config(props);
    herder =
        std::make_unique<StandaloneHerder>(wc, registry, make_file_offset_store(wc.offset_file));
    herder->set_worker_id("127.0.0.1:8083");
    herder->start({});
    ASSERT_TRUE(eventually([&] { return herder->ready(); }));
  }

  static ConfigMap config(ConfigMap extra = {}) {
    ConfigMap c{{"connector.class", "ScriptedSource"},
                {"tasks.max", "4"},
                {"producer.override.message.timeout.ms", "600000"}};
    for (auto& [k, v] : extra) c[k] = v;
    return c;
  }

  RunState connector_state(const std::string& name) {
    return herder->connector_status(name).connector.state;
  }
  std::vector<RunState> task_states(const std::string& name) {
    std::vector<RunState> out;
    for (const auto& t : herder->connector_status(name).tasks) out.push_back(t.state.state);
    return out;
  }
  bool all_tasks(const std::string& name, RunState want, std::size_t n) {
    auto states = task_states(name);
    return states.size() == n &&
           std::all_of(states.begin(), states.end(), [&](RunState s) { return s == want; });
  }
  std::string stored_file() {
    std::ifstream in(dir / "connectors.json");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  Script s;
  // Outlives the herder, whose destructor waits for validations still inside gate.wait().
  Gate gate;
  PluginRegistry registry;
  std::filesystem::path dir;
  std::unique_ptr<StandaloneHerder> herder;
};

ErrorKind kind_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const HerderError& e) {
    return e.kind();
  }
  ADD_FAILURE() << "no HerderError thrown";
  return ErrorKind::Internal;
}

TEST_F(HerderTest, LifecycleAndWhatIsStored) {
  start_herder();
  s.tasks = 2;
  ConnectorInfo info = herder->create_connector("a", config(), std::nullopt);
  EXPECT_EQ(info.name, "a");
  EXPECT_EQ(info.config.at("name"), "a");
  ASSERT_EQ(info.tasks.size(), 2u);
  EXPECT_EQ(info.tasks[1], (ConnectorTaskId{"a", 1}));
  EXPECT_EQ(herder->connector_names(), std::vector<std::string>{"a"});
  EXPECT_EQ(connector_state("a"), RunState::Running);
  ASSERT_TRUE(eventually([&] { return all_tasks("a", RunState::Running, 2); }));
  EXPECT_EQ(herder->connector_status("a").connector.worker_id, "127.0.0.1:8083");
  EXPECT_NE(stored_file().find("\"STARTED\""), std::string::npos);

  herder->pause_connector("a");
  EXPECT_EQ(connector_state("a"), RunState::Paused);
  ASSERT_TRUE(eventually([&] { return all_tasks("a", RunState::Paused, 2); }));
  EXPECT_NE(stored_file().find("\"PAUSED\""), std::string::npos);

  herder->resume_connector("a");
  EXPECT_EQ(connector_state("a"), RunState::Running);
  ASSERT_TRUE(eventually([&] { return all_tasks("a", RunState::Running, 2); }));

  herder->stop_connector("a");
  EXPECT_EQ(connector_state("a"), RunState::Stopped);
  EXPECT_TRUE(herder->connector_status("a").tasks.empty());
  EXPECT_TRUE(herder->task_configs("a").empty());
  EXPECT_NE(stored_file().find("\"STOPPED\""), std::string::npos);

  // Offsets may be changed only while STOPPED.
  OffsetMap partition = {{"server", "a"}};
  OffsetMap offset = {{"lsn", 42}};
  EXPECT_EQ(herder->alter_connector_offsets("a", {{partition, offset}}),
            "The offsets for this connector have been altered successfully");
  auto offsets = herder->connector_offsets("a");
  ASSERT_EQ(offsets.size(), 1u);
  EXPECT_EQ(offsets[0].second, offset);

  herder->resume_connector("a");  // from STOPPED: starts again
  ASSERT_TRUE(eventually([&] { return all_tasks("a", RunState::Running, 2); }));
  EXPECT_EQ(kind_of([&] {
              herder->alter_connector_offsets("a", {{partition, offset}});
            }),
            ErrorKind::BadRequest);

  herder->delete_connector("a");
  EXPECT_TRUE(herder->connector_names().empty());
  EXPECT_EQ(kind_of([&] { herder->connector_status("a"); }), ErrorKind::NotFound);
  EXPECT_EQ(stored_file().find("\"a\""), std::string::npos);
}

TEST_F(HerderTest, ConflictsAndInvalidConfigs) {
  start_herder();
  herder->create_connector("a", config(), std::nullopt);
  EXPECT_EQ(kind_of([&] { herder->create_connector("a", config(), std::nullopt); }),
            ErrorKind::Conflict);
  EXPECT_EQ(kind_of([&] {
              herder->create_connector("b", {{"tasks.max", "1"}}, std::nullopt);
            }),
            ErrorKind::BadRequest);
  try {
    herder->create_connector("b", config({{"scripted.invalid", "x"}}), std::nullopt);
    FAIL() << "an invalid config was accepted";
  } catch (const HerderError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::BadRequest);
    EXPECT_NE(std::string(e.what()).find("scripted refusal"), std::string::npos) << e.what();
  }
  EXPECT_EQ(herder->connector_names(), std::vector<std::string>{"a"});
  // An update that does not validate changes nothing.
  EXPECT_EQ(kind_of([&] {
              herder->put_connector_config("a", config({{"scripted.invalid", "x"}}));
            }),
            ErrorKind::BadRequest);
  EXPECT_EQ(herder->connector_config("a").count("scripted.invalid"), 0u);
  EXPECT_EQ(kind_of([&] { herder->restart_task("a", 9); }), ErrorKind::NotFound);
  EXPECT_EQ(kind_of([&] { herder->pause_connector("nope"); }), ErrorKind::NotFound);
}

TEST_F(HerderTest, ReadsAndOtherChangesAnswerWhileAValidationHangs) {
  start_herder();
  herder->create_connector("other", config(), std::nullopt);
  s.validate_gate = &gate;
  auto pending = std::async(std::launch::async, [&] {
    return herder->create_connector("slow", config(), std::nullopt).name;
  });
  ASSERT_TRUE(eventually([&] { return s.validations.load() >= 2; }));  // "other", then "slow"
  s.validate_gate = nullptr;  // validations from here on pass at once

  const auto t0 = Clock::now();
  EXPECT_EQ(herder->connector_names(), std::vector<std::string>{"other"});
  EXPECT_EQ(connector_state("other"), RunState::Running);
  EXPECT_FALSE(herder->metrics_text().empty());
  EXPECT_EQ(herder->health().state, HealthInfo::State::Healthy);
  herder->pause_connector("other");  // a change, through the control thread
  EXPECT_EQ(connector_state("other"), RunState::Paused);
  EXPECT_LT(Clock::now() - t0, 2s) << "the hanging validation held the herder";
  EXPECT_EQ(pending.wait_for(0s), std::future_status::timeout);

  gate.open();
  EXPECT_EQ(pending.get(), "slow");
  EXPECT_EQ(herder->connector_names().size(), 2u);
}

TEST_F(HerderTest, AChangeGivesUpAfterTheRequestTimeout) {
  start_herder({{"tributary.rest.request.timeout.ms", "300"}});
  s.validate_gate = &gate;
  const auto t0 = Clock::now();
  EXPECT_EQ(kind_of([&] { herder->create_connector("slow", config(), std::nullopt); }),
            ErrorKind::Timeout);
  EXPECT_LT(Clock::now() - t0, 3s);
  gate.open();
  s.validate_gate = nullptr;
  // Validation never finished within the request: nothing was created.
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(herder->connector_names().empty());
}

TEST_F(HerderTest, BusyControlThreadTimesOutChangesButNotReads) {
  // A task stuck in poll() for 3 s holds the control thread in its stop for the graceful timeout
  // (500 ms) — longer than the request timeout here.
  start_herder({{"tributary.rest.request.timeout.ms", "200"}});
  // Creating may itself outlast 200 ms on a slow machine (ASan in CI): a change that timed out
  // is still applied, so a timeout here only means waiting for it.
  for (const char* name : {"stuck", "other"}) {
    try {
      herder->create_connector(name, config(), std::nullopt);
    } catch (const HerderError& e) {
      ASSERT_EQ(e.kind(), ErrorKind::Timeout) << e.what();
    }
  }
  ASSERT_TRUE(eventually([&] {
    return all_tasks("stuck", RunState::Running, 1) && all_tasks("other", RunState::Running, 1);
  }));
  s.poll_stall_ms = 1500;
  std::this_thread::sleep_for(50ms);  // let the task enter its stalled poll
  auto stopping = std::async(std::launch::async, [&] {
    try {
      herder->stop_connector("stuck");
    } catch (const HerderError&) {  // may time out itself; the stop still happens
    }
  });
  std::this_thread::sleep_for(50ms);
  const auto t0 = Clock::now();
  EXPECT_EQ(kind_of([&] { herder->pause_connector("other"); }), ErrorKind::Timeout);
  EXPECT_EQ(connector_state("other"), RunState::Running);
  EXPECT_EQ(herder->connector_names().size(), 2u);
  EXPECT_LT(Clock::now() - t0, 2s);
  // The herder's clock says it has been busy longer than the request timeout: unhealthy.
  EXPECT_TRUE(
      eventually([&] { return herder->health().state == HealthInfo::State::Unhealthy; }, 1s));
  stopping.get();
  s.poll_stall_ms = 0;
  // The pause that timed out was still applied once the control thread got to it.
  EXPECT_TRUE(eventually([&] { return connector_state("other") == RunState::Paused; }));
  EXPECT_TRUE(eventually([&] { return herder->health().state == HealthInfo::State::Healthy; }));
  // The abandoned task ends after its stall and is reaped.
  EXPECT_TRUE(eventually([&] { return herder->abandoned_tasks() == 0; }));
}

TEST_F(HerderTest, ConnectorCallingBackWhileBeingStoppedDoesNotDeadlock) {
  start_herder();
  herder->create_connector("a", config(), std::nullopt);
  s.raise_in_stop = true;
  auto deleting = std::async(std::launch::async, [&] { herder->delete_connector("a"); });
  ASSERT_EQ(deleting.wait_for(5s), std::future_status::ready) << "delete deadlocked";
  deleting.get();
  EXPECT_TRUE(herder->connector_names().empty());
}

TEST_F(HerderTest, RaiseErrorFailsTheConnector) {
  start_herder();
  herder->create_connector("a", config(), std::nullopt);
  ASSERT_NE(s.context.load(), nullptr);
  std::thread([&] { s.context.load()->raise_error("lost the database"); }).join();
  auto st = herder->connector_status("a");
  EXPECT_EQ(st.connector.state, RunState::Failed);
  EXPECT_NE(st.connector.trace.find("lost the database"), std::string::npos);
  // restart?onlyFailed: the plan shows the connector RESTARTING, and it runs again.
  auto plan = herder->restart_connector("a", true, true);
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->connector.state, RunState::Restarting);
  EXPECT_EQ(connector_state("a"), RunState::Running);
}

TEST_F(HerderTest, ReconfigurationRequestRestartsTasksWithNewConfigs) {
  start_herder();
  s.tasks = 1;
  herder->create_connector("a", config(), std::nullopt);
  ASSERT_EQ(herder->task_configs("a").size(), 1u);
  s.tasks = 3;
  s.config_version = 2;
  // From a connector thread, as a connector watching its source would.
  std::thread([&] { s.context.load()->request_task_reconfiguration(); }).join();
  ASSERT_TRUE(eventually([&] { return herder->task_configs("a").size() == 3u; }));
  EXPECT_EQ(herder->task_configs("a")[2].config.at("version"), "2");
  EXPECT_TRUE(eventually([&] { return all_tasks("a", RunState::Running, 3); }));
}

TEST_F(HerderTest, FailedTaskAndRestartPlan) {
  start_herder();
  s.tasks = 2;
  s.fail_task = true;
  herder->create_connector("a", config(), std::nullopt);
  ASSERT_TRUE(eventually([&] { return all_tasks("a", RunState::Failed, 2); }));
  auto t = herder->task_status("a", 1);
  EXPECT_NE(t.state.trace.find("scripted task failure"), std::string::npos);
  s.fail_task = false;
  auto plan = herder->restart_connector("a", true, true);
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->connector.state, RunState::Running);  // not failed: not restarted
  ASSERT_EQ(plan->tasks.size(), 2u);
  EXPECT_EQ(plan->tasks[0].state.state, RunState::Restarting);
  EXPECT_TRUE(eventually([&] { return all_tasks("a", RunState::Running, 2); }));
}

TEST_F(HerderTest, AnAbandonedTaskCannotOverwriteItsReplacement) {
  start_herder();  // graceful timeout 500 ms
  herder->create_connector("a", config(), std::nullopt);
  ASSERT_TRUE(eventually([&] { return all_tasks("a", RunState::Running, 1); }));
  s.poll_stall_ms = 1500;
  std::this_thread::sleep_for(50ms);
  herder->restart_task("a", 0);  // the old runner overruns its stop and is abandoned
  s.poll_stall_ms = 0;
  ASSERT_TRUE(eventually([&] { return all_tasks("a", RunState::Running, 1); }));
  EXPECT_EQ(herder->abandoned_tasks(), 1u);
  // The abandoned runner ends after its stall and would report STOPPED; its generation is older.
  ASSERT_TRUE(eventually([&] { return herder->abandoned_tasks() == 0; }));
  EXPECT_TRUE(all_tasks("a", RunState::Running, 1)) << run_state_name(task_states("a").at(0));
}

TEST_F(HerderTest, StoppingReleasesWaitingRequests) {
  start_herder();
  s.validate_gate = &gate;
  auto pending = std::async(std::launch::async, [&] {
    return kind_of([&] { herder->create_connector("slow", config(), std::nullopt); });
  });
  ASSERT_TRUE(eventually([&] { return s.validations.load() >= 1; }));
  std::thread stopper([&] { herder->stop(); });
  ASSERT_EQ(pending.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(pending.get(), ErrorKind::Unavailable);
  EXPECT_EQ(kind_of([&] { herder->pause_connector("x"); }), ErrorKind::Unavailable);
  gate.open();
  stopper.join();
}

TEST_F(HerderTest, ARestartedWorkerResumesFromTheStore) {
  start_herder();
  herder->create_connector("run", config(), std::nullopt);
  herder->create_connector("paused", config(), TargetState::Paused);
  herder->create_connector("stopped", config(), TargetState::Stopped);
  herder->stop();
  herder.reset();

  start_herder();
  EXPECT_EQ(herder->connector_names(), (std::vector<std::string>{"paused", "run", "stopped"}));
  EXPECT_EQ(connector_state("run"), RunState::Running);
  EXPECT_EQ(connector_state("paused"), RunState::Paused);
  EXPECT_EQ(connector_state("stopped"), RunState::Stopped);
  EXPECT_TRUE(eventually([&] { return all_tasks("paused", RunState::Paused, 1); }));
}

TEST_F(HerderTest, AStoreThatCannotBeReadIsKeptAside) {
  {
    std::ofstream out(dir / "connectors.json");
    out << R"({"format":"tributary-connectors-v1","connectors":{"ok":{"config":)"
        << R"({"connector.class":"ScriptedSource","name":"ok"},"target_state":"STARTED"},)"
        << R"("bad":{"config":[1,2]}}})";
  }
  start_herder();
  EXPECT_EQ(herder->connector_names(), std::vector<std::string>{"ok"});
  bool aside = false;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    aside |= e.path().filename().string().rfind("connectors.json.corrupt-", 0) == 0;
  EXPECT_TRUE(aside);
}

}  // namespace
}  // namespace tributary
