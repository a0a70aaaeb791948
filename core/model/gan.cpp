#include "core/model/gan.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/utils.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

#include "core/model/default_generator.h"
#include "core/model/device.h"
#include "core/model/losses.h"
#include "core/run/loss_estimate.h"
#include "core/config/training_memory.h"

namespace gan {
namespace {

void set_requires_grad(torch::nn::Module& module, bool requires_grad) {
  for (auto& parameter : module.parameters()) parameter.set_requires_grad(requires_grad);
}

// What the networks are built for: the images' sides and the classes the labels take.
DataShape shape_of(const ImageSet& images) {
  DataShape shape;
  shape.rows = images.rows;
  shape.cols = images.cols;
  shape.channels = images.channels;
  if (!images.labels.empty()) {
    shape.classes = *std::max_element(images.labels.begin(), images.labels.end()) + 1;
  }
  return shape;
}

}  // namespace

torch::Device resolve_device(const DeviceChoice& choice) {
  switch (choice.kind) {
    case DeviceChoice::Kind::kCpu: return torch::kCPU;
    case DeviceChoice::Kind::kCuda:
      if (const std::string refusal = device_refusal(choice); !refusal.empty()) throw TrainingError(refusal);
      return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(std::max(choice.index, 0)));
    case DeviceChoice::Kind::kAuto: break;
  }
  return torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
}

const char* to_string(StepMode mode) {
  switch (mode) {
    case StepMode::kGraph: return "graph";
    case StepMode::kUncaptured: return "uncaptured";
    case StepMode::kEager: break;
  }
  return "eager";
}

StepMode resolve_step_mode(StepChoice choice, const torch::Device& device) {
  const bool possible = (device.is_cuda() && CudaGraph::supported()) || step_capture_stand_in();
  switch (choice) {
    case StepChoice::kEager: return StepMode::kEager;
    case StepChoice::kGraph:
      if (!possible) {
        throw TrainingError(std::string("train.step is graph, but ") +
                            (device.is_cuda() ? CudaGraph::unsupported_reason()
                                              : "a CUDA graph needs a CUDA device and this run trains on the CPU") +
                            " (train.step: eager or auto trains here)");
      }
      return StepMode::kGraph;
    case StepChoice::kAuto: break;
  }
  return possible ? StepMode::kGraph : StepMode::kEager;
}

std::string device_id(const torch::Device& device) {
  return device.is_cuda() ? "cuda:" + std::to_string(std::max<int>(device.index(), 0)) : "cpu";
}

std::string describe_device(const torch::Device& device) { return device_description(device_id(device)); }

void configure_cpu_threads() {
  // Debian's LibTorch multiplies matrices with OpenBLAS, which runs its own threads on every core
  // and lets them spin after each product. ATen's OpenMP threads on the same cores then fight
  // them: with both at 2 threads a step took 3x as long on the 2-vCPU machine (measured). So the
  // BLAS owns the cores and ATen's element-wise work stays on one thread, unless OMP_NUM_THREADS
  // says otherwise.
  if (std::getenv("OMP_NUM_THREADS") == nullptr) at::set_num_threads(1);
}

torch::Tensor tanh_images(const std::vector<Image>& digits) {
  const std::int64_t size =
      digits.empty() ? 0 : std::int64_t{digits.front().height} * digits.front().width * digits.front().channels;
  torch::Tensor images = torch::empty({static_cast<std::int64_t>(digits.size()), size});
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (digits[i].pixels.size() != static_cast<std::size_t>(size)) {
      throw std::invalid_argument("image " + std::to_string(i + 1) + " is " + std::to_string(digits[i].width) + " x " +
                                  std::to_string(digits[i].height) + " x " + std::to_string(digits[i].channels) +
                                  ", the first " + std::to_string(digits.front().width) + " x " +
                                  std::to_string(digits.front().height) + " x " + std::to_string(digits.front().channels));
    }
    const std::vector<std::uint8_t> planes = planar_pixels(digits[i]);
    images[static_cast<std::int64_t>(i)] =
        torch::from_blob(const_cast<std::uint8_t*>(planes.data()), {size}, torch::kUInt8).to(torch::kFloat32);
  }
  return images.div_(127.5).sub_(1.0);
}

Gan::Gan(const Config& config, const ImageSet& images, std::optional<StepMode> mode)
    : config_(config),
      device_(resolve_device(config.train.device)),
      shape_(shape_of(images)),
      export_rng_(at::detail::createCPUGenerator(config.train.seed + 1)) {
  validate(config_);
  if (!mode) {
    step_mode_ = resolve_step_mode(config_.train.step, device_);
  } else {
    step_mode_ = *mode;
    if (step_mode_ == StepMode::kGraph) resolve_step_mode(StepChoice::kGraph, device_);  // refuses where it cannot be
  }
  const std::int64_t batch = config_.train.batch_size;
  if (images.count < batch) {
    throw TrainingError("train.batch_size is " + std::to_string(batch) + ", but the dataset has only " +
                        std::to_string(images.count) + " images");
  }
  steps_per_epoch_ = images.count / batch;
  if (const std::string refusal = architecture_refusal(config_.model, shape_); !refusal.empty()) {
    throw TrainingError(refusal);
  }
  if (config_.model.conditional && static_cast<std::int64_t>(images.labels.size()) != images.count) {
    throw TrainingError("model.conditional is true, but " + images.description +
                        " has no labels to condition on (an IDX labels file beside the images)");
  }
  // Refuse what cannot fit before allocating any of it. (On a GPU the host-side figure is the
  // only one available here; LibTorch's out-of-memory error covers the device.)
  if (device_.is_cpu()) {
    check_training_memory(config_, images.image_size(), images.count, available_memory_bytes());
    configure_cpu_threads();
  }

  // The default generators are the run's own from here on (default_generator.h).
  std::lock_guard rng_lock(default_generator_mutex());
  torch::manual_seed(config_.train.seed);
  const std::int64_t image_size = images.image_size();
  discriminator_batch_norm_ = config_.model.architecture == Architecture::kDcgan && config_.model.discriminator.batch_norm;
  generator_ = Generator(config_.model, shape_);
  discriminator_ = Discriminator(config_.model, shape_);
  generator_->to(device_);
  discriminator_->to(device_);
  const Adam::State adam_state = step_mode_ == StepMode::kEager ? Adam::State::kHost : Adam::State::kDevice;
  generator_optimizer_ = std::make_unique<Adam>(generator_->parameters(), config_.optimizer.generator, adam_state);
  discriminator_optimizer_ =
      std::make_unique<Adam>(discriminator_->parameters(), config_.optimizer.discriminator, adam_state);
  hyperparameters_ = {config_.optimizer.generator, config_.optimizer.discriminator, config_.train.d_steps};
  if (config_.inside.interval > 0) {
    inside_ = std::make_unique<InsideProbe>(*generator_, *discriminator_, loss_meaning(config_.model.loss).probabilities,
                                            device_);
  }

  // The whole dataset lives on the device; batches are gathered by index, no loader threads.
  const auto bytes = torch::from_blob(const_cast<std::uint8_t*>(images.pixels.data()), {images.count, image_size},
                                      torch::kUInt8);
  images_ = bytes.to(device_).to(torch::kFloat32).div_(127.5).sub_(1.0);
  const std::int64_t grid = config_.sampling.grid;
  if (conditional()) {
    const auto label_bytes = torch::from_blob(const_cast<std::uint8_t*>(images.labels.data()), {images.count},
                                              torch::kUInt8);
    labels_ = label_bytes.to(device_).to(torch::kLong);
    fixed_noise_ = noise(grid).repeat({shape_.classes, 1});
    fixed_labels_ = torch::arange(shape_.classes, torch::TensorOptions().dtype(torch::kLong).device(device_))
                        .repeat_interleave(grid);
  } else {
    fixed_noise_ = noise(grid * grid);
  }
  if (step_mode_ != StepMode::kEager) {
    const auto on_device = torch::TensorOptions().device(device_);
    noise_ = torch::empty({batch, config_.model.latent_dim}, on_device.dtype(torch::kFloat32));
    position_ = torch::zeros({}, on_device.dtype(torch::kLong));
    offsets_ = torch::arange(batch, on_device.dtype(torch::kLong));
    stats_ = torch::zeros({4}, on_device.dtype(torch::kFloat32));
  }
}

torch::Tensor Gan::noise(std::int64_t count) const {
  return torch::randn({count, config_.model.latent_dim}, torch::TensorOptions().dtype(torch::kFloat32).device(device_));
}

torch::Tensor Gan::fresh_labels(std::int64_t count) const {
  if (!conditional()) return {};
  return torch::randint(shape_.classes, {count}, torch::TensorOptions().dtype(torch::kLong).device(device_));
}

torch::Tensor Gan::labels_at(const torch::Tensor& indices) const {
  return conditional() ? labels_.index_select(/*dim=*/0, indices) : torch::Tensor();
}

torch::Tensor Gan::next_batch_indices() {
  const std::int64_t index = step_ % steps_per_epoch_;
  if (index == 0) shuffle();
  const std::int64_t batch = config_.train.batch_size;
  return permutation_.slice(/*dim=*/0, index * batch, (index + 1) * batch);
}

void Gan::shuffle() {
  const torch::Tensor drawn =
      torch::randperm(images_.size(0), torch::TensorOptions().dtype(torch::kLong).device(device_));
  if (permutation_.defined()) {
    permutation_.copy_(drawn);
  } else {
    permutation_ = drawn;
  }
}

torch::Tensor Gan::train_step(StepSide side) {
  std::lock_guard rng_lock(default_generator_mutex());
  // The window's first step is the one whose update the inside figures measure: its weights are
  // copied before and compared after, outside what a graph captures.
  const bool measure = inside_ && inside_->wants_update();
  if (measure) inside_->before_update();
  torch::Tensor values = step_mode_ == StepMode::kEager ? eager_step(side) : buffered_step(side);
  if (measure) inside_->after_update();
  if (inside_) ++inside_steps_;
  return values;
}

std::optional<Gan::InsideWindow> Gan::close_inside() {
  if (!inside_ || inside_steps_ == 0) return std::nullopt;
  InsideWindow window{inside_->close_window(), step_, inside_steps_};
  inside_steps_ = 0;
  return window;
}

InsideRecord Gan::unpack_inside(const InsideWindow& window, const torch::Tensor& packed_on_host) const {
  return inside_->unpack(packed_on_host, window.step, window.steps);
}

std::optional<InsideRecord> Gan::read_inside() {
  const auto window = close_inside();
  if (!window) return std::nullopt;
  return unpack_inside(*window, window->packed.to(torch::kCPU));
}

torch::Tensor Gan::buffered_step(StepSide side) {
  const std::int64_t index = step_ % steps_per_epoch_;
  if (index == 0) shuffle();
  if (index == 0 || reposition_) {
    position_.fill_(index * config_.train.batch_size);
    reposition_ = false;
  }
  if (side != StepSide::kBoth) {
    // One side alone is a step a person asked for, one at a time: it runs uncaptured on the same
    // buffers, and a captured full step replays after it unchanged.
    fixed_buffer_step(side);
  } else if (step_mode_ == StepMode::kGraph) {
    if (graph_->captured()) {
      graph_->replay();
    } else {
      capture_checked_step();
    }
  } else {
    fixed_buffer_step();
  }
  ++step_;
  return stats_.clone();
}

void Gan::fixed_buffer_step(StepSide side) {
  // The batch: this epoch's shuffled indices from position_ on, gathered on the device.
  const torch::Tensor indices = permutation_.index_select(/*dim=*/0, position_ + offsets_);
  const torch::Tensor real = images_.index_select(/*dim=*/0, indices);
  const torch::Tensor real_labels = labels_at(indices);
  position_.add_(config_.train.batch_size);
  // The eager step's updates, drawing the same random numbers into the fixed noise buffer.
  const torch::Tensor values = updates(real, real_labels, [this] { return noise_.normal_(); }, side);
  torch::NoGradGuard no_grad;
  stats_.copy_(values);
}

Gan::Snapshot Gan::snapshot() {
  Snapshot snap;
  for (torch::nn::Module* module : {static_cast<torch::nn::Module*>(generator_.get()),
                                    static_cast<torch::nn::Module*>(discriminator_.get())}) {
    for (const auto& p : module->parameters()) snap.live.push_back(p);
    for (const auto& b : module->buffers()) snap.live.push_back(b);
  }
  for (const Adam* adam : {generator_optimizer_.get(), discriminator_optimizer_.get()}) {
    for (const auto& t : adam->state_tensors()) snap.live.push_back(t);
  }
  snap.live.push_back(position_);
  if (inside_) {
    for (const auto& t : inside_->state()) snap.live.push_back(t);
  }
  torch::NoGradGuard no_grad;
  for (const auto& t : snap.live) snap.kept.push_back(t.detach().clone());
  snap.rng = at::globalContext().defaultGenerator(device_);
  snap.rng_state = snap.rng.get_state();
  return snap;
}

void Gan::Snapshot::restore() {
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < live.size(); ++i) live[i].detach().copy_(kept[i]);
  rng.set_state(rng_state);
}

void Gan::capture_step() {
  // Warm-up steps train: everything they change is kept and put back, so that the replays go on
  // exactly where the run stands (the first replay is the step an eager run would take next).
  Snapshot before = snapshot();
  // Warm up on the epoch's first batches: from where the run stands, three more could run past
  // the end of the permutation (an out-of-range gather on a GPU ends the CUDA context).
  const int warm_ups = static_cast<int>(std::min<std::int64_t>(3, steps_per_epoch_));
  position_.zero_();
  graph_->capture(device_.index(), [this] { fixed_buffer_step(); }, warm_ups, [&] { before.restore(); });
}

namespace {

// Why the replayed numbers cannot stand for the uncaptured ones; empty when they agree.
std::string disagreement(const torch::Tensor& replayed, const torch::Tensor& uncaptured) {
  static const char* const kNames[] = {"d_loss", "g_loss", "D(x)", "D(G(z))"};
  const auto r = replayed.to(torch::kCPU).to(torch::kFloat64).contiguous();
  const auto u = uncaptured.to(torch::kCPU).to(torch::kFloat64).contiguous();
  for (std::int64_t i = 0; i < r.numel() && i < 4; ++i) {
    const double a = r[i].item<double>(), b = u[i].item<double>();
    if (!(std::abs(a - b) <= kCaptureAbsoluteTolerance + kCaptureRelativeTolerance * std::abs(b))) {
      return "its first replay gave " + std::string(kNames[i]) + " = " + std::to_string(a) + " where the same step " +
             "run uncaptured gave " + std::to_string(b);
    }
  }
  return {};
}

}  // namespace

void Gan::capture_checked_step() {
  Snapshot before = snapshot();
  fixed_buffer_step();  // the reference: this step, uncaptured
  const torch::Tensor uncaptured = stats_.clone();
  before.restore();
  std::string failure;
  try {
    capture_step();
    graph_->replay();
    failure = disagreement(stats_, uncaptured);  // one host sync, once per capture
  } catch (const std::exception& e) {
    failure = std::string("capturing it failed: ") + e.what();
  }
  if (failure.empty()) return;
  // Whatever the capture or the replay did is undone; this step and the rest run uncaptured.
  graph_->reset();
  before.restore();
  fixed_buffer_step();
  step_mode_ = StepMode::kUncaptured;
  step_mode_reason_ = "the step captured as a CUDA graph cannot be trusted (" + failure +
                      "); it runs uncaptured from step " + std::to_string(step_ + 1) + " on";
}

torch::Tensor Gan::eager_step(StepSide side) {
  const torch::Tensor indices = next_batch_indices();
  const torch::Tensor real = images_.index_select(/*dim=*/0, indices);
  const torch::Tensor real_labels = labels_at(indices);
  const std::int64_t batch = config_.train.batch_size;
  const torch::Tensor values = updates(real, real_labels, [&] { return noise(batch); }, side);
  ++step_;
  return values;
}

torch::Tensor Gan::updates(const torch::Tensor& real, const torch::Tensor& real_labels,
                           const std::function<torch::Tensor()>& fresh_noise, StepSide side) {
  const std::int64_t batch = config_.train.batch_size;
  const Loss loss = config_.model.loss;
  const bool step_generator = side != StepSide::kDiscriminator;
  const bool step_discriminator = side != StepSide::kGenerator;
  const torch::Tensor z = fresh_noise();
  const torch::Tensor fake_labels = fresh_labels(batch);
  torch::Tensor fake, g_loss;
  if (step_generator) {
    // Generator: make D score the fakes as real. D's weights need no gradients here (gan.py
    // computes and then discards them), so they are frozen for this backward pass.
    set_requires_grad(*discriminator_, false);
    generator_optimizer_->zero_grad();
    fake = generator_->forward(z, fake_labels);
    g_loss = generator_loss(loss, discriminator_->forward(fake, fake_labels));
    g_loss.backward();
    if (inside_) inside_->add_generator_gradients();
    generator_optimizer_->step();
    set_requires_grad(*discriminator_, true);
  } else {
    // D alone: G draws the fakes as in a full step (in training mode, so its batch norm normalises
    // them as D will see them later), but learns nothing; its loss is read from D's first verdict.
    torch::NoGradGuard no_grad;
    fake = generator_->forward(z, fake_labels);
  }

  // Discriminator: tell real from the (detached) fakes. With G alone, D gives its verdicts and
  // its loss once, as a full step reports them, and stays as it was.
  torch::Tensor d_loss, d_real, d_fake;
  const std::int64_t d_updates = step_discriminator ? hyperparameters_.d_steps : 1;
  for (std::int64_t k = 0; k < d_updates; ++k) {
    torch::Tensor fake_input, fake_input_labels;
    torch::Tensor real_input = real, real_input_labels = real_labels;
    if (k == 0) {
      fake_input = fake.detach();
      fake_input_labels = fake_labels;
    } else {
      torch::NoGradGuard no_grad;
      const torch::Tensor z_k = fresh_noise();
      fake_input_labels = fresh_labels(batch);
      fake_input = generator_->forward(z_k, fake_input_labels);
      // A fresh real batch too, as wgan_gp.py (and the WGAN-GP paper) take one per critic
      // iteration: drawn uniformly from the whole set on the device (no host sync, capturable).
      // With one batch for all d_steps updates, the critic fitted those 64 images d_steps times.
      const torch::Tensor indices =
          torch::randint(images_.size(0), {batch}, torch::TensorOptions().dtype(torch::kLong).device(device_));
      real_input = images_.index_select(/*dim=*/0, indices);
      real_input_labels = labels_at(indices);
    }
    if (real_batch_probe_) real_batch_probe_(real_input);
    discriminator_optimizer_->zero_grad();
    torch::Tensor on_real, on_fake;
    if (discriminator_batch_norm_) {
      // Batch norm in D: real and fake batches apart, as dcgan.py feeds them. Mixed into one
      // batch, D would normalise differently here than in G's step, where it sees fakes alone,
      // and G would chase a D that does not exist (measured: D won outright from the first
      // thousand steps, IS 1.05).
      on_real = discriminator_->forward(real_input, real_input_labels);
      on_fake = discriminator_->forward(fake_input, fake_input_labels);
    } else {
      // Real and fake through D as one batch: one matrix product per layer instead of two. D has
      // no batch statistics, so this equals two separate passes (up to the order of dropout masks).
      const torch::Tensor both_labels =
          conditional() ? torch::cat({real_input_labels, fake_input_labels}) : torch::Tensor();
      const torch::Tensor both = discriminator_->forward(torch::cat({real_input, fake_input}), both_labels);
      on_real = both.slice(/*dim=*/0, 0, batch);
      on_fake = both.slice(/*dim=*/0, batch, 2 * batch);
    }
    d_loss = discriminator_loss(loss, on_real, on_fake);
    if (loss == Loss::kWganGp) {
      // The points between real and fake images keep the real ones' labels.
      const torch::Tensor mix = torch::rand({batch, 1}, real.options());
      d_loss = d_loss + gradient_penalty(
                            [&](const torch::Tensor& x) { return discriminator_->forward(x, real_input_labels); },
                            real_input, fake_input, mix, config_.model.gp_lambda);
    }
    if (k == 0) {
      d_real = on_real.detach().mean();
      d_fake = on_fake.detach().mean();
      if (!step_generator) g_loss = generator_loss(loss, on_fake.detach());
      if (inside_) inside_->add_verdicts(on_real, on_fake);
    }
    if (!step_discriminator) break;  // its gradients are never computed; the graph is let go
    d_loss.backward();
    if (inside_) inside_->add_discriminator_gradients();
    discriminator_optimizer_->step();
  }
  return torch::stack({d_loss.detach(), g_loss.detach(), d_real, d_fake});
}

void Gan::set_hyperparameters(const LiveHyperparameters& values) {
  // A captured step reads lr on the device; betas (the fused Adam's arguments) and d_steps (the
  // number of D updates captured) are part of what was captured.
  auto same_betas = [](const AdamConfig& a, const AdamConfig& b) { return a.beta1 == b.beta1 && a.beta2 == b.beta2; };
  if (values.d_steps != hyperparameters_.d_steps || !same_betas(values.generator, hyperparameters_.generator) ||
      !same_betas(values.discriminator, hyperparameters_.discriminator)) {
    graph_->reset();
  }
  generator_optimizer_->set_config(values.generator);
  discriminator_optimizer_->set_config(values.discriminator);
  hyperparameters_ = values;
}

torch::Tensor Gan::render(const torch::Tensor& z, const torch::Tensor& labels) {
  // Eval mode: BatchNorm uses its running statistics, so a picture does not depend on its batch.
  torch::NoGradGuard no_grad;
  generator_->eval();
  const torch::Tensor on_device = labels.defined() ? labels.to(device_) : labels;
  const torch::Tensor images = generator_->forward(z.to(device_), on_device).to(torch::kCPU).contiguous();
  generator_->train();
  return images;
}

void Gan::check_digit(std::int64_t digit) const {
  if (!conditional()) {
    throw std::invalid_argument("this model draws no chosen digit: it is not conditional (model.conditional: false)");
  }
  if (digit < 0 || digit >= shape_.classes) {
    throw std::invalid_argument("digit " + std::to_string(digit) + " is not one this model knows: it draws 0 to " +
                                std::to_string(shape_.classes - 1));
  }
}

std::vector<Image> Gan::digits(const torch::Tensor& images) const {
  std::vector<Image> result;
  result.reserve(static_cast<std::size_t>(images.size(0)));
  for (std::int64_t i = 0; i < images.size(0); ++i) {
    result.push_back(image_from_tanh(images[i].data_ptr<float>(), shape_.rows, shape_.cols, static_cast<int>(shape_.channels)));
  }
  return result;
}

Image Gan::sample_grid() {
  const torch::Tensor images = render(fixed_noise_, fixed_labels_);
  return make_grid(images.data_ptr<float>(), images.size(0), shape_.rows, shape_.cols, config_.sampling.grid, /*padding=*/2,
                   static_cast<int>(shape_.channels));
}

std::vector<Image> Gan::generate(std::int64_t count, std::optional<std::int64_t> digit,
                                     std::vector<std::int64_t>* labels_out) {
  if (digit) check_digit(*digit);
  // Its own RNG: exporting digits must not change the course of training.
  const torch::Tensor z = torch::randn({count, config_.model.latent_dim}, export_rng_);
  torch::Tensor labels;
  if (conditional()) {
    labels = digit ? torch::full({count}, *digit, torch::kLong) : torch::randint(shape_.classes, {count}, export_rng_);
    if (labels_out) labels_out->assign(labels.data_ptr<std::int64_t>(), labels.data_ptr<std::int64_t>() + count);
  }
  return digits(render(z, labels));
}

void Gan::seed_exports(std::uint64_t seed) { export_rng_ = at::detail::createCPUGenerator(seed); }

torch::Tensor Gan::evaluation_images(std::int64_t count) {
  if (!evaluation_noise_.defined() || evaluation_noise_.size(0) != count) {
    at::Generator rng = at::detail::createCPUGenerator(config_.train.seed + 2);
    evaluation_noise_ = torch::randn({count, config_.model.latent_dim}, rng);
  }
  return render(evaluation_noise_, evaluation_labels(count));
}

torch::Tensor Gan::evaluation_labels(std::int64_t count) const {
  if (!conditional()) return {};
  return torch::arange(count, torch::kLong).remainder(shape_.classes);
}

std::vector<Image> Gan::interpolate(std::int64_t frames, std::uint64_t seed, std::optional<std::int64_t> digit) {
  if (digit) check_digit(*digit);
  torch::NoGradGuard no_grad;
  at::Generator rng = at::detail::createCPUGenerator(seed);
  const torch::Tensor ends = torch::randn({2, config_.model.latent_dim}, rng);
  const torch::Tensor a = ends[0];
  const torch::Tensor b = ends[1];
  const double cosine = (torch::dot(a, b) / (a.norm() * b.norm())).item<double>();
  const double angle = std::acos(std::clamp(cosine, -1.0, 1.0));
  std::vector<torch::Tensor> points;
  for (std::int64_t i = 0; i < frames; ++i) {
    const double t = frames > 1 ? static_cast<double>(i) / static_cast<double>(frames - 1) : 0.0;
    if (angle < 1e-6) {
      points.push_back(a * (1 - t) + b * t);
    } else {
      points.push_back((a * std::sin((1 - t) * angle) + b * std::sin(t * angle)) / std::sin(angle));
    }
  }
  torch::Tensor labels;
  if (conditional()) {
    const std::int64_t label = digit ? *digit : torch::randint(shape_.classes, {1}, rng).item<std::int64_t>();
    labels = torch::full({frames}, label, torch::kLong);
  }
  return digits(render(torch::stack(points), labels));
}

}  // namespace gan
