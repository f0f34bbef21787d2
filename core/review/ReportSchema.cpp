#include "ReportSchema.h"

#include "core/common/JsonSchema.h"

#include <QFile>

namespace baton {

QByteArray reportSchemaBytes()
{
    QFile file(QStringLiteral(":/schema/report.schema.json"));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

const json &reportSchema()
{
    // A resource compiled into the binary: if it does not parse, that is a build defect, and the
    // validation below says so on every report rather than passing silently.
    static const json schema = [] {
        auto parsed = parseJson(reportSchemaBytes(), QStringLiteral("report.schema.json"));
        return parsed ? parsed.value() : json(nullptr);
    }();
    return schema;
}

QStringList reportSchemaViolations(const json &report)
{
    if (!reportSchema().is_object())
        return {QStringLiteral("the compiled-in report schema is missing or unreadable")};
    return validateJsonSchema(report, reportSchema());
}

} // namespace baton
