#include "core/io/number_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>

namespace gan {
namespace {

std::string to_text(double value, std::chars_format format, int precision) {
  char buffer[400];  // "%.Nf" of 1e308 needs 309 digits before the point
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, format, precision);
  if (result.ec != std::errc()) return general_text(value, 17);  // only a huge fixed-point value gets here
  return std::string(buffer, result.ptr);
}

}  // namespace

std::string shortest_text(double value) {
  // Fewest significant digits that round-trip, in %g style: "0.0002" reads better in a config
  // than the plain shortest form "2e-04". A whole number keeps its digits before the point
  // ("10", not "1e+01", which %g writes when one significant digit is enough), up to 17 of them.
  std::string text;
  for (int digits = 1; digits <= 17; ++digits) {
    text = general_text(value, digits);
    if (const auto back = parse_double(text); back && (*back == value || value != value)) {
      const double magnitude = std::abs(value);
      if (magnitude >= 10 && magnitude < 1e17) {
        const int places = static_cast<int>(std::floor(std::log10(magnitude))) + 1;
        if (places > digits) text = general_text(value, places);
      }
      break;
    }
  }
  return text;
}

std::string general_text(double value, int digits) { return to_text(value, std::chars_format::general, digits); }

std::string fixed_text(double value, int decimals) { return to_text(value, std::chars_format::fixed, decimals); }

std::optional<double> take_double(std::string_view& text) {
  double value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc()) return std::nullopt;
  text.remove_prefix(static_cast<std::size_t>(result.ptr - text.data()));
  return value;
}

std::optional<double> parse_double(std::string_view text) {
  const auto value = take_double(text);
  if (!value || !text.empty()) return std::nullopt;
  return value;
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::vector<double>> parse_number_list(std::string_view text) {
  std::vector<double> values;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find(';'), text.size());
    const auto value = parse_double(text.substr(0, end));
    if (!value) return std::nullopt;
    values.push_back(*value);
    if (end == text.size()) break;
    text.remove_prefix(end + 1);
    if (text.empty()) return std::nullopt;  // a trailing ';'
  }
  return values;
}

}  // namespace gan
