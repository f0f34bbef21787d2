#pragma once

#include "core/common/Json.h"

namespace baton::server {

// Validates the decisions a client may send with confirm (REST body or WS `decisions`) or
// parse: only known keys with the right types and ranges reach the project context, where the
// stages read them with typed accessors. An empty/null body is no decision.
Result<json> validateDecisions(const json &body, const char *ignoredKey = nullptr);

} // namespace baton::server
