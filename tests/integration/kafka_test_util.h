// Helpers for integration tests against the real Kafka broker at $TRIBUTARY_TEST_BOOTSTRAP
// (tests/env/kafka.sh starts it; tests/run.sh exports the address).
#pragma once

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace tributary::testing {

inline std::string bootstrap() {
  const char* b = std::getenv("TRIBUTARY_TEST_BOOTSTRAP");
  return b ? b : "";
}

#define REQUIRE_KAFKA()                                                                 \
  do {                                                                                  \
    if (::tributary::testing::bootstrap().empty())                                      \
      FAIL() << "TRIBUTARY_TEST_BOOTSTRAP is not set: run through tests/run.sh, which " \
                "starts a real Kafka broker";                                           \
  } while (0)

inline std::string unique_name(const std::string& prefix) {
  static std::mt19937_64 rng{std::random_device{}()};
  return prefix + "-" + std::to_string(rng() % 1000000000ULL);
}

inline std::filesystem::path temp_dir(const std::string& prefix) {
  auto p = std::filesystem::temp_directory_path() / unique_name("tributary-" + prefix);
  std::filesystem::create_directories(p);
  return p;
}

struct Message {
  std::optional<std::string> key;
  std::optional<std::string> value;
  int32_t partition;
  std::vector<std::pair<std::string, std::optional<std::string>>> headers;
};

/// Reads every message of `topic` from the beginning until `expected` messages were read or
/// `timeout` passed with nothing new.
inline std::vector<Message> consume_all(
    const std::string& topic, size_t expected,
    std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap().c_str(), err, sizeof err);
  rd_kafka_conf_set(conf, "group.id", unique_name("tributary-test").c_str(), err, sizeof err);
  rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", err, sizeof err);
  rd_kafka_conf_set(conf, "enable.auto.commit", "false", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  rd_kafka_poll_set_consumer(rk);
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(rk, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  std::vector<Message> out;
  auto last = std::chrono::steady_clock::now();
  while (out.size() < expected && std::chrono::steady_clock::now() - last < timeout) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 200);
    if (m == nullptr) continue;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      Message msg;
      if (m->key) msg.key = std::string(static_cast<const char*>(m->key), m->key_len);
      if (m->payload) msg.value = std::string(static_cast<const char*>(m->payload), m->len);
      msg.partition = m->partition;
      rd_kafka_headers_t* hdrs = nullptr;
      if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char* name;
        const void* val;
        size_t size;
        for (size_t i = 0;
             rd_kafka_header_get_all(hdrs, i, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
             ++i)
          msg.headers.emplace_back(name, val ? std::optional<std::string>(
                                                   std::string(static_cast<const char*>(val), size))
                                             : std::nullopt);
      }
      out.push_back(std::move(msg));
      last = std::chrono::steady_clock::now();
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  return out;
}

/// Partition count of a topic, or -1.
inline int partition_count(const std::string& topic) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap().c_str(), err, sizeof err);
  // A producer's metadata request would let the broker auto-create the topic we are probing.
  rd_kafka_conf_set(conf, "allow.auto.create.topics", "false", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* md = nullptr;
  int n = -1;
  if (rd_kafka_metadata(rk, 0, rkt, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR)
      n = md->topics[0].partition_cnt;
    rd_kafka_metadata_destroy(md);
  }
  rd_kafka_topic_destroy(rkt);
  rd_kafka_destroy(rk);
  return n;
}

template <class Pred>
bool wait_until(Pred p, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (p()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return p();
}

}  // namespace tributary::testing
