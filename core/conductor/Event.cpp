#include "Event.h"

#include <cstdio>

namespace baton {

namespace {

void appendEscaped(std::string &out, char c)
{
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
        if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned char>(c));
            out += escaped;
        } else {
            out += c;
        }
    }
}

// A JSON string literal as nlohmann's serializer writes it (UTF-8 passed through, the same
// escapes), so toWire() equals dumping toJson(). Names and ids are ASCII: no conversion for them.
void appendJsonString(std::string &out, const QString &text)
{
    out += '"';
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t unit = text[i].unicode();
        if (unit >= 0x80) {
            for (const char c : QStringView(text).mid(i).toUtf8())
                appendEscaped(out, c);
            break;
        }
        appendEscaped(out, char(unit));
    }
    out += '"';
}

} // namespace

std::string Event::toWire() const
{
    // Keys in the order nlohmann's std::map-backed objects dump them (alphabetical).
    const QByteArray payloadText = payloadBytes();
    std::string out;
    out.reserve(size_t(payloadText.size() + name.size() + projectId.size() + type.size()) + 160);
    out += R"({"event":{"name":)";
    appendJsonString(out, name);
    out += R"(,"payload":)";
    out.append(payloadText.constData(), size_t(payloadText.size()));
    out += R"(},"project_id":)";
    appendJsonString(out, projectId);
    out += R"(,"seq":)";
    out += std::to_string(seq);
    out += R"(,"stage":{"id":)";
    appendJsonString(out, stageName(stage));
    out += R"(,"index":)";
    out += std::to_string(stageIndex(stage));
    out += R"(,"status":)";
    appendJsonString(out, statusName(stageStatus));
    out += R"(},"ts":)";
    out += std::to_string(tsMs);
    out += R"(,"type":)";
    appendJsonString(out, type);
    out += R"(,"v":)";
    out += std::to_string(kProtocolVersion);
    out += '}';
    return out;
}

QByteArray Event::payloadBytes() const
{
    if (!payloadJson.isEmpty())
        return payloadJson;
    return payload.is_null() ? QByteArrayLiteral("{}") : toStrictJsonBytes(payload);
}

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
