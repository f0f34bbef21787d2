#pragma once

#include "core/conductor/Event.h"

#include <QWidget>

class QLabel;
class QPushButton;

namespace baton {
class Conductor;
}

namespace baton::ui {

class DecisionsForm;

// What the waiting stage proposes and the form to change it: Confirm sends the edited decisions
// with confirm(decisions); Restart stage applies them and runs the stage again.
// Keyboard: Ctrl+Return confirms, Ctrl+E opens the form, Ctrl+Shift+R restarts.
class ConfirmationPanel : public QWidget
{
    Q_OBJECT

public:
    explicit ConfirmationPanel(QWidget *parent = nullptr);

    void setConductor(Conductor *conductor);
    // Re-reads the Conductor's state (waiting stage, summary, context, busy).
    void refresh();
    DecisionsForm *form() const { return m_form; }
    QPushButton *confirmButton() const { return m_confirm; }
    QPushButton *editButton() const { return m_edit; }
    QPushButton *restartButton() const { return m_restart; }

    void confirm();
    void restart();
    // Re-reads the context into the form (another view edited it).
    void reloadContext();
    // The steps PREPROCESS planned (PREPROCESS_PLAN) are listed in the form.
    void applyEvent(const Event &event);

Q_SIGNALS:
    void errorOccurred(const QString &message);

private:
    std::optional<StageId> stageToRestart() const;

    Conductor *m_conductor = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_nextActions = nullptr;
    DecisionsForm *m_form = nullptr;
    QPushButton *m_confirm = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_restart = nullptr;
    std::optional<StageId> m_formStage; // the stage the form was filled for
};

} // namespace baton::ui
