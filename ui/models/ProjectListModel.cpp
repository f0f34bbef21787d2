#include "ProjectListModel.h"

#include <QLocale>

namespace baton::ui {

ProjectListModel::ProjectListModel(QObject *parent)
    : QAbstractListModel(parent)
{}

int ProjectListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_projects.size());
}

QVariant ProjectListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ProjectInfo &project = m_projects[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole: return project.name;
    case Qt::ToolTipRole:
        return tr("%1 — modified %2")
            .arg(project.id, QLocale().toString(project.modified, QLocale::ShortFormat));
    case IdRole: return project.id;
    default: return {};
    }
}

void ProjectListModel::setProjects(std::vector<ProjectInfo> projects)
{
    beginResetModel();
    m_projects = std::move(projects);
    endResetModel();
}

int ProjectListModel::rowOf(const QString &id) const
{
    for (size_t i = 0; i < m_projects.size(); ++i) {
        if (m_projects[i].id == id)
            return static_cast<int>(i);
    }
    return -1;
}

} // namespace baton::ui
