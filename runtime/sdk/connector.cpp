// Defaults of the source connector interfaces (see tributary/connector.h).
//
// Threading: the discarding gauge has no state, so any thread may use it; log() writes one
// fprintf call per line.
#include "tributary/connector.h"

#include <cstdio>
#include <stdexcept>

namespace tributary {
namespace {
class DiscardGauge final : public MetricGauge {
 public:
  void set(double value) override { (void)value; }
};
}  // namespace

MetricGauge& SourceTaskContext::gauge(const std::string& name, const std::string& help,
                                      const std::map<std::string, std::string>& labels) {
  (void)name;
  (void)help;
  (void)labels;
  static DiscardGauge discard;
  return discard;
}

void SourceTaskContext::log(LogLevel level, const std::string& logger, const std::string& message) {
  static constexpr const char* kNames[] = {"DEBUG", "INFO", "WARN", "ERROR"};
  std::fprintf(stderr, "%s [%s] %s-%d %s\n", kNames[static_cast<int>(level)], logger.c_str(),
               connector_name().c_str(), task_id(), message.c_str());
}

std::unique_ptr<KafkaLog> SourceTaskContext::kafka_log(const ConfigMap& client_props,
                                                       const std::string& topic) {
  (void)client_props;
  throw std::runtime_error("no Kafka client in this context for topic " + topic);
}

}  // namespace tributary
