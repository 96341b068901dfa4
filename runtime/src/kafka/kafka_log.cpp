#include "kafka/kafka_log.h"

#include <stdexcept>
#include <thread>

namespace tributary::kafka {

RdKafkaLog::RdKafkaLog(ConfigMap client_props, std::string topic)
    : props_(std::move(client_props)), topic_(std::move(topic)) {}

int RdKafkaLog::create(int partitions,
                       const std::vector<std::pair<std::string, std::string>>& configs,
                       std::chrono::milliseconds timeout) {
  NewTopic t;
  t.name = topic_;
  t.partitions = partitions;
  t.configs = configs;
  create_topics(props_, {t}, timeout);
  // The partitions it has (it may have existed before).
  ConfigMap p = props_;
  auto conf = make_conf(p);
  char err[512];
  HandlePtr rk(rd_kafka_new(RD_KAFKA_PRODUCER, conf.release(), err, sizeof err));
  if (!rk) throw std::runtime_error("Kafka client for topic " + topic_ + ": " + err);
  rd_kafka_topic_t* th = rd_kafka_topic_new(rk.get(), topic_.c_str(), nullptr);
  const rd_kafka_metadata_t* md = nullptr;
  const auto e = rd_kafka_metadata(rk.get(), 0, th, &md, static_cast<int>(timeout.count()));
  rd_kafka_topic_destroy(th);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR || md == nullptr || md->topic_cnt < 1)
    throw std::runtime_error("Reading the metadata of topic " + topic_ +
                             " failed: " + rd_kafka_err2str(e));
  const int n = md->topics[0].partition_cnt;
  rd_kafka_metadata_destroy(md);
  return n;
}

void RdKafkaLog::append(const std::string& value, std::chrono::milliseconds timeout) {
  if (!producer_) {
    ConfigMap p = props_;
    p["acks"] = "all";
    p["enable.idempotence"] = "true";
    producer_ = std::make_unique<Producer>(p, [this](const rd_kafka_message_t& m) {
      --pending_;
      if (m.err != RD_KAFKA_RESP_ERR_NO_ERROR) last_error_ = m.err;
    });
  }
  last_error_ = RD_KAFKA_RESP_ERR_NO_ERROR;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto e =
        producer_->produce(topic_, 0, nullptr, 0, value.data(), value.size(), -1, {}, nullptr);
    if (e == RD_KAFKA_RESP_ERR_NO_ERROR) break;
    if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL || std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("Writing to topic " + topic_ + " failed: " + rd_kafka_err2str(e));
    producer_->poll(10);
  }
  ++pending_;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (!producer_->flush(std::max(left, std::chrono::milliseconds(1))) || pending_ > 0)
    throw std::runtime_error("Writing to topic " + topic_ + " was not acknowledged within " +
                             std::to_string(timeout.count()) + " ms");
  if (last_error_ != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw std::runtime_error("Writing to topic " + topic_ +
                             " failed: " + rd_kafka_err2str(last_error_));
}

void RdKafkaLog::read_all(const std::function<void(const std::string& value)>& fn,
                          std::chrono::milliseconds timeout) {
  read_topic_to_end(props_, topic_, timeout, [&](std::string_view, const std::string* value) {
    if (value != nullptr) fn(*value);
  });
}

}  // namespace tributary::kafka
