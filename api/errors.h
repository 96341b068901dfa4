// The one place where failures become HTTP responses. Every error the REST layer sends has Kafka
// Connect's body {"error_code": <http status>, "message": "<text>"}; the status comes from the
// exception: RestError carries its own, HerderError maps its ErrorKind (400, 404, 409, 500, 503),
// ConfigError is a 400, and any other exception is a 500 with its what().
//
// Threading: pure functions and an immutable exception type; callable from any thread.
#pragma once

#include <exception>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "herder/herder.h"

namespace tributary::api {

using ojson = nlohmann::ordered_json;

/// An HTTP-level failure found by the REST layer itself (malformed body, unknown path, wrong
/// method, oversized request) rather than by the herder.
class RestError : public std::runtime_error {
 public:
  RestError(int status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

/// A status and the JSON body to send with it.
struct ErrorReply {
  int status;
  ojson body;  // {"error_code": status, "message": ...}
};

/// HTTP status for a herder error kind.
int http_status(ErrorKind kind);

/// Standard reason phrase ("Not Found"); "Unknown" for codes we never send.
std::string_view reason_phrase(int status);

/// {"error_code": status, "message": message}; an empty message becomes "HTTP <status> <reason>".
ErrorReply error_reply(int status, std::string_view message);

/// Maps an exception (RestError, HerderError, ConfigError, any other std::exception, or anything
/// else) to its reply. Never throws.
ErrorReply error_reply(std::exception_ptr error) noexcept;

}  // namespace tributary::api
