// Plugin SDK helpers (see tributary/plugin.h).
//
// Threading: pure functions.
#include "tributary/plugin.h"

namespace tributary {

const char* plugin_type_name(PluginType t) {
  switch (t) {
    case PluginType::Source: return "source";
    case PluginType::Sink: return "sink";
    case PluginType::Converter: return "converter";
    case PluginType::HeaderConverter: return "header_converter";
    case PluginType::Transformation: return "transformation";
    case PluginType::Predicate: return "predicate";
  }
  return "unknown";
}

}  // namespace tributary
