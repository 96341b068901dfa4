// ConfigStore: where the herder keeps every connector's config (as given: config-provider
// references unresolved) and target state, so they survive a restart. Kafka Connect's
// ConfigBackingStore in the shape this worker needs: the standalone worker's file
// (config.storage.file.filename) now; Connect's config topic for distributed mode next
// (REFERENCE §4), behind the same interface.
//
// Threading: not thread-safe. Owned by the herder's control thread, which is its only caller.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tributary/config.h"

namespace tributary {

/// What an operator asked a connector to be (Connect's TargetState).
enum class TargetState { Started, Paused, Stopped };
const char* target_state_name(TargetState t);  // "STARTED", "PAUSED", "STOPPED"
/// "STARTED" (or Connect's "RUNNING"), "PAUSED", "STOPPED".
std::optional<TargetState> parse_target_state(std::string_view s);

struct StoredConnector {
  std::string name;
  ConfigMap config;
  TargetState target = TargetState::Started;
};

class ConfigStore {
 public:
  virtual ~ConfigStore() = default;

  struct Loaded {
    std::vector<StoredConnector> connectors;  // what could be read
    std::vector<std::string> problems;        // what could not, each naming the store
  };
  /// Reads what is stored. Never throws for bad content: bad entries are skipped and reported.
  virtual Loaded load() = 0;
  /// Stores (adds or replaces) one connector; durable when it returns. Throws on failure, and then
  /// nothing changed.
  virtual void put(const StoredConnector& connector) = 0;
  /// Forgets a connector; durable when it returns. Throws on failure.
  virtual void remove(const std::string& name) = 0;
};

/// The standalone worker's store: one JSON file (storage/connector_file.h), rewritten whole
/// (write to `<file>.tmp`, fsync, rename) on every change. A file that cannot be read whole is
/// copied to `<file>.corrupt-<ms>` before anything can overwrite it.
std::unique_ptr<ConfigStore> make_file_config_store(std::string path);

}  // namespace tributary
