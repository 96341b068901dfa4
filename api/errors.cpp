#include "api/errors.h"

#include <string>

#include "tributary/config.h"

namespace tributary::api {

int http_status(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::BadRequest: return 400;
    case ErrorKind::NotFound: return 404;
    case ErrorKind::Conflict: return 409;
    case ErrorKind::Timeout: return 500;
    case ErrorKind::Internal: return 500;
    case ErrorKind::Unavailable: return 503;
  }
  return 500;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

ErrorReply error_reply(int status, std::string_view message) {
  ojson body = ojson::object();
  body["error_code"] = status;
  if (message.empty()) {
    body["message"] = "HTTP " + std::to_string(status) + " " + std::string(reason_phrase(status));
  } else {
    body["message"] = std::string(message);
  }
  return ErrorReply{status, std::move(body)};
}

ErrorReply error_reply(std::exception_ptr error) noexcept {
  try {
    try {
      std::rethrow_exception(error);
    } catch (const RestError& e) {
      return error_reply(e.status(), e.what());
    } catch (const HerderError& e) {
      return error_reply(http_status(e.kind()), e.what());
    } catch (const ConfigError& e) {
      // Thrown by typed config reads; the message names the key.
      return error_reply(400, e.what());
    } catch (const std::exception& e) {
      return error_reply(500, e.what());
    } catch (...) {
      return error_reply(500, "Unknown error (not a std::exception)");
    }
  } catch (...) {
    // Building the reply itself failed (out of memory): a bare body that cannot fail further.
    return ErrorReply{500, ojson()};
  }
}

}  // namespace tributary::api
