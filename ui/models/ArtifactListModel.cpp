#include "ArtifactListModel.h"

#include "ui/JsonFields.h"

namespace baton::ui {

ArtifactListModel::ArtifactListModel(QObject *parent)
    : QAbstractListModel(parent)
{}

int ArtifactListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ArtifactListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole: return row.name;
    case Qt::ToolTipRole: return row.url;
    case IdRole: return row.id;
    case TypeRole: return row.type;
    case UrlRole: return row.url;
    default: return {};
    }
}

void ArtifactListModel::addArtifact(const json &artifact)
{
    Row row{stringField(artifact, "id"), stringField(artifact, "type"), stringField(artifact, "name"),
            stringField(artifact, "url"), objectField(artifact, "meta")};
    if (row.id.isEmpty() || row.url.isEmpty())
        return;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].id == row.id) {
            m_rows[i] = std::move(row);
            Q_EMIT dataChanged(index(int(i)), index(int(i)));
            return;
        }
    }
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at);
    m_rows.push_back(std::move(row));
    endInsertRows();
}

void ArtifactListModel::clear()
{
    if (m_rows.empty())
        return;
    beginRemoveRows({}, 0, int(m_rows.size()) - 1);
    m_rows.clear();
    endRemoveRows();
}

int ArtifactListModel::rowOfType(const QString &type) const
{
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].type == type)
            return int(i);
    }
    return -1;
}

json ArtifactListModel::metaAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].meta : json();
}

} // namespace baton::ui
