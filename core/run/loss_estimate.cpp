#include "core/run/loss_estimate.h"

#include <cmath>

namespace gan {

const LossMeaning& loss_meaning(Loss loss) {
  static const LossMeaning bce{"V + log 4",
                               "log 4 − 2·L_D = 2·JSD(p_data‖p_g): 0 when G matches the data, 2·log 2 = 1.39 when D "
                               "tells every image apart",
                               "D's probability that the image is real", true, 0.5};
  static const LossMeaning lsgan{"Triangular discrimination",
                                 "2 − 8·L_D = Σ (p_data − p_g)² / (p_data + p_g): 0 when G matches the data, 2 when D "
                                 "tells every image apart",
                                 "D's score, trained towards 1 on data and 0 on fakes", false, 0.5};
  static const LossMeaning hinge{"Total variation",
                                 "1 − L_D / 2 = ½ Σ |p_data − p_g|: 0 when G matches the data, 1 when D tells every "
                                 "image apart",
                                 "D's score, pushed above +1 on data and below −1 on fakes", false, 0.0};
  static const LossMeaning wgan{"Wasserstein estimate",
                                "mean D(x) − mean D(G(z)): the critic's estimate of the Wasserstein-1 distance, the "
                                "work to move G's images onto the data's; falls towards 0 as G learns",
                                "the critic's score (higher: more like the data), unbounded", false, 0.0};
  switch (loss) {
    case Loss::kLsgan: return lsgan;
    case Loss::kHinge: return hinge;
    case Loss::kWganGp: return wgan;
    case Loss::kBce: break;
  }
  return bce;
}

double divergence_estimate(Loss loss, double d_loss, double d_real, double d_fake) {
  switch (loss) {
    case Loss::kLsgan: return 2.0 - 8.0 * d_loss;
    case Loss::kHinge: return 1.0 - d_loss / 2.0;
    case Loss::kWganGp: return d_real - d_fake;
    case Loss::kBce: break;
  }
  return std::log(4.0) - 2.0 * d_loss;
}

}  // namespace gan
