#include "core/gan.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/serialize/output-archive.h>
#include <torch/utils.h>

#include <cstdlib>
#include <string>
#include <thread>

namespace gan {
namespace {

void set_requires_grad(torch::nn::Module& module, bool requires_grad) {
  for (auto& parameter : module.parameters()) parameter.set_requires_grad(requires_grad);
}

// BCELoss against all-ones or all-zeros targets, with PyTorch's formula (logs clamped at -100).
// Written out rather than calling binary_cross_entropy because that one rejects NaN inputs with an
// exception on CPU and a device-side assert on CUDA, which would kill the CUDA context; here a
// diverged D simply yields a NaN loss that the trainer reports.
torch::Tensor bce_with_ones(const torch::Tensor& probability) {
  return -torch::clamp_min(torch::log(probability), -100).mean();
}
torch::Tensor bce_with_zeros(const torch::Tensor& probability) {
  return -torch::clamp_min(torch::log(1 - probability), -100).mean();
}

}  // namespace

torch::Device resolve_device(DeviceChoice choice) {
  if (choice == DeviceChoice::kCpu) return torch::kCPU;
  if (torch::cuda::is_available()) return torch::Device(torch::kCUDA, 0);
  if (choice == DeviceChoice::kCuda) {
    throw TrainingError("train.device is cuda, but no CUDA device is available here; use auto or cpu");
  }
  return torch::kCPU;
}

std::string describe_device(const torch::Device& device) {
  if (device.is_cuda()) return "CUDA device " + std::to_string(device.index());
  const unsigned cores = std::thread::hardware_concurrency();
  return "CPU (" + std::to_string(cores) + (cores == 1 ? " core)" : " cores)");
}

void configure_cpu_threads() {
  // Debian's LibTorch multiplies matrices with OpenBLAS, which runs its own threads on every core
  // and lets them spin after each product. ATen's OpenMP threads on the same cores then fight
  // them: with both at 2 threads a step took 3x as long on the 2-vCPU machine (measured). So the
  // BLAS owns the cores and ATen's element-wise work stays on one thread, unless OMP_NUM_THREADS
  // says otherwise.
  if (std::getenv("OMP_NUM_THREADS") == nullptr) at::set_num_threads(1);
}

Gan::Gan(const Config& config, const ImageSet& images)
    : config_(config),
      device_(resolve_device(config.train.device)),
      rows_(images.rows),
      cols_(images.cols),
      export_rng_(at::detail::createCPUGenerator(config.train.seed + 1)) {
  validate(config_);
  const std::int64_t batch = config_.train.batch_size;
  if (images.count < batch) {
    throw TrainingError("train.batch_size is " + std::to_string(batch) + ", but the dataset has only " +
                        std::to_string(images.count) + " images");
  }
  steps_per_epoch_ = images.count / batch;
  if (device_.is_cpu()) configure_cpu_threads();

  torch::manual_seed(config_.train.seed);
  const std::int64_t image_size = images.image_size();
  generator_ = Generator(config_.model, image_size);
  discriminator_ = Discriminator(config_.model, image_size);
  generator_->to(device_);
  discriminator_->to(device_);
  generator_optimizer_ = std::make_unique<Adam>(generator_->parameters(), config_.optimizer.generator);
  discriminator_optimizer_ = std::make_unique<Adam>(discriminator_->parameters(), config_.optimizer.discriminator);
  hyperparameters_ = {config_.optimizer.generator, config_.optimizer.discriminator, config_.train.d_steps};

  // The whole dataset lives on the device; batches are gathered by index, no loader threads.
  const auto bytes = torch::from_blob(const_cast<std::uint8_t*>(images.pixels.data()), {images.count, image_size},
                                      torch::kUInt8);
  images_ = bytes.to(device_).to(torch::kFloat32).div_(127.5).sub_(1.0);
  fixed_noise_ = noise(config_.sampling.grid * config_.sampling.grid);
}

torch::Tensor Gan::noise(std::int64_t count) const {
  return torch::randn({count, config_.model.latent_dim}, torch::TensorOptions().dtype(torch::kFloat32).device(device_));
}

torch::Tensor Gan::next_real_batch() {
  const std::int64_t index = step_ % steps_per_epoch_;
  if (index == 0) {
    permutation_ = torch::randperm(images_.size(0), torch::TensorOptions().dtype(torch::kLong).device(device_));
  }
  const std::int64_t batch = config_.train.batch_size;
  return images_.index_select(/*dim=*/0, permutation_.slice(/*dim=*/0, index * batch, (index + 1) * batch));
}

torch::Tensor Gan::train_step() {
  const torch::Tensor real = next_real_batch();
  const std::int64_t batch = config_.train.batch_size;

  // Generator: make D call the fakes real. D's weights need no gradients here (gan.py computes and
  // then discards them), so they are frozen for this backward pass.
  set_requires_grad(*discriminator_, false);
  generator_optimizer_->zero_grad();
  const torch::Tensor fake = generator_->forward(noise(batch));
  const torch::Tensor g_loss = bce_with_ones(discriminator_->forward(fake));
  g_loss.backward();
  generator_optimizer_->step();
  set_requires_grad(*discriminator_, true);

  // Discriminator: tell real from the (detached) fakes.
  torch::Tensor d_loss, d_real, d_fake;
  for (std::int64_t k = 0; k < hyperparameters_.d_steps; ++k) {
    torch::Tensor fake_input;
    if (k == 0) {
      fake_input = fake.detach();
    } else {
      torch::NoGradGuard no_grad;
      fake_input = generator_->forward(noise(batch));
    }
    discriminator_optimizer_->zero_grad();
    // Real and fake through D as one batch: one matrix product per layer instead of two. D has no
    // batch statistics, so this equals two separate passes (up to the order of dropout masks).
    const torch::Tensor both = discriminator_->forward(torch::cat({real, fake_input}));
    const torch::Tensor on_real = both.slice(/*dim=*/0, 0, batch);
    const torch::Tensor on_fake = both.slice(/*dim=*/0, batch, 2 * batch);
    d_loss = (bce_with_ones(on_real) + bce_with_zeros(on_fake)) / 2;
    d_loss.backward();
    discriminator_optimizer_->step();
    if (k == 0) {
      d_real = on_real.detach().mean();
      d_fake = on_fake.detach().mean();
    }
  }
  ++step_;
  return torch::stack({d_loss.detach(), g_loss.detach(), d_real, d_fake});
}

void Gan::set_hyperparameters(const LiveHyperparameters& values) {
  generator_optimizer_->set_config(values.generator);
  discriminator_optimizer_->set_config(values.discriminator);
  hyperparameters_ = values;
}

GrayImage Gan::sample_grid() {
  torch::NoGradGuard no_grad;
  generator_->eval();
  const torch::Tensor images = generator_->forward(fixed_noise_).to(torch::kCPU).contiguous();
  generator_->train();
  return make_grid(images.data_ptr<float>(), images.size(0), rows_, cols_, config_.sampling.grid);
}

std::vector<GrayImage> Gan::generate(std::int64_t count) {
  torch::NoGradGuard no_grad;
  generator_->eval();
  // Its own RNG: exporting digits must not change the course of training.
  const torch::Tensor z = torch::randn({count, config_.model.latent_dim}, export_rng_).to(device_);
  const torch::Tensor images = generator_->forward(z).to(torch::kCPU).contiguous();
  generator_->train();
  std::vector<GrayImage> digits;
  digits.reserve(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) {
    digits.push_back(image_from_tanh(images[i].data_ptr<float>(), rows_, cols_));
  }
  return digits;
}

void Gan::save_models(const std::filesystem::path& path, Replace replace) const {
  torch::serialize::OutputArchive archive;
  torch::serialize::OutputArchive generator_archive;
  torch::serialize::OutputArchive discriminator_archive;
  generator_->save(generator_archive);
  discriminator_->save(discriminator_archive);
  archive.write("generator", generator_archive);
  archive.write("discriminator", discriminator_archive);
  AtomicFile file(path, replace);
  file.close_stream();
  try {
    archive.save_to(file.temporary_path().string());
  } catch (const std::exception& e) {
    throw FileError(path.string() + ": cannot write model: " + e.what());
  }
  file.commit();
}

}  // namespace gan
