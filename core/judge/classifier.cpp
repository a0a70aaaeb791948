#include "core/judge/classifier.h"

#include <torch/nn/functional/pooling.h>
#include <torch/optim/adam.h>
#include <torch/torch.h>

#include <ATen/CPUGeneratorImpl.h>

#include <mutex>

#include "core/model/cpu_allocations.h"
#include "core/model/default_generator.h"

namespace gan {

ClassifierImpl::ClassifierImpl(std::int64_t rows, std::int64_t cols, std::int64_t classes, std::int64_t channels)
    : rows_(rows), cols_(cols), classes_(classes), channels_(channels) {
  zero_fill_cpu_allocations();
  conv1_ = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, 32, /*kernel_size=*/5)));
  conv2_ = register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(32, 64, /*kernel_size=*/5)));
  // Two valid 5x5 convolutions, each followed by a 2x2 pool: 28 -> 24 -> 12 -> 8 -> 4.
  const std::int64_t out_rows = ((rows - 4) / 2 - 4) / 2;
  const std::int64_t out_cols = ((cols - 4) / 2 - 4) / 2;
  TORCH_CHECK(out_rows > 0 && out_cols > 0, "the classifier needs images of at least 16 x 16 pixels, found ", rows,
              " x ", cols);
  hidden_ = register_module("hidden", torch::nn::Linear(64 * out_rows * out_cols, kFeatures));
  output_ = register_module("output", torch::nn::Linear(kFeatures, classes));
}

torch::Tensor ClassifierImpl::features(const torch::Tensor& images) {
  torch::Tensor x = images.reshape({-1, channels_, rows_, cols_});
  x = torch::max_pool2d(torch::relu(conv1_->forward(x)), /*kernel_size=*/2);
  x = torch::max_pool2d(torch::relu(conv2_->forward(x)), /*kernel_size=*/2);
  return torch::relu(hidden_->forward(x.flatten(/*start_dim=*/1)));
}

torch::Tensor ClassifierImpl::classify(const torch::Tensor& features) { return output_->forward(features); }

torch::Tensor ClassifierImpl::forward(const torch::Tensor& images) { return classify(features(images)); }

torch::Tensor image_tensor(const ImageSet& images) {
  const torch::Tensor bytes =
      torch::from_blob(const_cast<std::uint8_t*>(images.pixels.data()), {images.count, images.channels, images.rows, images.cols},
                       torch::kUInt8);
  return bytes.to(torch::kFloat32).div_(127.5).sub_(1.0);
}

namespace {

torch::Tensor label_tensor(const ImageSet& images) {
  TORCH_CHECK(static_cast<std::int64_t>(images.labels.size()) == images.count, images.description,
              " has no labels: a classifier needs them");
  return torch::from_blob(const_cast<std::uint8_t*>(images.labels.data()), {images.count}, torch::kUInt8)
      .to(torch::kLong);
}

constexpr double kDropout = 0.3;  // on the features, while training
constexpr std::int64_t kEpochs = 4;
constexpr std::int64_t kTrainingBatch = 128;
constexpr std::int64_t kReportEvery = 20;  // batches

}  // namespace

// The classifier's weights from a fixed seed, without moving the default generator a run draws
// from (LibTorch's layers initialise themselves from it; default_generator.h).
Classifier seeded_classifier(std::int64_t rows, std::int64_t cols, std::int64_t classes, std::int64_t channels) {
  std::lock_guard lock(default_generator_mutex());
  at::Generator cpu = at::detail::getDefaultCPUGenerator();
  const torch::Tensor state = cpu.get_state();
  {
    std::lock_guard generator_lock(cpu.mutex());
    cpu.set_current_seed(20261126);
  }
  Classifier classifier(rows, cols, classes, channels);
  cpu.set_state(state);
  return classifier;
}

Classifier train_classifier(const ImageSet& train, const std::function<void(const ClassifierProgress&)>& progress,
                            const torch::Device& device) {
  // Generators of its own: the judge may train on another thread while a run draws from the
  // default ones (judge_loader.h).
  at::Generator shuffle = at::detail::createCPUGenerator(7);
  at::Generator dropout = at::detail::createCPUGenerator(8);

  const torch::Tensor labels_on_cpu = label_tensor(train);
  const std::int64_t classes = labels_on_cpu.max().item<std::int64_t>() + 1;
  // The training set moves to the device once (188 MB for MNIST); batches are picked there.
  const torch::Tensor images = image_tensor(train).to(device);
  const torch::Tensor labels = labels_on_cpu.to(device);
  Classifier classifier = seeded_classifier(train.rows, train.cols, std::max<std::int64_t>(classes, 2), train.channels);
  classifier->to(device);
  classifier->train();
  torch::optim::Adam optimizer(classifier->parameters(), torch::optim::AdamOptions(1e-3));

  ClassifierProgress report;
  report.epochs = kEpochs;
  report.batches = train.count / kTrainingBatch;
  for (std::int64_t epoch = 0; epoch < kEpochs; ++epoch) {
    if (epoch == kEpochs - 1) {
      // A last, gentler epoch settles the weights: worth about 0.2 points of test accuracy.
      static_cast<torch::optim::AdamOptions&>(optimizer.param_groups()[0].options()).lr(1e-4);
    }
    const torch::Tensor order = torch::randperm(train.count, shuffle).to(device);
    report.epoch = epoch;
    for (std::int64_t b = 0; b < report.batches; ++b) {
      const torch::Tensor index = order.slice(/*dim=*/0, b * kTrainingBatch, (b + 1) * kTrainingBatch);
      optimizer.zero_grad();
      const torch::Tensor features = classifier->features(images.index_select(0, index));
      // Drawn on the CPU from the classifier's own generator (a CUDA tensor needs a CUDA one), so a
      // GPU draws the same masks; a 128 x 128 mask per batch is a small copy.
      const torch::Tensor keep =
          torch::empty(features.sizes(), torch::kFloat32).bernoulli_(1 - kDropout, dropout).to(device);
      const torch::Tensor logits = classifier->classify(features * keep / (1 - kDropout));
      const torch::Tensor loss = torch::nll_loss(torch::log_softmax(logits, /*dim=*/1), labels.index_select(0, index));
      loss.backward();
      optimizer.step();
      if ((b + 1) % kReportEvery == 0 || b + 1 == report.batches) {
        report.batch = b + 1;
        progress(report);
      }
    }
  }
  classifier->eval();
  return classifier;
}

double classifier_accuracy(Classifier& classifier, const ImageSet& test) {
  torch::NoGradGuard no_grad;
  classifier->eval();
  const torch::Device device = classifier->parameters().front().device();
  const torch::Tensor images = image_tensor(test).to(device);
  const torch::Tensor labels = label_tensor(test).to(device);
  std::int64_t correct = 0;
  for (std::int64_t start = 0; start < test.count; start += 1000) {
    const std::int64_t end = std::min(start + 1000, test.count);
    const torch::Tensor predicted = classifier->forward(images.slice(0, start, end)).argmax(/*dim=*/1);
    correct += predicted.eq(labels.slice(0, start, end)).sum().item<std::int64_t>();
  }
  return static_cast<double>(correct) / static_cast<double>(test.count);
}

}  // namespace gan
