// Offset storage: the last committed source offset of each (connector, source partition).
//
// Two backends, chosen by the worker config: a file (offset.storage.file.filename) or a Kafka topic
// (offset.storage.topic) in Kafka Connect's own format — key `["<connector>",{<partition>}]`,
// value the offset map as compact JSON, null value deletes — so either worker can read the other's.
//
// Threading: thread-safe. put() blocks until the write is durable (file fsynced / Kafka acked).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tributary/config.h"
#include "tributary/record.h"

namespace tributary {

/// The offsets-topic key of a source partition: compact JSON ["<connector>",{...}], byte for
/// byte what Kafka Connect's JsonConverter (schemas off) writes.
std::string offset_key(const std::string& connector, const OffsetMap& partition);
/// Compact JSON as Kafka's JsonConverter writes schemaless maps.
std::string compact_json(const OffsetMap& value);

struct OffsetEntry {
  OffsetMap partition;
  std::optional<OffsetMap> offset;  // nullopt = delete
};

class OffsetStore {
 public:
  virtual ~OffsetStore() = default;
  /// Loads existing offsets. Throws std::runtime_error naming the file or topic on failure.
  virtual void start() = 0;
  virtual std::optional<OffsetMap> get(const std::string& connector, const OffsetMap& partition);
  virtual std::vector<std::pair<OffsetMap, OffsetMap>> all(const std::string& connector);
  /// Writes durably or throws std::runtime_error (the previous offsets stay valid).
  void put(const std::string& connector, const std::vector<OffsetEntry>& entries,
           std::chrono::milliseconds timeout);

 protected:
  /// Persists the given (key bytes, value bytes or nullopt) pairs; called without mu_ held.
  virtual void write(const std::vector<std::pair<std::string, std::optional<std::string>>>& kvs,
                     std::chrono::milliseconds timeout) = 0;
  /// Applies one stored record to the in-memory view (used when loading).
  void apply(std::string_view key, const std::string* value);

  std::mutex mu_;
  // connector -> offset key -> (partition, offset)
  std::map<std::string, std::map<std::string, std::pair<OffsetMap, OffsetMap>>> data_;
  std::mutex write_mu_;  // serializes writers so the file/topic sees puts in order
  std::map<std::string, std::pair<OffsetMap, OffsetMap>> pending_rollback_;
};

/// Offsets in a local JSON file, rewritten atomically (temp file, fsync, rename) on each put.
std::unique_ptr<OffsetStore> make_file_offset_store(std::string path);
/// Offsets in a compacted Kafka topic (created if missing with the given partitions and RF).
std::unique_ptr<OffsetStore> make_kafka_offset_store(ConfigMap client_props, std::string topic,
                                                     int partitions, int replication_factor);

}  // namespace tributary
