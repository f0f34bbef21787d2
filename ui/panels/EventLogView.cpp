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
    m_pending << QString::fromStdString(event.toWire());
    if (!m_timer->isActive())
        m_timer->start();
}

void EventLogView::flush()
{
    if (m_pending.isEmpty())
        return;
    // laying out thousands of lines at once would stall the window: a burst shows its tail and
    // says how much it skipped (every event stays in the project database)
    if (m_pending.size() > kMaxLinesPerFlush) {
        const qsizetype skipped = m_pending.size() - kMaxLinesPerFlush;
        m_pending.erase(m_pending.begin(), m_pending.begin() + skipped);
        m_pending.prepend(tr("… %n event(s) not shown here (see the project database)", nullptr, int(skipped)));
    }
    appendPlainText(m_pending.join(QLatin1Char('\n')));
    m_pending.clear();
}

void EventLogView::clearLog()
{
    m_pending.clear();
    clear();
}

} // namespace baton::ui
