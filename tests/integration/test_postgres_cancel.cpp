// Cancelling blocking PostgreSQL calls from another thread, against the server at
// $TRIBUTARY_TEST_PG (host:port; tests/env/postgres.sh starts it, tests/run.sh exports it):
// Connection::cancel() interrupts a statement in progress; PostgresTask::stop() ends a start()
// blocked in CREATE_REPLICATION_SLOT (which waits for running transactions) or waiting for a slot
// another session streams from, and the task gives up on such a slot after slot.max.retries.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <mutex>
#include <thread>

#include "kafka_test_util.h"
#include "pg_connection.h"
#include "pg_test_util.h"
#include "plugins/registry.h"

namespace tributary::pg {
namespace {

using Clock = std::chrono::steady_clock;

using testing::pg_address;

// The superuser (trusted on loopback), so that the task may create publications FOR ALL TABLES.
ConnectionSettings settings() {
  const std::string addr = pg_address();
  const auto colon = addr.rfind(':');
  ConnectionSettings s;
  s.host = addr.substr(0, colon);
  s.port = std::stoi(addr.substr(colon + 1));
  s.user = "postgres";
  s.dbname = "inventory";
  return s;
}

ConfigMap task_config(const std::string& slot, const std::string& publication) {
  const ConnectionSettings s = settings();
  return {{"database.hostname", s.host},
          {"database.port", std::to_string(s.port)},
          {"database.user", s.user},
          {"database.dbname", s.dbname},
          {"topic.prefix", slot},
          {"slot.name", slot},
          {"publication.name", publication},
          {"snapshot.mode", "no_data"}};
}

/// A task context without offsets that keeps what the task logs.
struct TestContext : SourceTaskContext {
  std::string name = "pg-cancel";
  const std::string& connector_name() const override { return name; }
  int task_id() const override { return 0; }
  std::optional<OffsetMap> committed_offset(const OffsetMap&) const override { return {}; }
  void log(LogLevel, const std::string&, const std::string& message) override {
    std::lock_guard lk(mu);
    lines.push_back(message);
  }
  std::string all() {
    std::lock_guard lk(mu);
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
  }
  std::mutex mu;
  std::vector<std::string> lines;
};

/// A PostgreSQL task from the plugin of the build (the task is not in tributary_postgres_core).
std::unique_ptr<SourceTask> make_task() {
  static PluginRegistry* registry = [] {
    auto* r = new PluginRegistry;
    load_plugins({TRIBUTARY_PLUGIN_DIR}, *r);
    return r;
  }();
  const auto* plugin = registry->find("PostgresConnector", PluginType::Source);
  if (plugin == nullptr)
    throw std::runtime_error(std::string("no PostgreSQL plugin in ") + TRIBUTARY_PLUGIN_DIR);
  return plugin->make_source()->create_task();
}

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// Drops the slot and the publication the test made (the slot once no session holds it).
void cleanup(const std::string& slot, const std::string& publication) {
  Connection c(settings(), false, "cancel-cleanup");
  for (int i = 0; i < 50; ++i) {
    const auto r = c.exec("SELECT active FROM pg_replication_slots WHERE slot_name = $1", {slot});
    if (r.rows() == 0) break;
    if (r.get(0, 0) == "f") {
      c.exec("SELECT pg_drop_replication_slot($1)", {slot});
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  c.exec("DROP PUBLICATION IF EXISTS \"" + publication + "\"");
}

TEST(PostgresCancel, CancelInterruptsAStatementOfAnotherThread) {
  REQUIRE_PG();
  Connection c(settings(), false, "cancel-test");
  const auto t0 = Clock::now();
  auto sleeping = std::async(std::launch::async, [&] { c.exec("SELECT pg_sleep(30)"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::string error;
  EXPECT_TRUE(c.cancel(&error)) << error;
  ASSERT_EQ(sleeping.wait_for(std::chrono::seconds(2)), std::future_status::ready)
      << "exec() still blocked 2 s after cancel()";
  try {
    sleeping.get();
    FAIL() << "exec() returned normally";
  } catch (const DbError& e) {
    EXPECT_NE(std::string(e.what()).find("canceling statement"), std::string::npos) << e.what();
    EXPECT_EQ(e.sqlstate, "57014") << e.what();
  }
  EXPECT_LT(seconds_since(t0), 2.5);
  // The connection stays usable, and cancel() with nothing under way does nothing.
  EXPECT_FALSE(c.cancel());
  EXPECT_EQ(c.exec("SELECT 1").get(0, 0), "1");
}

TEST(PostgresCancel, StopEndsAStartBlockedCreatingTheSlot) {
  REQUIRE_PG();
  const std::string id = testing::unique_name("pgc").substr(4);
  const std::string slot = "cancel_" + id, publication = "cancel_pub_" + id;
  // A transaction with an xid: CREATE_REPLICATION_SLOT waits for it to end (the slot's snapshot
  // must see every transaction as finished or not yet started).
  Connection holder(settings(), false, "cancel-holder");
  holder.exec("BEGIN");
  holder.exec("SELECT txid_current()");

  TestContext context;
  auto task = make_task();
  auto start_task =
      std::async(std::launch::async, [&] { task->start(task_config(slot, publication), context); });
  // Until the walsender waits in CREATE_REPLICATION_SLOT.
  Connection probe(settings(), false, "cancel-probe");
  bool waiting = false;
  for (int i = 0; i < 100 && !waiting; ++i) {
    waiting = probe
                  .exec(
                      "SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND "
                      "query LIKE 'CREATE_REPLICATION_SLOT%' AND state = 'active'",
                      {"tributary-" + slot + "-stream"})
                  .rows() > 0;
    if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(waiting) << context.all();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  const auto t0 = Clock::now();
  task->stop();
  EXPECT_LT(seconds_since(t0), 0.5) << "stop() waited";
  ASSERT_EQ(start_task.wait_for(std::chrono::seconds(2)), std::future_status::ready)
      << "start() still blocked 2 s after stop()";
  EXPECT_NO_THROW(start_task.get()) << "a stop is not a failure";
  std::vector<SourceRecord> out;
  EXPECT_NO_THROW(task->poll(out));
  EXPECT_TRUE(out.empty());
  task.reset();
  EXPECT_LT(seconds_since(t0), 3.0);
  EXPECT_NE(context.all().find("stopped while starting"), std::string::npos) << context.all();
  holder.exec("ROLLBACK");
  cleanup(slot, publication);
}

/// Streams from `slot` on a replication connection of its own, so the slot is active in another
/// session until it is destroyed.
struct SlotHolder {
  explicit SlotHolder(const std::string& slot, const std::string& publication)
      : c(settings(), true, "slot-holder") {
    const std::string cmd = "START_REPLICATION SLOT \"" + slot +
                            "\" LOGICAL 0/0 (proto_version '1', publication_names '\"" +
                            publication + "\"')";
    const Result r(PQexec(c.raw(), cmd.c_str()));
    if (PQresultStatus(r.raw()) != PGRES_COPY_BOTH)
      throw std::runtime_error("START_REPLICATION: " + c.error());
    pid = std::to_string(PQbackendPID(c.raw()));
  }
  Connection c;
  std::string pid;
};

void make_slot(const std::string& slot, const std::string& publication) {
  Connection c(settings(), false, "cancel-setup");
  c.exec("CREATE PUBLICATION \"" + publication + "\" FOR ALL TABLES");
  c.exec("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", {slot});
}

TEST(PostgresCancel, StopEndsTheWaitForASlotActiveElsewhere) {
  REQUIRE_PG();
  const std::string id = testing::unique_name("pgc").substr(4);
  const std::string slot = "cancel_" + id, publication = "cancel_pub_" + id;
  make_slot(slot, publication);
  {
    SlotHolder held(slot, publication);
    TestContext context;
    auto config = task_config(slot, publication);
    config["slot.retry.delay.ms"] = "60000";
    auto task = make_task();
    auto start_task = std::async(std::launch::async, [&] { task->start(config, context); });
    // Until the first attempt found the slot busy.
    for (int i = 0; i < 100 && context.all().find("trying again") == std::string::npos; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const std::string log = context.all();
    EXPECT_NE(log.find("Replication slot '" + slot + "' is active in another session (pid " +
                       held.pid + "); trying again in 60000 ms (retry 1 of 6"),
              std::string::npos)
        << log;
    const auto t0 = Clock::now();
    task->stop();
    ASSERT_EQ(start_task.wait_for(std::chrono::seconds(2)), std::future_status::ready)
        << "start() still waiting for the slot 2 s after stop()";
    EXPECT_NO_THROW(start_task.get());
    task.reset();
    EXPECT_LT(seconds_since(t0), 2.0);
  }
  cleanup(slot, publication);
}

TEST(PostgresCancel, GivesUpOnASlotActiveElsewhereAfterTheRetries) {
  REQUIRE_PG();
  const std::string id = testing::unique_name("pgc").substr(4);
  const std::string slot = "cancel_" + id, publication = "cancel_pub_" + id;
  make_slot(slot, publication);
  {
    SlotHolder held(slot, publication);
    TestContext context;
    auto config = task_config(slot, publication);
    config["slot.max.retries"] = "2";
    config["slot.retry.delay.ms"] = "300";
    auto task = make_task();
    const auto t0 = Clock::now();
    try {
      task->start(config, context);
      FAIL() << "start() took a slot another session streams from";
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.key(), "slot.name");
      EXPECT_NE(std::string(e.what()).find("Replication slot '" + slot +
                                           "' is active in another session (pid " + held.pid + ")"),
                std::string::npos)
          << e.what();
      EXPECT_NE(std::string(e.what()).find("tried 3 times"), std::string::npos) << e.what();
    }
    // Two waits of 300 ms between three attempts.
    EXPECT_GE(seconds_since(t0), 0.6);
    const std::string log = context.all();
    EXPECT_NE(log.find("(retry 1 of 2, slot.max.retries)"), std::string::npos) << log;
    EXPECT_NE(log.find("(retry 2 of 2, slot.max.retries)"), std::string::npos) << log;
  }
  cleanup(slot, publication);
}

}  // namespace
}  // namespace tributary::pg
