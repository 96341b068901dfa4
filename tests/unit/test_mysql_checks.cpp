// The parts of the MySQL / MariaDB server checks that need no server (issue 15).
#include <gtest/gtest.h>

#include "mysql_connection.h"

namespace tributary::mysql {
namespace {

TEST(MysqlGrants, GlobalPrivilegesFromShowGrants) {
  // MariaDB 10.11 lists REPLICATION CLIENT as BINLOG MONITOR.
  const auto p = global_privileges(
      {"GRANT SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, BINLOG MONITOR, REPLICATION SLAVE ON "
       "*.* TO `tributary`@`%` IDENTIFIED BY PASSWORD '*ABCDEF'",
       "GRANT ALL PRIVILEGES ON `inventory`.* TO `tributary`@`%`"});
  EXPECT_EQ(p, (std::vector<std::string>{"BINLOG MONITOR", "LOCK TABLES", "RELOAD",
                                         "REPLICATION SLAVE", "SELECT", "SHOW DATABASES"}));
  // Privileges on one database do not count; ALL PRIVILEGES on *.* stands for every one.
  EXPECT_TRUE(global_privileges({"GRANT ALL PRIVILEGES ON `inventory`.* TO `u`@`%`"}).empty());
  const auto all = global_privileges({"grant all privileges on *.* to `root`@`localhost`"});
  EXPECT_NE(std::find(all.begin(), all.end(), "REPLICATION SLAVE"), all.end());
  EXPECT_TRUE(global_privileges({"GRANT USAGE ON *.* TO `u`@`%`"}) ==
              std::vector<std::string>{"USAGE"});
  EXPECT_TRUE(global_privileges({"not a grant", ""}).empty());
}

TEST(MysqlGrants, SettingsNameTheKeyOfABadValue) {
  try {
    ConnectionSettings::from({{"database.port", "70000"}});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "database.port");
  }
  const auto s = ConnectionSettings::from({{"database.hostname", "db"}, {"database.user", "u"}});
  EXPECT_EQ(s.where(), "db:3306");
  EXPECT_EQ(s.ssl_mode, "preferred");
}

}  // namespace
}  // namespace tributary::mysql
