// The MNIST judge: a classifier trained once per dataset and cached, and the sample-quality scores
// it gives a batch of generated images — Inception Score, Fréchet distance of its features to the
// real test set ("FID-MNIST"), class histogram, mean confidence — with the real data's own scores
// as the reference a generator is measured against.
#pragma once

#include <torch/types.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/config/config.h"
#include "core/judge/classifier.h"
#include "core/judge/neighbours.h"
#include "core/judge/quality.h"
#include "core/run/observer.h"

namespace gan {

/// The judge cannot be had for this dataset (no labels, images too small) or its cache is unusable.
class JudgeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The cache file of `data`'s judge: user_data_folder()/judges/<dataset>-<fingerprint>.pt, beside it
/// the file's SHA-256 in <name>.pt.sha256. The fingerprint is the start of the SHA-256 of the training
/// images and labels, so another dataset (or another copy of an "idx" folder) gets its own judge.
std::filesystem::path judge_cache_path(const DataConfig& data, const ImageSet& train);

/// Beside it, the judge's features of the training set and the memorisation yardstick
/// (<name>.neighbours.pt, 30 MB for MNIST; computed in about 30 s on a 2-core CPU the first time).
std::filesystem::path neighbours_cache_path(const std::filesystem::path& judge_cache);

/// True when a cache file exists and matches the SHA-256 in its .sha256 file.
bool judge_cache_intact(const std::filesystem::path& path);

/// Judge::score was given images that are not finite numbers (a diverged generator).
class NonFiniteImages : public JudgeError {
 public:
  using JudgeError::JudgeError;
};

class Judge {
 public:
  /// Loads the cached judge of `data`, or trains one (minutes on a CPU; `progress` hears about it)
  /// and caches it. A cache that fails its checksum or is unreadable is replaced, and `note` says so.
  /// `samples` is the batch size the generator will be scored at: the real-vs-real reference FID is
  /// computed at the same size, since the Fréchet distance of finite samples grows as they shrink.
  /// It trains and scores on `device` (the run's: a GPU run's judge is on its GPU).
  static std::unique_ptr<Judge> open(const DataConfig& data, std::int64_t samples,
                                     const std::function<void(const ClassifierProgress&)>& progress = {},
                                     const std::function<void(const std::string&)>& note = {},
                                     const torch::Device& device = torch::Device(torch::kCPU));

  /// Scores images (N x rows*cols or N x 1 x rows x cols, in [-1, 1], on any device). Throws
  /// NonFiniteImages when a pixel is NaN or infinite. `asked` (N class indices, a conditional
  /// model's) adds the conditional accuracy and each class's confidence.
  QualityRecord score(const torch::Tensor& images, const torch::Tensor& asked = {});
  /// The most likely class of each image (N, on the CPU).
  torch::Tensor classes(const torch::Tensor& images);
  const JudgeReference& reference() const { return reference_; }
  std::filesystem::path cache_file() const { return cache_file_; }

  /// Class probabilities and penultimate features of `images`, in batches, on the CPU.
  struct Outputs {
    torch::Tensor probabilities;
    torch::Tensor features;
  };
  Outputs evaluate(const torch::Tensor& images);
  torch::Device device() const { return device_; }
  /// The size of the images it reads.
  std::int64_t rows() const { return classifier_->rows(); }
  std::int64_t cols() const { return classifier_->cols(); }
  std::int64_t channels() const { return classifier_->channels(); }

  /// The `k` training images nearest each of `images` (N x rows*cols, in [-1, 1]), in the judge's
  /// features or in pixels, nearest first (neighbours.h).
  std::vector<std::vector<Neighbour>> nearest_training_images(const torch::Tensor& images, NeighbourSpace space,
                                                              std::int64_t k);
  /// The same for one digit (0..255, the judge's size), with the neighbours' pictures; throws
  /// std::invalid_argument for a digit of another size.
  NeighbourView nearest_training_digits(const Image& digit, NeighbourSpace space, std::int64_t k);
  /// The training images and their features, and the memorisation figure's yardstick.
  const TrainingNeighbours& neighbours() const { return *neighbours_; }
  const MemorisationReference& memorisation() const { return memorisation_; }

 private:
  Judge(Classifier classifier, FeatureStatistics test_statistics, JudgeReference reference,
        std::filesystem::path cache_file);

  Classifier classifier_;
  FeatureStatistics test_statistics_;
  JudgeReference reference_;
  std::filesystem::path cache_file_;
  torch::Device device_ = torch::kCPU;
  std::unique_ptr<TrainingNeighbours> neighbours_;
  MemorisationReference memorisation_;
};

}  // namespace gan
