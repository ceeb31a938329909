#include "tributary/base/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace tributary::log {

void SetLevel(std::string_view level) {
  static const bool initialized = [] {
    auto logger = spdlog::stderr_color_mt("tributary");
    spdlog::set_default_logger(logger);
    return true;
  }();
  (void)initialized;
  spdlog::set_level(spdlog::level::from_str(std::string(level)));
}

}  // namespace tributary::log
