#pragma once

#include "core/common/Json.h"

#include <QAbstractListModel>

#include <vector>

namespace baton::ui {

// The project's artifacts as ARTIFACT_ADDED announced them; a re-announced id replaces its row.
class ArtifactListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role { IdRole = Qt::UserRole + 1, TypeRole, UrlRole, MetaRole };

    explicit ArtifactListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    // The ARTIFACT_ADDED payload's "artifact" object.
    void addArtifact(const json &artifact);
    void clear();
    int rowOfType(const QString &type) const;
    json metaAt(int row) const;

private:
    struct Row
    {
        QString id, type, name, url;
        json meta;
    };
    std::vector<Row> m_rows;
};

} // namespace baton::ui
