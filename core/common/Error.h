#pragma once

#include <QMetaType>
#include <QString>

namespace baton {

// What went wrong, in terms a caller can act on (exit codes, HTTP status, stage status).
enum class ErrorKind {
    Usage,          // the caller asked for something malformed
    BadInput,       // the user's data or a message is invalid
    NotFound,       // a project, file, column or id does not exist
    Conflict,       // the request is valid but not in the current state (e.g. confirm too early)
    Io,             // the file system or database failed
    Network,        // a remote endpoint failed
    Cancelled,      // the user cancelled
    NotImplemented, // this build cannot do it (fails visibly instead of pretending)
    Internal,       // a bug
};

// A stable code (`csv.unterminated_quote`), a kind, a human message and where it happened.
struct Error
{
    ErrorKind kind = ErrorKind::Internal;
    QString code;
    QString message;
    QString context; // file, line, column, field, stage, ... whatever locates the problem

    QString toString() const
    {
        return context.isEmpty() ? message : QStringLiteral("%1 (%2)").arg(message, context);
    }
};

QString errorKindName(ErrorKind kind);

} // namespace baton

Q_DECLARE_METATYPE(baton::Error)
