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
    // The payload as strict JSON, written once by the Conductor when it publishes, so the event
    // log and every WebSocket batch reuse one serialisation; empty for events built elsewhere.
    QByteArray payloadJson;

    // payloadJson, or the payload serialised now.
    QByteArray payloadBytes() const;

    json toJson() const;
    // The envelope as strict JSON text, byte for byte toStrictJson(toJson()) but written directly
    // (no copy of the payload): every published event is serialised for each WebSocket batch.
    std::string toWire() const;

    // Reads an envelope back (store replay, clients); validates every field.
    static Result<Event> fromJson(const json &envelope);
};

} // namespace baton

Q_DECLARE_METATYPE(baton::Event)
