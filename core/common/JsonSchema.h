#pragma once

#include "Json.h"

#include <QStringList>

namespace baton {

// Validates a JSON document against a JSON Schema (draft 2020-12), for the keywords Baton's own
// schemas use: type, enum, const, required, properties, additionalProperties, items, minItems,
// maxItems, minimum, maximum, minLength, pattern, anyOf, oneOf, $ref to "#/$defs/<name>".
// An unknown keyword is reported as a schema problem rather than silently ignored, so a schema
// cannot promise more than this checks.
//
// Returns every violation as "<json pointer>: <what is wrong>"; empty means valid.
QStringList validateJsonSchema(const json &document, const json &schema);

} // namespace baton
