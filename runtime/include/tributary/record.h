// SourceRecord: what a source task produces and what transforms and converters consume.
//
// Mirrors org.apache.kafka.connect.source.SourceRecord. The source partition is shared between the
// records of one partition (connectors create it once); the source offset is per record. Both are
// JSON objects whose key order is kept (they are written to the offsets topic byte for byte).
//
// Threading: a record is owned by one task thread from poll() until the producer has its bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tributary/data.h"

namespace tributary {

/// A source partition or offset map: a JSON object whose keys keep insertion order.
using OffsetMap = nlohmann::ordered_json;
using PartitionPtr = std::shared_ptr<const OffsetMap>;

struct Header {
  std::string key;
  SchemaPtr schema;
  Value value;
};

struct SourceRecord {
  PartitionPtr source_partition;
  OffsetMap source_offset;
  std::string topic;
  std::optional<std::int32_t> kafka_partition;
  SchemaPtr key_schema;
  Value key;
  SchemaPtr value_schema;
  Value value;
  /// Milliseconds since the epoch; nullopt lets the producer stamp it.
  std::optional<std::int64_t> timestamp;
  std::vector<Header> headers;
};

}  // namespace tributary
