#include "api/basic_auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/log.h"
#include "common/properties.h"

namespace tributary::api {
namespace {

constexpr const char* kLogger = "io.tributary.api";

// A token of Java's JAAS ConfigFile syntax.
struct Token {
  enum Kind { Word, String, Symbol, End } kind;
  std::string text;
  int line;
};

class JaasLexer {
 public:
  JaasLexer(std::string_view text, const std::string& path) : t_(text), path_(path) {}

  Token next() {
    skip_space_and_comments();
    if (i_ >= t_.size()) return {Token::End, "", line_};
    const char c = t_[i_];
    if (c == '{' || c == '}' || c == ';' || c == '=') {
      ++i_;
      return {Token::Symbol, std::string(1, c), line_};
    }
    if (c == '"') return quoted();
    std::string word;
    while (i_ < t_.size() && !std::isspace(static_cast<unsigned char>(t_[i_])) &&
           std::string_view("{};=\"").find(t_[i_]) == std::string_view::npos &&
           !(t_[i_] == '/' && i_ + 1 < t_.size() && (t_[i_ + 1] == '/' || t_[i_ + 1] == '*')))
      word.push_back(t_[i_++]);
    return {Token::Word, std::move(word), line_};
  }

  [[noreturn]] void fail(const std::string& what, int line) const {
    throw std::invalid_argument("JAAS configuration '" + path_ + "', line " + std::to_string(line) +
                                ": " + what);
  }

 private:
  void skip_space_and_comments() {
    while (i_ < t_.size()) {
      const char c = t_[i_];
      if (c == '\n') {
        ++line_;
        ++i_;
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        ++i_;
      } else if (c == '/' && i_ + 1 < t_.size() && t_[i_ + 1] == '/') {
        while (i_ < t_.size() && t_[i_] != '\n') ++i_;
      } else if (c == '/' && i_ + 1 < t_.size() && t_[i_ + 1] == '*') {
        const int start = line_;
        i_ += 2;
        while (i_ + 1 < t_.size() && !(t_[i_] == '*' && t_[i_ + 1] == '/')) {
          if (t_[i_] == '\n') ++line_;
          ++i_;
        }
        if (i_ + 1 >= t_.size()) fail("unterminated /* comment", start);
        i_ += 2;
      } else {
        return;
      }
    }
  }

  Token quoted() {
    const int start = line_;
    std::string out;
    ++i_;
    while (true) {
      if (i_ >= t_.size()) fail("unterminated quoted string", start);
      char c = t_[i_++];
      if (c == '"') break;
      if (c == '\n') ++line_;
      if (c == '\\' && i_ < t_.size()) {
        const char e = t_[i_++];
        switch (e) {
          case 'n': c = '\n'; break;
          case 't': c = '\t'; break;
          case 'r': c = '\r'; break;
          default: c = e;
        }
      }
      out.push_back(c);
    }
    return {Token::String, std::move(out), start};
  }

  std::string_view t_;
  const std::string& path_;
  std::size_t i_ = 0;
  int line_ = 1;
};

std::string read_text_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument("Cannot read " + what + " '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// -Djava.security.auth.login.config=PATH out of a JVM options string ($KAFKA_OPTS).
std::string jaas_path_from_jvm_options(const char* opts) {
  if (opts == nullptr) return {};
  static constexpr std::string_view kKey = "-Djava.security.auth.login.config=";
  std::string_view s(opts);
  for (std::size_t at = s.find(kKey); at != std::string_view::npos; at = s.find(kKey, at + 1)) {
    if (at > 0 && !std::isspace(static_cast<unsigned char>(s[at - 1]))) continue;
    std::string_view rest = s.substr(at + kKey.size());
    std::string path;
    if (!rest.empty() && (rest.front() == '"' || rest.front() == '\'')) {
      const auto close = rest.find(rest.front(), 1);
      path = std::string(rest.substr(1, close == std::string_view::npos ? rest.npos : close - 1));
    } else {
      std::size_t end = 0;
      while (end < rest.size() && !std::isspace(static_cast<unsigned char>(rest[end]))) ++end;
      path = std::string(rest.substr(0, end));
    }
    // A JAAS path may be given as "=path" (replace) or as a URL; keep the file path.
    if (!path.empty() && path.front() == '=') path.erase(0, 1);
    if (path.rfind("file:", 0) == 0) path.erase(0, 5);
    return path;
  }
  return {};
}

}  // namespace

std::map<std::string, std::vector<JaasModule>> parse_jaas_config(std::string_view text,
                                                                 const std::string& path) {
  std::map<std::string, std::vector<JaasModule>> out;
  JaasLexer lex(text, path);
  for (Token name = lex.next(); name.kind != Token::End; name = lex.next()) {
    if (name.kind != Token::Word)
      lex.fail("expected an entry name, got '" + name.text + "'", name.line);
    Token open = lex.next();
    if (open.kind != Token::Symbol || open.text != "{")
      lex.fail("expected '{' after entry " + name.text, open.line);
    auto& modules = out[name.text];
    while (true) {
      Token cls = lex.next();
      if (cls.kind == Token::Symbol && cls.text == "}") break;
      if (cls.kind != Token::Word) lex.fail("expected a login module class name", cls.line);
      Token flag = lex.next();
      if (flag.kind != Token::Word)
        lex.fail("expected a control flag after " + cls.text, flag.line);
      std::string f = flag.text;
      for (auto& ch : f) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (f != "required" && f != "requisite" && f != "sufficient" && f != "optional")
        lex.fail("unknown control flag '" + flag.text + "'", flag.line);
      JaasModule m{cls.text, f, {}};
      while (true) {
        Token key = lex.next();
        if (key.kind == Token::Symbol && key.text == ";") break;
        if (key.kind != Token::Word) lex.fail("expected an option name or ';'", key.line);
        Token eq = lex.next();
        if (eq.kind != Token::Symbol || eq.text != "=")
          lex.fail("expected '=' after option " + key.text, eq.line);
        Token value = lex.next();
        if (value.kind != Token::String && value.kind != Token::Word)
          lex.fail("expected a value for option " + key.text, value.line);
        m.options[key.text] = value.text;
      }
      modules.push_back(std::move(m));
    }
    Token semi = lex.next();
    if (semi.kind != Token::Symbol || semi.text != ";")
      lex.fail("expected ';' after the '}' of entry " + name.text, semi.line);
  }
  return out;
}

std::optional<BasicAuth> BasicAuth::from_worker_config(const ConfigMap& props,
                                                       const char* kafka_opts) {
  auto ext = props.find("rest.extension.classes");
  bool enabled = false;
  if (ext != props.end()) {
    for (const auto& cls : split_list(ext->second)) {
      if (cls == kBasicAuthExtension || cls == "BasicAuthSecurityRestExtension")
        enabled = true;
      else
        throw ConfigError(
            "rest.extension.classes",
            "Unsupported REST extension '" + cls + "' (supported: " + kBasicAuthExtension + ")");
    }
  }
  if (!enabled) return std::nullopt;
  std::string jaas_key = "tributary.rest.jaas.config";
  std::string jaas_path;
  if (auto it = props.find(jaas_key); it != props.end() && !it->second.empty())
    jaas_path = it->second;
  else
    jaas_path = jaas_path_from_jvm_options(kafka_opts), jaas_key = "KAFKA_OPTS";
  if (jaas_path.empty())
    throw ConfigError("rest.extension.classes",
                      "BasicAuthSecurityRestExtension needs a JAAS configuration: set "
                      "KAFKA_OPTS=-Djava.security.auth.login.config=<file> or "
                      "tributary.rest.jaas.config=<file>");
  std::map<std::string, std::vector<JaasModule>> jaas;
  try {
    jaas = parse_jaas_config(read_text_file(jaas_path, "JAAS configuration"), jaas_path);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(jaas_key, e.what());
  }
  auto entry = jaas.find("KafkaConnect");
  if (entry == jaas.end() || entry->second.empty())
    throw ConfigError(jaas_key, "JAAS configuration '" + jaas_path +
                                    "' has no KafkaConnect entry, which "
                                    "BasicAuthSecurityRestExtension logs requests in with");
  std::map<std::string, std::string> users;
  for (const auto& m : entry->second) {
    if (m.class_name != kPropertyFileLoginModule && m.class_name != "PropertyFileLoginModule")
      throw ConfigError(jaas_key,
                        "JAAS configuration '" + jaas_path + "': login module '" + m.class_name +
                            "' is not supported (supported: " + kPropertyFileLoginModule + ")");
    auto file = m.options.find("file");
    if (file == m.options.end() || file->second.empty())
      throw ConfigError(jaas_key, "JAAS configuration '" + jaas_path +
                                      "': PropertyFileLoginModule needs a file=\"...\" option");
    try {
      for (auto& [u, p] : load_properties_file(file->second)) users[u] = p;
    } catch (const std::exception& e) {
      throw ConfigError(jaas_key, "JAAS configuration '" + jaas_path + "': " + e.what());
    }
  }
  bool health_open = false;
  if (auto h = props.find("tributary.rest.health.unauthenticated"); h != props.end())
    health_open = parse_bool(h->second).value_or(false);
  TLOG(Info, kLogger,
       "REST basic authentication on (" << users.size() << " user(s) from the JAAS file '"
                                        << jaas_path << "')"
                                        << (health_open ? "; GET /health open" : ""));
  return BasicAuth(std::move(users), health_open);
}

BasicAuth::BasicAuth(std::map<std::string, std::string> users, bool health_unauthenticated)
    : users_(std::move(users)), health_unauthenticated_(health_unauthenticated) {}

bool BasicAuth::authorized(std::string_view method, std::string_view path,
                           std::string_view authorization) const {
  std::string_view p = path.substr(0, path.find('?'));
  if (health_unauthenticated_ && (method == "GET" || method == "HEAD") && p == "/health")
    return true;
  // Kafka exempts the internal task-config request of distributed workers.
  if (method == "POST") {
    std::string_view q = p;
    if (!q.empty() && q.front() == '/') q.remove_prefix(1);
    if (!q.empty() && q.back() == '/') q.remove_suffix(1);
    if (q.rfind("connectors/", 0) == 0 && q.size() > 17 && q.substr(q.size() - 6) == "/tasks" &&
        q.substr(11, q.size() - 17).find('/') == std::string_view::npos)
      return true;
  }
  const auto space = authorization.find(' ');
  if (space == std::string_view::npos || space == 0) return false;
  std::string scheme(authorization.substr(0, space));
  for (auto& ch : scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (scheme != "basic") return false;
  std::string_view encoded = authorization.substr(space + 1);
  if (encoded.size() > 4096) return false;
  // OpenSSL's decoder wants whole 4-character groups: padding is optional for Java's decoder, so
  // strip it and put it back.
  std::string padded(encoded);
  while (!padded.empty() && padded.back() == '=') padded.pop_back();
  if (padded.size() % 4 == 1) return false;
  const std::size_t pad = (4 - padded.size() % 4) % 4;
  padded.append(pad, '=');
  std::string decoded(padded.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                                reinterpret_cast<const unsigned char*>(padded.data()),
                                static_cast<int>(padded.size()));
  if (n < 0) return false;  // not base64
  decoded.resize(static_cast<std::size_t>(n) - pad);
  const auto colon = decoded.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  auto user = users_.find(decoded.substr(0, colon));
  if (user == users_.end()) return false;
  const std::string_view given = std::string_view(decoded).substr(colon + 1);
  return given.size() == user->second.size() &&
         CRYPTO_memcmp(given.data(), user->second.data(), given.size()) == 0;
}

}  // namespace tributary::api
