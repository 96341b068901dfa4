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

/// Frees an offset map's members in place, leaving an empty object. Call it before an offset map
/// is destroyed or assigned over on a per-record path: nlohmann's destructor first moves an
/// object's members into a heap-allocated stack (to bound recursion on deep documents), which for
/// a flat offset of 7 keys costs about 1,300 instructions, a tenth of a narrow MySQL event's CPU;
/// a flat map's members are freed here directly.
inline void release_offset(OffsetMap& offset) {
  if (offset.is_object()) offset.get_ref<OffsetMap::object_t&>().clear();
}

/// Source offsets computed on demand. Records that differ in their offsets by one counter only
/// (the rows of one binlog event, the changes of one PostgreSQL transaction) can share one
/// OffsetSource and each carry their counter (LazyOffset) instead of a map each: the worker asks
/// for the map only for the offset it commits or names in an error, not once per record. Building
/// and freeing a map per record was about 2,200 instructions of a narrow MySQL event's 15,600
/// (tests/bench/run_mysql.sh instr:5:off).
///
/// Threading: built by the connector's thread, then immutable; offset() may run on any thread.
class OffsetSource {
 public:
  virtual ~OffsetSource() = default;
  /// The offset map of the record that carries `arg`.
  virtual OffsetMap offset(std::uint64_t arg) const = 0;
};

/// One offset shared by many records (the rows of a snapshot).
class ConstantOffset : public OffsetSource {
 public:
  explicit ConstantOffset(OffsetMap offset) : offset_(std::move(offset)) {}
  OffsetMap offset(std::uint64_t) const override { return offset_; }

 private:
  OffsetMap offset_;
};

struct LazyOffset {
  std::shared_ptr<const OffsetSource> source;  // null: the record's source_offset is its offset
  std::uint64_t arg = 0;
};

struct Header {
  std::string key;
  SchemaPtr schema;
  Value value;
};

struct SourceRecord {
  PartitionPtr source_partition;
  /// The record's offset, unless lazy_offset.source is set (then that computes it).
  OffsetMap source_offset;
  LazyOffset lazy_offset;
  std::string topic;
  std::optional<std::int32_t> kafka_partition;
  SchemaPtr key_schema;
  Value key;
  SchemaPtr value_schema;
  Value value;
  /// Milliseconds since the epoch; nullopt lets the producer stamp it.
  std::optional<std::int64_t> timestamp;
  std::vector<Header> headers;

  /// The offset map, whichever way the connector gave it.
  OffsetMap offset() const {
    return lazy_offset.source ? lazy_offset.source->offset(lazy_offset.arg) : source_offset;
  }
};

}  // namespace tributary
