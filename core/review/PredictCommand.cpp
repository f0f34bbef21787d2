#include "PredictCommand.h"

#include "ExportBundle.h"

#include "core/data/CsvBatchReader.h"
#include "core/ml/EnsembleModel.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>
#include <QSaveFile>
#include <QTextStream>
#include <QThread>

namespace baton {

namespace {

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

// The type each trained column is read as, the same in every batch: numbers as numbers whatever
// their trained storage (an Int64-trained column may hold 2.5 now, as the whole-file reader would
// allow), categories as the text written, dates as dates.
std::vector<CsvColumnRequest> columnRequests(const PreprocessSpec &spec)
{
    std::vector<CsvColumnRequest> requests;
    for (const ColumnRule &rule : spec.columns) {
        const ColumnType type = rule.role == ColumnRule::Role::Numeric    ? ColumnType::Float64
                                : rule.role == ColumnRule::Role::DateTime ? ColumnType::DateTime
                                                                          : ColumnType::Categorical;
        requests.push_back({rule.name, type});
    }
    return requests;
}

// Unseen categories are not errors (the model handles them as in training), but the user
// should know how many there were. Counted batch by batch.
class UnseenCategories
{
public:
    explicit UnseenCategories(const PreprocessSpec &spec)
    {
        for (const ColumnRule &rule : spec.columns) {
            if (rule.role == ColumnRule::Role::Categorical || rule.role == ColumnRule::Role::TargetEncoded)
                m_columns.push_back({&rule, QSet<QString>(rule.categories.begin(), rule.categories.end())});
        }
    }

    void count(const Table &batch)
    {
        for (Tally &tally : m_columns) {
            const auto index = batch.columnIndex(tally.rule->name);
            if (!index)
                continue;
            const Column &column = batch.column(*index);
            if (column.type() != ColumnType::Categorical)
                continue; // columnRequests() reads these columns as categories
            // Each distinct value of the batch is looked up once, not once per row.
            const std::vector<QString> &dictionary = column.dictionary();
            std::vector<uint8_t> isUnseen(dictionary.size());
            for (size_t code = 0; code < dictionary.size(); ++code)
                isUnseen[code] = !tally.known.contains(dictionary[code]);
            for (const int32_t code : column.codes()) {
                if (code >= 0 && isUnseen[size_t(code)] && tally.unseen++ == 0)
                    tally.example = dictionary[size_t(code)];
            }
        }
    }

    QStringList notes() const
    {
        QStringList notes;
        for (const Tally &tally : m_columns) {
            const ColumnRule &rule = *tally.rule;
            const QString handling = rule.role == ColumnRule::Role::TargetEncoded
                                         ? QStringLiteral("get the target encoding's prior (the training mean)")
                                         : QStringLiteral("are treated as missing by tree models and as “other” by "
                                                          "linear models, as in training");
            if (tally.unseen > 0)
                notes << QStringLiteral("column “%1”: %2 value(s) not seen in training (e.g. “%3”) %4")
                             .arg(rule.name)
                             .arg(tally.unseen)
                             .arg(tally.example.left(40), handling);
        }
        return notes;
    }

private:
    struct Tally
    {
        const ColumnRule *rule;
        QSet<QString> known;
        qsizetype unseen = 0;
        QString example;
    };
    std::vector<Tally> m_columns;
};

QByteArray predictionLines(const Predictions &predicted, const PreprocessSpec &spec, qsizetype firstRow)
{
    QByteArray lines;
    const std::vector<int> classes = predicted.predictedClass();
    const size_t rows = predicted.classification ? classes.size() : predicted.values.size();
    for (size_t i = 0; i < rows; ++i) {
        lines += QByteArray::number(firstRow + qsizetype(i)) + ',';
        if (predicted.classification) {
            lines += csvField(spec.classes.value(classes[i]));
            for (int c = 0; c < predicted.classes; ++c)
                lines += ',' + QByteArray::number(predicted.probabilities[i * size_t(predicted.classes) + size_t(c)], 'g', 17);
        } else {
            lines += QByteArray::number(predicted.values[i], 'g', 17);
        }
        lines += '\n';
    }
    return lines;
}

} // namespace

ExitCode runPredict(const QString &bundle, const QString &data, const QString &out, QTextStream &err,
                    const PredictOptions &options)
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
    CsvBatchOptions csvOptions;
    csvOptions.batchRows = options.batchRows;
    auto reader = CsvBatchReader::open(data, csvOptions);
    if (!reader)
        return fail(exitFor(reader.error()), QStringLiteral("cannot read %1: %2").arg(data, reader.error().toString()));

    const QStringList columns = reader.value()->header();
    QStringList missing;
    for (const ColumnRule &rule : spec.columns) {
        if (!columns.contains(rule.name))
            missing << QStringLiteral("“%1” (%2)").arg(rule.name, columnTypeName(rule.type));
    }
    if (!missing.isEmpty())
        return fail(ExitCode::BadInput,
                    QStringLiteral("%1 lacks %2 the model was trained with: %3")
                        .arg(QFileInfo(data).fileName(),
                             missing.size() == 1 ? QStringLiteral("a column") : QStringLiteral("%1 columns").arg(missing.size()),
                             missing.join(QStringLiteral(", "))));
    // Reads the whole file once: bad bytes, quotes, field counts and date layouts fail here,
    // before a prediction is written.
    if (Status selected = reader.value()->select(columnRequests(spec)); !selected)
        return fail(exitFor(selected.error()), QStringLiteral("cannot read %1: %2").arg(data, selected.error().toString()));

    if (!QDir().mkpath(QFileInfo(out).absolutePath()))
        return fail(ExitCode::Failure, QStringLiteral("cannot create the folder for --out '%1'").arg(out));
    QSaveFile file(out); // atomic: a failed run leaves no half-written predictions
    if (!file.open(QIODevice::WriteOnly))
        return fail(ExitCode::Failure, QStringLiteral("cannot write %1: %2").arg(out, file.errorString()));
    QByteArray header = "row,prediction";
    for (const QString &c : spec.classes)
        header += ',' + csvField(QStringLiteral("p_") + c);
    file.write(header + '\n');

    // One batch at a time: memory stays bounded by the batch, whatever the file's size.
    const int threads = std::max(1, QThread::idealThreadCount());
    UnseenCategories unseen(spec);
    qsizetype total = 0;
    for (;;) {
        auto batch = reader.value()->next();
        if (!batch) {
            file.cancelWriting();
            return fail(exitFor(batch.error()), QStringLiteral("cannot read %1: %2").arg(data, batch.error().toString()));
        }
        if (batch->rowCount() == 0)
            break;
        unseen.count(batch.value());
        auto predicted = model->predict(batch.value(), threads);
        if (!predicted) {
            file.cancelWriting();
            return fail(exitFor(predicted.error()), predicted.error().toString());
        }
        const QByteArray lines = predictionLines(predicted.value(), spec, total);
        if (file.write(lines) != lines.size()) {
            file.cancelWriting();
            return fail(ExitCode::Failure, QStringLiteral("cannot write %1: %2").arg(out, file.errorString()));
        }
        total += batch->rowCount();
    }
    if (!file.commit())
        return fail(ExitCode::Failure, QStringLiteral("cannot write %1: %2").arg(out, file.errorString()));
    for (const QString &note : unseen.notes())
        err << "baton predict: note: " << note << '\n';
    err << "baton predict: wrote " << total << " predictions to " << out << '\n';
    err.flush();
    return ExitCode::Success;
}

} // namespace baton
