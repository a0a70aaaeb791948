#include "ui/config/live_change.h"

#include <QStringList>

#include "core/config/config_fields.h"

namespace gan::ui {

QString describeLiveChange(const gan::LiveHyperparameters& before, const gan::LiveHyperparameters& after) {
  auto config_with = [](const gan::LiveHyperparameters& live) {
    gan::Config config;
    config.optimizer.generator = live.generator;
    config.optimizer.discriminator = live.discriminator;
    config.train.d_steps = live.d_steps;
    return config;
  };
  const gan::Config old_values = config_with(before);
  const gan::Config new_values = config_with(after);
  QStringList parts;
  for (const gan::ConfigField& field : gan::config_fields()) {
    if (field.live == gan::Live::kYes && field.text(old_values) != field.text(new_values)) {
      parts << QString::fromStdString(field.label + " " + field.text(new_values));
    }
  }
  return parts.join(", ");
}

}  // namespace gan::ui
