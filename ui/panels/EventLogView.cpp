#include "EventLogView.h"

#include <QTimer>

namespace baton::ui {

EventLogView::EventLogView(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_timer(new QTimer(this))
{
    setObjectName(QStringLiteral("eventLog"));
    setReadOnly(true);
    setMaximumBlockCount(5000);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    m_timer->setInterval(kFlushIntervalMs);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &EventLogView::flush);
}

void EventLogView::append(const Event &event)
{
    m_pending.push_back(event);
    if (qsizetype(m_pending.size()) > kMaxLinesPerFlush) {
        m_pending.pop_front();
        ++m_skipped;
    }
    if (!m_timer->isActive())
        m_timer->start();
}

void EventLogView::flush()
{
    if (m_pending.empty())
        return;
    // laying out thousands of lines at once would stall the window: a burst shows its tail and
    // says how much it skipped (every event stays in the project database)
    QStringList lines;
    if (m_skipped > 0)
        lines << tr("… %n event(s) not shown here (see the project database)", nullptr, int(m_skipped));
    for (const Event &event : m_pending)
        lines << QString::fromStdString(event.toWire());
    appendPlainText(lines.join(QLatin1Char('\n')));
    m_pending.clear();
    m_skipped = 0;
}

void EventLogView::clearLog()
{
    m_pending.clear();
    m_skipped = 0;
    clear();
}

} // namespace baton::ui
