#include "TrainingPanel.h"

#include "core/conductor/Conductor.h"
#include "core/conductor/EventNames.h"
#include "ui/JsonFields.h"
#include "ui/charts/LiveMetricChart.h"
#include "ui/models/LeaderboardModel.h"
#include "ui/models/StageTimelineModel.h"

#include <QDateTime>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace baton::ui {

TrainingPanel::TrainingPanel(QWidget *parent)
    : StagePanel(parent)
    , m_chart(new LiveMetricChart)
    , m_leaderboard(new LeaderboardModel(this))
    , m_clock(new QTimer(this))
{
    setObjectName(QStringLiteral("trainingPanel"));
    m_leaderboardView = new QTableView;
    m_leaderboardView->setObjectName(QStringLiteral("leaderboardView"));
    m_leaderboardView->setModel(m_leaderboard);
    m_leaderboardView->verticalHeader()->hide();
    m_leaderboardView->horizontalHeader()->setSectionResizeMode(LeaderboardModel::ConfigColumn, QHeaderView::Stretch);
    m_leaderboardView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_leaderboardView->setAlternatingRowColors(true);

    m_progress = new QProgressBar;
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_phase = new QLabel(tr("Not started"));
    m_phase->setWordWrap(true);
    m_time = new QLabel;
    m_resources = new QLabel;
    m_best = new QLabel;
    m_best->setWordWrap(true);
    m_log = new QPlainTextEdit;
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    m_log->setPlaceholderText(tr("Trainer log"));

    m_stop = new QPushButton(tr("S&top (keep best)"));
    m_stop->setToolTip(tr("Finish early and keep the best model found so far"));
    m_cancel = new QPushButton(tr("Ca&ncel training"));
    m_cancel->setToolTip(tr("Abandon this training run"));

    auto *status = new QGridLayout;
    status->addWidget(m_progress, 0, 0, 1, 3);
    status->addWidget(m_phase, 1, 0, 1, 3);
    status->addWidget(m_time, 2, 0);
    status->addWidget(m_resources, 2, 1);
    status->addWidget(m_stop, 0, 3);
    status->addWidget(m_cancel, 1, 3);
    status->addWidget(m_best, 3, 0, 1, 4);
    status->setColumnStretch(2, 1);

    auto *bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(m_leaderboardView);
    bottom->addWidget(m_log);
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 2);
    auto *vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(m_chart);
    vertical->addWidget(bottom);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(status);
    layout->addWidget(vertical, 1);

    connect(m_stop, &QPushButton::clicked, this, [this] {
        if (m_conductor)
            m_conductor->requestStop();
        m_phase->setText(tr("Stopping: finishing the ensemble from the models trained so far…"));
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_conductor)
            m_conductor->cancel();
    });
    m_clock->setInterval(1000);
    connect(m_clock, &QTimer::timeout, this, &TrainingPanel::updateClock);
    updateButtons();
}

void TrainingPanel::setConductor(Conductor *conductor)
{
    m_conductor = conductor;
    reset();
}

void TrainingPanel::reset()
{
    m_chart->clear();
    m_leaderboard->clear();
    m_log->clear();
    m_progress->setValue(0);
    m_phase->setText(tr("Not started"));
    m_time->clear();
    m_resources->clear();
    m_best->clear();
    m_startedMs = -1;
    m_etaS = -1;
    m_running = false;
    m_clock->stop();
    updateButtons();
}

QString TrainingPanel::resourceText() const
{
    return m_resources->text();
}

void TrainingPanel::updateButtons()
{
    m_stop->setEnabled(m_running);
    m_cancel->setEnabled(m_running);
}

void TrainingPanel::updateClock()
{
    if (m_startedMs < 0)
        return;
    const qint64 elapsed = QDateTime::currentMSecsSinceEpoch() - m_startedMs;
    QString text = tr("Elapsed %1").arg(StageTimelineModel::formatDuration(elapsed));
    if (m_running && m_etaS >= 0)
        text += tr(" · about %1 left").arg(StageTimelineModel::formatDuration(qint64(m_etaS * 1000)));
    m_time->setText(text);
}

void TrainingPanel::applyEvent(const Event &event)
{
    const json &p = event.payload;
    if (event.name == QLatin1String(events::StageStatus)) {
        if (stringField(p, "stage_id") != QLatin1String("TRAIN"))
            return;
        const QString status = stringField(p, "status");
        if (status == QLatin1String("IN_PROGRESS") && !m_running) {
            reset();
            m_running = true;
            m_startedMs = event.tsMs;
            m_phase->setText(tr("Preparing the folds…"));
            m_clock->start();
        } else if (status != QLatin1String("IN_PROGRESS") && m_running) {
            m_running = false;
            m_clock->stop();
            updateClock();
            m_etaS = -1;
            if (status == QLatin1String("WAITING_CONFIRMATION"))
                m_progress->setValue(100);
            m_phase->setText(stringField(p, "message"));
        }
        updateButtons();
        return;
    }
    if (event.stage != StageId::Train)
        return;
    m_chart->applyEvent(event);
    if (event.name == QLatin1String(events::TrainProgress)) {
        m_progress->setValue(int(intField(p, "progress", m_progress->value())));
        m_phase->setText(stringField(p, "message"));
        m_etaS = doubleField(p, "eta_s", -1);
        updateClock();
    } else if (event.name == QLatin1String(events::LeaderboardUpdated)) {
        m_leaderboard->update(p);
    } else if (event.name == QLatin1String(events::BestModelUpdated)) {
        const json &metric = objectField(p, "metric");
        m_best->setText(tr("Best so far: %1, cross-validated %2 = %3")
                            .arg(stringField(p, "model_name"), stringField(metric, "name"),
                                 QLocale().toString(doubleField(metric, "value"), 'g', 5)));
    } else if (event.name == QLatin1String(events::ResourceStats)) {
        m_resources->setText(tr("CPU %1 % · RAM %2 MB")
                                 .arg(QLocale().toString(doubleField(p, "cpu_pct", 0), 'f', 0),
                                      QLocale().toString(doubleField(p, "ram_mb", 0), 'f', 0)));
    } else if (event.name == QLatin1String(events::LogLine)) {
        m_log->appendPlainText(tr("[%1] %2").arg(stringField(p, "level"), stringField(p, "text")));
    } else if (event.name == QLatin1String(events::TrainRunStarted)) {
        m_log->appendPlainText(tr("▶ %1 %2").arg(stringField(p, "model_name"), stringField(p, "label")));
    } else if (event.name == QLatin1String(events::TrainRunFinished)) {
        const json &primary = objectField(objectField(p, "final_metrics"), "primary");
        const double value = doubleField(primary, "value");
        m_log->appendPlainText(tr("■ %1: %2%3")
                                   .arg(stringField(p, "status"),
                                        std::isfinite(value) ? tr("%1 = %2").arg(stringField(primary, "name"),
                                                                               QLocale().toString(value, 'g', 5))
                                                             : QString(),
                                        stringField(p, "error").isEmpty()
                                            ? QString()
                                            : tr(" (%1)").arg(stringField(p, "error"))));
    } else if (event.name == QLatin1String(events::TrainComplete)) {
        m_progress->setValue(100);
    }
}

} // namespace baton::ui
