#pragma once

#include "core/common/Json.h"

#include <QStringList>

#include <limits>
#include <vector>

// Lenient readers for the JSON the views display (event payloads, artifact files): a missing
// or mistyped member reads as "nothing", so a view shows less instead of crashing.
namespace baton::ui {

inline double doubleField(const json &object, const char *key,
                          double fallback = std::numeric_limits<double>::quiet_NaN())
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->get<double>() : fallback;
}

inline qint64 intField(const json &object, const char *key, qint64 fallback = 0)
{
    const double value = doubleField(object, key, double(fallback));
    return qint64(value);
}

inline bool boolField(const json &object, const char *key, bool fallback = false)
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    return it != object.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

inline const json &memberOf(const json &object, const char *key, json::value_t type)
{
    static const json nothing;
    static const json emptyArray = json::array();
    static const json emptyObject = json::object();
    if (object.is_object()) {
        const auto it = object.find(key);
        if (it != object.end() && it->type() == type)
            return *it;
    }
    return type == json::value_t::array ? emptyArray : type == json::value_t::object ? emptyObject : nothing;
}

inline const json &arrayField(const json &object, const char *key)
{
    return memberOf(object, key, json::value_t::array);
}

inline const json &objectField(const json &object, const char *key)
{
    return memberOf(object, key, json::value_t::object);
}

// Numbers of an array; null and non-numbers become NaN so positions stay aligned.
inline std::vector<double> doubles(const json &array)
{
    std::vector<double> out;
    if (!array.is_array())
        return out;
    out.reserve(array.size());
    for (const json &v : array)
        out.push_back(v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN());
    return out;
}

inline QStringList strings(const json &array)
{
    QStringList out;
    if (!array.is_array())
        return out;
    for (const json &v : array)
        out << (v.is_string() ? fromStd(v.get<std::string>()) : fromStd(v.dump()));
    return out;
}

} // namespace baton::ui
