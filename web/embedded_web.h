// The dashboard's built files (web/: index.html and content-hashed assets),
// compiled into the binary by web/embed_web.cmake so that a server needs no
// files beside itself. Empty when the build was configured with
// -DIKV_BUILD_WEB=OFF.
//
// Thread-safety: constant data; safe from any thread.
//
//   for (const auto& f : ikv::web::embedded_files()) serve(f.path, f.body);
#pragma once

#include <span>
#include <string_view>

namespace ikv::web {

struct EmbeddedFile {
  std::string_view path;  // relative to the bundle's root: "index.html", "assets/main-X.js"
  std::string_view body;  // the file's bytes
};

// Every file of the bundle, in no particular order.
std::span<const EmbeddedFile> embedded_files();

}  // namespace ikv::web
