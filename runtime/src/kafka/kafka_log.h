// KafkaLog (tributary/connector.h) on the runtime's Kafka client: a connector's own topic, such
// as Debezium's schema history, created with the Admin API, appended to by a producer that waits
// for each acknowledgement, and read back to its end.
//
// Threading: one thread at a time (the task's reader); every call has a deadline.
#pragma once

#include <memory>
#include <string>

#include "kafka/kafka.h"
#include "tributary/connector.h"

namespace tributary::kafka {

class RdKafkaLog final : public KafkaLog {
 public:
  RdKafkaLog(ConfigMap client_props, std::string topic);
  int create(int partitions, const std::vector<std::pair<std::string, std::string>>& configs,
             std::chrono::milliseconds timeout) override;
  void append(const std::string& value, std::chrono::milliseconds timeout) override;
  void read_all(const std::function<void(const std::string& value)>& fn,
                std::chrono::milliseconds timeout) override;

 private:
  ConfigMap props_;
  std::string topic_;
  std::unique_ptr<Producer> producer_;
  rd_kafka_resp_err_t last_error_ = RD_KAFKA_RESP_ERR_NO_ERROR;
  int pending_ = 0;
};

}  // namespace tributary::kafka
