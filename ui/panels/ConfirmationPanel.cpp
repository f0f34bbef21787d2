#include "ConfirmationPanel.h"

#include "DecisionsForm.h"

#include "core/conductor/Conductor.h"
#include "core/conductor/EventNames.h"
#include "ui/JsonFields.h"
#include "ui/models/StageTimelineModel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

namespace baton::ui {

ConfirmationPanel::ConfirmationPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("confirmationPanel"));
    m_title = new QLabel;
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_nextActions = new QLabel;
    m_nextActions->setWordWrap(true);
    m_nextActions->setForegroundRole(QPalette::PlaceholderText);
    m_form = new DecisionsForm;
    m_form->hide();

    m_confirm = new QPushButton(tr("&Confirm"));
    m_confirm->setToolTip(tr("Accept the proposal with your edits and run the next stage (Ctrl+Return)"));
    m_edit = new QPushButton(tr("&Edit decisions"));
    m_edit->setCheckable(true);
    m_edit->setToolTip(tr("Change target, task, metric, budget, excluded columns or model (Ctrl+E)"));
    m_restart = new QPushButton(tr("&Restart stage"));
    m_restart->setToolTip(tr("Apply your edits and run this stage again (Ctrl+Shift+R)"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_confirm);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_restart);
    buttons->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_summary);
    layout->addWidget(m_nextActions);
    layout->addWidget(m_form);
    layout->addLayout(buttons);

    connect(m_confirm, &QPushButton::clicked, this, &ConfirmationPanel::confirm);
    connect(m_restart, &QPushButton::clicked, this, &ConfirmationPanel::restart);
    connect(m_edit, &QPushButton::toggled, m_form, [this](bool on) {
        m_form->setVisible(on);
        if (on)
            m_form->targetBox()->setFocus();
    });
    auto addShortcut = [this](const QKeySequence &keys, auto slot) {
        auto *shortcut = new QShortcut(keys, this, slot);
        shortcut->setContext(Qt::WindowShortcut);
    };
    addShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), [this] {
        if (m_confirm->isEnabled())
            confirm();
    });
    addShortcut(QKeySequence(Qt::CTRL | Qt::Key_E), [this] {
        if (m_edit->isEnabled())
            m_edit->toggle();
    });
    addShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), [this] {
        if (m_restart->isEnabled())
            restart();
    });
    refresh();
}

void ConfirmationPanel::setConductor(Conductor *conductor)
{
    m_conductor = conductor;
    m_formStage.reset();
    m_edit->setChecked(false);
    refresh();
}

std::optional<StageId> ConfirmationPanel::stageToRestart() const
{
    if (!m_conductor)
        return std::nullopt;
    const ProjectState &state = m_conductor->state();
    if (state.waiting)
        return state.waiting->stage;
    const StageStatus status = state.at(state.current).status;
    if (status == StageStatus::Failed || status == StageStatus::Completed)
        return state.current;
    return std::nullopt;
}

void ConfirmationPanel::refresh()
{
    const bool busy = m_conductor && m_conductor->isBusy();
    const auto waiting = m_conductor ? m_conductor->state().waiting : std::nullopt;
    const auto restartable = stageToRestart();
    m_confirm->setEnabled(!busy && waiting.has_value());
    m_restart->setEnabled(!busy && restartable.has_value());
    m_edit->setEnabled(m_conductor && !busy);
    if (waiting) {
        m_title->setText(tr("%1 is waiting for you").arg(StageTimelineModel::displayName(waiting->stage)));
        m_summary->setText(waiting->summary);
        m_nextActions->setText(waiting->nextActions.isEmpty()
                                   ? QString()
                                   : tr("Next: %1").arg(waiting->nextActions.join(QStringLiteral(" · "))));
    } else if (busy) {
        m_title->setText(tr("Working…"));
        m_summary->setText(tr("The stage is running; its results appear above as they arrive."));
        m_nextActions->clear();
    } else {
        m_title->setText(m_conductor ? tr("Nothing to confirm") : tr("No project open"));
        m_summary->clear();
        m_nextActions->clear();
    }
    // refill the form only when a new stage waits, so edits in progress survive other events
    const std::optional<StageId> formStage = waiting ? std::optional(waiting->stage) : restartable;
    if (m_conductor && !busy && formStage != m_formStage) {
        m_form->setContext(m_conductor->context());
        m_formStage = formStage;
    }
    if (busy)
        m_formStage.reset();
}

void ConfirmationPanel::reloadContext()
{
    if (m_conductor)
        m_form->setContext(m_conductor->context());
}

void ConfirmationPanel::applyEvent(const Event &event)
{
    if (event.name == QLatin1String(events::PreprocessPlan))
        m_form->setPreprocessSteps(arrayField(event.payload, "steps"));
}

void ConfirmationPanel::confirm()
{
    if (!m_conductor)
        return;
    const ConfirmResult result = m_conductor->confirm(m_form->decisions());
    if (!result.accepted)
        Q_EMIT errorOccurred(result.error);
    m_edit->setChecked(false);
}

void ConfirmationPanel::restart()
{
    const auto stage = stageToRestart();
    if (!m_conductor || !stage)
        return;
    if (const json edits = m_form->decisions(); !edits.empty())
        m_conductor->updateContext(edits);
    if (Status status = m_conductor->restartStage(*stage); !status)
        Q_EMIT errorOccurred(status.error().toString());
    m_edit->setChecked(false);
}

} // namespace baton::ui
