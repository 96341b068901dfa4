#include "common/tls.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cctype>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace tributary::tls {
namespace {

namespace ssl = boost::asio::ssl;

std::string openssl_error() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

struct Settings {
  const ConfigMap& props;
  std::string prefix;
  std::string get(const std::string& key, const std::string& def = "") const {
    auto it = props.find(prefix + key);
    return it == props.end() ? def : it->second;
  }
  std::string name(const std::string& key) const { return prefix + key; }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw ConfigError(name(key), "Invalid value for " + name(key) + ": " + what);
  }
};

std::string read_file(const Settings& s, const std::string& key, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) s.fail(key, "cannot read '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;
using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

struct Pkcs12Contents {
  KeyPtr key{nullptr, EVP_PKEY_free};
  X509Ptr cert{nullptr, X509_free};
  std::vector<X509Ptr> others;
};

// A PKCS12 file (also what a "JKS" keystore of Java 9+ usually is). Refuses a real JKS file.
Pkcs12Contents read_pkcs12(const Settings& s, const std::string& key, const std::string& bytes,
                           const std::string& path, const std::string& password) {
  if (bytes.size() >= 4 && static_cast<unsigned char>(bytes[0]) == 0xFE &&
      static_cast<unsigned char>(bytes[1]) == 0xED &&
      static_cast<unsigned char>(bytes[2]) == 0xFE && static_cast<unsigned char>(bytes[3]) == 0xED)
    s.fail(key, "'" + path +
                    "' is a Java JKS keystore, which Tributary cannot read; convert it with "
                    "keytool -importkeystore -srckeystore " +
                    path + " -destkeystore " + path +
                    ".p12 -deststoretype PKCS12 and set the type to PKCS12");
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::unique_ptr<PKCS12, decltype(&PKCS12_free)> p12(
      d2i_PKCS12(nullptr, &p, static_cast<long>(bytes.size())), PKCS12_free);
  if (!p12) s.fail(key, "'" + path + "' is not a PKCS12 keystore: " + openssl_error());
  EVP_PKEY* pkey = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* ca = nullptr;
  if (PKCS12_parse(p12.get(), password.c_str(), &pkey, &cert, &ca) != 1)
    s.fail(key, "cannot open PKCS12 keystore '" + path + "' (wrong password?): " + openssl_error());
  Pkcs12Contents out;
  out.key.reset(pkey);
  out.cert.reset(cert);
  for (int i = 0; ca != nullptr && i < sk_X509_num(ca); ++i)
    out.others.emplace_back(sk_X509_value(ca, i), X509_free);
  if (ca != nullptr) sk_X509_free(ca);  // the certificates are owned by `others` now
  return out;
}

void use_key_and_chain(const Settings& s, const std::string& key, SSL_CTX* ctx, EVP_PKEY* pkey,
                       X509* cert, const std::vector<X509Ptr>& chain) {
  if (cert == nullptr || pkey == nullptr)
    s.fail(key, "the keystore holds no private key with its certificate");
  if (SSL_CTX_use_certificate(ctx, cert) != 1 || SSL_CTX_use_PrivateKey(ctx, pkey) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1)
    s.fail(key, "the keystore's key and certificate cannot be used: " + openssl_error());
  for (const auto& c : chain)
    if (SSL_CTX_add1_chain_cert(ctx, c.get()) != 1) s.fail(key, openssl_error());
}

std::vector<X509Ptr> pem_certificates(const Settings& s, const std::string& key,
                                      const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::vector<X509Ptr> out;
  while (X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
    out.emplace_back(c, X509_free);
  ERR_clear_error();  // the end of the input reads as an error
  if (out.empty()) s.fail(key, "no PEM certificate found");
  return out;
}

KeyPtr pem_key(const Settings& s, const std::string& key, const std::string& pem,
               const std::string& password) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  EVP_PKEY* k =
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char*>(password.c_str()));
  if (k == nullptr)
    s.fail(key, "no usable PEM private key (wrong ssl.key.password?): " + openssl_error());
  return KeyPtr(k, EVP_PKEY_free);
}

void load_keystore(const Settings& s, SSL_CTX* ctx, bool required) {
  const std::string type = upper(s.get("ssl.keystore.type", "JKS"));
  const std::string location = s.get("ssl.keystore.location");
  const std::string chain_text = s.get("ssl.keystore.certificate.chain");
  const std::string key_text = s.get("ssl.keystore.key");
  if (type == "PEM") {
    if (!required && location.empty() && chain_text.empty() && key_text.empty()) return;
    std::string pem = chain_text.empty() && !location.empty()
                          ? read_file(s, "ssl.keystore.location", location)
                          : chain_text + "\n" + key_text;
    if (pem.find("PRIVATE KEY") == std::string::npos)
      s.fail(location.empty() ? "ssl.keystore.key" : "ssl.keystore.location",
             "a PEM keystore needs a private key and its certificate chain");
    const std::string where =
        location.empty() ? "ssl.keystore.certificate.chain" : "ssl.keystore.location";
    auto certs = pem_certificates(s, where, pem);
    auto pkey = pem_key(s, location.empty() ? "ssl.keystore.key" : "ssl.keystore.location", pem,
                        s.get("ssl.key.password"));
    X509* leaf = certs.front().get();
    std::vector<X509Ptr> rest;
    for (std::size_t i = 1; i < certs.size(); ++i) rest.push_back(std::move(certs[i]));
    use_key_and_chain(s, where, ctx, pkey.get(), leaf, rest);
    return;
  }
  if (type != "PKCS12" && type != "JKS")
    s.fail("ssl.keystore.type", "'" + type + "' (supported: PKCS12, PEM, and JKS files in PKCS12)");
  if (location.empty()) {
    if (!required) return;
    s.fail("ssl.keystore.location", "an https listener needs a keystore");
  }
  auto bytes = read_file(s, "ssl.keystore.location", location);
  auto p = read_pkcs12(s, "ssl.keystore.location", bytes, location, s.get("ssl.keystore.password"));
  use_key_and_chain(s, "ssl.keystore.location", ctx, p.key.get(), p.cert.get(), p.others);
}

// Returns whether any certificate was loaded.
bool load_truststore(const Settings& s, SSL_CTX* ctx, bool client_cas) {
  const std::string type = upper(s.get("ssl.truststore.type", "JKS"));
  const std::string location = s.get("ssl.truststore.location");
  const std::string certs_text = s.get("ssl.truststore.certificates");
  std::vector<X509Ptr> certs;
  if (type == "PEM") {
    if (location.empty() && certs_text.empty()) return false;
    certs = pem_certificates(
        s, location.empty() ? "ssl.truststore.certificates" : "ssl.truststore.location",
        location.empty() ? certs_text : read_file(s, "ssl.truststore.location", location));
  } else if (type == "PKCS12" || type == "JKS") {
    if (location.empty()) return false;
    auto bytes = read_file(s, "ssl.truststore.location", location);
    auto p = read_pkcs12(s, "ssl.truststore.location", bytes, location,
                         s.get("ssl.truststore.password"));
    if (p.cert) certs.push_back(std::move(p.cert));
    for (auto& c : p.others) certs.push_back(std::move(c));
  } else {
    s.fail("ssl.truststore.type",
           "'" + type + "' (supported: PKCS12, PEM, and JKS files in PKCS12)");
  }
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  for (auto& c : certs) {
    if (X509_STORE_add_cert(store, c.get()) != 1) ERR_clear_error();  // duplicates are fine
    // Clients are told which CAs we accept.
    if (client_cas) SSL_CTX_add_client_CA(ctx, c.get());
  }
  return true;
}

void set_protocols(const Settings& s, SSL_CTX* ctx) {
  int lowest = 0, highest = 0;
  for (const auto& p : split_list(s.get("ssl.enabled.protocols", "TLSv1.2,TLSv1.3"))) {
    int v = p == "TLSv1.2" ? TLS1_2_VERSION : p == "TLSv1.3" ? TLS1_3_VERSION : 0;
    if (v == 0) s.fail("ssl.enabled.protocols", "'" + p + "' (supported: TLSv1.2, TLSv1.3)");
    lowest = lowest == 0 ? v : std::min(lowest, v);
    highest = std::max(highest, v);
  }
  if (lowest == 0) s.fail("ssl.enabled.protocols", "no protocol enabled");
  SSL_CTX_set_min_proto_version(ctx, lowest);
  SSL_CTX_set_max_proto_version(ctx, highest);
}

// Java names cipher suites by their IANA names; OpenSSL knows those names too
// (SSL_CIPHER_standard_name), so each is found among OpenSSL's ciphers.
void set_ciphers(const Settings& s, SSL_CTX* ctx) {
  auto wanted = split_list(s.get("ssl.cipher.suites"));
  if (wanted.empty()) return;
  std::unique_ptr<SSL, decltype(&SSL_free)> probe(SSL_new(ctx), SSL_free);
  STACK_OF(SSL_CIPHER)* all = SSL_get_ciphers(probe.get());
  std::string tls12, tls13;
  for (const auto& w : wanted) {
    bool found = false;
    for (int i = 0; all != nullptr && i < sk_SSL_CIPHER_num(all); ++i) {
      const SSL_CIPHER* c = sk_SSL_CIPHER_value(all, i);
      const char* std_name = SSL_CIPHER_standard_name(c);
      if (std_name == nullptr || w != std_name) continue;
      const bool v13 = std::string_view(SSL_CIPHER_get_version(c)) == "TLSv1.3";
      std::string& list = v13 ? tls13 : tls12;
      list += (list.empty() ? "" : ":") + std::string(v13 ? std_name : SSL_CIPHER_get_name(c));
      found = true;
    }
    if (!found) s.fail("ssl.cipher.suites", "unknown cipher suite '" + w + "'");
  }
  if (!tls12.empty() && SSL_CTX_set_cipher_list(ctx, tls12.c_str()) != 1)
    s.fail("ssl.cipher.suites", openssl_error());
  if (SSL_CTX_set_ciphersuites(ctx, tls13.c_str()) != 1)
    s.fail("ssl.cipher.suites", openssl_error());
}

}  // namespace

std::string tls_config_prefix(const ConfigMap& props) {
  for (const auto& [k, _] : props)
    if (k.rfind("listeners.https.", 0) == 0) return "listeners.https.";
  return "";
}

std::shared_ptr<ssl::context> make_server_tls_context(const ConfigMap& props) {
  Settings s{props, tls_config_prefix(props)};
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* c = ctx->native_handle();
  SSL_CTX_set_options(
      c, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  set_protocols(s, c);
  load_keystore(s, c, true);
  load_truststore(s, c, true);
  set_ciphers(s, c);
  const std::string auth = s.get("ssl.client.auth", "none");
  if (auth == "required")
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  else if (auth == "requested")
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER, nullptr);
  else if (auth != "none")
    s.fail("ssl.client.auth", "'" + auth + "' (supported: none, requested, required)");
  return ctx;
}

std::shared_ptr<ssl::context> make_client_tls_context(const ConfigMap& props,
                                                      const std::string& prefix) {
  Settings s{props, prefix};
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX* c = ctx->native_handle();
  SSL_CTX_set_options(c, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  set_protocols(s, c);
  load_keystore(s, c, false);
  if (!load_truststore(s, c, false) && SSL_CTX_set_default_verify_paths(c) != 1)
    s.fail("ssl.truststore.location",
           "no truststore given and the system's CA certificates cannot be loaded: " +
               openssl_error());
  set_ciphers(s, c);
  SSL_CTX_set_verify(c, SSL_VERIFY_PEER, nullptr);
  return ctx;
}

}  // namespace tributary::tls
