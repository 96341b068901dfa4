// Converters: Connect data to the bytes of a Kafka key, value or header.
//
// Mirrors org.apache.kafka.connect.storage.Converter / HeaderConverter. Only the source direction
// (fromConnectData) is on the hot path; to_connect (toConnectData) is for reading records back.
//
// Threading: one instance per task and role (key / value / header); never shared between threads,
// except Converter::interrupt(), which any thread may call.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "tributary/config.h"
#include "tributary/data.h"

namespace tributary {

class Converter {
 public:
  virtual ~Converter() = default;
  /// `props` are the converter's own keys (prefix already stripped). Throws ConfigError.
  virtual void configure(const ConfigMap& props, bool is_key) = 0;
  /// Serializes into `out` (cleared first). Returns false when the result is a Kafka null.
  /// Throws std::invalid_argument (naming the field) when the value does not fit its schema.
  virtual bool from_connect(std::string_view topic, const SchemaPtr& schema, const Value& value,
                            std::string& out) = 0;
  /// Deserializes (Connect's toConnectData): the schema and value of `data`, which is nullptr
  /// for a Kafka null (a null schema and value then). Throws std::invalid_argument naming the
  /// topic when the bytes are not in this converter's format. Converters without a read side
  /// throw std::logic_error.
  virtual std::pair<SchemaPtr, Value> to_connect(std::string_view topic, const std::string* data) {
    (void)data;
    throw std::logic_error("this converter cannot read records (topic '" + std::string(topic) +
                           "')");
  }
  /// Any thread: makes a from_connect() blocked on the network (a schema registry call) end soon,
  /// throwing. Called when the task is asked to stop. Converters that never block ignore it.
  virtual void interrupt() noexcept {}
};

class HeaderConverter {
 public:
  virtual ~HeaderConverter() = default;
  virtual void configure(const ConfigMap& props) = 0;
  /// Returns false for a null header value.
  virtual bool from_connect_header(std::string_view topic, std::string_view header_key,
                                   const SchemaPtr& schema, const Value& value,
                                   std::string& out) = 0;
};

}  // namespace tributary
