#pragma once

#include <string_view>
#include <utility>

#include <spdlog/spdlog.h>

namespace tributary::log {

/// Logging goes to stderr through spdlog; stdout belongs to the cli layer.
/// Levels: "trace", "debug", "info", "warn", "error", "off".
void SetLevel(std::string_view level);

template <typename... Args>
void Debug(fmt::format_string<Args...> format, Args&&... args) {
  spdlog::debug(format, std::forward<Args>(args)...);
}
template <typename... Args>
void Info(fmt::format_string<Args...> format, Args&&... args) {
  spdlog::info(format, std::forward<Args>(args)...);
}
template <typename... Args>
void Warn(fmt::format_string<Args...> format, Args&&... args) {
  spdlog::warn(format, std::forward<Args>(args)...);
}
template <typename... Args>
void Error(fmt::format_string<Args...> format, Args&&... args) {
  spdlog::error(format, std::forward<Args>(args)...);
}

}  // namespace tributary::log
