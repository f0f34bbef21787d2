#pragma once

#include "core/project/Workspace.h"

#include <QAbstractListModel>

#include <vector>

namespace baton::ui {

// The projects of a workspace, most recently modified first.
class ProjectListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role { IdRole = Qt::UserRole + 1 };

    explicit ProjectListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    void setProjects(std::vector<ProjectInfo> projects);
    int rowOf(const QString &id) const;

private:
    std::vector<ProjectInfo> m_projects;
};

} // namespace baton::ui
