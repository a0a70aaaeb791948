// The adversarial losses (model.loss), each as the pair of objectives D and G minimise, given D's
// outputs on a batch. gan.cpp's step is the same for every loss but for these calls and WGAN-GP's
// penalty. What each D loss estimates is written in core/run/loss_estimate.h.
#pragma once

#include <torch/types.h>

#include <functional>

#include "core/config/config.h"

namespace gan {

/// D's loss from its outputs on real images and on (detached) fakes:
///   bce     (BCE(D(x), 1) + BCE(D(G(z)), 0)) / 2                    gan.py
///   lsgan   ((D(x) - 1)^2 + D(G(z))^2) / 2, batch means               lsgan.py
///   hinge   relu(1 - D(x)) + relu(1 + D(G(z))), batch means           (Lim & Ye; SAGAN, BigGAN)
///   wgan-gp D(G(z)) - D(x), batch means; the penalty is added apart   (Gulrajani et al.)
torch::Tensor discriminator_loss(Loss loss, const torch::Tensor& on_real, const torch::Tensor& on_fake);

/// G's loss from D's outputs on its fakes: bce the non-saturating BCE(D(G(z)), 1); lsgan
/// (D(G(z)) - 1)^2; hinge and wgan-gp -D(G(z)).
torch::Tensor generator_loss(Loss loss, const torch::Tensor& on_fake);

/// WGAN-GP's penalty: `weight` x mean over the batch of (|grad_x D(x̂)| - 1)^2 at random points x̂
/// on the lines between real and fake images (`mix` uniform in [0, 1], one per image). Its graph is
/// kept (create_graph) so that D's backward pass trains against it.
torch::Tensor gradient_penalty(const std::function<torch::Tensor(const torch::Tensor&)>& critic,
                               const torch::Tensor& real, const torch::Tensor& fake, const torch::Tensor& mix,
                               double weight);

}  // namespace gan
