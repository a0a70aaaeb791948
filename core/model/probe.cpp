#include "core/model/probe.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

#include "core/model/gan.h"

namespace gan {

Verdict Gan::ask_discriminator(const GrayImage& image) {
  if (image.height != shape_.rows || image.width != shape_.cols ||
      image.pixels.size() != static_cast<std::size_t>(shape_.image_size())) {
    throw std::invalid_argument("D takes " + std::to_string(shape_.cols) + " x " + std::to_string(shape_.rows) +
                                " images; this one is " + std::to_string(image.width) + " x " +
                                std::to_string(image.height));
  }
  torch::NoGradGuard no_grad;
  const torch::Tensor pixels = tanh_images({image}).to(device_);
  discriminator_->eval();
  struct Train {
    ~Train() { d->train(); }
    Discriminator& d;
  } train{discriminator_};
  Verdict verdict;
  verdict.step = step_;
  verdict.probabilities = config_.model.loss == Loss::kBce;
  torch::Tensor outputs;
  if (conditional()) {
    // The same image with each label: one batch, a row per label.
    const torch::Tensor labels = torch::arange(shape_.classes, torch::TensorOptions().dtype(torch::kLong).device(device_));
    outputs = discriminator_->forward(pixels.expand({shape_.classes, -1}).contiguous(), labels);
  } else {
    outputs = discriminator_->forward(pixels);
  }
  const torch::Tensor values = outputs.flatten().to(torch::kCPU).to(torch::kFloat64).contiguous();
  verdict.outputs.assign(values.data_ptr<double>(), values.data_ptr<double>() + values.numel());
  return verdict;
}

}  // namespace gan
