#pragma once

#include "Stage.h"
#include "core/common/Json.h"

#include <QMetaType>
#include <QString>

namespace baton {

// One envelope of protocol §1.2. `seq` and `ts` are assigned by the Conductor when it publishes.
struct Event
{
    static constexpr int kProtocolVersion = 1;

    QString type = QStringLiteral("EVENT");
    QString projectId;
    qint64 seq = 0;
    qint64 tsMs = 0;
    StageId stage = StageId::ParseIntent;
    StageStatus stageStatus = StageStatus::Pending;
    QString name;
    json payload = json::object();

    json toJson() const;
    std::string toWire() const { return toStrictJson(toJson()); }

    // Reads an envelope back (store replay, clients); validates every field.
    static Result<Event> fromJson(const json &envelope);
};

} // namespace baton

Q_DECLARE_METATYPE(baton::Event)
