// libFuzzer: java.util.Properties parsing of worker.properties / connector .properties files,
// then what the worker does with the keys it reads: the worker config (a ConfigError naming the
// key is the only allowed failure) and the config-provider declarations; and the same bytes as a
// JAAS configuration file.
#include <cstdint>
#include <string_view>

#include "api/basic_auth.h"
#include "common/log.h"
#include "common/properties.h"
#include "worker/worker_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tributary;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ConfigMap props = parse_properties(text);
  try {
    (void)parse_worker_config(props);
  } catch (const ConfigError&) {
  }
  try {
    ConfigProviders providers(props);
    (void)providers.has_reference(text);
  } catch (const ConfigError&) {
  }
  // The same bytes as a JAAS configuration file (basic authentication).
  try {
    (void)api::parse_jaas_config(text, "jaas.conf");
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
