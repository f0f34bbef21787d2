#include "DecisionsForm.h"

#include "core/ml/Metrics.h"
#include "core/pipeline/ContextKeys.h"
#include "ui/JsonFields.h"
#include "ui/models/ExcludedColumnsModel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>

namespace baton::ui {

namespace {

constexpr MetricId kAllMetrics[] = {MetricId::Rmse,     MetricId::Mae,   MetricId::R2,
                                    MetricId::Rmsle,    MetricId::Accuracy, MetricId::BalancedAccuracy,
                                    MetricId::F1,       MetricId::LogLoss, MetricId::RocAuc};

void selectData(QComboBox *box, const QString &value)
{
    const int at = box->findData(value);
    if (at >= 0)
        box->setCurrentIndex(at);
    else if (box->isEditable())
        box->setEditText(value);
}

QString currentValue(const QComboBox *box)
{
    if (box->isEditable() && box->currentText() != box->itemText(box->currentIndex()))
        return box->currentText().trimmed();
    return box->currentData().toString();
}

} // namespace

DecisionsForm::DecisionsForm(QWidget *parent)
    : QWidget(parent)
    , m_excluded(new ExcludedColumnsModel(this))
{
    auto *form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    m_target = new QComboBox;
    m_target->setEditable(true);
    m_target->setInsertPolicy(QComboBox::NoInsert);
    m_target->setObjectName(QStringLiteral("targetBox"));
    form->addRow(tr("&Target column:"), m_target);

    m_task = new QComboBox;
    m_task->setObjectName(QStringLiteral("taskBox"));
    m_task->addItem(tr("Automatic"), QStringLiteral("auto"));
    m_task->addItem(tr("Classification"), QStringLiteral("classification"));
    m_task->addItem(tr("Regression"), QStringLiteral("regression"));
    form->addRow(tr("Tas&k:"), m_task);

    m_metric = new QComboBox;
    m_metric->setObjectName(QStringLiteral("metricBox"));
    form->addRow(tr("&Metric:"), m_metric);

    m_budget = new QSpinBox;
    m_budget->setObjectName(QStringLiteral("budgetBox"));
    m_budget->setRange(5, 24 * 3600);
    m_budget->setSingleStep(30);
    m_budget->setSuffix(tr(" s"));
    m_budget->setValue(120);
    form->addRow(tr("Time &budget:"), m_budget);

    m_model = new QComboBox;
    m_model->setObjectName(QStringLiteral("modelBox"));
    form->addRow(tr("M&odel:"), m_model);

    auto *excludedBox = new QWidget;
    auto *excludedLayout = new QVBoxLayout(excludedBox);
    excludedLayout->setContentsMargins(0, 0, 0, 0);
    m_excludedView = new QTableView;
    m_excludedView->setModel(m_excluded);
    m_excludedView->verticalHeader()->hide();
    m_excludedView->horizontalHeader()->setStretchLastSection(true);
    m_excludedView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_excludedView->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                                    | QAbstractItemView::AnyKeyPressed);
    m_excludedView->setMaximumHeight(130);
    auto *addRow = new QHBoxLayout;
    m_columnToExclude = new QComboBox;
    m_columnToExclude->setObjectName(QStringLiteral("columnToExclude"));
    auto *addButton = new QPushButton(tr("E&xclude"));
    m_removeExcluded = new QPushButton(tr("&Keep column"));
    addRow->addWidget(m_columnToExclude, 1);
    addRow->addWidget(addButton);
    addRow->addWidget(m_removeExcluded);
    excludedLayout->addWidget(m_excludedView);
    excludedLayout->addLayout(addRow);
    auto *excludedLabel = new QLabel(tr("&Excluded columns:"));
    excludedLabel->setBuddy(m_excludedView);
    form->addRow(excludedLabel, excludedBox);

    m_steps = new QListWidget;
    m_steps->setObjectName(QStringLiteral("preprocessSteps"));
    m_steps->setMaximumHeight(110);
    m_steps->setToolTip(tr("Planned from the data; exclude a column or change the target to change the plan."));
    auto *stepsLabel = new QLabel(tr("Preprocessing &steps:"));
    stepsLabel->setBuddy(m_steps);
    form->addRow(stepsLabel, m_steps);

    connect(m_task, &QComboBox::currentIndexChanged, this, &DecisionsForm::fillMetrics);
    connect(addButton, &QPushButton::clicked, this, &DecisionsForm::addExcludedColumn);
    connect(m_removeExcluded, &QPushButton::clicked, this, &DecisionsForm::removeExcludedColumn);
    fillMetrics();
}

void DecisionsForm::fillMetrics()
{
    const QString task = m_task->currentData().toString();
    const QString previous = m_metric->currentData().toString();
    m_metric->clear();
    m_metric->addItem(tr("Automatic"), QString());
    for (MetricId id : kAllMetrics) {
        const bool classification = isClassificationMetric(id);
        if ((task == QLatin1String("classification") && !classification)
            || (task == QLatin1String("regression") && classification))
            continue;
        m_metric->addItem(metricName(id), metricName(id));
    }
    selectData(m_metric, previous);
}

void DecisionsForm::setContext(const json &context)
{
    m_context = context.is_object() ? context : json::object();
    const QStringList columns = strings(arrayField(objectField(m_context, ctx::Dataset), "columns"));

    m_target->clear();
    m_columnToExclude->clear();
    for (const QString &c : columns) {
        m_target->addItem(c, c);
        m_columnToExclude->addItem(c, c);
    }
    const QString target = stringField(m_context, ctx::Target);
    if (m_target->findData(target) < 0 && !target.isEmpty())
        m_target->addItem(target, target);
    selectData(m_target, target);

    const QString task = stringField(m_context, ctx::Task, QStringLiteral("auto"));
    selectData(m_task, m_task->findData(task) >= 0 ? task : QStringLiteral("auto"));
    fillMetrics();
    selectData(m_metric, stringField(m_context, ctx::Metric));
    m_budget->setValue(int(intField(m_context, ctx::TimeBudgetS, 120)));

    m_model->clear();
    const json &models = arrayField(m_context, "model_candidates");
    if (models.empty())
        m_model->addItem(tr("Automatic (recommended)"), QStringLiteral("auto"));
    for (const json &m : models) {
        m_model->addItem(stringField(m, "name"), stringField(m, "id"));
        m_model->setItemData(m_model->count() - 1, stringField(m, "why"), Qt::ToolTipRole);
    }
    selectData(m_model, stringField(m_context, "model_id", QStringLiteral("auto")));

    m_excluded->setExclusions(arrayField(m_context, ctx::ExcludedColumns));
    if (stringField(objectField(m_context, "preprocess"), "spec").isEmpty())
        m_steps->clear();
    m_initial = currentValues();
}

void DecisionsForm::setPreprocessSteps(const json &steps)
{
    m_steps->clear();
    for (const json &step : steps) {
        const QStringList columns = strings(arrayField(step, "columns"));
        auto *item = new QListWidgetItem(tr("%1: %2 (%3)")
                                             .arg(stringField(step, "name"), stringField(step, "strategy"),
                                                  columns.join(QStringLiteral(", "))));
        item->setToolTip(stringField(step, "reason"));
        m_steps->addItem(item);
    }
}

json DecisionsForm::currentValues() const
{
    json out = json::object();
    out[ctx::Target] = toStd(currentValue(m_target));
    out[ctx::Task] = toStd(m_task->currentData().toString());
    out[ctx::Metric] = toStd(m_metric->currentData().toString());
    out[ctx::TimeBudgetS] = m_budget->value();
    out["model_id"] = toStd(m_model->currentData().toString());
    out[ctx::ExcludedColumns] = m_excluded->toJson();
    return out;
}

json DecisionsForm::decisions() const
{
    // only what the user changed since setContext(): a field the context leaves unset (or set to
    // a value the form cannot show) must not turn into a decision by itself
    json out = json::object();
    const json current = currentValues();
    for (const auto &[key, value] : current.items()) {
        const bool cleared = value.is_string() && value.get<std::string>().empty();
        const json initial = m_initial.contains(key) ? m_initial.at(key) : json();
        if (value != initial && !cleared)
            out[key] = value;
    }
    return out;
}

void DecisionsForm::addExcludedColumn()
{
    const QString column = m_columnToExclude->currentData().toString();
    if (column == currentValue(m_target))
        return; // the target is never a feature
    m_excluded->addExclusion(column, tr("excluded by you"));
}

void DecisionsForm::removeExcludedColumn()
{
    const QModelIndex current = m_excludedView->currentIndex();
    if (current.isValid())
        m_excluded->removeExclusion(current.row());
}

} // namespace baton::ui
