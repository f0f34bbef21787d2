#pragma once

#include "core/conductor/Event.h"

#include <QWidget>

namespace baton {
class Conductor;
}

namespace baton::ui {

// A page of the stage area: it shows what the Conductor's events say about its stages and
// sends commands back through the Conductor. Holds no business logic.
class StagePanel : public QWidget
{
    Q_OBJECT

public:
    using QWidget::QWidget;

    // The open project's Conductor (nullptr when none); the panel forgets the previous project.
    virtual void setConductor(Conductor *conductor) = 0;
    virtual void applyEvent(const Event &event) = 0;

Q_SIGNALS:
    // A command was refused; the window shows the message.
    void errorOccurred(const QString &message);
};

} // namespace baton::ui
