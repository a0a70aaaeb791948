#include "core/io/paths.h"

#include <unistd.h>

#include <cstdlib>
#include <ctime>

namespace gan {

std::filesystem::path user_data_folder() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg != nullptr && *xdg == '/') return std::filesystem::path(xdg) / "gan-studio";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home != nullptr ? home : ".") / ".local" / "share" / "gan-studio";
}

std::filesystem::path user_cache_folder() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && *xdg == '/') return std::filesystem::path(xdg) / "gan-studio";
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home != nullptr ? home : ".") / ".cache" / "gan-studio";
}

std::filesystem::path default_mnist_folder() { return user_data_folder() / "mnist"; }

std::filesystem::path default_runs_folder() { return user_data_folder() / "runs"; }

std::filesystem::path program_folder() {
  std::error_code error;
  const auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::current_path(error) : executable.parent_path();
}

std::filesystem::path shared_data_folder() {
  // Installed: <prefix>/bin/gan-train and <prefix>/share/gan-studio; the build tree lays out
  // build/app/gan-train and build/share/gan-studio the same way (app/CMakeLists.txt). No source
  // path is compiled in: a package built in one place runs from another.
  return program_folder().parent_path() / "share" / "gan-studio";
}

std::filesystem::path presets_folder() {
  if (const char* env = std::getenv("GAN_PRESETS_DIR"); env != nullptr && *env != '\0') return env;
  return shared_data_folder() / "presets";
}

std::filesystem::path new_run_folder(const std::filesystem::path& parent, const std::string& label) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  const std::string base = std::string(stamp) + "-" + label;
  std::filesystem::path candidate = parent / base;
  for (int n = 2; std::filesystem::exists(candidate); ++n) candidate = parent / (base + "-" + std::to_string(n));
  return candidate;
}

}  // namespace gan
