#include "PredictCommand.h"

#include "ExportBundle.h"

#include "core/data/CsvReader.h"
#include "core/ml/EnsembleModel.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QSaveFile>
#include <QTextStream>
#include <QThread>

#include <numeric>

namespace baton {

namespace {

// Rows scored per batch: bounds the feature matrices and lets output stream to disk.
constexpr qsizetype kBatchRows = 65536;

ExitCode exitFor(const Error &error)
{
    switch (error.kind) {
    case ErrorKind::BadInput:
    case ErrorKind::NotFound:
    case ErrorKind::Usage:
        return ExitCode::BadInput;
    case ErrorKind::Cancelled:
        return ExitCode::Cancelled;
    default:
        return ExitCode::Failure;
    }
}

QByteArray csvField(const QString &value)
{
    QByteArray bytes = value.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n') || bytes.contains('\r'))
        bytes = '"' + bytes.replace('"', "\"\"") + '"';
    return bytes;
}

// Unseen categories are not errors (the model handles them as in training), but the user
// should know how many there were.
QStringList unseenCategoryNotes(const PreprocessSpec &spec, const Table &table)
{
    QStringList notes;
    for (const ColumnRule &rule : spec.columns) {
        if (rule.role != ColumnRule::Role::Categorical)
            continue;
        const auto index = table.columnIndex(rule.name);
        if (!index)
            continue;
        const QSet<QString> known(rule.categories.begin(), rule.categories.end());
        const Column &column = table.column(*index);
        qsizetype unseen = 0;
        QString example;
        for (qsizetype r = 0; r < column.size(); ++r) {
            const QString value = column.displayValue(r);
            if (!value.isNull() && !known.contains(value)) {
                if (unseen++ == 0)
                    example = value;
            }
        }
        if (unseen > 0)
            notes << QStringLiteral("column “%1”: %2 value(s) not seen in training (e.g. “%3”) are treated as "
                                    "missing by tree models and as “other” by linear models, as in training")
                         .arg(rule.name)
                         .arg(unseen)
                         .arg(example.left(40));
    }
    return notes;
}

} // namespace

ExitCode runPredict(const QString &bundle, const QString &data, const QString &out, QTextStream &err)
{
    auto fail = [&err](ExitCode code, const QString &message) {
        err << "baton predict: " << message << '\n';
        err.flush();
        return code;
    };
    if (bundle.isEmpty() || data.isEmpty() || out.isEmpty())
        return fail(ExitCode::Usage, QStringLiteral("--bundle, --data and --out are all required"));

    auto opened = openBundle(bundle);
    if (!opened)
        return fail(exitFor(opened.error()), QStringLiteral("bundle refused: %1").arg(opened.error().toString()));
    auto model = EnsembleModel::load(opened->filePath(QStringLiteral("model")));
    if (!model)
        return fail(ExitCode::BadInput, QStringLiteral("the bundle's model cannot be loaded: %1").arg(model.error().toString()));
    const PreprocessSpec &spec = model->spec();

    if (!QFileInfo(data).isFile())
        return fail(ExitCode::BadInput, QStringLiteral("--data '%1': no such file").arg(data));
    auto table = readCsv(data);
    if (!table)
        return fail(exitFor(table.error()), QStringLiteral("cannot read %1: %2").arg(data, table.error().toString()));

    QStringList missing;
    for (const ColumnRule &rule : spec.columns) {
        if (!table->columnIndex(rule.name))
            missing << QStringLiteral("“%1” (%2)").arg(rule.name, columnTypeName(rule.type));
    }
    if (!missing.isEmpty())
        return fail(ExitCode::BadInput,
                    QStringLiteral("%1 lacks %2 the model was trained with: %3")
                        .arg(QFileInfo(data).fileName(),
                             missing.size() == 1 ? QStringLiteral("a column") : QStringLiteral("%1 columns").arg(missing.size()),
                             missing.join(QStringLiteral(", "))));
    for (const QString &note : unseenCategoryNotes(spec, table.value()))
        err << "baton predict: note: " << note << '\n';

    if (!QDir().mkpath(QFileInfo(out).absolutePath()))
        return fail(ExitCode::Failure, QStringLiteral("cannot create the folder for --out '%1'").arg(out));
    QSaveFile file(out); // atomic: a failed run leaves no half-written predictions
    if (!file.open(QIODevice::WriteOnly))
        return fail(ExitCode::Failure, QStringLiteral("cannot write %1: %2").arg(out, file.errorString()));
    QByteArray header = "row,prediction";
    for (const QString &c : spec.classes)
        header += ',' + csvField(QStringLiteral("p_") + c);
    file.write(header + '\n');

    const int threads = std::max(1, QThread::idealThreadCount());
    const qsizetype total = table->rowCount();
    for (qsizetype first = 0; first < total; first += kBatchRows) {
        std::vector<int64_t> rows(size_t(std::min(kBatchRows, total - first)));
        std::iota(rows.begin(), rows.end(), int64_t(first));
        auto predicted = model->predict(table.value(), threads, &rows);
        if (!predicted) {
            file.cancelWriting();
            return fail(exitFor(predicted.error()), predicted.error().toString());
        }
        QByteArray chunk;
        const std::vector<int> classes = predicted->predictedClass();
        for (size_t i = 0; i < rows.size(); ++i) {
            chunk += QByteArray::number(rows[i]) + ',';
            if (predicted->classification) {
                chunk += csvField(spec.classes.value(classes[i]));
                for (int c = 0; c < predicted->classes; ++c)
                    chunk += ',' + QByteArray::number(predicted->probabilities[i * size_t(predicted->classes) + size_t(c)], 'g', 17);
            } else {
                chunk += QByteArray::number(predicted->values[i], 'g', 17);
            }
            chunk += '\n';
        }
        if (file.write(chunk) != chunk.size()) {
            file.cancelWriting();
            return fail(ExitCode::Failure, QStringLiteral("cannot write %1: %2").arg(out, file.errorString()));
        }
    }
    if (!file.commit())
        return fail(ExitCode::Failure, QStringLiteral("cannot write %1: %2").arg(out, file.errorString()));
    err << "baton predict: wrote " << total << " predictions to " << out << '\n';
    err.flush();
    return ExitCode::Success;
}

} // namespace baton
