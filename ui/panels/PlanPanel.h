#pragma once

#include "StagePanel.h"

class QLabel;
class QTreeWidget;

namespace baton::ui {

// PREPROCESS and MODEL_SELECT: the train/test split, the preprocessing plan step by step and the
// candidate models with why each fits this data.
class PlanPanel : public StagePanel
{
    Q_OBJECT

public:
    explicit PlanPanel(QWidget *parent = nullptr);

    void setConductor(Conductor *conductor) override;
    void applyEvent(const Event &event) override;

    QTreeWidget *stepsTree() const { return m_steps; }
    QTreeWidget *modelsTree() const { return m_models; }

private:
    QLabel *m_split = nullptr;
    QTreeWidget *m_steps = nullptr;
    QTreeWidget *m_models = nullptr;
};

} // namespace baton::ui
