#include "PlanPanel.h"

#include "core/conductor/EventNames.h"
#include "ui/JsonFields.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace baton::ui {

PlanPanel::PlanPanel(QWidget *parent)
    : StagePanel(parent)
{
    setObjectName(QStringLiteral("planPanel"));
    m_split = new QLabel(tr("The split and the preprocessing plan appear here."));
    m_split->setWordWrap(true);
    m_steps = new QTreeWidget;
    m_steps->setHeaderLabels({tr("Step"), tr("Strategy"), tr("Columns"), tr("Why")});
    m_steps->setRootIsDecorated(false);
    m_steps->setWordWrap(true);
    m_models = new QTreeWidget;
    m_models->setHeaderLabels({tr("Model"), tr("Why")});
    m_models->setRootIsDecorated(false);
    m_models->setWordWrap(true);
    m_models->header()->setStretchLastSection(true);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_split);
    auto *stepsLabel = new QLabel(tr("Preprocessing plan"));
    auto *modelsLabel = new QLabel(tr("Candidate models"));
    layout->addWidget(stepsLabel);
    layout->addWidget(m_steps, 1);
    layout->addWidget(modelsLabel);
    layout->addWidget(m_models, 1);
}

void PlanPanel::setConductor(Conductor *)
{
    m_steps->clear();
    m_models->clear();
    m_split->setText(tr("The split and the preprocessing plan appear here."));
}

void PlanPanel::applyEvent(const Event &event)
{
    const json &p = event.payload;
    if (event.name == QLatin1String(events::SplitSummary) && event.stage == StageId::Preprocess) {
        const QLocale locale;
        m_split->setText(tr("Train %1 rows, test %2 rows (held out until the end)%3, seed %4.")
                             .arg(locale.toString(intField(p, "train_rows")),
                                  locale.toString(intField(p, "test_rows")),
                                  boolField(p, "stratified") ? tr(", stratified by class") : QString())
                             .arg(intField(p, "seed")));
    } else if (event.name == QLatin1String(events::PreprocessPlan)) {
        m_steps->clear();
        for (const json &step : arrayField(p, "steps")) {
            auto *item = new QTreeWidgetItem({stringField(step, "name"), stringField(step, "strategy"),
                                              strings(arrayField(step, "columns")).join(QStringLiteral(", ")),
                                              stringField(step, "reason")});
            for (int c = 0; c < 4; ++c)
                item->setToolTip(c, item->text(c));
            m_steps->addTopLevelItem(item);
        }
        m_steps->resizeColumnToContents(0);
    } else if (event.name == QLatin1String(events::ModelCandidates)) {
        m_models->clear();
        const QString recommended = stringField(p, "recommended");
        for (const json &model : arrayField(p, "models")) {
            QString name = stringField(model, "name");
            if (stringField(model, "id") == recommended)
                name = tr("%1 ★").arg(name);
            auto *item = new QTreeWidgetItem({name, stringField(model, "why")});
            item->setToolTip(1, item->text(1));
            m_models->addTopLevelItem(item);
        }
        m_models->resizeColumnToContents(0);
    }
}

} // namespace baton::ui
