#include "JsonSchema.h"

#include <QRegularExpression>

#include <cmath>

#include <set>

namespace baton {

namespace {

bool hasType(const json &value, const std::string &type)
{
    if (type == "object") return value.is_object();
    if (type == "array") return value.is_array();
    if (type == "string") return value.is_string();
    if (type == "boolean") return value.is_boolean();
    if (type == "null") return value.is_null();
    if (type == "number") return value.is_number();
    if (type == "integer")
        return value.is_number_integer()
            || (value.is_number_float() && std::isfinite(value.get<double>())
                && value.get<double>() == std::floor(value.get<double>()));
    return false;
}

QString pointerChild(const QString &pointer, const std::string &key)
{
    QString escaped = fromStd(key);
    escaped.replace(QLatin1Char('~'), QLatin1String("~0")).replace(QLatin1Char('/'), QLatin1String("~1"));
    return pointer + QLatin1Char('/') + escaped;
}

QString brief(const json &value)
{
    const QString text = fromStd(toStrictJson(value));
    return text.size() > 40 ? text.left(37) + QStringLiteral("...") : text;
}

class Validator
{
public:
    explicit Validator(const json &root) : m_root(root) {}

    void check(const json &value, const json &schema, const QString &at)
    {
        if (schema.is_boolean()) {
            if (!schema.get<bool>())
                fail(at, QStringLiteral("no value is allowed here"));
            return;
        }
        if (!schema.is_object()) {
            fail(at, QStringLiteral("schema problem: a schema must be an object or a boolean"));
            return;
        }
        for (const auto &[keyword, argument] : schema.items())
            apply(keyword, argument, value, schema, at);
    }

    QStringList takeErrors() { return std::move(m_errors); }

private:
    void fail(const QString &at, const QString &what)
    {
        m_errors << QStringLiteral("%1: %2").arg(at.isEmpty() ? QStringLiteral("(root)") : at, what);
    }

    // Runs a sub-schema on its own error list: anyOf/oneOf need to know whether it matched.
    bool matches(const json &value, const json &schema, const QString &at)
    {
        Validator inner(m_root);
        inner.check(value, schema, at);
        return inner.m_errors.isEmpty();
    }

    void apply(const std::string &keyword, const json &argument, const json &value, const json &schema,
               const QString &at)
    {
        static const std::set<std::string> annotations = {"$schema", "$id", "$comment", "$defs", "title",
                                                          "description", "examples", "default"};
        if (annotations.count(keyword))
            return;
        if (keyword == "type") {
            const json types = argument.is_array() ? argument : json::array({argument});
            for (const json &t : types)
                if (t.is_string() && hasType(value, t.get<std::string>()))
                    return;
            fail(at, QStringLiteral("expected %1, found %2").arg(brief(argument), brief(value)));
        } else if (keyword == "enum") {
            for (const json &allowed : argument)
                if (allowed == value)
                    return;
            fail(at, QStringLiteral("%1 is not one of %2").arg(brief(value), brief(argument)));
        } else if (keyword == "const") {
            if (argument != value)
                fail(at, QStringLiteral("must be %1, found %2").arg(brief(argument), brief(value)));
        } else if (keyword == "required") {
            if (!value.is_object())
                return;
            for (const json &name : argument)
                if (name.is_string() && !value.contains(name.get<std::string>()))
                    fail(at, QStringLiteral("missing required member \"%1\"").arg(fromStd(name.get<std::string>())));
        } else if (keyword == "properties") {
            if (!value.is_object())
                return;
            for (const auto &[name, sub] : argument.items())
                if (value.contains(name))
                    check(value.at(name), sub, pointerChild(at, name));
        } else if (keyword == "additionalProperties") {
            if (!value.is_object())
                return;
            const json known = schema.value("properties", json::object());
            for (const auto &[name, member] : value.items())
                if (!known.contains(name))
                    check(member, argument, pointerChild(at, name));
        } else if (keyword == "items") {
            if (!value.is_array())
                return;
            for (size_t i = 0; i < value.size(); ++i)
                check(value[i], argument, pointerChild(at, std::to_string(i)));
        } else if (keyword == "minItems" || keyword == "maxItems") {
            if (!value.is_array() || !argument.is_number_unsigned())
                return;
            const size_t bound = argument.get<size_t>();
            if (keyword == "minItems" ? value.size() < bound : value.size() > bound)
                fail(at, QStringLiteral("has %1 items, %2 is %3").arg(value.size()).arg(fromStd(keyword)).arg(bound));
        } else if (keyword == "minimum" || keyword == "maximum") {
            if (!value.is_number())
                return;
            const double v = value.get<double>(), bound = argument.get<double>();
            if (keyword == "minimum" ? v < bound : v > bound)
                fail(at, QStringLiteral("%1 is out of range (%2 %3)").arg(v).arg(fromStd(keyword)).arg(bound));
        } else if (keyword == "minLength") {
            if (value.is_string() && fromStd(value.get<std::string>()).size() < argument.get<qsizetype>())
                fail(at, QStringLiteral("is shorter than %1 characters").arg(argument.get<qsizetype>()));
        } else if (keyword == "pattern") {
            if (!value.is_string())
                return;
            const QRegularExpression re(fromStd(argument.get<std::string>()));
            if (!re.match(fromStd(value.get<std::string>())).hasMatch())
                fail(at, QStringLiteral("%1 does not match %2").arg(brief(value), brief(argument)));
        } else if (keyword == "anyOf" || keyword == "oneOf") {
            int matched = 0;
            for (const json &sub : argument)
                matched += matches(value, sub, at);
            if (matched == 0 || (keyword == "oneOf" && matched > 1))
                fail(at, QStringLiteral("%1 matches %2 of the %3 alternatives")
                             .arg(brief(value)).arg(matched).arg(argument.size()));
        } else if (keyword == "$ref") {
            const std::string ref = argument.is_string() ? argument.get<std::string>() : std::string();
            const std::string prefix = "#/$defs/";
            const json defs = m_root.value("$defs", json::object());
            if (ref.rfind(prefix, 0) != 0 || !defs.contains(ref.substr(prefix.size())))
                fail(at, QStringLiteral("schema problem: unresolvable $ref %1").arg(fromStd(ref)));
            else
                check(value, defs.at(ref.substr(prefix.size())), at);
        } else {
            fail(at, QStringLiteral("schema problem: unsupported keyword \"%1\"").arg(fromStd(keyword)));
        }
    }

    const json &m_root;
    QStringList m_errors;
};

} // namespace

QStringList validateJsonSchema(const json &document, const json &schema)
{
    Validator validator(schema);
    validator.check(document, schema, QString());
    return validator.takeErrors();
}

} // namespace baton
