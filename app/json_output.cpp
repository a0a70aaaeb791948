#include "json_output.h"

#include <algorithm>
#include <cmath>

namespace gan::app {
namespace {

void mark_not_finite(nlohmann::ordered_json& object, const std::string& key) {
  object[key] = nullptr;
  object["not_finite"].push_back(key);
}

}  // namespace

void put_number(nlohmann::ordered_json& object, const std::string& key, double value) {
  if (std::isfinite(value)) {
    object[key] = value;
  } else {
    mark_not_finite(object, key);
  }
}

void put_numbers(nlohmann::ordered_json& object, const std::string& key, const std::vector<double>& values) {
  if (std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); })) {
    object[key] = values;
  } else {
    mark_not_finite(object, key);
  }
}

std::string json_line(const nlohmann::ordered_json& object) {
  // A path may hold bytes that are not UTF-8; replace them instead of failing the whole report.
  return object.dump(/*indent=*/-1, /*indent_char=*/' ', /*ensure_ascii=*/false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace gan::app
