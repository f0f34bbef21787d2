#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

namespace baton {

using json = nlohmann::json;

// Strict RFC 8259 output: non-finite numbers become null (browsers cannot parse NaN/Infinity)
// and invalid UTF-8 is replaced rather than thrown about.
std::string toStrictJson(const json &value, int indent = -1);
QByteArray toStrictJsonBytes(const json &value, int indent = -1);

// Parses untrusted text without exceptions.
Result<json> parseJson(const QByteArray &text, const QString &where = {});

// Replaces every non-finite number in place by null (used before storing payloads).
void replaceNonFinite(json &value);

inline std::string toStd(const QString &s) { return s.toStdString(); }
inline QString fromStd(const std::string &s) { return QString::fromStdString(s); }

// Reads a string member, or `fallback` when absent or not a string.
QString stringField(const json &object, const char *key, const QString &fallback = {});

} // namespace baton
