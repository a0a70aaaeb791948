#include "core/model/probe.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/model/gan.h"

namespace gan {
namespace {

// A network in eval mode for the length of a question (batch norm on its running statistics, no
// dropout), back in training mode after, whatever is thrown.
template <typename Network>
class EvalMode {
 public:
  explicit EvalMode(Network& network) : network_(network) { network_->eval(); }
  ~EvalMode() { network_->train(); }
  EvalMode(const EvalMode&) = delete;
  EvalMode& operator=(const EvalMode&) = delete;

 private:
  Network& network_;
};

}  // namespace

const char* to_string(NeighbourSpace space) { return space == NeighbourSpace::kFeatures ? "features" : "pixels"; }

Verdict Gan::ask_discriminator(const Image& drawn) {
  // A gray drawing asks a colour D about the same gray in all three channels.
  Image image = drawn;
  if (image.channels == 1 && shape_.channels == 3) {
    image.channels = 3;
    image.pixels.clear();
    for (const std::uint8_t value : drawn.pixels) image.pixels.insert(image.pixels.end(), 3, value);
  }
  if (image.height != shape_.rows || image.width != shape_.cols ||
      image.pixels.size() != static_cast<std::size_t>(shape_.image_size())) {
    throw std::invalid_argument("D takes " + std::to_string(shape_.cols) + " x " + std::to_string(shape_.rows) +
                                " images; this one is " + std::to_string(image.width) + " x " +
                                std::to_string(image.height));
  }
  torch::NoGradGuard no_grad;
  const torch::Tensor pixels = tanh_images({image}).to(device_);
  const EvalMode<Discriminator> eval(discriminator_);
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

LatentPoint move_latent(const LatentPoint& point, const std::vector<LatentDirection>& directions,
                        const std::vector<double>& steps, double truncation) {
  LatentPoint moved = point;
  for (std::size_t i = 0; i < std::min(directions.size(), steps.size()); ++i) {
    if (steps[i] == 0) continue;
    const float step = static_cast<float>(steps[i]);
    const std::vector<float>& d = directions[i].vector;
    for (std::size_t j = 0; j < std::min(d.size(), moved.z.size()); ++j) moved.z[j] += step * d[j];
  }
  if (truncation != 1) {
    for (float& value : moved.z) value = static_cast<float>(value * truncation);
  }
  return moved;
}

LatentPoint Gan::grid_latent(std::int64_t index) const {
  if (index < 0 || index >= fixed_noise_.size(0)) {
    throw std::out_of_range("the sample grid has no digit " + std::to_string(index) + ": it has " +
                            std::to_string(fixed_noise_.size(0)));
  }
  LatentPoint point;
  const torch::Tensor z = fixed_noise_[index].to(torch::kCPU, torch::kFloat32).contiguous();
  point.z.assign(z.data_ptr<float>(), z.data_ptr<float>() + z.numel());
  if (fixed_labels_.defined()) point.label = fixed_labels_[index].item<std::int64_t>();
  point.grid_index = index;
  return point;
}

std::vector<Image> Gan::grid_digits() { return digits(render(fixed_noise_, fixed_labels_)); }

torch::Tensor Gan::latent_input(const torch::Tensor& z, const LatentPoint& point) {
  if (static_cast<std::int64_t>(point.z.size()) != config_.model.latent_dim) {
    throw std::invalid_argument("a latent point of this model has " + std::to_string(config_.model.latent_dim) +
                                " numbers; this one has " + std::to_string(point.z.size()));
  }
  if (!conditional()) {
    if (point.label >= 0 || point.morph_to >= 0) check_digit(point.label >= 0 ? point.label : point.morph_to);
    return z;
  }
  check_digit(point.label);
  torch::nn::Embedding embedding = generator_->label_embedding();  // a handle: forward is not const
  const auto embed = [&](std::int64_t label) {
    return embedding->forward(torch::full({1}, label, torch::TensorOptions().dtype(torch::kLong).device(device_)));
  };
  torch::Tensor joined = embed(point.label);
  if (point.morph_to >= 0 && point.morph != 0) {
    check_digit(point.morph_to);
    joined = torch::lerp(joined, embed(point.morph_to), point.morph);
  }
  return torch::cat({joined.expand({z.size(0), -1}), z}, /*dim=*/1);
}

std::vector<Image> Gan::draw_latent(const std::vector<LatentPoint>& points) {
  torch::NoGradGuard no_grad;
  const EvalMode<Generator> eval(generator_);
  std::vector<Image> drawn;
  drawn.reserve(points.size());
  for (const LatentPoint& point : points) {
    const torch::Tensor z =
        torch::from_blob(const_cast<float*>(point.z.data()), {1, static_cast<std::int64_t>(point.z.size())}, torch::kFloat32)
            .to(device_);
    const torch::Tensor input = latent_input(z, point);  // checks the point first
    torch::Tensor image;
    const bool plain_label = point.morph_to < 0 || point.morph == 0;
    if (point.grid_index >= 0 && point.grid_index < fixed_noise_.size(0) && plain_label) {
      // In the grid's batch, as render() draws the grid: the same arithmetic for the same z.
      const torch::Tensor index = torch::tensor({point.grid_index}, torch::TensorOptions().dtype(torch::kLong).device(device_));
      const torch::Tensor batch = fixed_noise_.index_copy(0, index, z);
      torch::Tensor labels;
      if (fixed_labels_.defined()) labels = fixed_labels_.index_fill(0, index, point.label);
      image = generator_->forward(batch, labels)[point.grid_index];
    } else {
      torch::nn::Sequential layers = generator_->layers();
      image = layers->forward(input)[0];
    }
    const torch::Tensor pixels = image.to(torch::kCPU).contiguous();
    drawn.push_back(image_from_tanh(pixels.data_ptr<float>(), shape_.rows, shape_.cols, static_cast<int>(shape_.channels)));
  }
  return drawn;
}

std::vector<LatentDirection> Gan::latent_directions(const LatentPoint& point, std::int64_t count, LatentDirections kind,
                                                    std::uint64_t seed) {
  const std::int64_t n = config_.model.latent_dim;
  count = std::clamp<std::int64_t>(count, 0, n);
  torch::NoGradGuard no_grad;
  const EvalMode<Generator> eval(generator_);
  // Central differences: z + h e_i and z - h e_i for every i, one batch. G is piecewise smooth and
  // z is of order 1, so h = 1e-2 is far above float rounding and far below G's curvature.
  constexpr double kH = 1e-2;
  const torch::Tensor z = torch::tensor(point.z, torch::kFloat32).to(device_);
  const torch::Tensor offsets = torch::eye(n, torch::TensorOptions().device(device_)) * kH;
  const torch::Tensor batch = torch::cat({z.unsqueeze(0) + offsets, z.unsqueeze(0) - offsets});
  torch::nn::Sequential layers = generator_->layers();
  const torch::Tensor images = layers->forward(latent_input(batch, point)).reshape({2 * n, -1});
  // Row i: the change of the picture per unit of z_i (J transposed, n x pixels), in float64.
  const torch::Tensor jacobian_t = ((images.slice(0, 0, n) - images.slice(0, n)) / (2 * kH)).to(torch::kCPU, torch::kFloat64);
  const torch::Tensor gram = torch::matmul(jacobian_t, jacobian_t.t());  // J^T J, n x n

  torch::Tensor vectors;  // n x count, orthonormal columns
  if (kind == LatentDirections::kSensitive) {
    const auto [values, eigenvectors] = at::linalg_eigh(gram, "L");  // ascending
    vectors = eigenvectors.flip({1}).slice(1, 0, count);
  } else {
    at::Generator rng = at::detail::createCPUGenerator(seed);
    const torch::Tensor random = torch::randn({n, count}, rng, torch::kFloat64);
    std::vector<torch::Tensor> columns;
    for (std::int64_t c = 0; c < count; ++c) {  // Gram-Schmidt, twice for rounding
      torch::Tensor v = random.select(1, c);
      for (int pass = 0; pass < 2; ++pass) {
        for (const torch::Tensor& u : columns) v = v - torch::dot(u, v) * u;
      }
      columns.push_back(v / v.norm());
    }
    vectors = count > 0 ? torch::stack(columns, /*dim=*/1) : torch::empty({n, 0}, torch::kFloat64);
  }
  std::vector<LatentDirection> directions;
  for (std::int64_t c = 0; c < count; ++c) {
    torch::Tensor v = vectors.select(1, c).contiguous();
    // A sign of our choosing (an eigenvector's is arbitrary): its largest component positive.
    if (v[v.abs().argmax()].item<double>() < 0) v = -v;
    LatentDirection direction;
    const torch::Tensor as_float = v.to(torch::kFloat32).contiguous();
    direction.vector.assign(as_float.data_ptr<float>(), as_float.data_ptr<float>() + n);
    direction.sensitivity = std::sqrt(std::max(0.0, torch::dot(v, torch::mv(gram, v)).item<double>()));
    directions.push_back(std::move(direction));
  }
  return directions;
}

}  // namespace gan
