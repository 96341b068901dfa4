// The PostgreSQL connector's validation against real servers: every failure names the key at
// fault with a message saying what is wrong (wrong password, unreachable host, missing database,
// user without REPLICATION, slot active elsewhere, wal_level not logical).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "kafka_test_util.h"
#include "pg_connection.h"
#include "pg_test_util.h"

namespace tributary::pg {
namespace {

using testing::pg_address;

ConfigMap config(const std::string& addr) {
  const auto colon = addr.rfind(':');
  return {{"database.hostname", addr.substr(0, colon)},
          {"database.port", addr.substr(colon + 1)},
          {"database.user", "debezium"},
          {"database.password", "dbz_password"},
          {"database.dbname", "inventory"},
          {"slot.name", "check_slot"}};
}

std::string only_error(const std::map<std::string, std::vector<std::string>>& errors,
                       const std::string& key) {
  EXPECT_EQ(errors.size(), 1u);
  auto it = errors.find(key);
  if (it == errors.end() || it->second.empty()) {
    ADD_FAILURE() << "no error for " << key;
    return "";
  }
  return it->second.front();
}

TEST(PostgresChecks, GoodSettingsPass) {
  REQUIRE_PG();
  EXPECT_TRUE(check_server(config(pg_address())).empty());
}

TEST(PostgresChecks, WrongPasswordNamesThePassword) {
  REQUIRE_PG();
  auto c = config(pg_address());
  c["database.password"] = "wrong";
  auto e = only_error(check_server(c), "database.password");
  EXPECT_NE(e.find("password authentication failed"), std::string::npos) << e;
  EXPECT_NE(e.find("debezium"), std::string::npos) << e;
}

TEST(PostgresChecks, UnreachableServerNamesTheHost) {
  REQUIRE_PG();
  auto c = config(pg_address());
  c["database.port"] = "1";  // nothing listens there
  auto e = only_error(check_server(c), "database.hostname");
  EXPECT_NE(e.find(":1/inventory"), std::string::npos) << e;
}

TEST(PostgresChecks, MissingDatabaseNamesTheDatabase) {
  REQUIRE_PG();
  auto c = config(pg_address());
  c["database.dbname"] = "no_such_db";
  auto e = only_error(check_server(c), "database.dbname");
  EXPECT_NE(e.find("no_such_db"), std::string::npos) << e;
}

TEST(PostgresChecks, UserWithoutReplicationNamesTheUser) {
  REQUIRE_PG();
  auto admin = config(pg_address());
  admin["database.user"] = "postgres";
  Connection su(ConnectionSettings::from(admin), false);
  su.exec("drop role if exists norep");
  su.exec("create role norep login password 'norep_pw'");
  auto c = config(pg_address());
  c["database.user"] = "norep";
  c["database.password"] = "norep_pw";
  auto e = only_error(check_server(c), "database.user");
  EXPECT_NE(e.find("REPLICATION"), std::string::npos) << e;
  su.exec("drop role norep");
}

void wait_inactive(Connection& admin, const std::string& slot) {
  for (int i = 0; i < 50; ++i) {
    if (admin.exec("select 1 from pg_replication_slots where slot_name='" + slot + "' and active")
            .rows() == 0)
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

TEST(PostgresChecks, SlotActiveElsewhereNamesTheSlot) {
  REQUIRE_PG();
  auto c = config(pg_address());
  auto settings = ConnectionSettings::from(c);
  Connection admin(settings, false);
  admin.exec("select pg_create_logical_replication_slot('check_slot', 'pgoutput')");
  {
    Connection repl(settings, true);
    Result r(PQexec(repl.raw(),
                    "START_REPLICATION SLOT check_slot LOGICAL 0/0 (proto_version '1', "
                    "publication_names 'none')"));
    ASSERT_EQ(PQresultStatus(r.raw()), PGRES_COPY_BOTH) << repl.error();
    auto e = only_error(check_server(c), "slot.name");
    EXPECT_NE(e.find("'check_slot'"), std::string::npos) << e;
    EXPECT_NE(e.find("active"), std::string::npos) << e;
  }
  {
    // Held by a task's own stream (a running connector whose config is being updated): its
    // replacement waits for the slot, so validation accepts it.
    Connection repl(settings, true, stream_application_name("check_slot"));
    wait_inactive(admin, "check_slot");
    Result r(PQexec(repl.raw(),
                    "START_REPLICATION SLOT check_slot LOGICAL 0/0 (proto_version '1', "
                    "publication_names 'none')"));
    ASSERT_EQ(PQresultStatus(r.raw()), PGRES_COPY_BOTH) << repl.error();
    EXPECT_EQ(check_server(c).count("slot.name"), 0u);
  }
  // The walsender lets go of the slot once the session is gone.
  for (int i = 0; i < 50; ++i) {
    if (admin.exec("select 1 from pg_replication_slots where slot_name='check_slot' and active")
            .rows() == 0)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  admin.exec("select pg_drop_replication_slot('check_slot')");
}

TEST(PostgresChecks, WalLevelNotLogicalNamesTheServer) {
  REQUIRE_PG();
  // A second server of our own with wal_level=replica.
  const auto dir = testing::temp_dir("pg-replica");
  const std::string port = std::to_string(20000 + std::rand() % 20000);
  const std::string env = std::string(TRIBUTARY_SOURCE_DIR) + "/tests/env/postgres.sh";
  ASSERT_EQ(std::system(("PG_EXTRA_CONF='wal_level = replica' " + env + " start " + dir.string() +
                         " " + port + " >/dev/null")
                            .c_str()),
            0);
  auto c = config("127.0.0.1:" + port);
  auto errors = check_server(c);
  std::system((env + " stop " + dir.string()).c_str());
  std::filesystem::remove_all(dir);
  auto e = only_error(errors, "database.hostname");
  EXPECT_NE(e.find("wal_level=replica"), std::string::npos) << e;
  EXPECT_NE(e.find("wal_level=logical"), std::string::npos) << e;
}

}  // namespace
}  // namespace tributary::pg
