// The Kafka offset store against a real broker: Kafka Connect's key and value bytes, reload,
// tombstones, and a clear error when the broker cannot be reached.
#include <gtest/gtest.h>

#include <thread>

#include "kafka_test_util.h"
#include "offsets/offset_store.h"

namespace tributary {
namespace {
using namespace std::chrono_literals;
using testing::bootstrap;

TEST(KafkaOffsetStore, WritesConnectBytesAndReloads) {
  REQUIRE_KAFKA();
  std::string topic = testing::unique_name("offsets");
  ConfigMap props{{"bootstrap.servers", bootstrap()}};
  auto store = make_kafka_offset_store(props, topic, 5, 1);
  store->start();
  OffsetMap partition{{"server", "dbserver1"}};
  OffsetMap offset{{"lsn", 33849472}, {"txId", 42}, {"ts_usec", 1706000000000000LL}};
  store->put("inventory-connector", {{partition, offset}}, 10s);
  ASSERT_EQ(store->get("inventory-connector", partition), offset);

  // The raw record is exactly what Kafka Connect writes.
  auto msgs = testing::consume_all(topic, 1);
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(*msgs[0].key, R"(["inventory-connector",{"server":"dbserver1"}])");
  EXPECT_EQ(*msgs[0].value, R"({"lsn":33849472,"txId":42,"ts_usec":1706000000000000})");

  // A second store sees it after loading; a null offset deletes it for everyone after.
  auto again = make_kafka_offset_store(props, topic, 5, 1);
  again->start();
  ASSERT_EQ(again->get("inventory-connector", partition), offset);
  EXPECT_FALSE(again->get("other-connector", partition).has_value());
  again->put("inventory-connector", {{partition, std::nullopt}}, 10s);
  auto third = make_kafka_offset_store(props, topic, 5, 1);
  third->start();
  EXPECT_FALSE(third->get("inventory-connector", partition).has_value());
  EXPECT_TRUE(third->all("inventory-connector").empty());
}

TEST(KafkaOffsetStore, UnreachableBrokerIsAClearError) {
  auto store = make_kafka_offset_store(
      {{"bootstrap.servers", "127.0.0.1:1"}, {"socket.connection.setup.timeout.ms", "1000"}},
      "connect-offsets", 1, 1);
  try {
    store->start();
    FAIL() << "start() should fail without a broker";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("connect-offsets"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tributary
