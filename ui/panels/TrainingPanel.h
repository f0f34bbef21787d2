#pragma once

#include "StagePanel.h"

#include <QElapsedTimer>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QTimer;

namespace baton::ui {

class LeaderboardModel;
class LiveMetricChart;

// TRAIN as it happens: the current candidate's learning curve, the leaderboard, progress with
// elapsed time and ETA, CPU/RAM, the trainer's log, and Stop (keep the best) / Cancel.
class TrainingPanel : public StagePanel
{
    Q_OBJECT

public:
    explicit TrainingPanel(QWidget *parent = nullptr);

    void setConductor(Conductor *conductor) override;
    void applyEvent(const Event &event) override;

    LeaderboardModel *leaderboard() const { return m_leaderboard; }
    LiveMetricChart *chart() const { return m_chart; }
    QProgressBar *progressBar() const { return m_progress; }
    QPushButton *stopButton() const { return m_stop; }
    QPushButton *cancelButton() const { return m_cancel; }
    QString resourceText() const;

private:
    void reset();
    void updateButtons();
    void updateClock();

    Conductor *m_conductor = nullptr;
    LiveMetricChart *m_chart = nullptr;
    LeaderboardModel *m_leaderboard = nullptr;
    QTableView *m_leaderboardView = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_phase = nullptr;
    QLabel *m_time = nullptr;
    QLabel *m_resources = nullptr;
    QLabel *m_best = nullptr;
    QPlainTextEdit *m_log = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_cancel = nullptr;
    QTimer *m_clock = nullptr;
    qint64 m_startedMs = -1; // event time of the stage start
    double m_etaS = -1;
    bool m_running = false;
};

} // namespace baton::ui
