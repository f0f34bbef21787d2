#include "Json.h"

#include <cmath>

namespace baton {

void replaceNonFinite(json &value)
{
    if (value.is_number_float()) {
        if (!std::isfinite(value.get<double>()))
            value = nullptr;
    } else if (value.is_structured()) {
        for (auto &child : value)
            replaceNonFinite(child);
    }
}

std::string toStrictJson(const json &value, int indent)
{
    // nlohmann's serializer writes null for NaN/Inf (tst_event checks it), so no copy is made:
    // this runs for every event, twice (event log and wire).
    return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

QByteArray toStrictJsonBytes(const json &value, int indent)
{
    return QByteArray::fromStdString(toStrictJson(value, indent));
}

Result<json> parseJson(const QByteArray &text, const QString &where)
{
    json parsed = json::parse(text.constBegin(), text.constEnd(), nullptr, false);
    if (parsed.is_discarded()) {
        return makeError(ErrorKind::BadInput, QStringLiteral("json.invalid"),
                         QStringLiteral("Not valid JSON"), where);
    }
    return parsed;
}

QString stringField(const json &object, const char *key, const QString &fallback)
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return fallback;
    return fromStd(it->get<std::string>());
}

} // namespace baton
