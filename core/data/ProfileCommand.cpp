#include "ProfileCommand.h"

#include "core/common/Json.h"
#include "core/data/CsvReader.h"
#include "core/data/Profiler.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTextStream>

namespace baton {

namespace {

// How much of the file decides "binary": enough to see past a header, small enough to be free.
constexpr qint64 kSniffBytes = 64 * 1024;

// A text CSV never holds NUL bytes and few control characters; images, archives, executables
// and spreadsheets (xlsx is a zip) do. Without this check random bytes would decode as Latin-1
// and "succeed" as a table of garbage, or fail with a misleading ragged-row error.
std::optional<Error> binaryContent(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt; // readCsv reports open failures with its own message
    const QByteArray head = file.read(kSniffBytes);
    qsizetype control = 0;
    for (qsizetype i = 0; i < head.size(); ++i) {
        const auto c = static_cast<unsigned char>(head[i]);
        if (c == 0) {
            return makeError(ErrorKind::BadInput, QStringLiteral("csv.binary"),
                             QStringLiteral("%1 is a binary file (NUL byte at offset %2), not "
                                            "a CSV text file")
                                 .arg(QFileInfo(path).fileName())
                                 .arg(i),
                             path);
        }
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')
            ++control;
    }
    if (!head.isEmpty() && control * 100 > head.size()) {
        return makeError(ErrorKind::BadInput, QStringLiteral("csv.binary"),
                         QStringLiteral("%1 looks like a binary file (%2 control characters in "
                                        "the first %3 bytes), not a CSV text file")
                             .arg(QFileInfo(path).fileName())
                             .arg(control)
                             .arg(head.size()),
                         path);
    }
    return std::nullopt;
}

ExitCode fail(QTextStream &err, const Error &error)
{
    err << "baton profile: " << error.toString() << '\n';
    err.flush();
    switch (error.kind) {
    case ErrorKind::Cancelled:
        return ExitCode::Cancelled;
    case ErrorKind::Internal:
        return ExitCode::Failure;
    default: // not found, bad input, I/O on the user's file: the input cannot be used
        return ExitCode::BadInput;
    }
}

} // namespace

ExitCode runProfile(const QString &data, const QString &target, QTextStream &out,
                    QTextStream &err)
{
    const QFileInfo info(data);
    if (!info.exists()) {
        return fail(err, makeError(ErrorKind::NotFound, QStringLiteral("csv.not_found"),
                                   QStringLiteral("No such file: %1").arg(data)));
    }
    if (info.isDir()) {
        return fail(err, makeError(ErrorKind::BadInput, QStringLiteral("csv.is_directory"),
                                   QStringLiteral("%1 is a folder; profile expects a CSV file")
                                       .arg(data)));
    }
    if (auto binary = binaryContent(data))
        return fail(err, *binary);

    QElapsedTimer timer;
    timer.start();
    Result<Table> table = readCsv(data);
    if (!table)
        return fail(err, table.error());
    const qint64 readMs = timer.restart();
    if (table->rowCount() == 0) {
        return fail(err, makeError(ErrorKind::BadInput, QStringLiteral("csv.no_rows"),
                                   QStringLiteral("%1 has a header but no data rows")
                                       .arg(info.fileName()),
                                   data));
    }

    if (!target.isEmpty() && !table->columnIndex(target)) {
        // List the columns so the user can fix the flag without opening the file.
        QStringList names;
        for (const Column &column : table->columns())
            names << QStringLiteral("\"%1\"").arg(column.name());
        return fail(err, makeError(ErrorKind::NotFound, QStringLiteral("profile.no_target"),
                                   QStringLiteral("The target column \"%1\" does not exist; "
                                                  "the columns are: %2")
                                       .arg(target, names.join(QStringLiteral(", "))),
                                   data));
    }

    ProfileOptions options;
    options.target = target;
    Result<Profile> profile = profileTable(*table, options);
    if (!profile)
        return fail(err, profile.error());
    const qint64 profileMs = timer.elapsed();

    json document = profile->toJson();
    document["file"] = {{"path", toStd(info.absoluteFilePath())},
                        {"size", info.size()},
                        {"encoding", toStd(textEncodingName(table->encoding()))},
                        {"read_ms", readMs},
                        {"profile_ms", profileMs}};
    out << QString::fromStdString(toStrictJson(document, 2)) << '\n';
    out.flush();
    return ExitCode::Success;
}

} // namespace baton
