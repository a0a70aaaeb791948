#include "core/model/default_generator.h"

namespace gan {

std::mutex& default_generator_mutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace gan
