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

// Java workers with exactly-once source support write the offsets topic in transactions, so the
// topic ends with a commit marker that no message carries: loading must stop at the partition's
// end, not wait for a message at high-watermark - 1 (it used to time out and retry forever).
// Aborted records are not offsets.
TEST(KafkaOffsetStore, TopicEndingWithTransactionMarkersLoads) {
  REQUIRE_KAFKA();
  std::string topic = testing::unique_name("offsets-txn");
  ConfigMap props{{"bootstrap.servers", bootstrap()}};
  make_kafka_offset_store(props, topic, 1, 1)->start();  // creates the compacted topic

  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  ASSERT_EQ(rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap().c_str(), err, sizeof err),
            RD_KAFKA_CONF_OK);
  std::string txn_id = testing::unique_name("txn");
  ASSERT_EQ(rd_kafka_conf_set(conf, "transactional.id", txn_id.c_str(), err, sizeof err),
            RD_KAFKA_CONF_OK);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  ASSERT_NE(rk, nullptr) << err;
  auto check = [](rd_kafka_error_t* e) {
    std::string what = e ? rd_kafka_error_string(e) : "";
    if (e) rd_kafka_error_destroy(e);
    return what;
  };
  ASSERT_EQ(check(rd_kafka_init_transactions(rk, 30000)), "");
  auto send = [&](const std::string& k, const std::string& v) {
    return rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic.c_str()),
                             RD_KAFKA_V_KEY(k.data(), k.size()),
                             RD_KAFKA_V_VALUE(const_cast<char*>(v.data()), v.size()),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
  };
  const std::string key = R"(["txn-connector",{"server":"s1"}])";
  ASSERT_EQ(check(rd_kafka_begin_transaction(rk)), "");
  ASSERT_EQ(send(key, R"({"lsn":1})"), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(send(key, R"({"lsn":2})"), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(check(rd_kafka_commit_transaction(rk, 30000)), "");
  ASSERT_EQ(check(rd_kafka_begin_transaction(rk)), "");
  ASSERT_EQ(send(key, R"({"lsn":999})"), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_flush(rk, 10000);
  ASSERT_EQ(check(rd_kafka_abort_transaction(rk, 30000)), "");
  rd_kafka_destroy(rk);

  auto store = make_kafka_offset_store(props, topic, 1, 1);
  auto started = std::chrono::steady_clock::now();
  store->start();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
  auto got = store->get("txn-connector", OffsetMap{{"server", "s1"}});
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, OffsetMap({{"lsn", 2}}));
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
