// MySQL / MariaDB validation against the real MariaDB 10.11 of tests/env/mariadb.sh
// ($TRIBUTARY_TEST_MARIADB, host:port; root without a password, the user "tributary" with the
// grants change data capture needs). Each check is made to fail on a real server: users without
// grants, a wrong password, a closed port, the binlog in STATEMENT format, the server's own id.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "mysql_connection.h"

namespace tributary::mysql {
namespace {

std::string mariadb_addr() {
  const char* a = std::getenv("TRIBUTARY_TEST_MARIADB");
  return a ? a : "";
}

#define REQUIRE_MARIADB()                                                                    \
  do {                                                                                       \
    if (mariadb_addr().empty())                                                              \
      FAIL() << "TRIBUTARY_TEST_MARIADB is not set: run through tests/run.sh, which starts " \
                "MariaDB";                                                                   \
  } while (0)

ConfigMap props(const std::string& user, const std::string& password) {
  const std::string a = mariadb_addr();
  const auto colon = a.rfind(':');
  return {{"database.hostname", a.substr(0, colon)},
          {"database.port", a.substr(colon + 1)},
          {"database.user", user},
          {"database.password", password},
          {"database.server.id", "5400"},
          {"connect.timeout.ms", "5000"}};
}

std::string messages(const std::map<std::string, std::vector<std::string>>& errors,
                     const std::string& key) {
  auto it = errors.find(key);
  if (it == errors.end()) return "";
  std::string out;
  for (const auto& m : it->second) out += m + "\n";
  return out;
}

TEST(MysqlChecks, TheTestServerPasses) {
  REQUIRE_MARIADB();
  const auto errors = check_server(props("tributary", "tributary"));
  for (const auto& [key, list] : errors) ADD_FAILURE() << key << ": " << list.front();
}

TEST(MysqlChecks, MissingGrantsWrongPasswordClosedPortAndOwnServerId) {
  REQUIRE_MARIADB();
  Connection root(ConnectionSettings::from(props("root", "")));
  const std::string user = "nogrants" + std::to_string(std::random_device{}() % 100000);
  root.exec("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw'");
  root.exec("GRANT SELECT ON *.* TO '" + user + "'@'%'");
  auto e = check_server(props(user, "pw"));
  const std::string m = messages(e, "database.user");
  EXPECT_NE(m.find("lacks REPLICATION SLAVE, REPLICATION CLIENT, RELOAD ON *.*"), std::string::npos)
      << m;
  EXPECT_EQ(m.find("pw"), std::string::npos);  // no secret in a message
  root.exec("DROP USER '" + user + "'@'%'");

  e = check_server(props("tributary", "wrong"));
  EXPECT_NE(messages(e, "database.password").find("Access denied"), std::string::npos)
      << messages(e, "database.password");

  auto closed = props("tributary", "tributary");
  closed["database.port"] = "1";
  e = check_server(closed);
  EXPECT_NE(messages(e, "database.hostname").find("Unable to connect to"), std::string::npos);

  auto same = props("tributary", "tributary");
  same["database.server.id"] = root.global_variable("server_id").value_or("?");
  e = check_server(same);
  EXPECT_NE(messages(e, "database.server.id").find("is the server_id of"), std::string::npos);
}

TEST(MysqlChecks, StatementFormatIsRefused) {
  REQUIRE_MARIADB();
  Connection root(ConnectionSettings::from(props("root", "")));
  root.exec("SET GLOBAL binlog_format = 'STATEMENT'");
  const auto e = check_server(props("tributary", "tributary"));
  root.exec("SET GLOBAL binlog_format = 'ROW'");
  EXPECT_NE(messages(e, "database.hostname").find("binlog_format=STATEMENT"), std::string::npos)
      << messages(e, "database.hostname");
}

TEST(MysqlChecks, InterruptEndsABlockedQueryAtOnce) {
  REQUIRE_MARIADB();
  Connection c(ConnectionSettings::from(props("tributary", "tributary")));
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    c.interrupt();
  });
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_THROW(c.query("SELECT SLEEP(30)"), SqlError);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
  t.join();
}

}  // namespace
}  // namespace tributary::mysql
