// Core types carried by queued signals between the training thread and the GUI thread, and the
// conversion of core images to QImage.
#pragma once

#include <QImage>
#include <QMetaType>
#include <QVector>

#include "core/io/image.h"
#include "core/run/observer.h"

Q_DECLARE_METATYPE(gan::StepRecord)
Q_DECLARE_METATYPE(gan::Progress)
Q_DECLARE_METATYPE(gan::RunInfo)
Q_DECLARE_METATYPE(gan::LiveHyperparameters)
Q_DECLARE_METATYPE(gan::RunState)
Q_DECLARE_METATYPE(gan::QualityRecord)
Q_DECLARE_METATYPE(gan::JudgeReference)
Q_DECLARE_METATYPE(gan::Alarm)
Q_DECLARE_METATYPE(gan::Config)
Q_DECLARE_METATYPE(gan::InsideRecord)

namespace gan::ui {

/// Registers the types above with Qt's meta-type system; call once before connecting signals.
void register_meta_types();

/// A deep copy of a core image: QImage::Format_Grayscale8 for gray, Format_RGB888 for colour.
QImage to_qimage(const Image& image);

/// The reverse, for exports through the core's PNG writer: gray when every pixel is gray
/// (QImage::isGrayscale), else RGB.
Image to_image(const QImage& image);

}  // namespace gan::ui
