#pragma once

#include "core/common/Json.h"

#include <QByteArray>
#include <QStringList>

namespace baton {

// The versioned JSON Schema of report.json (resources/schema/report.schema.json, compiled in).
// REVIEW_EDIT checks every report against it before writing, and the export bundle ships it, so
// a program reading report.json can rely on it.
QByteArray reportSchemaBytes();
const json &reportSchema();

// Every way `report` violates the schema; empty when it conforms.
QStringList reportSchemaViolations(const json &report);

} // namespace baton
