#include "Event.h"

namespace baton {

json Event::toJson() const
{
    json payloadCopy = payload.is_null() ? json::object() : payload;
    replaceNonFinite(payloadCopy);
    return json{
        {"v", kProtocolVersion},
        {"type", toStd(type)},
        {"project_id", toStd(projectId)},
        {"seq", seq},
        {"ts", tsMs},
        {"stage",
         {{"id", toStd(stageName(stage))},
          {"index", stageIndex(stage)},
          {"status", toStd(statusName(stageStatus))}}},
        {"event", {{"name", toStd(name)}, {"payload", std::move(payloadCopy)}}},
    };
}

Result<Event> Event::fromJson(const json &envelope)
{
    auto bad = [](const QString &what) {
        return makeError(ErrorKind::BadInput, QStringLiteral("event.invalid"),
                         QStringLiteral("Invalid event envelope: %1").arg(what));
    };
    if (!envelope.is_object())
        return bad(QStringLiteral("not an object"));
    const auto stageIt = envelope.find("stage");
    const auto eventIt = envelope.find("event");
    if (stageIt == envelope.end() || !stageIt->is_object())
        return bad(QStringLiteral("missing stage"));
    if (eventIt == envelope.end() || !eventIt->is_object())
        return bad(QStringLiteral("missing event"));
    const auto seqIt = envelope.find("seq");
    const auto tsIt = envelope.find("ts");
    if (seqIt == envelope.end() || !seqIt->is_number_integer())
        return bad(QStringLiteral("seq is not an integer"));
    if (tsIt == envelope.end() || !tsIt->is_number_integer())
        return bad(QStringLiteral("ts is not an integer"));

    const auto stage = stageFromName(stringField(*stageIt, "id"));
    const auto status = statusFromName(stringField(*stageIt, "status"));
    if (!stage || !status)
        return bad(QStringLiteral("unknown stage id or status"));

    Event event;
    event.type = stringField(envelope, "type", QStringLiteral("EVENT"));
    event.projectId = stringField(envelope, "project_id");
    event.seq = seqIt->get<qint64>();
    event.tsMs = tsIt->get<qint64>();
    event.stage = *stage;
    event.stageStatus = *status;
    event.name = stringField(*eventIt, "name");
    if (event.name.isEmpty())
        return bad(QStringLiteral("missing event name"));
    const auto payloadIt = eventIt->find("payload");
    event.payload = payloadIt != eventIt->end() ? *payloadIt : json::object();
    return event;
}

} // namespace baton
