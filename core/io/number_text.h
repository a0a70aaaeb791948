// Numbers as text in every file GAN Studio writes and reads back (config.yaml, run.yaml,
// metrics.csv, events.csv, JSON): always with '.', whatever the user's locale.
//
// Why not printf/strtod: they follow LC_NUMERIC, which QApplication takes from the user's
// environment. Under de_DE.UTF-8 the studio wrote `lr: 0,0002.0` into config.yaml and metrics rows
// like `1,0,0,6931,0,7`, which no reader could take back. std::to_chars/std::from_chars never
// consult a locale.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gan {

/// The shortest `%g`-style text that reads back to exactly `value`: "0.0002", "1e-08", "0.5".
std::string shortest_text(double value);

/// `value` with `digits` significant digits, as printf's "%.<digits>g" in the C locale.
std::string general_text(double value, int digits);

/// `value` with `decimals` digits after the point, as printf's "%.<decimals>f" in the C locale.
std::string fixed_text(double value, int decimals);

/// The number that `text` holds, and nothing else (no spaces, no trailing characters); nullopt
/// otherwise. Accepts what the functions above write, "inf" and "nan" included.
std::optional<double> parse_double(std::string_view text);
std::optional<std::int64_t> parse_int(std::string_view text);

/// Numbers joined by ';' (a class histogram, a window's bins), each as parse_double takes it;
/// nullopt when one is not a number or a ';' ends the text. Empty text is no numbers.
std::optional<std::vector<double>> parse_number_list(std::string_view text);

/// Reads the number at the front of `text` and moves `text` past it; nullopt (and `text`
/// unchanged) when it does not start with one. For parsing rows field by field.
std::optional<double> take_double(std::string_view& text);

}  // namespace gan
