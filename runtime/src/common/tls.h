// TLS contexts from Kafka's ssl.* keys, for the https:// REST listeners (server side) and the
// schema registry client (client side, keys under schema.registry.ssl.*). One home for reading
// keystores and truststores, so both sides accept the same files and name the same keys.
//
// REST listeners use `listeners.https.ssl.*` when any such key is set (all or nothing, as
// Connect's SSLUtils), else `ssl.*`.
//
//   ssl.keystore.type      PKCS12 | PEM | JKS (Kafka's default; a JKS-typed file that is PKCS12 is
//                          read, as Java's compatible JKS keystore does; a real JKS file is refused
//                          with the keytool command that converts it)
//   ssl.keystore.location / .password, ssl.key.password, or ssl.keystore.certificate.chain and
//   ssl.keystore.key (PEM text); ssl.truststore.type / .location / .password or
//   ssl.truststore.certificates (PEM text); ssl.client.auth none | requested | required;
//   ssl.enabled.protocols (TLSv1.2,TLSv1.3); ssl.cipher.suites (IANA names, as Java's).
//
// Threading: the make_* functions run at start-up or configure time (any thread); a context is
// then shared, read-only, by every connection made with it.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>

#include "tributary/config.h"

namespace tributary::tls {

/// The prefix whose keys configure https listeners: "listeners.https." when any key starts with
/// it, else "" (the plain ssl.* keys).
std::string tls_config_prefix(const ConfigMap& worker_props);

/// Builds the server context. Throws ConfigError naming the key (with the prefix in use) or the
/// file when the keystore, truststore or a setting cannot be used.
std::shared_ptr<boost::asio::ssl::context> make_server_tls_context(const ConfigMap& worker_props);

/// Builds a client context from the keys `<prefix>ssl.*` (Kafka's client SSL keys:
/// ssl.truststore.* or, when none is set, the system's CA certificates; an optional keystore for
/// mutual TLS; ssl.enabled.protocols; ssl.cipher.suites). Peers are always verified. Throws
/// ConfigError naming the key with its prefix.
std::shared_ptr<boost::asio::ssl::context> make_client_tls_context(const ConfigMap& props,
                                                                   const std::string& prefix);

}  // namespace tributary::tls
