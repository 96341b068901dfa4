#include "storage/config_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/log.h"
#include "storage/connector_file.h"

namespace tributary {
namespace {
constexpr const char* kLogger = "io.tributary.storage";

class FileConfigStore : public ConfigStore {
 public:
  explicit FileConfigStore(std::string path) : path_(std::move(path)) {}

  Loaded load() override {
    Loaded out;
    std::ifstream in(path_, std::ios::binary);
    if (!in) return out;  // no file yet: nothing stored
    std::stringstream ss;
    ss << in.rdbuf();
    ConnectorFile file = parse_connector_file(ss.str(), path_);
    if (!file.problems.empty()) {
      // A file we cannot read whole is copied aside, so the next write cannot lose what the
      // operator may need to recover.
      std::string aside = path_ + ".corrupt-" +
                          std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
      std::ofstream(aside, std::ios::binary) << ss.str();
      for (const auto& p : file.problems) {
        TLOG(Error, kLogger, p << " (skipped; a copy of the file is kept in '" << aside << "')");
        out.problems.push_back(p + " (a copy of the file is kept in '" + aside + "')");
      }
    }
    for (const auto& c : file.connectors) stored_[c.name] = c;
    out.connectors = std::move(file.connectors);
    return out;
  }

  void put(const StoredConnector& connector) override {
    auto next = stored_;
    next[connector.name] = connector;
    write(next);
    stored_ = std::move(next);
  }

  void remove(const std::string& name) override {
    auto next = stored_;
    next.erase(name);
    write(next);
    stored_ = std::move(next);
  }

 private:
  void write(const std::map<std::string, StoredConnector>& all) const {
    std::vector<StoredConnector> list;
    list.reserve(all.size());
    for (const auto& [_, c] : all) list.push_back(c);
    std::string text = render_connector_file(list);
    std::string tmp = path_ + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = fd >= 0 &&
              ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
              ::fsync(fd) == 0;
    if (fd >= 0) ::close(fd);
    if (!ok || std::rename(tmp.c_str(), path_.c_str()) != 0) {
      TLOG(Error, kLogger, "Cannot write connector configs to '" << path_ << "'");
      throw std::runtime_error("Cannot write connector configs to '" + path_ + "'");
    }
  }

  std::string path_;
  std::map<std::string, StoredConnector> stored_;
};

}  // namespace

std::unique_ptr<ConfigStore> make_file_config_store(std::string path) {
  return std::make_unique<FileConfigStore>(std::move(path));
}

}  // namespace tributary
