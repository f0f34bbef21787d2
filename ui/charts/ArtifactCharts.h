#pragma once

#include "core/common/Json.h"

#include <QString>
#include <QStringList>

#include <vector>

class QChart;
class QWidget;

namespace baton::ui {

// Interactive charts drawn from an evaluation artifact's JSON file (the PNG next to it is the
// report's static copy). One function per artifact type; nullptr when the JSON lacks the data.
QChart *rocChart(const json &content);
QChart *precisionRecallChart(const json &content);
QChart *calibrationChart(const json &content);
QChart *residualsChart(const json &content);
QChart *predictedVsActualChart(const json &content);
// Bars with a category per name (Qt::Horizontal lists the first name on top).
QChart *barChart(const QStringList &names, const std::vector<double> &values, const QString &title,
                 Qt::Orientation orientation);
// feature_importance, permutation_importance and shap_explanations: horizontal bars, top 20.
QChart *importanceChart(const json &content, const QString &title);

// The viewer for any artifact type this build can draw (a ChartView or a HeatMapWidget), or a
// label saying why there is nothing to draw.
QWidget *createArtifactView(const QString &type, const json &content, QWidget *parent = nullptr);

// Whether createArtifactView() draws `type` as a chart.
bool isChartArtifact(const QString &type);

} // namespace baton::ui
