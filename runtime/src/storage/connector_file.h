// The standalone worker's connector store on disk (config.storage.file.filename): every
// connector's config, as given (config-provider references unresolved), and its target state.
//
//   {"format":"tributary-connectors-v1",
//    "connectors":{"<name>":{"config":{"k":"v",...},"target_state":"STARTED|PAUSED|STOPPED"}}}
//
// Parsing never trusts the file: anything that is not this shape is reported, entry by entry,
// with the file's path, and never throws.
//
// Threading: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/config_store.h"

namespace tributary {

struct ConnectorFile {
  std::vector<StoredConnector> connectors;  // the entries that could be read
  /// What could not be read, each naming the file (and the connector). Non-empty means the file
  /// must be kept aside before it is written again.
  std::vector<std::string> problems;
};

ConnectorFile parse_connector_file(std::string_view text, const std::string& path);
std::string render_connector_file(const std::vector<StoredConnector>& connectors);

}  // namespace tributary
