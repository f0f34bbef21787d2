#include "Error.h"

namespace baton {

QString errorKindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Usage: return QStringLiteral("usage");
    case ErrorKind::BadInput: return QStringLiteral("bad_input");
    case ErrorKind::NotFound: return QStringLiteral("not_found");
    case ErrorKind::Conflict: return QStringLiteral("conflict");
    case ErrorKind::Io: return QStringLiteral("io");
    case ErrorKind::Network: return QStringLiteral("network");
    case ErrorKind::Cancelled: return QStringLiteral("cancelled");
    case ErrorKind::NotImplemented: return QStringLiteral("not_implemented");
    case ErrorKind::Internal: return QStringLiteral("internal");
    }
    return QStringLiteral("internal");
}

} // namespace baton
