#include "Decisions.h"

#include "core/pipeline/ContextKeys.h"

#include <QStringList>

namespace baton::server {

namespace {

Error invalid(const QString &key, const QString &why)
{
    return makeError(ErrorKind::BadInput, QStringLiteral("request.invalid_field"),
                     QStringLiteral("Invalid field '%1': %2").arg(key, why));
}

enum class Kind { String, Integer, Boolean };

struct Rule
{
    const char *key;
    Kind kind;
    qint64 min = 0;
    qint64 max = 0;
    QStringList choices = {};
};

const std::vector<Rule> &rules()
{
    static const std::vector<Rule> all = {
        {ctx::DatasetId, Kind::String},
        {"model_id", Kind::String},
        {ctx::Target, Kind::String},
        {ctx::Task, Kind::String, 0, 0,
         {QStringLiteral("auto"), QStringLiteral("classification"), QStringLiteral("regression"),
          QStringLiteral("forecast"), QStringLiteral("image")}},
        {ctx::Metric, Kind::String},
        {ctx::TimeBudgetS, Kind::Integer, 1, 7 * 24 * 3600},
        {ctx::Seed, Kind::Integer, 0, std::numeric_limits<qint64>::max()},
        {"max_models", Kind::Integer, 0, 100000},
        {ctx::RefitAllRows, Kind::Boolean},
    };
    return all;
}

} // namespace

Result<json> validateDecisions(const json &body, const char *ignoredKey)
{
    if (body.is_null())
        return json::object();
    if (!body.is_object())
        return makeError(ErrorKind::BadInput, QStringLiteral("request.not_object"),
                         QStringLiteral("The body must be a JSON object"));
    json out = json::object();
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (ignoredKey && it.key() == ignoredKey)
            continue;
        const QString key = fromStd(it.key());
        const auto rule = std::find_if(rules().begin(), rules().end(),
                                       [&](const Rule &r) { return it.key() == r.key; });
        if (rule == rules().end()) {
            QStringList known;
            for (const Rule &r : rules())
                known << QString::fromLatin1(r.key);
            return invalid(key, QStringLiteral("unknown; expected one of %1").arg(known.join(QStringLiteral(", "))));
        }
        if (rule->kind == Kind::String) {
            if (!it->is_string() || it->get<std::string>().empty())
                return invalid(key, QStringLiteral("must be a non-empty string"));
            if (!rule->choices.isEmpty() && !rule->choices.contains(fromStd(it->get<std::string>())))
                return invalid(key, QStringLiteral("must be one of %1").arg(rule->choices.join(QStringLiteral(", "))));
        } else if (rule->kind == Kind::Boolean) {
            if (!it->is_boolean())
                return invalid(key, QStringLiteral("must be true or false"));
        } else {
            if (!it->is_number_integer())
                return invalid(key, QStringLiteral("must be an integer"));
            const qint64 value = it->get<qint64>();
            if (value < rule->min || value > rule->max)
                return invalid(key, QStringLiteral("must be between %1 and %2").arg(rule->min).arg(rule->max));
        }
        out[it.key()] = *it;
    }
    return out;
}

} // namespace baton::server
