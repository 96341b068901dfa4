// org.apache.kafka.connect.transforms.TimestampRouter: the topic becomes `topic.format` with
// ${topic} and ${timestamp} (the record's timestamp in `timestamp.format`, UTC) replaced. Like
// Kafka's, it needs a record timestamp, which source connectors such as Debezium's leave unset.
#include "java_date.h"
#include "transforms.h"

namespace tributary::transforms {
namespace {

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

class TimestampRouter : public Transformation {
 public:
  void configure(const ConfigMap& props) override {
    const Config c = checked_config(timestamp_router_config_def(), props);
    topic_format_ = c.get_string("topic.format");
    const std::string pattern = c.get_string("timestamp.format");
    try {
      format_.emplace(pattern);
    } catch (const std::invalid_argument& e) {
      invalid("timestamp.format", pattern, e.what());
    }
  }

  bool apply(SourceRecord& r) override {
    if (!r.timestamp) throw DataException("Timestamp missing on record to topic '" + r.topic + "'");
    std::string topic = topic_format_;
    replace_all(topic, "${topic}", r.topic);
    replace_all(topic, "${timestamp}", format_->format(*r.timestamp));
    r.topic = std::move(topic);
    return true;
  }

 private:
  std::string topic_format_;
  std::optional<JavaDateFormat> format_;
};

}  // namespace

const ConfigDef& timestamp_router_config_def() {
  static const ConfigDef def = [] {
    ConfigDef d;
    d.define("topic.format", ConfigType::String, "${topic}-${timestamp}", Importance::High,
             "Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> "
             "as placeholders for the topic and timestamp, respectively.");
    d.define("timestamp.format", ConfigType::String, "yyyyMMdd", Importance::High,
             "Format string for the timestamp that is compatible with "
             "<code>java.text.SimpleDateFormat</code>.");
    return d;
  }();
  return def;
}

std::unique_ptr<Transformation> make_timestamp_router() {
  return std::make_unique<TimestampRouter>();
}

}  // namespace tributary::transforms
