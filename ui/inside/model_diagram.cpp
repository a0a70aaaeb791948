#include "ui/inside/model_diagram.h"

#include <QFontMetrics>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPolygonF>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace gan::ui {
namespace {

constexpr int kMargin = 8;
constexpr int kGap = 16;         // between boxes: room for an arrow
constexpr int kRowHeight = 62;
constexpr int kNodeWidth = 84;   // z, fake, real
constexpr int kVerdictWidth = 150;
constexpr int kBoxWidth = 130;     // a block's box when there is room
constexpr int kDetailsWidth = 380; // the selected block beside the diagram, when there is room for both
// The gradient norms the colours span (log10). A learning layer's weights get norms of about 1e-3
// to 10 (measured: the cdcgan preset's between 1e-3 and 1, a DCGAN whose D wins 1e-2 to 10); at
// 1e-4 and below a layer has stopped learning (pale), at 100 and above it is about to blow up (red).
constexpr double kLowestNorm = -4;
constexpr double kHighestNorm = 2;

QString count_text(std::int64_t count) {
  if (count >= 1'000'000) return QString::number(static_cast<double>(count) / 1e6, 'f', 2) + " M";
  if (count >= 1'000) return QString::number(static_cast<double>(count) / 1e3, 'f', 1) + " k";
  return QString::number(count);
}

QString figure_text(double value) { return QString::number(value, 'e', 1); }

// The box's first line: the layer with weights, batch norm folded in; the second: what follows.
std::pair<QString, QString> box_lines(const gan::BlockSummary& block) {
  QString layer, rest;
  for (const std::string& module : block.modules) {
    const QString name = QString::fromStdString(module);
    if (name == "Unflatten" || name == "Flatten") continue;
    if (name.startsWith("BatchNorm")) {
      layer += " + BN";
    } else if (layer.isEmpty() && (name.contains("Linear") || name.contains("Conv") || name == "Embedding")) {
      layer = QString(name).replace("ConvTranspose", "ConvT");
    } else {
      rest += (rest.isEmpty() ? "" : " · ") + name;
    }
  }
  return {layer, rest};
}

void arrow(QPainter& painter, const QPointF& from, const QPointF& to) {
  painter.drawLine(from, to);
  const QPointF d = to - from;
  const double length = std::hypot(d.x(), d.y());
  if (length < 1) return;
  const QPointF u = d / length;
  const QPointF n(-u.y(), u.x());
  QPolygonF head;
  head << to << to - u * 7 + n * 3.5 << to - u * 7 - n * 3.5;
  painter.save();
  painter.setBrush(painter.pen().color());
  painter.drawPolygon(head);
  painter.restore();
}

}  // namespace

ModelDiagram::ModelDiagram(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setMinimumHeight(260);
}

void ModelDiagram::setSummary(const gan::ModelSummary& summary) {
  if (!summary.error.empty()) {
    error_ = tr("The model could not be measured: %1").arg(QString::fromStdString(summary.error));
    update();
    return;
  }
  error_.clear();
  summary_ = summary;
  const auto& blocks = selected_network_ == "G" ? summary.generator : summary.discriminator;
  if (selected_index_ >= static_cast<int>(blocks.size())) selected_index_ = -1;
  update();
}

void ModelDiagram::setInside(const gan::InsideRecord& record) {
  inside_ = record;
  update();
}

void ModelDiagram::setLatestStep(const gan::StepRecord& step) {
  latest_ = step;
  update();
}

void ModelDiagram::clear() {
  summary_.reset();
  error_.clear();
  inside_.reset();
  latest_.reset();
  selected_index_ = -1;
  update();
}

void ModelDiagram::selectBlock(const QString& network, int index) {
  selected_network_ = network;
  selected_index_ = index;
  update();
  if (index >= 0) emit blockSelected(network, index);
}

const gan::BlockSummary* ModelDiagram::selectedBlock() const {
  if (!summary_ || selected_index_ < 0) return nullptr;
  const auto& blocks = selected_network_ == "G" ? summary_->generator : summary_->discriminator;
  return selected_index_ < static_cast<int>(blocks.size()) ? &blocks[static_cast<std::size_t>(selected_index_)]
                                                           : nullptr;
}

QRect ModelDiagram::blockRect(const QString& network, int index) const {
  const Layout l = layout();
  const auto& boxes = network == "G" ? l.generator : l.discriminator;
  return index >= 0 && index < static_cast<int>(boxes.size()) ? boxes[static_cast<std::size_t>(index)] : QRect();
}

ModelDiagram::Layout ModelDiagram::layout() const {
  Layout l;
  const int span = std::max(width(), 400) - 2 * kMargin;
  const int rows_height = 2 * kRowHeight + 3 * kGap + 18;
  // The diagram as wide as its boxes need; the selected block beside it when both fit (a wide
  // window, a short dock), else below it.
  int needed = span;
  if (summary_) {
    const auto g = static_cast<int>(summary_->generator.size());
    const auto d = static_cast<int>(summary_->discriminator.size());
    needed = std::max(2 * kNodeWidth + g * kBoxWidth + (g + 1) * kGap,
                      kNodeWidth + kVerdictWidth + d * kBoxWidth + (d + 1) * kGap);
  }
  if (span - needed - 2 * kGap >= kDetailsWidth) {
    l.diagram = QRect(kMargin, kMargin, needed, rows_height);
    l.details = QRect(l.diagram.right() + 2 * kGap, kMargin, span - needed - 2 * kGap, std::max(height() - 2 * kMargin, 60));
  } else {
    l.diagram = QRect(kMargin, kMargin, span, rows_height);
    l.details = QRect(kMargin, l.diagram.bottom() + kGap, span, std::max(height() - l.diagram.bottom() - kGap - kMargin, 60));
  }
  if (!summary_) return l;
  auto row = [&](std::vector<QRect>& boxes, std::size_t count, int y, int left_width, int right_width) {
    const int room = l.diagram.width() - left_width - right_width - static_cast<int>(count + 1) * kGap;
    const int box = count > 0 ? std::clamp(room / static_cast<int>(count), 40, 160) : 0;
    int x = kMargin + left_width + kGap;
    for (std::size_t i = 0; i < count; ++i, x += box + kGap) boxes.emplace_back(x, y, box, kRowHeight);
    return x;
  };
  const int top = l.diagram.top();
  l.noise = QRect(kMargin, top, kNodeWidth, kRowHeight);
  const int fake_x = row(l.generator, summary_->generator.size(), top, kNodeWidth, kNodeWidth);
  l.fake = QRect(fake_x, top, kNodeWidth, kRowHeight);
  const int bottom = top + kRowHeight + 2 * kGap;
  l.real = QRect(kMargin, bottom, kNodeWidth, kRowHeight);
  const int verdict_x = row(l.discriminator, summary_->discriminator.size(), bottom, kNodeWidth, kVerdictWidth);
  l.verdict = QRect(verdict_x, bottom, kVerdictWidth, kRowHeight);
  return l;
}

QColor ModelDiagram::gradientColor(std::optional<double> norm) {
  if (!norm || !std::isfinite(*norm)) return {0xe0, 0xe0, 0xe0};
  const double t = std::clamp((std::log10(std::max(*norm, 1e-30)) - kLowestNorm) / (kHighestNorm - kLowestNorm), 0.0, 1.0);
  // Pale blue -> light blue -> yellow -> red.
  static const QColor stops[] = {{0xee, 0xf3, 0xfa}, {0x9e, 0xca, 0xe1}, {0xfe, 0xe0, 0x8b}, {0xd7, 0x30, 0x27}};
  const double at = t * 3;
  const int i = std::min(static_cast<int>(at), 2);
  const double f = at - i;
  auto mix = [f](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * f)); };
  return {mix(stops[i].red(), stops[i + 1].red()), mix(stops[i].green(), stops[i + 1].green()),
          mix(stops[i].blue(), stops[i + 1].blue())};
}

const gan::ParameterFigures* ModelDiagram::figures(const gan::BlockSummary& block) const {
  if (!inside_) return nullptr;
  for (const auto& p : inside_->parameters) {
    if (p.network == block.network && p.name == block.weight) return &p;
  }
  return nullptr;
}

std::optional<double> ModelDiagram::gradientNorm(const gan::BlockSummary& block) const {
  if (const auto* p = figures(block)) return p->gradient_norm;
  return std::nullopt;
}

void ModelDiagram::paintBlock(QPainter& painter, const gan::BlockSummary& block, const QRect& box, bool selected) const {
  painter.setPen(QPen(selected ? QColor(0x22, 0x22, 0x22) : QColor(0x88, 0x88, 0x88), selected ? 2.5 : 1.0));
  painter.setBrush(gradientColor(gradientNorm(block)));
  painter.drawRoundedRect(box, 5, 5);
  const auto [layer, rest] = box_lines(block);
  QFont font = painter.font();
  font.setPointSizeF(std::max(font.pointSizeF() - 1.5, 6.5));
  painter.setFont(font);
  const QFontMetrics metrics(font);
  const QRect inner = box.adjusted(4, 3, -4, -3);
  const int line = metrics.height();
  const QStringList lines = {layer, rest, QString::fromStdString(block.shape_text()), count_text(block.parameter_count)};
  painter.setPen(QColor(0x11, 0x11, 0x11));
  for (int i = 0; i < lines.size(); ++i) {
    QFont f = font;
    f.setBold(i == 0);
    painter.setFont(f);
    painter.drawText(QRect(inner.left(), inner.top() + i * line, inner.width(), line), Qt::AlignCenter,
                     QFontMetrics(f).elidedText(lines[i], Qt::ElideRight, inner.width()));
  }
  painter.setFont(QWidget::font());
}

void ModelDiagram::paintLegend(QPainter& painter, const QRect& area) const {
  // The colour scale, between the rows at the right: what a box's colour says.
  const int bar_width = std::min(220, area.width() / 3);
  const QRect bar(area.right() - bar_width, area.top() + 3, bar_width, 8);
  for (int x = 0; x < bar.width(); ++x) {
    const double log_norm = kLowestNorm + (kHighestNorm - kLowestNorm) * x / std::max(bar.width() - 1, 1);
    painter.setPen(gradientColor(std::pow(10.0, log_norm)));
    painter.drawLine(bar.left() + x, bar.top(), bar.left() + x, bar.bottom());
  }
  QFont font = painter.font();
  font.setPointSizeF(std::max(font.pointSizeF() - 1.5, 6.5));
  painter.setFont(font);
  painter.setPen(QColor(0x44, 0x44, 0x44));
  const QRect text(area.left(), area.top(), area.width() - bar_width - 6, 14);
  painter.drawText(text, Qt::AlignRight | Qt::AlignVCenter, tr("box colour: gradient norm of the layer's weights"));
  painter.drawText(QRect(bar.left(), bar.bottom() + 1, bar.width(), 12), Qt::AlignLeft, tr("1e-4"));
  painter.drawText(QRect(bar.left(), bar.bottom() + 1, bar.width(), 12), Qt::AlignHCenter, tr("0.1"));
  painter.drawText(QRect(bar.left(), bar.bottom() + 1, bar.width(), 12), Qt::AlignRight, tr("100"));
  painter.setFont(QWidget::font());
}

void ModelDiagram::paintDetails(QPainter& painter, const QRect& area) const {
  const gan::BlockSummary* block = selectedBlock();
  painter.setPen(QColor(0x33, 0x33, 0x33));
  if (!block) {
    painter.drawText(area, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                     tr("Click a layer for its figures: its gradients and update in the latest window, its "
                        "activations on the fixed noise batch (dead ReLUs), and its weights' histogram."));
    return;
  }
  const QLocale locale;
  const QString network = block->network == "G" ? tr("Generator") : tr("Discriminator");
  QStringList lines;
  lines << QStringLiteral("%1 · %2   %3").arg(network, QString::fromStdString(block->name),
                                               QString::fromStdString(block->type()));
  lines << tr("output %1 per image · %2 parameters")
               .arg(QString::fromStdString(block->shape_text()), locale.toString(static_cast<qlonglong>(block->parameter_count)));
  if (const auto* p = figures(*block)) {
    lines << tr("%1: gradient norm %2 (largest %3) · weight norm %4 · update ratio %5 (window ending at step %6)")
                 .arg(QString::fromStdString(block->weight), figure_text(p->gradient_norm),
                      figure_text(p->gradient_norm_max), QString::number(p->weight_norm, 'g', 3),
                      figure_text(p->update_ratio))
                 .arg(inside_->step);
  } else {
    lines << tr("no gradient figures yet (they come with each window of inside.interval steps)");
  }
  QString activations = tr("on the fixed noise batch (%1 images, step %2): activations mean %3, std %4")
                            .arg(summary_->batch)
                            .arg(summary_->step)
                            .arg(QString::number(block->activation_mean, 'g', 3), QString::number(block->activation_std, 'g', 3));
  if (block->dead_share >= 0) {
    activations += tr(" · dead ReLUs %1 %").arg(QString::number(100.0 * block->dead_share, 'f', 1));
  }
  lines << activations;
  if (block->weight_not_finite > 0) {
    lines << tr("%1 of %2's values are not finite (NaN or infinite: the run diverged); the histogram shows the rest")
                 .arg(locale.toString(static_cast<qlonglong>(block->weight_not_finite)), QString::fromStdString(block->weight));
  }

  // The figures (the first line, naming the block, in bold), and the histogram at their right
  // when the area is wide, else below them.
  const bool beside = area.width() >= 700;
  const int text_width = beside ? area.width() * 3 / 5 : area.width();
  const QFont font = painter.font();
  int y = area.top();
  for (int i = 0; i < lines.size(); ++i) {
    QFont f = font;
    f.setBold(i == 0);
    painter.setFont(f);
    const int flags = Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap;
    const QRect bounds = painter.boundingRect(QRect(area.left(), y, text_width, std::max(area.bottom() - y, 1)), flags, lines[i]);
    painter.drawText(bounds, flags, lines[i]);
    y = bounds.bottom() + 4;
  }
  painter.setFont(font);

  // The weight histogram, at the right.
  if (block->weight_counts.empty()) return;
  const int chart_top = (beside ? area.top() : y + 4) + 16;
  const QRect chart(beside ? area.left() + text_width + kGap : area.left(), chart_top,
                    beside ? area.width() - text_width - kGap : std::min(area.width(), 420),
                    std::min(area.bottom() - chart_top - 18, 140));
  if (chart.width() < 60 || chart.height() < 30) return;
  painter.drawText(QRect(chart.left(), chart_top - 16, chart.width(), 14), Qt::AlignLeft,
                   tr("weights of %1").arg(QString::fromStdString(block->weight)));
  const double peak = *std::max_element(block->weight_counts.begin(), block->weight_counts.end());
  const double bar = static_cast<double>(chart.width()) / static_cast<double>(block->weight_counts.size());
  painter.setPen(Qt::NoPen);
  painter.setBrush(QColor(0x44, 0x77, 0xaa));
  for (std::size_t i = 0; i < block->weight_counts.size(); ++i) {
    const double h = peak > 0 ? chart.height() * block->weight_counts[i] / peak : 0;
    painter.drawRect(QRectF(chart.left() + bar * static_cast<double>(i), chart.bottom() - h, std::max(bar - 1, 1.0), h));
  }
  painter.setPen(QColor(0x55, 0x55, 0x55));
  painter.drawLine(chart.bottomLeft(), chart.bottomRight());
  const QRect labels(chart.left(), chart.bottom() + 2, chart.width(), 14);
  painter.drawText(labels, Qt::AlignLeft, QString::number(block->weight_low, 'g', 3));
  painter.drawText(labels, Qt::AlignRight, QString::number(block->weight_high, 'g', 3));
  if (block->weight_low < 0 && block->weight_high > 0) {
    const double zero = chart.left() + chart.width() * (-block->weight_low) / (block->weight_high - block->weight_low);
    painter.setPen(QPen(QColor(0x99, 0x99, 0x99), 1, Qt::DashLine));
    painter.drawLine(QPointF(zero, chart.top()), QPointF(zero, chart.bottom()));
  }
}

void ModelDiagram::paintEvent(QPaintEvent* /*event*/) {
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.fillRect(rect(), palette().base());
  if (!error_.isEmpty()) {
    // Where the figures are read: at the bottom, over whatever the last good summary drew.
    painter.setPen(QColor(0xb0, 0x20, 0x20));
    painter.drawText(rect().adjusted(kMargin, kMargin, -kMargin, -kMargin), Qt::AlignBottom | Qt::AlignLeft | Qt::TextWordWrap,
                     error_);
  }
  if (!summary_) {
    painter.setPen(QColor(0x55, 0x55, 0x55));
    painter.drawText(rect().adjusted(kMargin, kMargin, -kMargin, -kMargin), Qt::AlignCenter | Qt::TextWordWrap,
                     tr("The model diagram shows the model of a run in progress or a loaded checkpoint: start or "
                        "resume a run, or open one that has a checkpoint."));
    return;
  }
  const Layout l = layout();
  QFont small = font();
  small.setPointSizeF(std::max(small.pointSizeF() - 1, 6.5));
  auto node = [&](const QRect& box, const QStringList& lines, const QColor& fill) {
    painter.setPen(QColor(0x88, 0x88, 0x88));
    painter.setBrush(fill);
    painter.drawRoundedRect(box, 12, 12);
    painter.setPen(QColor(0x11, 0x11, 0x11));
    painter.setFont(small);
    painter.drawText(box.adjusted(3, 2, -3, -2), Qt::AlignCenter, lines.join('\n'));
    painter.setFont(font());
  };
  const QColor node_fill(0xf4, 0xf4, 0xf4);
  QStringList noise = {tr("noise z"), QString::number(summary_->latent_dim)};
  if (summary_->classes > 0) noise << tr("+ label (%1)").arg(summary_->classes);
  node(l.noise, noise, node_fill);
  const QString image_shape =
      summary_->generator.empty() ? QString() : QString::fromStdString(summary_->generator.back().shape_text());
  node(l.fake, {tr("fake"), image_shape}, QColor(0xfd, 0xe6, 0xcc));
  node(l.real, {tr("real"), image_shape}, QColor(0xd4, 0xe6, 0xf6));
  QStringList verdict = {tr("D's verdict")};
  if (latest_) {
    verdict << tr("D(x) %1").arg(latest_->d_real, 0, 'f', 3) << tr("D(G(z)) %1").arg(latest_->d_fake, 0, 'f', 3)
            << tr("loss D %1 · G %2").arg(latest_->d_loss, 0, 'f', 3).arg(latest_->g_loss, 0, 'f', 3);
  }
  node(l.verdict, verdict, node_fill);

  // The wiring: z → G → fake, fake and real → D → verdict.
  painter.setPen(QPen(QColor(0x55, 0x55, 0x55), 1.4));
  // A conditional network's label embedding comes first in its row, but the data does not pass
  // through it: z (or the image) goes over it into the first layer, where the embedded label joins.
  auto first_layer = [](const std::vector<gan::BlockSummary>& blocks) {
    std::size_t i = 0;
    while (i < blocks.size() && blocks[i].name == "label_embedding") ++i;
    return i;
  };
  auto chain = [&](const QRect& first, const std::vector<QRect>& boxes, std::size_t layer, const QRect& last) {
    if (layer > 0 && layer < boxes.size()) {
      const QRect& skipped = boxes.front();
      const QRect& into = boxes[layer];
      const double over = skipped.top() - 6;
      const double out_x = (first.right() + skipped.left()) / 2.0;
      const double in_x = (boxes[layer - 1].right() + into.left()) / 2.0;
      painter.drawPolyline(QPolygonF({QPointF(first.right() + 1, first.center().y()), QPointF(out_x, first.center().y()),
                                      QPointF(out_x, over), QPointF(in_x, over), QPointF(in_x, into.center().y())}));
    }
    QRect previous = layer > 0 && layer < boxes.size() ? boxes.front() : first;
    for (std::size_t i = layer > 0 && layer < boxes.size() ? 1 : 0; i < boxes.size(); ++i) {
      arrow(painter, QPointF(previous.right() + 1, previous.center().y()), QPointF(boxes[i].left() - 1, boxes[i].center().y()));
      previous = boxes[i];
    }
    arrow(painter, QPointF(previous.right() + 1, previous.center().y()), QPointF(last.left() - 1, last.center().y()));
  };
  const std::size_t g_layer = first_layer(summary_->generator);
  const std::size_t d_layer = first_layer(summary_->discriminator);
  chain(l.noise, l.generator, g_layer, l.fake);
  chain(l.real, l.discriminator, d_layer, l.verdict);
  if (d_layer < l.discriminator.size()) {
    // fake goes down between the rows and into D's first layer from above (not its label
    // embedding, which takes the label).
    const QRect& d0 = l.discriminator[d_layer];
    const double mid = (l.fake.bottom() + d0.top()) / 2.0;
    painter.drawLine(QPointF(l.fake.center().x(), l.fake.bottom() + 1), QPointF(l.fake.center().x(), mid));
    painter.drawLine(QPointF(l.fake.center().x(), mid), QPointF(d0.center().x(), mid));
    arrow(painter, QPointF(d0.center().x(), mid), QPointF(d0.center().x(), d0.top() - 1));
  }
  for (std::size_t i = 0; i < l.generator.size(); ++i) {
    paintBlock(painter, summary_->generator[i], l.generator[i], selected_network_ == "G" && selected_index_ == static_cast<int>(i));
  }
  for (std::size_t i = 0; i < l.discriminator.size(); ++i) {
    paintBlock(painter, summary_->discriminator[i], l.discriminator[i],
               selected_network_ == "D" && selected_index_ == static_cast<int>(i));
  }
  paintLegend(painter, QRect(l.diagram.left(), l.real.bottom() + 6, l.diagram.width(), 26));
  paintDetails(painter, l.details.adjusted(0, l.details.top() > l.diagram.bottom() ? 18 : 0, 0, 0));
}

void ModelDiagram::mousePressEvent(QMouseEvent* event) {
  const Layout l = layout();
  for (const auto& [network, boxes] : {std::pair{QStringLiteral("G"), &l.generator}, std::pair{QStringLiteral("D"), &l.discriminator}}) {
    for (std::size_t i = 0; i < boxes->size(); ++i) {
      if ((*boxes)[i].contains(event->position().toPoint())) {
        selectBlock(network, static_cast<int>(i));
        return;
      }
    }
  }
}

void ModelDiagram::mouseMoveEvent(QMouseEvent* event) {
  if (!summary_) return;
  const Layout l = layout();
  const QPoint at = event->position().toPoint();
  for (const auto& [blocks, boxes] : {std::pair{&summary_->generator, &l.generator}, std::pair{&summary_->discriminator, &l.discriminator}}) {
    for (std::size_t i = 0; i < boxes->size(); ++i) {
      if (!(*boxes)[i].contains(at)) continue;
      const gan::BlockSummary& block = (*blocks)[i];
      const auto norm = gradientNorm(block);
      QToolTip::showText(event->globalPosition().toPoint(),
                         QStringLiteral("%1 %2: %3\n%4")
                             .arg(QString::fromStdString(block.network), QString::fromStdString(block.name),
                                  QString::fromStdString(block.type()),
                                  norm ? tr("gradient norm %1").arg(figure_text(*norm)) : tr("no gradient norm yet")),
                         this);
      return;
    }
  }
  QToolTip::hideText();
}

}  // namespace gan::ui
