#include "common/properties.h"

#include <sys/stat.h>

#include <algorithm>
#include <boost/regex.hpp>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace tributary {
namespace {

void append_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Joins continuation lines and yields logical lines.
std::vector<std::string> logical_lines(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  bool continuing = false;
  size_t i = 0;
  while (i <= text.size()) {
    size_t nl = text.find_first_of("\r\n", i);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(i, nl - i);
    i = nl + 1;
    if (nl < text.size() && text[nl] == '\r' && i < text.size() && text[i] == '\n') ++i;
    size_t start = 0;
    while (start < line.size() &&
           (line[start] == ' ' || line[start] == '\t' || line[start] == '\f'))
      ++start;
    line = line.substr(start);
    if (!continuing && (line.empty() || line[0] == '#' || line[0] == '!')) {
      if (nl >= text.size()) break;
      continue;
    }
    size_t backslashes = 0;
    for (size_t k = line.size(); k > 0 && line[k - 1] == '\\'; --k) ++backslashes;
    if (backslashes % 2 == 1) {
      cur.append(line.substr(0, line.size() - 1));
      continuing = true;
    } else {
      cur.append(line);
      out.push_back(std::move(cur));
      cur.clear();
      continuing = false;
    }
    if (nl >= text.size()) break;
  }
  if (continuing && !cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c != '\\' || i + 1 >= s.size()) {
      out.push_back(c);
      continue;
    }
    char n = s[++i];
    switch (n) {
      case 't': out.push_back('\t'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 'f': out.push_back('\f'); break;
      case 'u': {
        unsigned cp = 0;
        bool ok = i + 4 < s.size();
        for (size_t k = 1; ok && k <= 4; ++k) {
          char h = s[i + k];
          cp <<= 4;
          if (h >= '0' && h <= '9')
            cp |= static_cast<unsigned>(h - '0');
          else if (h >= 'a' && h <= 'f')
            cp |= static_cast<unsigned>(h - 'a' + 10);
          else if (h >= 'A' && h <= 'F')
            cp |= static_cast<unsigned>(h - 'A' + 10);
          else
            ok = false;
        }
        if (ok) {
          append_utf8(out, cp);
          i += 4;
        } else {
          out.push_back('u');
        }
        break;
      }
      default: out.push_back(n);
    }
  }
  return out;
}

}  // namespace

ConfigMap parse_properties(std::string_view text) {
  ConfigMap out;
  for (const auto& line : logical_lines(text)) {
    size_t i = 0;
    while (i < line.size()) {
      char c = line[i];
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '=' || c == ':' || c == ' ' || c == '\t' || c == '\f') break;
      ++i;
    }
    std::string key = unescape(std::string_view(line).substr(0, std::min(i, line.size())));
    size_t v = i;
    while (v < line.size() && (line[v] == ' ' || line[v] == '\t' || line[v] == '\f')) ++v;
    if (v < line.size() && (line[v] == '=' || line[v] == ':')) ++v;
    while (v < line.size() && (line[v] == ' ' || line[v] == '\t' || line[v] == '\f')) ++v;
    out[key] = unescape(std::string_view(line).substr(std::min(v, line.size())));
  }
  return out;
}

ConfigMap load_properties_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("Cannot read properties file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_properties(ss.str());
}

namespace {

constexpr std::size_t kMaxProviderFile = 16u << 20;

// Reads a file a config provider names: a regular file (not a FIFO or a device that never ends)
// of at most 16 MiB. Throws std::runtime_error naming the file.
std::string read_provider_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw std::runtime_error("file '" + path + "' which cannot be read: " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw std::runtime_error("'" + path + "' which is not a regular file");
  if (static_cast<std::uint64_t>(st.st_size) > kMaxProviderFile)
    throw std::runtime_error("file '" + path + "' which is larger than 16 MiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("file '" + path + "' which cannot be read");
  std::string out(static_cast<std::size_t>(st.st_size), '\0');
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  out.resize(static_cast<std::size_t>(in.gcount()));
  return out;
}

// Kafka's AllowedPaths: a path is allowed when, normalized, it starts (component by component)
// with one of the allowed absolute paths.
bool path_allowed(const std::vector<std::filesystem::path>& allowed, const std::string& path) {
  if (allowed.empty()) return true;
  auto p = std::filesystem::path(path).lexically_normal();
  for (const auto& a : allowed) {
    auto [ai, pi] = std::mismatch(a.begin(), a.end(), p.begin(), p.end());
    // A trailing empty component (from "/dir/") matches anything.
    if (ai == a.end() || (std::next(ai) == a.end() && ai->empty())) return true;
  }
  return false;
}

}  // namespace

struct ConfigProviders::Provider {
  enum Kind { File, Directory, Env } kind;
  std::vector<std::filesystem::path> allowed_paths;  // file, directory
  std::optional<boost::regex> allowlist;             // env
  std::string allowlist_key;
};

ConfigProviders::ConfigProviders(const ConfigMap& worker_props) {
  auto it = worker_props.find("config.providers");
  if (it == worker_props.end()) return;
  for (const auto& alias : split_list(it->second)) {
    std::string prefix = "config.providers." + alias;
    auto cls = worker_props.find(prefix + ".class");
    std::string c = cls == worker_props.end() ? alias : cls->second;
    auto p = std::make_shared<Provider>();
    if (c.find("DirectoryConfigProvider") != std::string::npos || c == "directory")
      p->kind = Provider::Directory;
    else if (c.find("FileConfigProvider") != std::string::npos || c == "file")
      p->kind = Provider::File;
    else if (c.find("EnvVarConfigProvider") != std::string::npos || c == "env")
      p->kind = Provider::Env;
    else
      throw ConfigError(prefix + ".class",
                        "Unsupported config provider class '" + c + "' for provider '" + alias +
                            "' (supported: FileConfigProvider, DirectoryConfigProvider, "
                            "EnvVarConfigProvider)");
    if (auto ap = worker_props.find(prefix + ".param.allowed.paths");
        ap != worker_props.end() && p->kind != Provider::Env) {
      for (const auto& path : split_list(ap->second)) {
        std::filesystem::path fp(path);
        if (!fp.is_absolute()) throw ConfigError(ap->first, "Path " + path + " is not absolute");
        p->allowed_paths.push_back(fp.lexically_normal());
      }
    }
    if (auto al = worker_props.find(prefix + ".param.allowlist.pattern");
        al != worker_props.end() && p->kind == Provider::Env) {
      try {
        p->allowlist.emplace(al->second, boost::regex::perl);
      } catch (const std::exception& e) {
        throw ConfigError(al->first, "Invalid value " + al->second + " for configuration " +
                                         al->first + ": " + e.what());
      }
      p->allowlist_key = al->first;
    }
    providers_[alias] = std::move(p);
  }
}

std::string ConfigProviders::lookup(const Provider& p, std::string_view key,
                                    const std::string& path, const std::string& name) const {
  const std::string k(key);
  auto fail = [&](const std::string& what) -> std::string {
    throw ConfigError(k, "Configuration '" + k + "' references " + what);
  };
  switch (p.kind) {
    case Provider::Env: {
      if (p.allowlist && !boost::regex_match(name, *p.allowlist))
        fail("environment variable '" + name + "' which " + p.allowlist_key + " does not allow");
      const char* v = std::getenv(name.c_str());
      if (v == nullptr) fail("environment variable '" + name + "' which is not set");
      return v;
    }
    case Provider::File: {
      if (!path_allowed(p.allowed_paths, path))
        fail("file '" + path + "' which is not under the provider's allowed.paths");
      ConfigMap file;
      try {
        file = parse_properties(read_provider_file(path));
      } catch (const std::runtime_error& e) {
        fail(e.what());
      }
      auto f = file.find(name);
      if (f == file.end()) fail("key '" + name + "' which is not in '" + path + "'");
      return f->second;
    }
    case Provider::Directory: {
      if (!path_allowed(p.allowed_paths, path))
        fail("directory '" + path + "' which is not under the provider's allowed.paths");
      // Kafka lists the directory's regular files: a name is a file name, never a path.
      if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos)
        fail("'" + name + "' which is not a file name in directory '" + path + "'");
      try {
        return read_provider_file((std::filesystem::path(path) / name).string());
      } catch (const std::runtime_error& e) {
        fail(e.what());
      }
    }
  }
  return {};
}

std::string ConfigProviders::resolve_value(std::string_view key, std::string_view value) const {
  if (value.find("${") == std::string_view::npos) return std::string(value);
  std::string out;
  size_t i = 0;
  while (i < value.size()) {
    size_t start = value.find("${", i);
    if (start == std::string_view::npos) {
      out.append(value.substr(i));
      break;
    }
    size_t end = value.find('}', start);
    if (end == std::string_view::npos) {
      out.append(value.substr(i));
      break;
    }
    out.append(value.substr(i, start - i));
    std::string_view ref = value.substr(start + 2, end - start - 2);
    size_t c1 = ref.find(':');
    auto prov = c1 == std::string_view::npos ? providers_.end()
                                             : providers_.find(std::string(ref.substr(0, c1)));
    if (prov == providers_.end()) {  // not a provider reference: keep it verbatim, as Kafka does
      out.append(value.substr(start, end - start + 1));
      i = end + 1;
      continue;
    }
    // Kafka's pattern \$\{([^}]*?):(([^}]*?):)?([^}]*?)\}: the path ends at the second ':'.
    std::string_view rest = ref.substr(c1 + 1);
    size_t c2 = rest.find(':');
    std::string path = c2 == std::string_view::npos ? "" : std::string(rest.substr(0, c2));
    std::string name = std::string(c2 == std::string_view::npos ? rest : rest.substr(c2 + 1));
    out.append(lookup(*prov->second, key, path, name));
    i = end + 1;
  }
  return out;
}

bool ConfigProviders::has_reference(std::string_view value) const {
  for (size_t start = value.find("${"); start != std::string_view::npos;
       start = value.find("${", start + 2)) {
    size_t end = value.find('}', start);
    if (end == std::string_view::npos) return false;
    std::string_view ref = value.substr(start + 2, end - start - 2);
    size_t c1 = ref.find(':');
    if (c1 != std::string_view::npos && providers_.count(std::string(ref.substr(0, c1))))
      return true;
  }
  return false;
}

ConfigMap ConfigProviders::resolve(const ConfigMap& props) const {
  if (providers_.empty()) return props;
  ConfigMap out;
  for (const auto& [k, v] : props) out[k] = resolve_value(k, v);
  return out;
}

void ConfigProviders::reverse_transform(const ConfigMap& raw_connector_config,
                                        ConfigMap& task_config) const {
  if (providers_.empty()) return;
  for (const auto& [k, v] : raw_connector_config) {
    if (!has_reference(v)) continue;
    auto it = task_config.find(k);
    if (it != task_config.end()) it->second = v;
  }
}

}  // namespace tributary
