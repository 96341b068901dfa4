// Thin RAII wrappers over librdkafka's C API: configuration from Kafka-style properties, a
// producer with cached topic handles, topic creation through the Admin API, and a reader that
// drains a whole topic (used to load the offsets topic).
//
// Threading: a Producer is used by one thread (its owner calls produce() and poll(), and delivery
// callbacks run inside poll() on that thread). librdkafka runs its own I/O threads internally.
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tributary/config.h"

namespace tributary::kafka {

struct ConfDeleter {
  void operator()(rd_kafka_conf_t* c) const { rd_kafka_conf_destroy(c); }
};
struct HandleDeleter {
  void operator()(rd_kafka_t* k) const { rd_kafka_destroy(k); }
};
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;
using HandlePtr = std::unique_ptr<rd_kafka_t, HandleDeleter>;

/// Builds a librdkafka configuration from Kafka client properties. Java-only properties that
/// librdkafka does not know are logged at DEBUG and skipped; a known property with a bad value
/// throws ConfigError naming `key_prefix + key`.
ConfPtr make_conf(const ConfigMap& props, std::string_view key_prefix = "");

/// Called from Producer::poll() for each delivered or failed message (msg._private is the
/// opaque given to produce(), msg.err the outcome, rd_kafka_topic_name(msg.rkt) the topic).
using DeliveryCallback = std::function<void(const rd_kafka_message_t& msg)>;

class Producer {
 public:
  /// `props`: client properties (bootstrap.servers, acks, ...). Throws std::runtime_error on a
  /// configuration librdkafka rejects. `io_thread_nice` > 0 lowers the priority of librdkafka's
  /// broker threads of this producer to that nice value (see tributary.producer.io.thread.nice).
  Producer(const ConfigMap& props, DeliveryCallback on_delivery, int io_thread_nice = 0);
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  struct HeaderBytes {
    std::string_view key;
    const void* value;  // nullptr = null header
    size_t size;
  };
  /// Enqueues one message (librdkafka copies the bytes). A null key/value is (nullptr, 0).
  /// Returns RD_KAFKA_RESP_ERR__QUEUE_FULL when the local queue is full; the caller polls and
  /// retries (that is the back-pressure that slows poll()).
  rd_kafka_resp_err_t produce(const std::string& topic, std::int32_t partition, const void* key,
                              size_t key_len, const void* value, size_t value_len,
                              std::int64_t timestamp_ms, const std::vector<HeaderBytes>& headers,
                              void* msg_opaque);
  /// Serves delivery callbacks, waiting up to timeout_ms for one.
  int poll(int timeout_ms);
  /// Waits until every queued message is delivered or failed. Returns false on timeout.
  bool flush(std::chrono::milliseconds timeout);
  int queue_length() const;
  rd_kafka_t* handle() const { return rk_.get(); }

 private:
  static void dr_cb(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque);
  rd_kafka_topic_t* topic_handle(const std::string& topic);

  DeliveryCallback on_delivery_;
  HandlePtr rk_;
  std::unordered_map<std::string, rd_kafka_topic_t*> topics_;
};

struct NewTopic {
  std::string name;
  int partitions = -1;          // -1: broker default
  int replication_factor = -1;  // -1: broker default
  std::vector<std::pair<std::string, std::string>> configs;
};

/// Creates topics with the Admin API. Topics that already exist are not an error. Throws
/// std::runtime_error naming the topic on any other failure.
void create_topics(const ConfigMap& client_props, const std::vector<NewTopic>& topics,
                   std::chrono::milliseconds timeout);

/// Deletes topics with the Admin API; unknown topics are not an error. Throws std::runtime_error
/// naming the topic on any other failure.
void delete_topics(const ConfigMap& client_props, const std::vector<std::string>& topics,
                   std::chrono::milliseconds timeout);

/// Cluster id from metadata, or nullopt when the brokers cannot be reached in time.
std::optional<std::string> cluster_id(const ConfigMap& client_props,
                                      std::chrono::milliseconds timeout);

/// Reads every message of every partition of `topic` from the beginning to its end, calling
/// fn(key, value) (value nullptr for a tombstone) in partition order. A partition is done when a
/// message at the end offset seen at the start arrived, or when the consumer reports its end
/// (PARTITION_EOF) — which is what ends a partition whose last offsets are transaction markers
/// or were compacted away, where no message carries the last offset. Committed messages only
/// (read_committed), as Connect's KafkaBasedLog reads them.
/// Throws std::runtime_error naming the topic when it cannot be read in time.
void read_topic_to_end(
    const ConfigMap& client_props, const std::string& topic, std::chrono::milliseconds timeout,
    const std::function<void(std::string_view key, const std::string* value)>& fn);

/// Java's producer picks partitions with murmur2 over the key bytes; librdkafka's name for it.
inline constexpr const char* kJavaCompatiblePartitioner = "murmur2_random";

}  // namespace tributary::kafka
