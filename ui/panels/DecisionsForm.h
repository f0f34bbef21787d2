#pragma once

#include "core/common/Json.h"

#include <QWidget>

class QComboBox;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableView;

namespace baton::ui {

class ExcludedColumnsModel;

// The decisions a user may change before confirming a stage: target, task, metric, time budget,
// excluded columns (with reasons), model choice; the preprocessing steps are listed as planned.
// decisions() returns only what differs from the project context, so confirming untouched
// leaves every proposal as the stage made it.
class DecisionsForm : public QWidget
{
    Q_OBJECT

public:
    explicit DecisionsForm(QWidget *parent = nullptr);

    // Fills every field from the project context (dataset columns, target, task, ...).
    void setContext(const json &context);
    // PREPROCESS_PLAN "steps": [{name, strategy, columns, reason}].
    void setPreprocessSteps(const json &steps);
    json decisions() const;
    ExcludedColumnsModel *excludedModel() const { return m_excluded; }

    QComboBox *targetBox() const { return m_target; }
    QComboBox *taskBox() const { return m_task; }
    QComboBox *metricBox() const { return m_metric; }
    QSpinBox *budgetBox() const { return m_budget; }
    QComboBox *modelBox() const { return m_model; }

private:
    json currentValues() const;
    void fillMetrics();
    void addExcludedColumn();
    void removeExcludedColumn();

    json m_context = json::object();
    json m_initial = json::object();
    QComboBox *m_target = nullptr;
    QComboBox *m_task = nullptr;
    QComboBox *m_metric = nullptr;
    QSpinBox *m_budget = nullptr;
    QComboBox *m_model = nullptr;
    ExcludedColumnsModel *m_excluded = nullptr;
    QTableView *m_excludedView = nullptr;
    QComboBox *m_columnToExclude = nullptr;
    QPushButton *m_removeExcluded = nullptr;
    QListWidget *m_steps = nullptr;
};

} // namespace baton::ui
