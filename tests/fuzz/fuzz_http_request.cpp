// libFuzzer: the REST request path as a connection sees it. Bytes go through Beast's request
// parser with the server's limits (8 KiB of headers, 1 MiB of body), then each complete request
// (pipelined ones too, at most 8) through Router::handle over a real StandaloneHerder with a file
// offset store, the built-in converters and no connector plugins. Nothing may crash, hang or
// leak; every answer must be a well-formed response.
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "api/routes.h"
#include "common/log.h"
#include "converters/builtin.h"
#include "herder/standalone_herder.h"
#include "offsets/offset_store.h"
#include "plugins/registry.h"
#include "worker/worker_config.h"

namespace {
using namespace tributary;
namespace http = boost::beast::http;

struct World {
  PluginRegistry registry;
  std::unique_ptr<StandaloneHerder> herder;
  std::unique_ptr<api::Router> router;
};
World* world = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  log::set_level("root", log::Level::Off);
  auto dir = std::filesystem::temp_directory_path() /
             ("tributary-fuzz-http-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  world = new World;
  register_builtin_converters(world->registry);
  WorkerConfig wc =
      parse_worker_config({{"bootstrap.servers", "127.0.0.1:1"},
                           {"offset.storage.file.filename", (dir / "offsets").string()},
                           {"socket.connection.setup.timeout.ms", "1000"}});
  world->herder = std::make_unique<StandaloneHerder>(wc, world->registry,
                                                     make_file_offset_store(wc.offset_file));
  world->herder->start({});
  while (!world->herder->ready()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  world->router = std::make_unique<api::Router>(*world->herder);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::size_t off = 0;
  for (int n = 0; n < 8 && off < size; ++n) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(8 * 1024);
    parser.body_limit(1024 * 1024);
    parser.eager(true);
    boost::beast::error_code ec;
    while (!parser.is_done() && off < size) {
      std::size_t used = parser.put(boost::asio::buffer(data + off, size - off), ec);
      off += used;
      if (ec || used == 0) break;
    }
    if (ec || !parser.is_done()) break;
    http::response<http::string_body> res = world->router->handle(parser.get());
    const unsigned status = res.result_int();
    if (status < 100 || status > 599) std::abort();
    if (!res.body().empty() && !res.has_content_length()) std::abort();
  }
  return 0;
}
