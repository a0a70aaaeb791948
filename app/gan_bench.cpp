// gan-bench: how fast a config trains here, as figures. Runs the real training loop (Trainer) for a
// warm-up and then N timed steps in each step mode asked for (train.step: "eager" everywhere,
// "graph" where a CUDA LibTorch >= 2 has a GPU), repeats that on a fresh model, and prints the
// median, one line per mode. With --quality it also times one sample-quality evaluation (judge.h)
// and what it adds to training at the config's quality.interval. --diagnostics both times each mode
// with the inside figures (inside.interval, inside_probe.h) off and on, and prints what they cost.
// --folder-read DIR times a picture folder's first read (into a fresh cache) and its cached one;
// --make-folder DIR writes the config's training images out as PNGs, a subfolder per class.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include "core/config/config.h"
#include "core/data/dataset.h"
#include "core/data/image_folder.h"
#include "core/io/image.h"
#include "core/io/paths.h"
#include "core/judge/judge.h"
#include "core/model/device.h"
#include "core/model/gan.h"
#include "core/training/default_preset.h"
#include "core/training/trainer.h"
#include "device_option.h"
#include "fetch_console.h"
#include "json_output.h"

namespace {

struct Figures {
  std::string mode;
  std::string mode_reason;  // why the steps ran otherwise than train.step asked (a graph that fell back)
  std::string device;
  double ms_per_step = 0;
  double steps_per_s = 0;
  double s_per_epoch = 0;
};

// Discards everything: the benchmark times the loop, not the consumers.
class NullObserver : public gan::TrainingObserver {};

Figures measure(const gan::Config& config, const gan::ImageSet& images, std::int64_t warmup, std::int64_t steps) {
  gan::Trainer trainer(config, images);
  NullObserver observer;
  if (trainer.run(observer, warmup) == gan::RunState::kFailed) throw std::runtime_error("warm-up failed");
  const auto start = std::chrono::steady_clock::now();
  // run() ends with a read-back of the losses, which waits for the device: the time is complete.
  if (trainer.run(observer, warmup + steps) == gan::RunState::kFailed) throw std::runtime_error("timed run failed");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Figures f;
  f.mode = trainer.info().step_mode;
  f.mode_reason = trainer.gan().step_mode_reason();
  f.device = trainer.info().device;
  f.ms_per_step = 1000.0 * seconds / static_cast<double>(steps);
  f.steps_per_s = static_cast<double>(steps) / seconds;
  f.s_per_epoch = seconds / static_cast<double>(steps) * static_cast<double>(trainer.info().steps_per_epoch);
  return f;
}

template <typename Task>
double median_ms(int repeat, Task&& task) {
  std::vector<double> times;
  for (int i = 0; i < repeat; ++i) {
    const auto start = std::chrono::steady_clock::now();
    task();
    times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// The studio's probes on a fresh model of `config`: what a slider move and a click on a digit cost.
int bench_probes(const gan::Config& config, const gan::ImageSet& images, const std::string& name, int repeat, bool json) {
  gan::Gan gan(config, images);
  const gan::LatentPoint picked = gan.grid_latent(0);
  const auto directions = gan.latent_directions(picked, 6, gan::LatentDirections::kSensitive);
  double step = 0;
  const double redraw = median_ms(repeat, [&] {
    step += 0.1;  // a slider moving
    gan.draw_latent({gan::move_latent(picked, directions, {step, 0, 0, 0, 0, 0}, 1.0)});
  });
  const double sensitive =
      median_ms(std::max(1, repeat / 10), [&] { gan.latent_directions(picked, 6, gan::LatentDirections::kSensitive); });
  std::map<std::string, double> figures = {{"explorer_redraw_ms", redraw}, {"explorer_directions_ms", sensitive}};
  try {
    auto judge = gan::Judge::open(config.data, config.quality.samples, {}, {}, gan.device());
    const torch::Tensor digit = gan.evaluation_images(1);
    figures["neighbours_features_ms"] =
        median_ms(repeat, [&] { judge->nearest_training_images(digit, gan::NeighbourSpace::kFeatures, 8); });
    figures["neighbours_pixels_ms"] =
        median_ms(repeat, [&] { judge->nearest_training_images(digit, gan::NeighbourSpace::kPixels, 8); });
    const torch::Tensor samples = gan.evaluation_images(config.quality.samples);
    const torch::Tensor features = judge->evaluate(samples).features.slice(0, 0, 500);  // as Judge::score takes them
    // What the memorisation figure adds to an evaluation: every sample's nearest training image.
    figures["memorisation_ms"] = median_ms(std::max(1, repeat / 10), [&] {
      judge->neighbours().nearest_distance(features, gan::NeighbourSpace::kFeatures);
    });
    figures["evaluation_ms"] = median_ms(std::max(1, repeat / 10), [&] { judge->score(samples); });
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gan-bench: no judge, so no neighbour figures: %s\n", e.what());
  }
  if (json) {
    nlohmann::ordered_json line = {{"config", name}, {"mode", "probe"}, {"device", gan::device_description(gan.device().str())}};
    for (const auto& [key, value] : figures) gan::app::put_number(line, key, value);
    std::printf("%s\n", gan::app::json_line(line).c_str());
  } else {
    std::printf("probes of %s on %s (median of %d):\n", name.c_str(), gan::device_description(gan.device().str()).c_str(),
                repeat);
    for (const auto& [key, value] : figures) std::printf("  %-24s %9.2f ms\n", key.c_str(), value);
  }
  return 0;
}

// Median seconds of one evaluation: render quality.samples digits with G and score them.
double time_evaluation(const gan::Config& config, const gan::ImageSet& images, int repeat) {
  gan::Gan gan(config, images);
  auto judge = gan::Judge::open(config.data, config.quality.samples, {}, {}, gan.device());
  judge->score(gan.evaluation_images(config.quality.samples));  // warm-up
  std::vector<double> seconds;
  for (int i = 0; i < repeat; ++i) {
    const auto start = std::chrono::steady_clock::now();
    judge->score(gan.evaluation_images(config.quality.samples));
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  return seconds[seconds.size() / 2];
}

int bench_mode(const gan::Config& config, const gan::ImageSet& images, const std::string& name, std::int64_t steps,
               std::int64_t warmup, int repeat, bool json, bool quality, std::int64_t quality_interval,
               const std::string& diagnostics);

// Six tints a colourised picture takes by its place (not its class: colour gives nothing away).
constexpr std::uint8_t kTints[6][3] = {{255, 80, 60}, {255, 170, 40}, {90, 220, 90}, {60, 200, 220}, {90, 120, 255}, {200, 100, 255}};

// Writes `images` as DIR/<class>/<index>.png (gray or RGB; gray ones tinted into RGB when
// `colourise`), refusing a folder that exists.
int make_folder(const gan::ImageSet& images, const std::filesystem::path& folder, bool colourise) {
  if (std::filesystem::exists(folder)) {
    std::fprintf(stderr, "gan-bench: %s exists; name a new folder\n", folder.c_str());
    return 2;
  }
  const std::int64_t plane = images.rows * images.cols;
  for (std::int64_t i = 0; i < images.count; ++i) {
    gan::Image image;
    image.width = static_cast<int>(images.cols);
    image.height = static_cast<int>(images.rows);
    image.channels = colourise ? 3 : static_cast<int>(images.channels);
    const std::uint8_t* planes = images.pixels.data() + i * images.image_size();
    const std::uint8_t* tint = kTints[i % 6];
    for (std::int64_t p = 0; p < plane; ++p) {
      if (colourise && images.channels == 1) {
        for (int c = 0; c < 3; ++c) image.pixels.push_back(static_cast<std::uint8_t>(planes[p] * tint[c] / 255));
      } else {
        for (std::int64_t c = 0; c < images.channels; ++c) image.pixels.push_back(planes[c * plane + p]);
      }
    }
    const std::string label = images.labels.empty() ? std::string("all") : std::to_string(images.labels[static_cast<std::size_t>(i)]);
    std::filesystem::create_directories(folder / label);
    char name[32];
    std::snprintf(name, sizeof name, "%05lld.png", static_cast<long long>(i));
    gan::write_png(image, folder / label / name);
  }
  std::printf("wrote %lld pictures into %s\n", static_cast<long long>(images.count), folder.c_str());
  return 0;
}

// The first read of `folder` into an empty cache of its own, then the cached read: seconds each.
int time_folder_read(const gan::DataConfig& data, const std::filesystem::path& folder, bool json) {
  const std::filesystem::path cache = std::filesystem::temp_directory_path() / ("gan-bench-cache-" + std::to_string(::getpid()));
  ::setenv("XDG_CACHE_HOME", cache.c_str(), 1);
  gan::FolderOptions options;
  options.folder = folder;
  options.size = static_cast<int>(data.size);
  options.channels = static_cast<int>(data.channels);
  double seconds[2] = {0, 0};
  gan::FolderImages read;
  try {
    for (double& s : seconds) {
      const auto started = std::chrono::steady_clock::now();
      read = gan::read_image_folder(options);
      s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }
  } catch (const std::exception& e) {
    std::filesystem::remove_all(cache);
    std::fprintf(stderr, "gan-bench: %s\n", e.what());
    return 2;
  }
  std::filesystem::remove_all(cache);
  const gan::ImageSet& set = read.images;
  if (json) {
    const nlohmann::ordered_json line = {{"folder", folder.string()}, {"pictures", set.count}, {"size", set.rows},
                                         {"channels", set.channels}, {"skipped", read.skipped.size()},
                                         {"first_read_s", seconds[0]}, {"cached_read_s", seconds[1]}};
    std::printf("%s\n", gan::app::json_line(line).c_str());
  } else {
    std::printf("%s: %lld pictures at %lld x %lld x %lld (%zu skipped): first read %.2f s, from the cache %.2f s\n",
                folder.c_str(), static_cast<long long>(set.count), static_cast<long long>(set.rows),
                static_cast<long long>(set.cols), static_cast<long long>(set.channels), read.skipped.size(), seconds[0],
                seconds[1]);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Time the training loop of a config: ms per step, steps per second, seconds per epoch.", "gan-bench"};
  cli.set_version_flag("--version", "gan-bench " GAN_VERSION);
  std::string config_path = gan::default_preset().string();
  std::string device = "auto";
  std::int64_t steps = 200;
  std::int64_t warmup = 20;
  int repeat = 3;
  bool json = false;
  std::vector<std::string> overrides;
  cli.add_option("--config,-c", config_path,
                 "YAML config or preset (default: course-report.yaml with a CUDA GPU, else cdcgan.yaml)");
  cli.add_option("--device", device, "Where to train")->check(gan::app::device_validator())->capture_default_str();
  cli.add_option("--steps", steps, "Timed steps per mode")->check(CLI::PositiveNumber)->capture_default_str();
  cli.add_option("--warmup", warmup, "Untimed steps first")->check(CLI::PositiveNumber)->capture_default_str();
  cli.add_option("--repeat", repeat, "Fresh runs per mode; the median is printed")->check(CLI::Range(1, 100))->capture_default_str();
  std::string mode = "all";
  cli.add_option("--mode", mode, "Step modes to time: eager, graph (a CUDA graph, GPU only) or all (those possible here)")
      ->check(CLI::IsMember({"eager", "graph", "all"}))
      ->capture_default_str();
  cli.add_option("--set", overrides, "Override a config value (repeatable)");
  cli.add_flag("--json", json, "One JSON object per line");
  std::string diagnostics = "on";
  cli.add_option("--diagnostics", diagnostics,
                 "The inside figures (D's verdict histograms, each layer's norms): on (at the config's inside.interval, "
                 "or 20 steps where it has none), off, or both (timed apart, with what they cost)")
      ->check(CLI::IsMember({"on", "off", "both"}))
      ->capture_default_str();
  bool probe = false;
  cli.add_flag("--probe", probe,
               "Instead of training, time the studio's questions to this config's model: a latent-explorer redraw, "
               "its slider directions, and a digit's nearest training images (features, pixels)");
  std::string make_folder_path, folder_read_path;
  bool colourise = false;
  cli.add_option("--make-folder", make_folder_path,
                 "Instead of training, write the config's training images as PNG pictures into this new folder, a "
                 "subfolder per class (MNIST as a picture folder, for the folder benchmarks and tests)");
  cli.add_flag("--colourise", colourise, "With --make-folder: tint gray pictures into RGB, one of six colours by place");
  cli.add_option("--folder-read", folder_read_path,
                 "Instead of training, time reading this picture folder: the first read (decoding every picture into an "
                 "empty cache of its own) and the cached one; data.size and data.channels from the config or --set");
  bool quality = false;
  cli.add_flag("--quality", quality,
               "Also time one sample-quality evaluation and its share of training time at quality.interval");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 2;
  }
  overrides.push_back("train.device=" + device);
  if (!folder_read_path.empty()) {
    try {
      return time_folder_read(gan::load_config(config_path, overrides).data, folder_read_path, json);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "gan-bench: %s\n", e.what());
      return 2;
    }
  }

  std::int64_t quality_interval = 0;
  gan::Config config;
  gan::ImageSet images;
  try {
    config = gan::load_config(config_path, overrides);
    quality_interval = config.quality.interval;
    config.quality.interval = 0;  // the training figures are for training alone
    images = load_dataset_fetching(config.data);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gan-bench: %s\n", e.what());
    return 2;
  }
  if (!make_folder_path.empty()) {
    try {
      return make_folder(images, make_folder_path, colourise);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "gan-bench: %s\n", e.what());
      return 2;
    }
  }
  if (probe) return bench_probes(config, images, std::filesystem::path(config_path).stem().string(), repeat * 10, json);
  std::vector<gan::StepChoice> modes;
  if (mode != "graph") modes.push_back(gan::StepChoice::kEager);
  if (mode != "eager") modes.push_back(gan::StepChoice::kGraph);
  const std::string name = std::filesystem::path(config_path).stem().string();
  for (const gan::StepChoice step : modes) {
    config.train.step = step;
    if (step == gan::StepChoice::kGraph && mode == "all") {
      try {
        gan::resolve_step_mode(step, gan::resolve_device(config.train.device));
      } catch (const gan::TrainingError& e) {
        if (json) {
          const nlohmann::ordered_json line = {{"config", name}, {"mode", "graph-vs-eager"}, {"compared", false},
                                               {"reason", e.what()}};
          std::printf("%s\n", gan::app::json_line(line).c_str());
        } else {
          std::printf("graph vs eager: not compared here: %s\n", e.what());
        }
        continue;
      }
    }
    if (const int status = bench_mode(config, images, name, steps, warmup, repeat, json, quality && step == modes.front(),
                                      quality_interval, diagnostics)) {
      return status;
    }
  }
  return 0;
}

namespace {

// The config with the inside figures on (its own window, or the default one) or off.
gan::Config with_inside(const gan::Config& config, bool on) {
  gan::Config c = config;
  c.inside.interval = !on ? 0 : config.inside.interval > 0 ? config.inside.interval : gan::InsideConfig{}.interval;
  return c;
}

int bench_mode(const gan::Config& config, const gan::ImageSet& images, const std::string& name, std::int64_t steps,
               std::int64_t warmup, int repeat, bool json, bool quality, std::int64_t quality_interval,
               const std::string& diagnostics) {
  try {
    const std::vector<bool> settings = diagnostics == "both" ? std::vector<bool>{false, true}
                                                             : std::vector<bool>{diagnostics == "on"};
    // Shared machines are noisy (runs here varied by 20%): report the median of several runs, the
    // settings taking turns so that a busy minute does not fall on one of them alone.
    std::map<bool, std::vector<Figures>> runs;
    for (int i = 0; i < repeat; ++i) {
      for (const bool on : settings) runs[on].push_back(measure(with_inside(config, on), images, warmup, steps));
    }
    std::map<bool, Figures> median;
    for (auto& [on, figures] : runs) {
      std::sort(figures.begin(), figures.end(), [](const Figures& a, const Figures& b) { return a.ms_per_step < b.ms_per_step; });
      median[on] = figures[figures.size() / 2];
    }
    const Figures& f = median.begin()->second;
    if (config.train.step == gan::StepChoice::kGraph) {
      // Each run's capture was checked against the uncaptured step from the same state (gan.h).
      std::vector<Figures> all;
      for (const auto& [on, figures] : runs) all.insert(all.end(), figures.begin(), figures.end());
      const auto fell_back = std::find_if(all.begin(), all.end(), [](const Figures& r) { return !r.mode_reason.empty(); });
      const bool agree = fell_back == all.end();
      if (json) {
        nlohmann::ordered_json line = {{"config", name}, {"mode", "graph-vs-eager"}, {"device", f.device}, {"compared", true},
                                       {"agree", agree}, {"reason", agree ? std::string() : fell_back->mode_reason}};
        std::printf("%s\n", gan::app::json_line(line).c_str());
      } else if (agree) {
        std::printf("graph vs eager: agree (each capture's first replay within %g + %g x |eager| of the eager step)\n",
                    gan::kCaptureAbsoluteTolerance, gan::kCaptureRelativeTolerance);
      } else {
        std::printf("graph vs eager: DISAGREE, the runs went on uncaptured: %s\n", fell_back->mode_reason.c_str());
      }
    }
    for (const auto& [on, m] : median) {
      if (json) {
        nlohmann::ordered_json line = {{"config", name}, {"mode", m.mode},  {"device", m.device},
                                       {"inside", on},   {"steps", steps}, {"repeat", repeat}};
        gan::app::put_number(line, "ms_per_step", m.ms_per_step);
        gan::app::put_number(line, "steps_per_s", m.steps_per_s);
        gan::app::put_number(line, "s_per_epoch", m.s_per_epoch);
        std::printf("%s\n", gan::app::json_line(line).c_str());
      } else {
        std::printf("%-16s %-6s %-24s %9.3f ms/step %9.2f steps/s %9.2f s/epoch   inside figures %s\n", name.c_str(),
                    m.mode.c_str(), m.device.c_str(), m.ms_per_step, m.steps_per_s, m.s_per_epoch, on ? "on" : "off");
      }
    }
    if (median.size() == 2) {
      const double overhead = 100.0 * (median[true].ms_per_step / median[false].ms_per_step - 1.0);
      if (json) {
        nlohmann::ordered_json line = {{"config", name}, {"mode", "inside-overhead"}, {"step_mode", f.mode},
                                       {"device", f.device}, {"interval", with_inside(config, true).inside.interval}};
        gan::app::put_number(line, "overhead_percent", overhead);
        std::printf("%s\n", gan::app::json_line(line).c_str());
      } else {
        std::printf("%-16s %-6s %-24s inside figures (a window every %lld steps) cost %+.1f%% per step\n", name.c_str(),
                    f.mode.c_str(), f.device.c_str(), static_cast<long long>(with_inside(config, true).inside.interval),
                    overhead);
      }
    }
    if (quality) {
      const double seconds = time_evaluation(config, images, repeat);
      // Share of wall time spent scoring when one evaluation follows every quality.interval steps.
      const double training = static_cast<double>(quality_interval) * f.ms_per_step / 1000.0;
      const double overhead = quality_interval > 0 ? 100.0 * seconds / (training + seconds) : 0.0;
      if (json) {
        nlohmann::ordered_json line = {{"config", name},
                               {"mode", "quality-evaluation"},
                               {"device", f.device},
                               {"samples", config.quality.samples},
                               {"interval", quality_interval}};
        gan::app::put_number(line, "ms_per_evaluation", seconds * 1000);
        gan::app::put_number(line, "overhead_percent", overhead);
        std::printf("%s\n", gan::app::json_line(line).c_str());
      } else {
        std::printf("%-16s %-6s %-24s %9.1f ms per evaluation of %lld samples: %.2f%% of the time at one every %lld steps\n",
                    name.c_str(), "judge", f.device.c_str(), seconds * 1000, static_cast<long long>(config.quality.samples),
                    overhead, static_cast<long long>(quality_interval));
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gan-bench: %s\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace
