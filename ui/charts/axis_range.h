// Round axis ranges whose labels read "0" where they mean 0.
#pragma once

#include <QStringList>

class QValueAxis;

namespace gan::ui {

/// Sets `axis` to a round range around [low, high] (0.2, 0.4…, Qt's applyNiceNumbers), then lifts
/// it by a trillionth of its width. Qt labels tick i as min + i·(max − min)/(ticks − 1): the tick
/// meant as 0 could land an ulp below it and read "-2.77556e-17" (with "%g") or "-0.00"; lifted, it
/// lands an ulp above and reads "0.00", while no label's digits change.
void setRoundRange(QValueAxis* axis, double low, double high);

/// The labels Qt draws on `axis` with its default (empty) label format: tick i at
/// min + i·(max − min)/(ticks − 1), with as many decimals as the tick interval needs
/// (Qt Charts' chartaxiselement.cpp). For tests and anyone checking what a person reads.
QStringList tickLabels(const QValueAxis& axis);

}  // namespace gan::ui
