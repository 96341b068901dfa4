// Debezium configuration keys the Tributary connectors do not implement. Kafka Connect passes
// any key to a connector, so without this a Debezium user's JSON that asks for column masking, a
// topic naming strategy or GTID filtering would start and silently write other records than
// Debezium writes (unmasked values, other topics). Each key has a disposition:
//  - refused: a value other than the ones that behave as Tributary does (Debezium's default) is a
//    config error naming the key and saying why, at validation and at start;
//  - ignored: the key has no effect on the records (tuning, Java-only classes, features that act
//    only when used, like signals); accepted, with one WARN line per key when the task starts.
// The lists come from the ConfigDefs of the real connectors (tests/golden/mysql/*-configdef.tsv).
//
// Threading: pure functions (any thread).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tributary/config.h"

namespace tributary::cdc {

struct UnsupportedKey {
  enum class Kind { Refused, Ignored };
  /// The key, or a pattern with one '*' standing for a non-empty part
  /// ("column.mask.with.*.chars").
  std::string name;
  Kind kind = Kind::Refused;
  /// Values that do what Tributary does (compared trimmed, case-insensitively); an empty value is
  /// always accepted (nothing asked for).
  std::vector<std::string> accepted;
  /// Why it is not implemented, or what to do instead.
  std::string why;

  /// Whether `key` is this key, or matches its pattern.
  bool names(const std::string& key) const;
};

/// The keys both connectors (PostgreSQL, MySQL / MariaDB) do not implement.
const std::vector<UnsupportedKey>& common_unsupported_keys();

struct UnsupportedFindings {
  std::vector<std::pair<std::string, std::string>> errors;  // (key, message) of refused keys
  std::vector<std::string> warnings;                        // a line per ignored key set
};

/// `keys` and then the common ones (those `keys` does not name), as the config reference lists
/// them: (name, "Refused unless `a`: why." or "Ignored (a WARN line): why.").
std::vector<std::pair<std::string, std::string>> describe_unsupported(
    const std::vector<UnsupportedKey>& keys);

/// The keys of `props` that `keys` (then common_unsupported_keys()) name.
UnsupportedFindings check_unsupported(const ConfigMap& props,
                                      const std::vector<UnsupportedKey>& keys);

}  // namespace tributary::cdc
