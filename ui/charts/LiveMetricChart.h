#pragma once

#include "core/conductor/Event.h"

#include <QList>
#include <QPointF>
#include <QWidget>

class QLineSeries;
class QValueAxis;
class QTimer;

namespace baton::ui {

class ChartView;

// The training and validation metric per boosting round of the candidate being trained.
// Points arrive per iteration (METRIC_SCALAR) but the chart repaints in batches on a ~15 Hz
// timer, so a fast engine cannot flood the GUI thread.
class LiveMetricChart : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kRepaintIntervalMs = 66;

    explicit LiveMetricChart(QWidget *parent = nullptr);

    void applyEvent(const Event &event);
    void clear();
    QString runId() const { return m_runId; }
    // Points on screen (after the last repaint), for tests.
    int shownPoints() const;
    // Repaints and points taken in since the chart was made, over every run (clear() keeps them):
    // batching shows as far fewer repaints than points.
    int repaints() const { return m_repaints; }
    int receivedPoints() const { return m_receivedPoints; }
    ChartView *view() const { return m_view; }

private:
    void flush();

    ChartView *m_view = nullptr;
    QLineSeries *m_train = nullptr;
    QLineSeries *m_valid = nullptr;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    QTimer *m_timer = nullptr;
    QString m_runId;
    QString m_metric;
    QList<QPointF> m_pendingTrain, m_pendingValid;
    // Every point shown, handed to the series whole: QXYSeries::append(QList) adds (and
    // re-strokes the whole line) point by point, quadratic in the curve's length.
    QList<QPointF> m_trainPoints, m_validPoints;
    double m_minY = 0, m_maxY = 0, m_maxX = 1;
    bool m_haveRange = false;
    int m_repaints = 0;
    int m_receivedPoints = 0;
};

} // namespace baton::ui
