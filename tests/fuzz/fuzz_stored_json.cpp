// libFuzzer: JSON the worker reads back from disk or a topic — the offsets file, an offsets-topic
// record (key and value: the input split at its first newline), the connector store file — and
// a REST connector config body (config_from_json). Every failure must be an exception with a
// message, never a crash; whatever is accepted must print and copy without trouble.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "api/routes.h"
#include "common/log.h"
#include "offsets/offset_store.h"
#include "storage/connector_file.h"
#include "tributary/bounded_json.h"

namespace {
using namespace tributary;

// Loads topic records the way the Kafka offset store does, without a broker.
class RecordSink : public OffsetStore {
 public:
  void start() override {}
  void load(std::string_view key, const std::string* value) { apply(key, value); }

 protected:
  void write(const std::vector<std::pair<std::string, std::optional<std::string>>>&,
             std::chrono::milliseconds) override {}
};

std::string temp_file() {
  return (std::filesystem::temp_directory_path() /
          ("tributary-fuzz-offsets-" + std::to_string(::getpid())))
      .string();
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  log::set_level("root", log::Level::Off);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // The offsets file.
  static const std::string path = temp_file();
  { std::ofstream(path, std::ios::binary | std::ios::trunc) << text; }
  auto store = make_file_offset_store(path);
  try {
    store->start();
    for (auto& [partition, offset] : store->all("c")) (void)compact_json(offset);
  } catch (const std::runtime_error&) {
  }
  // An offsets-topic record.
  auto nl = text.find('\n');
  RecordSink sink;
  std::string value(nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1));
  sink.load(text.substr(0, nl), nl == std::string_view::npos ? nullptr : &value);
  // The connector store.
  auto file = parse_connector_file(text, "connectors.json");
  if (!file.connectors.empty()) (void)render_connector_file(file.connectors);
  // A REST connector config body.
  try {
    auto json = parse_bounded_json(text, "Request body");
    (void)api::config_from_json(json, "connector config");
    (void)json.dump();
  } catch (const std::exception&) {
  }
  return 0;
}
