#pragma once

#include <QtGlobal>

namespace baton {

// Memory the system could give this process now (Linux MemAvailable), or -1 when unknown.
qint64 availableMemoryBytes();

} // namespace baton
