#include "common/properties.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

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

ConfigProviders::ConfigProviders(const ConfigMap& worker_props) {
  auto it = worker_props.find("config.providers");
  if (it == worker_props.end()) return;
  for (const auto& alias : split_list(it->second)) {
    auto cls = worker_props.find("config.providers." + alias + ".class");
    std::string kind;
    std::string c = cls == worker_props.end() ? alias : cls->second;
    if (c.find("FileConfigProvider") != std::string::npos || c == "file")
      kind = "file";
    else if (c.find("EnvVarConfigProvider") != std::string::npos || c == "env")
      kind = "env";
    else
      throw ConfigError("config.providers." + alias + ".class",
                        "Unsupported config provider class '" + c + "' for provider '" + alias +
                            "' (supported: FileConfigProvider, EnvVarConfigProvider)");
    providers_[alias] = kind;
  }
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
    std::string_view rest = ref.substr(c1 + 1);
    size_t c2 = rest.rfind(':');
    std::string path = c2 == std::string_view::npos ? "" : std::string(rest.substr(0, c2));
    std::string name = std::string(c2 == std::string_view::npos ? rest : rest.substr(c2 + 1));
    if (prov->second == "env") {
      const char* v = std::getenv(name.c_str());
      if (v == nullptr)
        throw ConfigError(std::string(key), "Configuration '" + std::string(key) +
                                                "' references environment variable '" + name +
                                                "' which is not set");
      out.append(v);
    } else {
      ConfigMap file;
      try {
        file = load_properties_file(path);
      } catch (const std::exception& e) {
        throw ConfigError(std::string(key),
                          "Configuration '" + std::string(key) + "' references " + e.what());
      }
      auto f = file.find(name);
      if (f == file.end())
        throw ConfigError(std::string(key), "Configuration '" + std::string(key) +
                                                "' references key '" + name +
                                                "' which is not in '" + path + "'");
      out.append(f->second);
    }
    i = end + 1;
  }
  return out;
}

ConfigMap ConfigProviders::resolve(const ConfigMap& props) const {
  if (providers_.empty()) return props;
  ConfigMap out;
  for (const auto& [k, v] : props) out[k] = resolve_value(k, v);
  return out;
}

}  // namespace tributary
