#pragma once

#include "core/conductor/Event.h"

#include <QPlainTextEdit>

#include <deque>

class QTimer;

namespace baton::ui {

// The raw event stream (one JSON envelope per line), appended in batches a few times a second so
// an engine publishing per iteration never makes the window wait on text layout.
class EventLogView : public QPlainTextEdit
{
    Q_OBJECT

public:
    static constexpr int kFlushIntervalMs = 150;
    static constexpr qsizetype kMaxLinesPerFlush = 200;

    explicit EventLogView(QWidget *parent = nullptr);

    void append(const Event &event);
    void flush();
    void clearLog();

private:
    // Only the tail a flush shows is kept and serialised (at flush time, not per event).
    std::deque<Event> m_pending;
    qsizetype m_skipped = 0;
    QTimer *m_timer = nullptr;
};

} // namespace baton::ui
