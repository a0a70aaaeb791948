// The MNIST judge's network: a LeNet-style CNN trained on the dataset's own labelled training set.
// Its class probabilities give the Inception Score and class histogram of generated digits, and its
// penultimate features the Fréchet distance (judge.h); Inception-v3 would be both slow and blind to
// 28 x 28 digits.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <functional>

#include "core/data/dataset.h"

namespace gan {

/// images (batch x channels*rows*cols or batch x channels x rows x cols, in [-1, 1]) -> class logits.
/// conv 5x5 (32) - ReLU - max pool 2 - conv 5x5 (64) - ReLU - max pool 2 - linear (128) - ReLU
/// [the features] - linear (classes). Training drops 30 % of the features (train_classifier, with
/// a generator of its own).
class ClassifierImpl : public torch::nn::Module {
 public:
  static constexpr std::int64_t kFeatures = 128;

  ClassifierImpl(std::int64_t rows, std::int64_t cols, std::int64_t classes, std::int64_t channels = 1);
  torch::Tensor forward(const torch::Tensor& images);
  /// The penultimate layer's activations (batch x kFeatures).
  torch::Tensor features(const torch::Tensor& images);
  /// Logits from features().
  torch::Tensor classify(const torch::Tensor& features);

  std::int64_t rows() const { return rows_; }
  std::int64_t cols() const { return cols_; }
  std::int64_t classes() const { return classes_; }
  std::int64_t channels() const { return channels_; }

 private:
  std::int64_t rows_, cols_, classes_, channels_;
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
  torch::nn::Linear hidden_{nullptr}, output_{nullptr};
};
TORCH_MODULE(Classifier);

/// Where classifier training is; `accuracy` is set once the test set has been scored.
struct ClassifierProgress {
  std::int64_t epoch = 0;   ///< 0-based
  std::int64_t epochs = 0;
  std::int64_t batch = 0;   ///< batches done in this epoch
  std::int64_t batches = 0;
  double accuracy = -1;     ///< test-set accuracy (0..1) at the end; -1 until then

  /// Share of the training done, 0..1.
  double fraction() const {
    return (static_cast<double>(epoch) + static_cast<double>(batch) / static_cast<double>(batches)) /
           static_cast<double>(epochs);
  }
};

/// Thrown from a progress callback to abandon training (the user stopped the run).
struct ClassifierTrainingCancelled {};

/// Images of an ImageSet as a float tensor N x channels x rows x cols in [-1, 1], like the GAN's data.
torch::Tensor image_tensor(const ImageSet& images);

/// A classifier with weights from a fixed seed, built without moving the default generator that
/// a run draws from (default_generator.h): LibTorch's layer constructors initialise from it, and
/// the judge is built on its own thread while a run trains. Every Classifier is built this way.
Classifier seeded_classifier(std::int64_t rows, std::int64_t cols, std::int64_t classes, std::int64_t channels = 1);

/// Trains a fresh classifier on `train` (Adam, 4 epochs, the learning rate cut by 10 for the
/// last; seeded, so the same data gives the same weights) on the CPU and reports progress after
/// every few batches. Does not disturb LibTorch's global RNG: a running GAN draws the same numbers
/// whether or not a classifier was trained meanwhile.
/// It trains on `device`; the same seeds give the same weights, within rounding, on a GPU and the CPU.
Classifier train_classifier(const ImageSet& train, const std::function<void(const ClassifierProgress&)>& progress,
                            const torch::Device& device = torch::Device(torch::kCPU));

/// Share of `test` the classifier labels correctly.
double classifier_accuracy(Classifier& classifier, const ImageSet& test);

}  // namespace gan
