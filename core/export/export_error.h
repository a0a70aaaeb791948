#pragma once

#include <stdexcept>

namespace gan {

/// A generator cannot be exported; the message names the layer, file or setting and what is wrong.
class ExportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace gan
