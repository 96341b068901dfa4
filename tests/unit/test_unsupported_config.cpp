// The guard against Debezium keys the connectors do not implement (connectors/common/
// unsupported_config.h): a refused key set to a value that would change the records is an error
// naming it, an ignored one a warning, Debezium's defaults pass silently; and every key of the
// real connectors' ConfigDefs (tests/golden/mysql/*-configdef.tsv, dumped from the Debezium 2.7.4
// classes) is either defined by ours or named by a list, so no Debezium key is dropped unseen.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "mysql_config.h"
#include "postgres_config.h"
#include "unsupported_config.h"

namespace tributary::cdc {
namespace {

bool listed(const std::vector<UnsupportedKey>& own, const std::string& key) {
  auto named = [&](const UnsupportedKey& k) { return k.names(key); };
  return std::any_of(own.begin(), own.end(), named) ||
         std::any_of(common_unsupported_keys().begin(), common_unsupported_keys().end(), named);
}

// The key names of a ConfigDef dump; a regex key (column.mask.with.(d+).chars) as a sample key
// it matches (column.mask.with.x1.chars).
std::vector<std::string> configdef_keys(const std::string& file) {
  std::ifstream in(std::string(TRIBUTARY_SOURCE_DIR) + "/tests/golden/mysql/" + file);
  EXPECT_TRUE(in.good()) << file;
  std::vector<std::string> keys;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (n++ < 2) continue;  // the groups and the header
    std::istringstream cols(line);
    std::string idx, name;
    std::getline(cols, idx, '\t');
    std::getline(cols, name, '\t');
    // A sample key for each pattern: every group "(...)" as "x1".
    for (auto open = name.find('('); open != std::string::npos; open = name.find('(')) {
      const auto close = name.find(')', open);
      name.replace(open, close == std::string::npos ? std::string::npos : close - open + 1, "x1");
    }
    keys.push_back(name);
  }
  return keys;
}

TEST(UnsupportedConfig, RefusedKeysNameTheKeyAndWhy) {
  const auto f = check_unsupported({{"column.mask.with.10.chars", "inventory.customers.email"},
                                    {"topic.naming.strategy", "com.acme.MyStrategy"},
                                    {"schema.name.adjustment.mode", "avro"}},
                                   {});
  ASSERT_EQ(f.errors.size(), 3u);
  EXPECT_EQ(f.errors[0].first, "column.mask.with.10.chars");
  EXPECT_NE(f.errors[0].second.find("unmasked values"), std::string::npos) << f.errors[0].second;
  EXPECT_EQ(f.errors[1].first, "schema.name.adjustment.mode");
  EXPECT_EQ(f.errors[2].first, "topic.naming.strategy");
  EXPECT_NE(f.errors[2].second.find("Tributary does not implement topic.naming.strategy"),
            std::string::npos);
  EXPECT_TRUE(f.warnings.empty());
}

TEST(UnsupportedConfig, DebeziumsDefaultsAndEmptyValuesPass) {
  const auto f = check_unsupported(
      {{"topic.naming.strategy", " io.debezium.schema.DefaultTopicNamingStrategy "},
       {"schema.name.adjustment.mode", "NONE"},
       {"event.processing.failure.handling.mode", "fail"},
       {"include.schema.comments", "False"},
       {"column.propagate.source.type", ""},
       {"snapshot.max.threads", "1"},
       {"column.mask.with..chars", "x"}},  // not the pattern: nothing between the dots
      {});
  EXPECT_TRUE(f.errors.empty()) << f.errors.front().first;
  EXPECT_TRUE(f.warnings.empty()) << f.warnings.front();
}

TEST(UnsupportedConfig, IgnoredKeysWarnOnce) {
  const auto f = check_unsupported(
      {{"snapshot.max.threads", "4"}, {"signal.data.collection", "inventory.signals"}}, {});
  EXPECT_TRUE(f.errors.empty());
  ASSERT_EQ(f.warnings.size(), 2u);
  EXPECT_EQ(f.warnings[0].rfind("signal.data.collection is set but has no effect", 0), 0u)
      << f.warnings[0];
  EXPECT_EQ(f.warnings[1].rfind("snapshot.max.threads is set but has no effect", 0), 0u);
}

TEST(UnsupportedConfig, AConnectorsOwnListWinsOverTheCommonOne) {
  const std::vector<UnsupportedKey> own = {
      {"topic.naming.strategy", UnsupportedKey::Kind::Ignored, {}, "test"},
      {"gtid.source.includes", UnsupportedKey::Kind::Refused, {}, "test"}};
  const auto f = check_unsupported(
      {{"topic.naming.strategy", "com.acme.X"}, {"gtid.source.includes", "0-1"}}, own);
  ASSERT_EQ(f.errors.size(), 1u);
  EXPECT_EQ(f.errors[0].first, "gtid.source.includes");
  ASSERT_EQ(f.warnings.size(), 1u);
  EXPECT_EQ(f.warnings[0].rfind("topic.naming.strategy ", 0), 0u);
}

TEST(UnsupportedConfig, EveryKeyOfDebeziumsMySqlConnectorIsDefinedOrListed) {
  const auto& def = mysql::mysql_config_def();
  for (const auto& key : configdef_keys("mysql-configdef.tsv"))
    EXPECT_TRUE(def.find(key) != nullptr || listed(mysql::mysql_unsupported_keys(), key)) << key;
}

TEST(UnsupportedConfig, EveryKeyOfDebeziumsPostgresConnectorIsDefinedOrListed) {
  const auto& def = pg::postgres_config_def();
  for (const auto& key : configdef_keys("postgres-configdef.tsv"))
    EXPECT_TRUE(def.find(key) != nullptr || listed(pg::postgres_unsupported_keys(), key)) << key;
}

TEST(UnsupportedConfig, NoListedKeyIsAlsoDefined) {
  // A key both defined and listed would be validated and refused at once.
  for (const auto& k : mysql::mysql_unsupported_keys())
    EXPECT_EQ(mysql::mysql_config_def().find(k.name), nullptr) << k.name;
  for (const auto& k : pg::postgres_unsupported_keys())
    EXPECT_EQ(pg::postgres_config_def().find(k.name), nullptr) << k.name;
  for (const auto& k : common_unsupported_keys()) {
    EXPECT_EQ(mysql::mysql_config_def().find(k.name), nullptr) << k.name;
    EXPECT_EQ(pg::postgres_config_def().find(k.name), nullptr) << k.name;
  }
}

}  // namespace
}  // namespace tributary::cdc
