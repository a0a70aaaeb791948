#include "core/training/evaluation.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "core/io/atomic_file.h"
#include "core/io/csv.h"
#include "core/io/image.h"
#include "core/judge/judge.h"
#include "core/model/checkpoint.h"
#include "core/model/gan.h"
#include "core/run/checkpoint_files.h"

namespace gan {
namespace {

constexpr std::int64_t kFewestDigits = 10;  // below this a covariance, and so the FID, means nothing

std::unique_ptr<Judge> open_judge(const DataConfig& data, std::int64_t samples, const torch::Device& device,
                                  const std::function<void(const std::string&)>& message) {
  std::int64_t last_percent = -1;
  auto progress = [&](const ClassifierProgress& p) {
    if (!message || p.accuracy >= 0) return;
    const auto percent = static_cast<std::int64_t>(100.0 * p.fraction());
    if (percent / 10 == last_percent / 10) return;
    last_percent = percent;
    message("training the " + data.dataset + " judge (once; cached afterwards): " + std::to_string(percent) + "%");
  };
  return Judge::open(data, samples, progress, message, device);
}

Evaluation evaluate_checkpoint(const std::filesystem::path& path, const EvaluationOptions& options,
                               const std::function<void(const std::string&)>& message) {
  const CheckpointInfo info = read_checkpoint_info(path);
  Config config = info.config;
  config.train.device = options.device;
  const ImageSet images = load_dataset(config.data);
  Gan gan(config, images);
  gan.load_checkpoint(path);
  auto judge = open_judge(config.data, options.samples, gan.device(), message);
  Evaluation result;
  result.source = "checkpoint " + path.string() + " (step " + std::to_string(info.step) + ")";
  result.step = info.step;
  result.quality = judge->score(gan.evaluation_images(options.samples), gan.evaluation_labels(options.samples));
  result.quality.step = info.step;
  result.reference = judge->reference();
  return result;
}

Evaluation evaluate_digits(const std::filesystem::path& folder, const EvaluationOptions& options,
                           const std::function<void(const std::string&)>& message) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".png") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (static_cast<std::int64_t>(files.size()) < kFewestDigits) {
    throw std::runtime_error(folder.string() + ": found " + std::to_string(files.size()) +
                             " PNG files; scoring needs at least " + std::to_string(kFewestDigits) +
                             " digits (2,000 or more for figures that compare)");
  }
  DataConfig data;
  data.dataset = options.dataset;
  const ImageSet reference_set = load_dataset(data, Split::kTest);  // for the image size
  std::vector<Image> digits;
  digits.reserve(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    const Image& digit = digits.emplace_back(read_png(files[i]));
    if (digit.height != reference_set.rows || digit.width != reference_set.cols) {
      throw std::runtime_error(files[i].string() + ": the image is " + std::to_string(digit.width) + " x " +
                               std::to_string(digit.height) + " pixels; gan-eval scores single " +
                               std::to_string(reference_set.cols) + " x " + std::to_string(reference_set.rows) +
                               " digits (as File > Export digits writes them), not grids");
    }
  }
  const torch::Tensor images = tanh_images(digits);
  auto judge = open_judge(data, images.size(0), resolve_device(options.device), message);
  Evaluation result;
  result.source = std::to_string(files.size()) + " PNG digits in " + folder.string();
  result.quality = judge->score(images);
  result.quality.step = -1;
  result.reference = judge->reference();
  return result;
}

}  // namespace

std::vector<std::filesystem::path> export_digits(const std::filesystem::path& path, const std::filesystem::path& folder,
                                                 const DigitsOptions& options) {
  if (!std::filesystem::is_directory(folder)) throw std::runtime_error(folder.string() + ": no such folder");
  if (!std::filesystem::exists(path)) throw std::runtime_error(path.string() + ": no such file or folder");
  const std::filesystem::path checkpoint = std::filesystem::is_directory(path) ? find_checkpoint(path, "draw from") : path;
  const CheckpointInfo info = read_checkpoint_info(checkpoint);
  Config config = info.config;
  config.train.device = options.device;
  if (options.digit && !config.model.conditional) {
    throw std::runtime_error(checkpoint.string() + ": --digit needs a conditional model (model.conditional: true); this "
                             "one draws digits at random");
  }
  const ImageSet images = load_dataset(config.data);
  Gan gan(config, images);
  gan.load_checkpoint(checkpoint);
  if (options.digit) {
    try {
      gan.check_digit(*options.digit);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(checkpoint.string() + ": " + e.what());
    }
  }
  std::vector<std::filesystem::path> files;
  for (std::int64_t i = 1; i <= options.count; ++i) {
    char name[48];
    std::snprintf(name, sizeof name, "digit_%07lld_%04lld.png", static_cast<long long>(info.step),
                  static_cast<long long>(i));
    files.push_back(folder / name);
    if (std::filesystem::exists(files.back())) {
      throw std::runtime_error(files.back().string() + " already exists; no digits were written (choose another folder)");
    }
  }
  const std::filesystem::path labels_file = folder / "labels.csv";
  if (gan.conditional() && std::filesystem::exists(labels_file)) {
    throw std::runtime_error(labels_file.string() + " already exists; no digits were written (choose another folder)");
  }
  if (options.seed) gan.seed_exports(*options.seed);
  std::vector<std::int64_t> labels;
  const std::vector<Image> digits = gan.generate(options.count, options.digit, &labels);
  for (std::size_t i = 0; i < files.size(); ++i) write_png(digits[i], files[i]);
  if (gan.conditional()) {
    // Which digit each was asked to be: what a judge's reading of them is checked against.
    std::string text = csv_row({"file", "label"});
    for (std::size_t i = 0; i < files.size(); ++i) text += csv_row({files[i].filename().string(), std::to_string(labels[i])});
    write_file_atomically(labels_file, text);
    files.push_back(labels_file);
  }
  return files;
}

NeighboursFound find_neighbours(const std::filesystem::path& image, const std::filesystem::path& run,
                                const NeighboursOptions& options, const std::filesystem::path& strip,
                                const std::function<void(const std::string&)>& message) {
  if (!std::filesystem::exists(run)) throw std::runtime_error(run.string() + ": no such run folder or checkpoint");
  if (!strip.empty() && std::filesystem::exists(strip)) {
    throw std::runtime_error(strip.string() + " already exists; nothing was written (name another with --out)");
  }
  const Image digit = read_png(image);
  const std::filesystem::path checkpoint = std::filesystem::is_directory(run) ? find_checkpoint(run, "search the training set of") : run;
  const DataConfig data = read_checkpoint_info(checkpoint).config.data;
  auto judge = open_judge(data, kFewestDigits, resolve_device(options.device), message);
  if (digit.height != judge->rows() || digit.width != judge->cols()) {
    throw std::runtime_error(image.string() + ": the image is " + std::to_string(digit.width) + " x " +
                             std::to_string(digit.height) + " pixels; the " + data.dataset + " training set's are " +
                             std::to_string(judge->cols()) + " x " + std::to_string(judge->rows()));
  }
  NeighboursFound found;
  found.dataset = data.dataset;
  found.view = judge->nearest_training_digits(digit, options.space, options.count);
  if (!strip.empty()) {
    std::vector<Image> row = {digit};
    row.insert(row.end(), found.view.images.begin(), found.view.images.end());
    write_png(image_row(row, 4), strip);
  }
  return found;
}

Evaluation evaluate_path(const std::filesystem::path& path, const EvaluationOptions& options,
                         const std::function<void(const std::string&)>& message) {
  if (!std::filesystem::exists(path)) throw std::runtime_error(path.string() + ": no such file or folder");
  if (std::filesystem::is_directory(path)) {
    // A run folder scores its newest checkpoint; any other folder its PNG digits.
    if (std::filesystem::exists(path / "run.yaml")) return evaluate_checkpoint(find_checkpoint(path, "score"), options, message);
    return evaluate_digits(path, options, message);
  }
  return evaluate_checkpoint(path, options, message);
}

}  // namespace gan
