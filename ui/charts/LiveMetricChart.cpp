#include "LiveMetricChart.h"

#include "ChartView.h"

#include "core/conductor/EventNames.h"
#include "ui/JsonFields.h"

#include <QChart>
#include <QLineSeries>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace baton::ui {

LiveMetricChart::LiveMetricChart(QWidget *parent)
    : QWidget(parent)
    , m_view(new ChartView(this))
    , m_timer(new QTimer(this))
{
    auto *chart = new QChart;
    m_train = new QLineSeries;
    m_valid = new QLineSeries;
    m_train->setName(tr("training"));
    m_valid->setName(tr("validation"));
    chart->addSeries(m_train);
    chart->addSeries(m_valid);
    m_x = new QValueAxis;
    m_y = new QValueAxis;
    m_x->setTitleText(tr("Boosting round"));
    m_x->setLabelFormat(QStringLiteral("%d"));
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    for (QLineSeries *s : {m_train, m_valid}) {
        s->attachAxis(m_x);
        s->attachAxis(m_y);
    }
    chart->setTitle(tr("Waiting for training to start"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_view->showChart(chart);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);

    m_timer->setInterval(kRepaintIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &LiveMetricChart::flush);
}

void LiveMetricChart::clear()
{
    m_pendingTrain.clear();
    m_pendingValid.clear();
    m_trainPoints.clear();
    m_validPoints.clear();
    m_train->clear();
    m_valid->clear();
    m_haveRange = false;
    m_maxX = 1;
    m_x->setRange(0, 1);
    m_y->setRange(0, 1);
}

void LiveMetricChart::applyEvent(const Event &event)
{
    if (event.name == QLatin1String(events::TrainRunStarted)) {
        // the ensemble refit has no curve: keep the last candidate's on screen
        if (stringField(event.payload, "model_id") == QLatin1String("ensemble"))
            return;
        clear();
        m_runId = stringField(event.payload, "run_id");
        m_view->chart()->setTitle(tr("%1 — %2").arg(stringField(event.payload, "model_name"),
                                                     stringField(event.payload, "label")));
        return;
    }
    if (event.name != QLatin1String(events::MetricScalar))
        return;
    const json &p = event.payload;
    const QString split = stringField(p, "split");
    if (stringField(p, "run_id") != m_runId || intField(p, "fold") != 0
        || (split != QLatin1String("train") && split != QLatin1String("valid")))
        return;
    const double x = doubleField(p, "step");
    const double y = doubleField(p, "value");
    if (!std::isfinite(x) || !std::isfinite(y))
        return;
    if (m_metric != stringField(p, "name")) {
        m_metric = stringField(p, "name");
        m_y->setTitleText(m_metric);
    }
    (split == QLatin1String("train") ? m_pendingTrain : m_pendingValid).append(QPointF(x, y));
    ++m_receivedPoints;
    if (!m_timer->isActive())
        m_timer->start();
}

void LiveMetricChart::flush()
{
    if (m_pendingTrain.isEmpty() && m_pendingValid.isEmpty()) {
        m_timer->stop();
        return;
    }
    for (const QList<QPointF> *points : {&m_pendingTrain, &m_pendingValid}) {
        for (const QPointF &p : *points) {
            if (!m_haveRange) {
                m_minY = m_maxY = p.y();
                m_haveRange = true;
            }
            m_minY = std::min(m_minY, p.y());
            m_maxY = std::max(m_maxY, p.y());
            m_maxX = std::max(m_maxX, p.x());
        }
    }
    // replace() re-lays the line out once per batch (measured: append() of a batch spent
    // 300-500 ms of GUI thread in per-point geometry updates during a short iris search)
    if (!m_pendingTrain.isEmpty()) {
        m_trainPoints.append(m_pendingTrain);
        m_train->replace(m_trainPoints);
    }
    if (!m_pendingValid.isEmpty()) {
        m_validPoints.append(m_pendingValid);
        m_valid->replace(m_validPoints);
    }
    m_pendingTrain.clear();
    m_pendingValid.clear();
    const double pad = std::max(1e-9, (m_maxY - m_minY) * 0.05);
    m_x->setRange(0, m_maxX);
    m_y->setRange(m_minY - pad, m_maxY + pad);
    ++m_repaints;
}

int LiveMetricChart::shownPoints() const
{
    return int(m_train->count() + m_valid->count());
}

} // namespace baton::ui
