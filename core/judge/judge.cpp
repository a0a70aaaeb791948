#include "core/judge/judge.h"

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>
#include <torch/torch.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "core/io/atomic_file.h"
#include "core/io/paths.h"
#include "core/io/sha256.h"
#include "core/model/archive_file.h"
#include "core/model/gan.h"

namespace gan {
namespace {

constexpr std::int64_t kJudgeFormat = 1;
constexpr std::int64_t kFeatureBatch = 500;

std::string file_sha256(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  Sha256 hash;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) hash.update(buffer, static_cast<std::size_t>(in.gcount()));
  return hash.hex_digest();
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes `archive` to `path` atomically, and its SHA-256 beside it in <name>.sha256 (what
// judge_cache_intact checks).
void write_checked_archive(torch::serialize::OutputArchive& archive, const std::filesystem::path& path,
                           const char* what) {
  AtomicFile file(path, Replace::kAllowed);
  write_archive(archive, file, what);
  file.close_stream();
  const std::string checksum = file_sha256(file.temporary_path());
  file.commit();
  write_file_atomically(path.string() + ".sha256", checksum + "  " + path.filename().string() + "\n", Replace::kAllowed);
}

struct CachedJudge {
  Classifier classifier{nullptr};
  FeatureStatistics test_statistics;
  JudgeReference reference;
};

// Reads a cache file; throws (any exception) when it is not a judge of this format and shape.
CachedJudge read_cache(const std::filesystem::path& path, const ImageSet& train) {
  torch::serialize::InputArchive archive;
  archive.load_from(path.string(), torch::Device(torch::kCPU));
  c10::IValue value;
  archive.read("format", value);
  if (value.toInt() != kJudgeFormat) throw JudgeError("format " + std::to_string(value.toInt()));
  torch::Tensor shape, numbers;
  archive.read("shape", shape);
  archive.read("reference", numbers);
  CachedJudge judge;
  // Built as the trained one was: its layers' initial weights (overwritten below) must not be
  // drawn from the run's generator, which this thread would move while the run trains.
  // [rows, cols, classes], and channels since colour came (a judge of three numbers is gray).
  const std::int64_t channels = shape.numel() > 3 ? shape[3].item<std::int64_t>() : 1;
  judge.classifier = seeded_classifier(shape[0].item<std::int64_t>(), shape[1].item<std::int64_t>(), shape[2].item<std::int64_t>(),
                                       channels);
  if (judge.classifier->rows() != train.rows || judge.classifier->cols() != train.cols || channels != train.channels) {
    throw JudgeError("image size");
  }
  torch::serialize::InputArchive weights;
  archive.read("classifier", weights);
  judge.classifier->load(weights);
  judge.classifier->eval();
  archive.read("test_mean", judge.test_statistics.mean);
  archive.read("test_covariance", judge.test_statistics.covariance);
  judge.reference.test_accuracy = numbers[0].item<double>();
  judge.reference.inception_score = numbers[1].item<double>();
  judge.reference.classes = judge.classifier->classes();
  return judge;
}

void write_cache(const std::filesystem::path& path, CachedJudge& judge) {
  torch::serialize::OutputArchive archive;
  archive.write("format", c10::IValue(kJudgeFormat));
  archive.write("shape", torch::tensor({judge.classifier->rows(), judge.classifier->cols(), judge.classifier->classes(),
                                       judge.classifier->channels()}));
  archive.write("reference",
                torch::tensor({judge.reference.test_accuracy, judge.reference.inception_score}, torch::kFloat64));
  torch::serialize::OutputArchive weights;
  judge.classifier->save(weights);
  archive.write("classifier", weights);
  archive.write("test_mean", judge.test_statistics.mean);
  archive.write("test_covariance", judge.test_statistics.covariance);

  std::filesystem::create_directories(path.parent_path());
  write_checked_archive(archive, path, "judge");
}

constexpr std::int64_t kNeighboursFormat = 1;

struct CachedNeighbours {
  torch::Tensor features;
  MemorisationReference memorisation;
};

// The neighbours cache of the judge whose file has checksum `judge_sha256`; nullopt when there is
// none, it is damaged, or it belongs to another judge (one trained again replaces both files).
std::optional<CachedNeighbours> read_neighbours(const std::filesystem::path& path, const std::string& judge_sha256,
                                                std::int64_t count) {
  if (!judge_cache_intact(path)) return std::nullopt;
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path.string(), torch::Device(torch::kCPU));
    c10::IValue value;
    archive.read("format", value);
    if (value.toInt() != kNeighboursFormat) return std::nullopt;
    archive.read("judge_sha256", value);
    if (value.toStringRef() != judge_sha256) return std::nullopt;
    CachedNeighbours cached;
    torch::Tensor numbers;
    archive.read("features", cached.features);
    archive.read("memorisation", numbers);
    if (cached.features.dim() != 2 || cached.features.size(0) != count || numbers.numel() != 2) return std::nullopt;
    cached.memorisation.threshold = numbers[0].item<double>();
    cached.memorisation.real_share = numbers[1].item<double>();
    return cached;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void write_neighbours(const std::filesystem::path& path, const std::string& judge_sha256, const CachedNeighbours& cached) {
  torch::serialize::OutputArchive archive;
  archive.write("format", c10::IValue(kNeighboursFormat));
  archive.write("judge_sha256", c10::IValue(judge_sha256));
  archive.write("features", cached.features.to(torch::kCPU));
  archive.write("memorisation",
                torch::tensor({cached.memorisation.threshold, cached.memorisation.real_share}, torch::kFloat64));
  write_checked_archive(archive, path, "judge's training-set features");
}

}  // namespace

std::filesystem::path neighbours_cache_path(const std::filesystem::path& judge_cache) {
  std::filesystem::path path = judge_cache;
  return path.replace_extension(".neighbours.pt");
}

bool judge_cache_intact(const std::filesystem::path& path) {
  if (!std::filesystem::is_regular_file(path)) return false;
  const std::string expected = read_text(path.string() + ".sha256").substr(0, 64);
  return expected.size() == 64 && expected == file_sha256(path);
}

std::filesystem::path judge_cache_path(const DataConfig& data, const ImageSet& train) {
  const std::string fingerprint = sha256_hex({&train.pixels, &train.labels}).substr(0, 12);
  return user_data_folder() / "judges" / (data.dataset + "-lenet-" + fingerprint + ".pt");
}

Judge::Judge(Classifier classifier, FeatureStatistics test_statistics, JudgeReference reference,
             std::filesystem::path cache_file)
    : classifier_(std::move(classifier)),
      test_statistics_(std::move(test_statistics)),
      reference_(std::move(reference)),
      cache_file_(std::move(cache_file)) {}

std::unique_ptr<Judge> Judge::open(const DataConfig& data, std::int64_t samples,
                                   const std::function<void(const ClassifierProgress&)>& progress,
                                   const std::function<void(const std::string&)>& note,
                                   const torch::Device& device) {
  const ImageSet train = load_dataset(data, Split::kTrain);
  if (static_cast<std::int64_t>(train.labels.size()) != train.count) {
    throw JudgeError(train.description + " has no labels, so no judge can be trained for it" +
                     (data.dataset == "folder" ? std::string(" (put the pictures in one subfolder per class for IS, FID and "
                                                             "the class histogram)")
                                               : std::string()));
  }
  if (train.rows < 16 || train.cols < 16) {
    throw JudgeError("the judge needs images of at least 16 x 16 pixels; " + train.description + " has " +
                     std::to_string(train.rows) + " x " + std::to_string(train.cols));
  }
  const std::filesystem::path path = judge_cache_path(data, train);

  std::optional<CachedJudge> cached;
  if (std::filesystem::exists(path)) {
    if (!judge_cache_intact(path)) {
      if (note) note(path.string() + " does not match its checksum (" + path.filename().string() + ".sha256); training a new judge");
    } else {
      try {
        cached = read_cache(path, train);
      } catch (const std::exception& e) {
        if (note) note(path.string() + " is not a judge this version can read (" + e.what() + "); training a new judge");
      }
    }
  }

  std::unique_ptr<Judge> judge;
  if (cached) {
    cached->classifier->to(device);
    judge.reset(new Judge(cached->classifier, cached->test_statistics, cached->reference, path));
    judge->device_ = device;
  } else {
    const ImageSet test = load_dataset(data, Split::kTest);
    CachedJudge fresh;
    fresh.classifier = train_classifier(train, progress ? progress : [](const ClassifierProgress&) {}, device);
    fresh.reference.test_accuracy = classifier_accuracy(fresh.classifier, test);
    fresh.reference.classes = fresh.classifier->classes();
    judge.reset(new Judge(fresh.classifier, {}, fresh.reference, path));
    judge->device_ = device;
    const Outputs real = judge->evaluate(image_tensor(test));
    judge->test_statistics_ = feature_statistics(real.features);
    judge->reference_.inception_score = inception_score(real.probabilities);
    fresh.test_statistics = judge->test_statistics_;
    fresh.reference = judge->reference_;
    write_cache(path, fresh);
    if (progress) {
      ClassifierProgress done;
      done.epoch = done.epochs = 1;
      done.accuracy = fresh.reference.test_accuracy;
      progress(done);
    }
  }
  judge->reference_.dataset = data.dataset;

  // The training set's features for the nearest-image questions and the memorisation figure: read
  // from their cache, or computed once (LeNet over 60,000 images) and cached beside the judge.
  const torch::Tensor train_images = image_tensor(train);
  const std::filesystem::path neighbours_path = neighbours_cache_path(path);
  const std::string judge_sha256 = file_sha256(path);
  std::optional<CachedNeighbours> neighbours = read_neighbours(neighbours_path, judge_sha256, train.count);
  if (neighbours) {
    judge->neighbours_ = std::make_unique<TrainingNeighbours>(neighbours->features.to(device), train_images.to(device));
  } else {
    neighbours.emplace();
    neighbours->features = judge->evaluate(train_images).features;
    judge->neighbours_ = std::make_unique<TrainingNeighbours>(neighbours->features.to(device), train_images.to(device));
    neighbours->memorisation = memorisation_reference(
        *judge->neighbours_, judge->evaluate(image_tensor(load_dataset(data, Split::kTest))).features);
    try {
      write_neighbours(neighbours_path, judge_sha256, *neighbours);
    } catch (const std::exception& e) {
      // Only a cache: the next open computes them again.
      if (note) note("the judge's training-set features could not be cached (" + std::string(e.what()) + ")");
    }
  }
  judge->memorisation_ = neighbours->memorisation;
  judge->reference_.memorised = judge->memorisation_.real_share;

  // Real against real at the generator's sample size: the floor a perfect generator would reach.
  // Evenly spaced training images, so the reference is the same every time.
  const std::int64_t count = std::min(samples, train.count);
  const torch::Tensor index = torch::linspace(0, static_cast<double>(train.count - 1), count).to(torch::kLong);
  const torch::Tensor real = train_images.index_select(0, index);
  judge->reference_.fid = frechet_distance(feature_statistics(judge->evaluate(real).features), judge->test_statistics_);
  return judge;
}

Judge::Outputs Judge::evaluate(const torch::Tensor& images) {
  torch::NoGradGuard no_grad;
  classifier_->eval();
  const torch::Tensor input = images.to(device_, torch::kFloat32).reshape({images.size(0), -1});
  std::vector<torch::Tensor> probabilities, features;
  for (std::int64_t start = 0; start < input.size(0); start += kFeatureBatch) {
    const torch::Tensor f = classifier_->features(input.slice(0, start, std::min(start + kFeatureBatch, input.size(0))));
    features.push_back(f);
    probabilities.push_back(torch::softmax(classifier_->classify(f), /*dim=*/1));
  }
  // One read-back per evaluation; the statistics (float64 eigenvalues) are the CPU's.
  return {torch::cat(probabilities).to(torch::kCPU), torch::cat(features).to(torch::kCPU)};
}

QualityRecord Judge::score(const torch::Tensor& images, const torch::Tensor& asked) {
  // A diverged generator draws NaN; its scores would be NaN too, and NaN slips through max() and
  // comparisons into files and charts. Say so instead.
  if (!torch::isfinite(images).all().item<bool>()) {
    throw NonFiniteImages("the generated images hold NaN or infinite pixels (the generator has diverged): they cannot be scored");
  }
  const Outputs out = evaluate(images);
  QualityRecord record;
  record.samples = images.size(0);
  record.inception_score = inception_score(out.probabilities);
  record.fid = frechet_distance(feature_statistics(out.features), test_statistics_);
  record.mean_confidence = mean_confidence(out.probabilities);
  record.class_histogram = class_histogram(out.probabilities);
  if (asked.defined()) {
    const torch::Tensor labels = asked.to(torch::kCPU).to(torch::kLong);
    record.conditional_accuracy = conditional_accuracy(out.probabilities, labels);
    record.class_confidence = class_confidence(out.probabilities, labels);
  }
  // Of the first 500 only: each sample costs a pass over the 60,000 training features (0.4 ms on
  // a 2-core CPU), and the figure's standard error at 500 is about 2 points, a fraction of what
  // copying moves it by. All 2,000 would add 0.9 s to each evaluation: 8 % of the classic model's
  // training time at one evaluation every 1,000 steps.
  constexpr std::int64_t kMemorisationSamples = 500;
  const torch::Tensor first = out.features.slice(0, 0, std::min(kMemorisationSamples, out.features.size(0)));
  record.memorised = memorised_share(neighbours_->nearest_distance(first, NeighbourSpace::kFeatures), memorisation_.threshold);
  return record;
}

NeighbourView Judge::nearest_training_digits(const Image& digit, NeighbourSpace space, std::int64_t k) {
  if (digit.height != rows() || digit.width != cols() || digit.channels != channels()) {
    throw std::invalid_argument("the training images are " + std::to_string(cols()) + " x " + std::to_string(rows()) +
                                (channels() == 3 ? " RGB" : " gray") + "; this image is " + std::to_string(digit.width) +
                                " x " + std::to_string(digit.height) + (digit.channels == 3 ? " RGB" : " gray"));
  }
  NeighbourView view;
  const auto nearest = nearest_training_images(tanh_images({digit}), space, k);  // kept: the loop reads into it
  for (const Neighbour& n : nearest.front()) {
    const torch::Tensor pixels = neighbours_->image(n.index);
    view.images.push_back(image_from_tanh(pixels.data_ptr<float>(), rows(), cols(), static_cast<int>(channels())));
    view.indices.push_back(n.index);
    view.distances.push_back(n.distance);
  }
  return view;
}

std::vector<std::vector<Neighbour>> Judge::nearest_training_images(const torch::Tensor& images, NeighbourSpace space,
                                                                   std::int64_t k) {
  const torch::Tensor rows = images.reshape({images.size(0), -1});
  return neighbours_->nearest(space == NeighbourSpace::kFeatures ? evaluate(rows).features : rows, space, k);
}

torch::Tensor Judge::classes(const torch::Tensor& images) { return evaluate(images).probabilities.argmax(/*dim=*/1); }

}  // namespace gan
