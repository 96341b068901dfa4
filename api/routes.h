// Kafka Connect's REST API as a routing table over the Herder: parses the request line and body,
// calls one herder method, and encodes the result with Kafka Connect's status codes and JSON
// shapes. Unknown paths are 404 and known paths with a wrong method 405; every failure goes through
// api/errors.h, so each error body is {"error_code","message"}.
//
// Threading: Router is immutable after construction and handle() is reentrant; it runs on the
// calling thread and calls the herder synchronously there (an io thread for reads, the server's
// blocking pool for the rest: see may_block()).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/entities.h"
#include "herder/herder.h"
#include "tributary/config.h"

namespace tributary::api {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

class Router {
 public:
  explicit Router(Herder& herder);
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  /// Answers one request. Never throws: failures become JSON error responses. The response has
  /// its version, Content-Type and Content-Length set; keep-alive is left to the caller.
  HttpResponse handle(const HttpRequest& request) const;

  /// Whether answering may wait on the herder's control thread or a plugin: every method but
  /// GET, HEAD and OPTIONS. Such requests are run off the io threads (api/server.h).
  static bool may_block(const HttpRequest& request);

  /// Every route's path pattern, e.g. "/connectors/{}/status" (for docs and tests).
  std::vector<std::string> patterns() const;

  struct Route;  // defined in routes.cpp

 private:
  Herder& herder_;
  std::vector<Route> routes_;
};

// Helpers used by the routes, public for unit tests.

/// Decodes %XX escapes (and '+' as a space when `plus_is_space`, as in query strings). Returns
/// false on a malformed escape.
bool percent_decode(std::string_view in, std::string& out, bool plus_is_space);

/// Encodes a path segment (RFC 3986 unreserved characters stay as they are).
std::string percent_encode_segment(std::string_view in);

/// A connector config from JSON as Kafka Connect reads Map<String,String>: strings as they are,
/// numbers and booleans as their JSON text ("10000", "false"); null, objects and arrays are a
/// RestError 400 naming the key. `what` names the object in messages ("connector config").
ConfigMap config_from_json(const ojson& value, std::string_view what);

}  // namespace tributary::api
