#include "ReviewStage.h"

#include "ReportSchema.h"

#include "core/agents/Narrator.h"
#include "core/conductor/EventNames.h"
#include "core/ml/XgbBooster.h"
#include "core/pipeline/ContextKeys.h"
#include "core/pipeline/stages/StageSupport.h"
#include "core/project/Assets.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QtGlobal>

namespace baton {

namespace {


// Numbers in the report and the narrative: 6 significant digits, never locale-dependent, so
// the same run gives byte-identical reports.
QString num(double value)
{
    return qIsFinite(value) ? QString::number(value, 'g', 6) : QStringLiteral("n/a");
}

QString text(const json &value)
{
    if (value.is_number())
        return num(value.get<double>());
    if (value.is_string())
        return fromStd(value.get<std::string>());
    if (value.is_boolean())
        return value.get<bool>() ? QStringLiteral("yes") : QStringLiteral("no");
    if (value.is_null())
        return QStringLiteral("n/a");
    if (value.is_array()) {
        QStringList parts;
        for (const json &item : value)
            parts << text(item);
        return parts.join(QStringLiteral(", "));
    }
    return fromStd(value.dump());
}

QString field(const json &object, const char *key)
{
    if (!object.is_object() || !object.contains(key))
        return QStringLiteral("n/a");
    return text(object[key]);
}

// A profile warning as one sentence, whatever shape the profiler gave it.
QString warningText(const json &warning)
{
    if (warning.is_object()) {
        for (const char *key : {"message", "text", "detail"}) {
            if (warning.contains(key) && warning[key].is_string()) {
                const QString column = stringField(warning, "column");
                const QString message = fromStd(warning[key].get<std::string>());
                return column.isEmpty() || message.contains(column) ? message
                                                                     : column + QStringLiteral(": ") + message;
            }
        }
    }
    return text(warning);
}

struct Chart
{
    QString title;
    QString relative; // under assets/
};

std::vector<Chart> chartsIn(const QString &assetsDir)
{
    std::vector<Chart> out;
    for (const QString &folder : {QStringLiteral("profile"), QStringLiteral("evaluation")}) {
        const QDir dir(QDir(assetsDir).filePath(folder));
        for (const QString &name : dir.entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name)) {
            QString title = QFileInfo(name).completeBaseName().replace(QLatin1Char('_'), QLatin1Char(' '));
            title[0] = title[0].toUpper();
            out.push_back({title, folder + QLatin1Char('/') + name});
        }
    }
    return out;
}

// ---- report.json ----------------------------------------------------------------------------

struct Inputs
{
    json context;
    json spec;
    PreprocessSpec parsedSpec;
    json ensemble;
    json split;
    json profile; // may be null
    QString projectId;
    QString assetsDir;
    bool refitted = false; // model/ was refitted on every labelled row; model/evaluated/ is the scored one
};

json evaluationArtifacts(const Inputs &in)
{
    json out = json::array();
    const QDir dir(QDir(in.assetsDir).filePath(QStringLiteral("evaluation")));
    for (const QString &name : dir.entryList(QDir::Files, QDir::Name)) {
        const QString relative = QStringLiteral("evaluation/") + name;
        out.push_back({{"name", toStd(name)},
                       {"type", toStd(QFileInfo(name).suffix().toLower())},
                       {"path", toStd(relative)},
                       {"url", toStd(assetUrl(in.projectId, relative))}});
    }
    return out;
}

QStringList narrative(const Inputs &in, const json &report)
{
    const json &c = in.context;
    const json &dataset = c.value(ctx::Dataset, json::object());
    const json &search = c.value("search", json::object());
    const json &metrics = report["metrics"];
    const bool classification = in.parsedSpec.classification;
    QStringList out;

    out << QStringLiteral("Goal: “%1”. Baton treated it as %2 of “%3” on %4 rows and %5 columns of %6.")
               .arg(stringField(c, ctx::Prompt),
                    classification ? QStringLiteral("classification (%1 classes)").arg(in.parsedSpec.classes.size())
                                   : QStringLiteral("regression"),
                    in.parsedSpec.target, field(dataset, "rows"),
                    dataset.contains("columns") && dataset["columns"].is_array()
                        ? QString::number(dataset["columns"].size()) : QStringLiteral("n/a"),
                    stringField(dataset, "name", QStringLiteral("the data")));

    const auto trainRows = in.split.value("train_rows", json::array()).size();
    const auto testRows = in.split.value("test_rows", json::array()).size();
    QString prep = QStringLiteral("The rows were split into %1 for training and %2 held out for the final "
                                  "test (seed %3%4). The model reads %5 input columns")
                       .arg(trainRows)
                       .arg(testRows)
                       .arg(field(in.split, "seed"),
                            in.split.value("stratified", false) ? QStringLiteral(", stratified by class") : QString())
                       .arg(in.parsedSpec.columns.size());
    if (!in.parsedSpec.excluded.empty()) {
        QStringList ignored;
        for (const Exclusion &e : in.parsedSpec.excluded)
            ignored << QStringLiteral("%1 (%2)").arg(e.column, e.reason);
        prep += QStringLiteral(" and ignores %1: %2").arg(in.parsedSpec.excluded.size()).arg(ignored.join(QStringLiteral(", ")));
    }
    prep += in.parsedSpec.logTarget ? QStringLiteral("; the target is modelled on a log scale (log1p) because it "
                                                     "is positive and right-skewed.")
                                    : QStringLiteral(".");
    out << prep;

    if (search.is_object() && !search.empty()) {
        QString s = QStringLiteral("The search trained %1 candidates (%2 successful) with %3-fold cross-validation "
                                   "in %4 s%5.")
                        .arg(field(search, "candidates"), field(search, "successful"), field(search, "folds"),
                             field(search, "elapsed_s"),
                             search.value("stopped_early", false) ? QStringLiteral(", stopped early") : QString());
        const json &board = c.value("leaderboard", json::array());
        if (board.is_array() && !board.empty()) {
            s += QStringLiteral(" The best cross-validated candidate was “%1” (%2) with %3 %4 ± %5.")
                     .arg(field(board[0], "label"), field(board[0], "model_id"), field(metrics["primary"], "name"),
                          field(board[0], "cv_score"), field(board[0], "cv_std"));
        }
        out << s;
    }

    QStringList members;
    for (const json &m : in.ensemble.value("members", json::array()))
        members << QStringLiteral("%1 “%2” (weight %3)").arg(field(m, "family"), field(m.value("config", json::object()), "label"), field(m, "weight"));
    QStringList others;
    for (const auto &[name, value] : metrics["test"].items()) {
        if (fromStd(name) != field(metrics["primary"], "name"))
            others << QStringLiteral("%1 %2").arg(fromStd(name), text(value));
    }
    out << QStringLiteral("The final model is %1 of %2. On the %3 held-out test rows its %4 is %5%6.")
               .arg(members.size() > 1 ? QStringLiteral("a weighted ensemble") : QStringLiteral("a single model"),
                    members.join(QStringLiteral(", ")))
               .arg(testRows)
               .arg(field(metrics["primary"], "name"), field(metrics["primary"], "value"),
                    others.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(others.join(QStringLiteral(", "))));
    if (in.refitted) {
        out << QStringLiteral("After that evaluation the same members, with the same weights and rounds, were fitted "
                              "again on all %1 labelled rows (training and test) for export: more rows make a better "
                              "model, and the test figures above stay those of the model that never saw the test rows "
                              "(kept in `model/evaluated/`).")
                   .arg(field(report["model"], "fitted_rows"));
    }

    const json &warnings = report["data"]["warnings"];
    if (warnings.empty()) {
        out << QStringLiteral("The data profile raised no warnings.");
    } else {
        QStringList list;
        for (const json &w : warnings)
            list << warningText(w);
        out << QStringLiteral("The data profile raised %1 warning(s): %2.").arg(warnings.size()).arg(list.join(QStringLiteral("; ")));
    }
    return out;
}

json buildReport(const Inputs &in)
{
    const json &c = in.context;
    const json &dataset = c.value(ctx::Dataset, json::object());
    const json &finalMetrics = c.value(ctx::FinalMetrics, json::object());
    const json &profileSummary = in.profile.is_object() ? in.profile.value("summary", json::object()) : json::object();
    const json warnings = in.profile.is_object() ? in.profile.value("warnings", json::array()) : json::array();

    json members = json::array();
    for (const json &m : in.ensemble.value("members", json::array())) {
        members.push_back({{"run_id", m.value("run_id", "")},
                           {"family", m.value("family", "")},
                           {"label", m.value("config", json::object()).value("label", "")},
                           {"weight", m.value("weight", 0.0)},
                           {"features", m.value("features", "tree")},
                           {"params", m.value("config", json::object()).value("params", json::object())}});
    }
    QString dataSha = stringField(dataset, "sha256");
    if (dataSha.isEmpty()) {
        if (auto sha = sha256OfFile(stringField(c, ctx::DataPath)))
            dataSha = sha.value();
    }
    json report = {
        {"format", "baton.report"},
        {"version", kReportVersion},
        {"project_id", toStd(in.projectId)},
        {"generated_at", toStd(QDateTime::currentDateTimeUtc().toString(Qt::ISODate))},
        {"goal", toStd(stringField(c, ctx::Prompt))},
        {"intent", c.value(ctx::Intent, json::object())},
        {"task", {{"type", in.parsedSpec.classification ? "classification" : "regression"},
                  {"target", toStd(in.parsedSpec.target)},
                  {"classes", in.spec.value("classes", json::array())},
                  {"metric", finalMetrics.value("primary", json::object()).value("name", "")}}},
        {"data", {{"name", dataset.value("name", "")},
                  {"path", toStd(stringField(c, ctx::DataPath))},
                  {"rows", dataset.value("rows", json(nullptr))},
                  {"columns", dataset.value("columns", json::array())},
                  {"column_types", dataset.value("column_types", json::object())},
                  {"sha256", toStd(dataSha)},
                  {"summary", profileSummary},
                  {"warnings", warnings},
                  {"excluded_columns", c.value(ctx::ExcludedColumns, json::array())}}},
        {"preprocessing", {{"spec", "model/preprocess.json"},
                           {"steps", in.parsedSpec.planSteps()},
                           {"target_transform", in.spec.value("target_transform", "none")},
                           {"tree_features", in.spec.value("tree_features", json::array())},
                           {"linear_features", in.spec.value("linear_features", json::array()).size()},
                           {"excluded", in.spec.value("excluded", json::array())},
                           {"split", {{"train_rows", in.split.value("train_rows", json::array()).size()},
                                      {"test_rows", in.split.value("test_rows", json::array()).size()},
                                      {"test_fraction", in.split.value("test_fraction", json(nullptr))},
                                      {"stratified", in.split.value("stratified", false)},
                                      {"seed", in.split.value("seed", json(nullptr))}}}}},
        {"leaderboard", c.value("leaderboard", json::array())},
        {"search", c.value("search", json::object())},
        {"model", {{"format", "xgboost-json"},
                   {"members", members},
                   {"folder", "model"},
                   {"fitted_rows", c.value("model", json::object()).value("fitted_rows", json(nullptr))},
                   {"refitted_on_all_rows", in.refitted},
                   {"evaluated_folder", in.refitted ? json(toStd(stage::evaluatedModelFolder())) : json(nullptr)}}},
        {"metrics", {{"split", "test"},
                     {"primary", finalMetrics.value("primary", json::object())},
                     {"test", finalMetrics.value("values", json::object())}}},
        {"evaluation_artifacts", evaluationArtifacts(in)},
        {"reproducibility", {{"baton_version", BATON_VERSION},
                             {"seed", stage::seedFrom(c)},
                             {"time_budget_s", c.value(ctx::TimeBudgetS, json(nullptr))},
                             {"max_models", c.value("max_models", json(nullptr))},
                             {"xgboost_version", toStd(xgboostVersion())},
                             {"qt_version", qVersion()},
                             {"data_sha256", toStd(dataSha)},
                             {"data_path", toStd(stringField(c, ctx::DataPath))}}},
    };
    json paragraphs = json::array();
    for (const QString &p : narrative(in, report))
        paragraphs.push_back(toStd(p));
    report["narrative"] = paragraphs;
    return report;
}

// ---- report.md / report.html ----------------------------------------------------------------

QString stepText(const json &step)
{
    QString s = field(step, "name");
    if (step.contains("strategy"))
        s += QStringLiteral(": ") + field(step, "strategy");
    if (step.contains("columns") && !step["columns"].empty())
        s += QStringLiteral(" (") + text(step["columns"]) + QLatin1Char(')');
    if (step.contains("reason"))
        s += QStringLiteral(" — ") + field(step, "reason");
    return s;
}

QString markdownReport(const json &r, const std::vector<Chart> &charts)
{
    QString md;
    md += QStringLiteral("# Baton report: %1\n\n").arg(text(r["goal"]));
    for (const json &p : r["narrative"])
        md += text(p) + QStringLiteral("\n\n");
    md += QStringLiteral("## Test metrics\n\n| metric | value |\n|---|---|\n");
    for (const auto &[name, value] : r["metrics"]["test"].items())
        md += QStringLiteral("| %1 | %2 |\n").arg(fromStd(name), text(value));
    md += QStringLiteral("\n## Data\n\n- File: %1 (%2 rows)\n- SHA-256: `%3`\n")
              .arg(text(r["data"]["path"]), text(r["data"]["rows"]), text(r["data"]["sha256"]));
    if (r["data"]["warnings"].empty())
        md += QStringLiteral("- Warnings: none\n");
    for (const json &w : r["data"]["warnings"])
        md += QStringLiteral("- Warning: %1\n").arg(warningText(w));
    md += QStringLiteral("\n## Preprocessing as applied\n\n");
    for (const json &step : r["preprocessing"]["steps"])
        md += QStringLiteral("- %1\n").arg(stepText(step));
    md += QStringLiteral("\n## Leaderboard (cross-validation, %1)\n\n| # | candidate | family | score | ± | time (s) |\n|---|---|---|---|---|---|\n")
              .arg(text(r["task"]["metric"]));
    int rank = 0;
    for (const json &row : r["leaderboard"])
        md += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 |\n")
                  .arg(++rank)
                  .arg(field(row, "label"), field(row, "model_id"), field(row, "cv_score"), field(row, "cv_std"),
                       field(row, "runtime_s"));
    md += QStringLiteral("\n## Final model\n\n");
    for (const json &m : r["model"]["members"])
        md += QStringLiteral("- %1 “%2” (%3), weight %4\n").arg(field(m, "family"), field(m, "label"), field(m, "run_id"), field(m, "weight"));
    if (!charts.empty()) {
        md += QStringLiteral("\n## Charts\n\n");
        for (const Chart &chart : charts)
            md += QStringLiteral("![%1](../%2)\n\n").arg(chart.title, chart.relative);
    }
    if (!r["evaluation_artifacts"].empty()) {
        md += QStringLiteral("\n## Evaluation artifacts\n\n");
        for (const json &a : r["evaluation_artifacts"])
            md += QStringLiteral("- [%1](%2)\n").arg(field(a, "name"), field(a, "url"));
    }
    const json &rep = r["reproducibility"];
    md += QStringLiteral("\n## Reproducibility\n\n- Baton %1, XGBoost %2, Qt %3\n- Seed %4, time budget %5 s\n"
                         "- Input SHA-256 `%6`\n- `notebook.ipynb` recomputes the test metrics in Python.\n")
              .arg(field(rep, "baton_version"), field(rep, "xgboost_version"), field(rep, "qt_version"),
                   field(rep, "seed"), field(rep, "time_budget_s"), field(rep, "data_sha256"));
    return md;
}

QString esc(const QString &s) { return s.toHtmlEscaped(); }

QString htmlReport(const json &r, const std::vector<Chart> &charts, const QString &assetsDir)
{
    QString h;
    h += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                        "<title>Baton report: %1</title>\n<style>\n"
                        "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:960px;margin:2em auto;"
                        "padding:0 1em;color:#1f2328;line-height:1.5}\n"
                        "h1{font-size:1.6em;border-bottom:1px solid #d0d7de;padding-bottom:.3em}h2{margin-top:1.6em}\n"
                        "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #d0d7de;padding:4px 10px;"
                        "text-align:left}th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
                        ".metric{display:inline-block;border:1px solid #d0d7de;border-radius:6px;padding:.5em 1em;margin:.3em}\n"
                        ".metric b{display:block;font-size:1.4em}.warn{color:#9a6700}code{background:#f6f8fa;padding:1px 4px}\n"
                        "figure{margin:1em 0}figure img{max-width:100%;border:1px solid #d0d7de}\n"
                        "</style></head><body>\n")
             .arg(esc(text(r["goal"])));
    h += QStringLiteral("<h1>Baton report: %1</h1>\n").arg(esc(text(r["goal"])));
    for (const json &p : r["narrative"])
        h += QStringLiteral("<p>%1</p>\n").arg(esc(text(p)));
    h += QStringLiteral("<h2>Test metrics</h2>\n<div>");
    for (const auto &[name, value] : r["metrics"]["test"].items())
        h += QStringLiteral("<span class=\"metric\">%1<b>%2</b></span>").arg(esc(fromStd(name)), esc(text(value)));
    h += QStringLiteral("</div>\n<h2>Data</h2>\n<p>%1 — %2 rows<br>SHA-256 <code>%3</code></p>\n")
             .arg(esc(text(r["data"]["path"])), esc(text(r["data"]["rows"])), esc(text(r["data"]["sha256"])));
    if (r["data"]["warnings"].empty())
        h += QStringLiteral("<p>No data warnings.</p>\n");
    else {
        h += QStringLiteral("<ul>");
        for (const json &w : r["data"]["warnings"])
            h += QStringLiteral("<li class=\"warn\">%1</li>").arg(esc(warningText(w)));
        h += QStringLiteral("</ul>\n");
    }
    h += QStringLiteral("<h2>Preprocessing as applied</h2>\n<ul>");
    for (const json &step : r["preprocessing"]["steps"])
        h += QStringLiteral("<li>%1</li>").arg(esc(stepText(step)));
    h += QStringLiteral("</ul>\n<h2>Leaderboard (cross-validation, %1)</h2>\n<table><tr><th>#</th><th>candidate</th>"
                        "<th>family</th><th>score</th><th>±</th><th>time (s)</th></tr>\n")
             .arg(esc(text(r["task"]["metric"])));
    int rank = 0;
    for (const json &row : r["leaderboard"])
        h += QStringLiteral("<tr><td class=\"n\">%1</td><td>%2</td><td>%3</td><td class=\"n\">%4</td>"
                            "<td class=\"n\">%5</td><td class=\"n\">%6</td></tr>\n")
                 .arg(++rank)
                 .arg(esc(field(row, "label")), esc(field(row, "model_id")), esc(field(row, "cv_score")),
                      esc(field(row, "cv_std")), esc(field(row, "runtime_s")));
    h += QStringLiteral("</table>\n<h2>Final model</h2>\n<ul>");
    for (const json &m : r["model"]["members"])
        h += QStringLiteral("<li>%1 “%2” (<code>%3</code>), weight %4</li>")
                 .arg(esc(field(m, "family")), esc(field(m, "label")), esc(field(m, "run_id")), esc(field(m, "weight")));
    h += QStringLiteral("</ul>\n");
    if (!charts.empty()) {
        h += QStringLiteral("<h2>Charts</h2>\n");
        for (const Chart &chart : charts) {
            QFile file(QDir(assetsDir).filePath(chart.relative));
            if (!file.open(QIODevice::ReadOnly))
                continue;
            // embedded so the report stays one file that opens anywhere
            h += QStringLiteral("<figure><img alt=\"%1\" src=\"data:image/png;base64,%2\"><figcaption>%1</figcaption></figure>\n")
                     .arg(esc(chart.title), QString::fromLatin1(file.readAll().toBase64()));
        }
    }
    if (!r["evaluation_artifacts"].empty()) {
        h += QStringLiteral("<h2>Evaluation artifacts</h2>\n<ul>");
        for (const json &a : r["evaluation_artifacts"])
            h += QStringLiteral("<li>%1</li>").arg(esc(field(a, "path")));
        h += QStringLiteral("</ul>\n");
    }
    const json &rep = r["reproducibility"];
    h += QStringLiteral("<h2>Reproducibility</h2>\n<table>");
    for (const auto &[key, value] : rep.items())
        h += QStringLiteral("<tr><th>%1</th><td>%2</td></tr>").arg(esc(fromStd(key)), esc(text(value)));
    h += QStringLiteral("</table>\n<p><code>notebook.ipynb</code> recomputes the test metrics in Python.</p>\n</body></html>\n");
    return h;
}

// ---- notebook.ipynb -------------------------------------------------------------------------

json sourceLines(const QString &source)
{
    json lines = json::array();
    const QStringList parts = source.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (i == parts.size() - 1 && parts.at(i).isEmpty())
            break;
        lines.push_back(toStd(i + 1 < parts.size() ? parts.at(i) + QLatin1Char('\n') : parts.at(i)));
    }
    return lines;
}

class NotebookBuilder
{
public:
    void markdown(const QString &source)
    {
        m_cells.push_back({{"cell_type", "markdown"}, {"id", nextId()}, {"metadata", json::object()},
                           {"source", sourceLines(source)}});
    }
    void code(const QString &source)
    {
        m_cells.push_back({{"cell_type", "code"}, {"id", nextId()}, {"metadata", json::object()},
                           {"execution_count", nullptr}, {"outputs", json::array()},
                           {"source", sourceLines(source)}});
    }
    json notebook() const
    {
        return {{"cells", m_cells},
                {"metadata", {{"kernelspec", {{"display_name", "Python 3"}, {"language", "python"}, {"name", "python3"}}},
                              {"language_info", {{"name", "python"}}},
                              {"baton", {{"version", BATON_VERSION}}}}},
                {"nbformat", 4},
                {"nbformat_minor", 5}};
    }

private:
    std::string nextId() { return "baton-" + std::to_string(++m_count); }
    json m_cells = json::array();
    int m_count = 0;
};

QString pyString(const QString &s)
{
    return fromStd(json(toStd(s)).dump()); // a JSON string literal is a valid Python literal
}

const char kSetupCode[] = R"PY(
def locate(relative):
    """Finds a file next to this notebook (export bundle), one folder up (project assets) or in the project."""
    for base in (pathlib.Path.cwd(), pathlib.Path.cwd().parent, pathlib.Path(PROJECT_ASSETS)):
        candidate = base / relative
        if candidate.exists():
            return candidate
    raise FileNotFoundError(relative)


# The model the test figures belong to: fitted on the training rows only. When Baton refitted the
# exported model on every labelled row after that evaluation, this one is kept in model/evaluated/.
EXPORTED_MODEL_DIR = locate("model")
MODEL_DIR = EXPORTED_MODEL_DIR / "evaluated" if (EXPORTED_MODEL_DIR / "evaluated").exists() else EXPORTED_MODEL_DIR
SPEC = json.loads((MODEL_DIR / "preprocess.json").read_text(encoding="utf-8"))
ENSEMBLE = json.loads((MODEL_DIR / "ensemble.json").read_text(encoding="utf-8"))
REPORT = json.loads(locate("report.json").read_text(encoding="utf-8"))
SPLIT = json.loads(locate("data/split.json").read_text(encoding="utf-8"))
CLASSIFICATION = SPEC["task"] == "classification"
print("xgboost", xgb.__version__, "| task:", SPEC["task"], "| target:", SPEC["target"])
)PY";

const char kLoadCode[] = R"PY(# Baton's CSV rules: values are trimmed, these tokens are missing, the delimiter is sniffed.
MISSING = {"", "NA", "N/A", "null", "NULL", "NaN", "nan", "?", "-"}
with open(DATA_PATH, encoding=DATA_ENCODING, newline="") as f:
    header_line = f.readline()
SEP = max([",", ";", "\t", "|"], key=header_line.count)
raw = pd.read_csv(DATA_PATH, sep=SEP, dtype=str, keep_default_na=False, na_filter=False,
                  encoding=DATA_ENCODING)
raw.columns = [c.strip() for c in raw.columns]
test_rows = np.asarray(SPLIT["test_rows"], dtype=np.int64)
test = raw.iloc[test_rows].reset_index(drop=True)
print(f"{len(raw)} rows; {len(test)} held-out test rows")
test.head()
)PY";

const char kPreprocessCode[] = R"PY(def cell_text(value):
    text = value.strip() if isinstance(value, str) else None
    return None if text is None or text in MISSING else text


def to_number(value):
    text = cell_text(value)
    if text is None:
        return np.nan
    if text.lower() in ("true", "yes"):
        return 1.0
    if text.lower() in ("false", "no"):
        return 0.0
    return float(text)


def category_codes(rule, series):
    """Index in the training categories; -1 for missing and unseen values."""
    index = {c: i for i, c in enumerate(rule["categories"])}
    return np.array([index.get(cell_text(v), -1) if cell_text(v) is not None else -1 for v in series],
                    dtype=np.int64)


def target_encoding(rule, series):
    """Smoothed target means fitted on the training rows, [rows x outputs]: unseen -> prior, missing -> NaN."""
    codes = category_codes(rule, series)
    table = np.asarray(rule["encoding"], dtype=np.float64).reshape(len(rule["categories"]), len(rule["prior"]))
    values = np.where((codes >= 0)[:, None], table[np.maximum(codes, 0)], np.asarray(rule["prior"]))
    values[series.map(cell_text).isna().to_numpy()] = np.nan
    return values


def date_parts(rule, series):
    texts = series.map(cell_text)
    present = texts.dropna()
    # day first when a dd/MM value proves it, or for dd.MM.yyyy and dd-MM-yyyy (as Baton reads them)
    firsts = present.str.extract(r"^(\d{1,2})/", expand=False).dropna().astype(int)
    dayfirst = bool((firsts > 12).any()) or bool(present.str.match(r"^\d{1,2}[.-]\d{1,2}[.-]\d{4}").any())
    stamps = pd.to_datetime(texts, utc=True, errors="coerce", dayfirst=dayfirst)
    parts = {"year": stamps.dt.year, "month": stamps.dt.month, "day": stamps.dt.day,
             "dayofweek": stamps.dt.dayofweek, "dayofyear": stamps.dt.dayofyear,
             "hour": stamps.dt.hour, "minute": stamps.dt.minute}
    return [parts[p].astype("float64").to_numpy() for p in rule["parts"]]


def tree_features(frame):
    """Raw numbers, category codes and date parts; missing stays NaN (trees route it)."""
    columns = []
    for rule in SPEC["columns"]:
        series = frame[rule["name"]]
        if rule["role"] == "numeric":
            columns.append(series.map(to_number).to_numpy(dtype=np.float64))
        elif rule["role"] == "categorical":
            codes = category_codes(rule, series)
            columns.append(np.where(codes >= 0, codes, np.nan).astype(np.float64))
        elif rule["role"] == "target_encoded":
            columns.extend(target_encoding(rule, series).T)
        else:
            columns.extend(date_parts(rule, series))
    return np.column_stack(columns).astype(np.float32)


def linear_features(frame):
    """Median-imputed, standardised numbers (+ missing indicators), one-hot categories + __other."""
    columns = []
    for rule in SPEC["columns"]:
        series = frame[rule["name"]]
        if rule["role"] == "numeric":
            values = series.map(to_number).to_numpy(dtype=np.float64)
            missing = np.isnan(values)
            columns.append((np.where(missing, rule["median"], values) - rule["mean"]) / rule["std"])
            if rule["missing_indicator"]:
                columns.append(missing.astype(np.float64))
        elif rule["role"] == "categorical":
            codes = category_codes(rule, series)
            k = rule["one_hot"]
            slots = np.where((codes >= 0) & (codes < k), codes, k)
            onehot = np.zeros((len(series), k + 1))
            onehot[np.arange(len(series)), slots] = 1.0
            columns.extend(onehot.T)
        elif rule["role"] == "target_encoded":
            values = target_encoding(rule, series)
            values = np.where(np.isnan(values), np.asarray(rule["prior"]), values)  # missing -> prior
            columns.extend(((values - np.asarray(rule["encoded_mean"])) / np.asarray(rule["encoded_std"])).T)
        else:
            for values, median, mean, std in zip(date_parts(rule, series), rule["part_median"],
                                                 rule["part_mean"], rule["part_std"]):
                columns.append((np.where(np.isnan(values), median, values) - mean) / std)
    return np.column_stack(columns).astype(np.float32)


X_tree, X_linear = tree_features(test), linear_features(test)
assert X_tree.shape[1] == len(SPEC["tree_features"]), "tree feature count differs from the spec"
assert X_linear.shape[1] == len(SPEC["linear_features"]), "linear feature count differs from the spec"
print("tree features:", X_tree.shape, "| linear features:", X_linear.shape)
)PY";

const char kPredictCode[] = R"PY(def member_prediction(member):
    booster = xgb.Booster(model_file=str(MODEL_DIR / member["file"]))
    if member.get("features") == "linear":
        matrix = xgb.DMatrix(X_linear, missing=np.nan)
    else:
        matrix = xgb.DMatrix(X_tree, missing=np.nan, feature_types=SPEC["tree_feature_types"],
                             enable_categorical=True)
    return booster.predict(matrix).astype(np.float64)


total_weight, combined = 0.0, None
for member in ENSEMBLE["members"]:
    weight = float(member["weight"])
    p = member_prediction(member)
    if CLASSIFICATION and p.ndim == 1:  # binary: P(class 1)
        p = np.column_stack([1.0 - p, p])
    elif not CLASSIFICATION and SPEC["target_transform"] == "log1p":
        p = np.expm1(p)
    combined = weight * p if combined is None else combined + weight * p
    total_weight += weight
    print(f"{member['run_id']}: {member['family']} ({member.get('features', 'tree')} features), weight {weight:g}")
prediction = combined / total_weight

# Baton's own test predictions, to compare row by row
try:
    saved = pd.read_csv(locate("model/test_predictions.csv"))
except FileNotFoundError:
    saved = pd.read_csv(locate("test_predictions_sample.csv"))
columns = [f"p_{c}" for c in SPEC["classes"]] if CLASSIFICATION else ["prediction"]
mine = prediction[: len(saved)] if CLASSIFICATION else prediction[: len(saved)].reshape(-1, 1)
print(f"max |difference| from Baton's predictions over {len(saved)} rows: "
      f"{np.abs(saved[columns].to_numpy(dtype=np.float64) - mine).max():.3g}")
)PY";

const char kMetricsCode[] = R"PY(labels = SPEC["classes"]
truth_text = test[SPEC["target"]].map(cell_text)


def class_index(text):
    if text in labels:
        return labels.index(text)
    try:  # "1.0" in the file for the class Baton shows as "1"
        return next(i for i, c in enumerate(labels) if float(c) == float(text))
    except (ValueError, StopIteration):
        return -1


if CLASSIFICATION:
    y_true = np.array([class_index(t) for t in truth_text])
    y_pred = prediction.argmax(axis=1)
    k = len(labels)
else:
    y_true = truth_text.map(float).to_numpy(dtype=np.float64)


def metric(name):
    if CLASSIFICATION:
        if name == "accuracy":
            return skm.accuracy_score(y_true, y_pred)
        if name == "balanced_accuracy":
            return skm.balanced_accuracy_score(y_true, y_pred)
        if name == "f1":
            return skm.f1_score(y_true, y_pred, average="binary" if k == 2 else "macro")
        if name == "log_loss":
            return skm.log_loss(y_true, prediction, labels=list(range(k)))
        if name == "roc_auc":
            if k == 2:
                return skm.roc_auc_score(y_true, prediction[:, 1])
            return skm.roc_auc_score(y_true, prediction, multi_class="ovr", average="macro",
                                     labels=list(range(k)))
    else:
        if name == "rmse":
            return float(np.sqrt(skm.mean_squared_error(y_true, prediction)))
        if name == "mae":
            return skm.mean_absolute_error(y_true, prediction)
        if name == "r2":
            return skm.r2_score(y_true, prediction)
        if name == "rmsle":
            return float(np.sqrt(skm.mean_squared_log_error(y_true, prediction)))
    return None


baton_metrics = {name: value for name, value in REPORT["metrics"]["test"].items() if value is not None}
recomputed = {name: float(metric(name)) for name in baton_metrics if metric(name) is not None}
print(f"{'metric':<20}{'notebook':>22}{'Baton':>22}{'|difference|':>14}")
for name, value in recomputed.items():
    print(f"{name:<20}{value:>22.12g}{baton_metrics[name]:>22.12g}{abs(value - baton_metrics[name]):>14.3g}")
print("BATON_NOTEBOOK_METRICS " + json.dumps(recomputed))
)PY";

const char kChartCode[] = R"PY(try:
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
    print("matplotlib is not installed: no charts (pip install matplotlib)")

if plt is not None:
    if CLASSIFICATION:
        matrix = skm.confusion_matrix(y_true, y_pred, labels=list(range(len(labels))))
        skm.ConfusionMatrixDisplay(matrix, display_labels=labels).plot(cmap="Blues")
        plt.title("Confusion matrix (test rows)")
    else:
        low, high = float(min(y_true.min(), prediction.min())), float(max(y_true.max(), prediction.max()))
        plt.figure(figsize=(6, 6))
        plt.scatter(y_true, prediction, s=12, alpha=0.7)
        plt.plot([low, high], [low, high], "--", color="grey")
        plt.xlabel(f"actual {SPEC['target']}")
        plt.ylabel("predicted")
        plt.title("Predicted vs actual (test rows)")
    plt.show()
)PY";

json buildNotebook(const Inputs &in, const json &report)
{
    const json &dataset = in.context.value(ctx::Dataset, json::object());
    const QString dataPath = stringField(dataset, "path", stringField(in.context, ctx::DataPath));
    const bool latin1 = stringField(dataset, "encoding").contains(QLatin1String("Latin"), Qt::CaseInsensitive);
    const QString primary = field(report["metrics"]["primary"], "name");

    NotebookBuilder nb;
    nb.markdown(QStringLiteral("# Reproducing Baton's result: %1\n\n"
                               "This notebook, written by Baton %2, rebuilds the final model's test predictions "
                               "in Python with pandas, xgboost and scikit-learn and recomputes the test metrics "
                               "(Baton's test %3: %4). It runs next to `report.json` in the project's "
                               "`assets/report/` folder or at the root of the export bundle.")
                    .arg(stringField(in.context, ctx::Prompt), QStringLiteral(BATON_VERSION), primary,
                         field(report["metrics"]["primary"], "value")));
    nb.code(QStringLiteral("import json\nimport pathlib\n\nimport numpy as np\nimport pandas as pd\n"
                           "import xgboost as xgb\nfrom sklearn import metrics as skm\n\n"
                           "# Where Baton read the data and kept the project's files when it wrote this notebook.\n"
                           "DATA_PATH = %1\nDATA_ENCODING = %2\nPROJECT_ASSETS = %3\n")
                .arg(pyString(dataPath), latin1 ? QStringLiteral("\"latin-1\"") : QStringLiteral("\"utf-8-sig\""),
                     pyString(in.assetsDir))
            + QString::fromUtf8(kSetupCode));
    nb.markdown(QStringLiteral("## 1. Load the data and the held-out test rows\n\n"
                               "Every cell is read as text, exactly as Baton's CSV reader sees it; "
                               "`data/split.json` lists the %1 test rows Baton never trained on (seed %2).")
                    .arg(in.split.value("test_rows", json::array()).size())
                    .arg(field(in.split, "seed")));
    nb.code(QString::fromUtf8(kLoadCode));
    nb.markdown(QStringLiteral("## 2. Apply the exported preprocessing spec\n\n"
                               "`model/preprocess.json` is the spec Baton fitted on the training rows. Tree models "
                               "get raw numbers, categories as their index in the training categories (unseen → "
                               "missing) and date parts; linear models get imputed, standardised numbers and "
                               "one-hot categories (rare and unseen → `__other`). High-cardinality categories "
                               "become their smoothed target mean over the training rows (`target_encoded`; "
                               "unseen → the prior)."));
    nb.code(QString::fromUtf8(kPreprocessCode));
    nb.markdown(QStringLiteral("## 3. Load the model and predict\n\n"
                               "`ensemble.json` lists the members (XGBoost JSON boosters in `models/`) "
                               "and their weights; the prediction is their weighted average%1.%2")
                    .arg(in.parsedSpec.logTarget ? QStringLiteral(", after undoing the log1p target transform")
                                                 : QString(),
                         in.refitted ? QStringLiteral(" This is `model/evaluated/`, the ensemble fitted on the training "
                                                      "rows only, which the test metrics belong to; `model/` holds the "
                                                      "same members fitted on every labelled row, the model `baton "
                                                      "predict` uses (point `MODEL_DIR` at it to score new data).")
                                     : QString()));
    nb.code(QString::fromUtf8(kPredictCode));
    nb.markdown(QStringLiteral("## 4. Recompute the test metrics\n\n"
                               "scikit-learn's metrics next to the values Baton reported in `report.json`."));
    nb.code(QString::fromUtf8(kMetricsCode));
    nb.markdown(QStringLiteral("## 5. Charts"));
    nb.code(QString::fromUtf8(kChartCode));
    nb.markdown(QStringLiteral("## Leaderboard\n\nThe candidates Baton cross-validated, best first."));
    nb.code(QStringLiteral("pd.DataFrame(REPORT[\"leaderboard\"])"));
    return nb.notebook();
}

} // namespace

StageOutcome ReviewStage::run(StageContext &context)
{
    Inputs in;
    in.context = context.projectContext();
    in.projectId = context.projectId();
    in.assetsDir = QFileInfo(stage::assetPath(context, QString())).absoluteFilePath();
    if (!in.context.contains(ctx::FinalMetrics))
        return stage::fail(ErrorKind::Conflict, "review.no_model",
                           QStringLiteral("There is no trained model to review: run TRAIN first"));
    auto readAsset = [&context](const QString &relative) {
        return readJsonFile(stage::assetPath(context, relative), ErrorKind::NotFound,
                            QStringLiteral("review.missing_file"), QStringLiteral("run TRAIN again"));
    };
    auto spec = readAsset(QStringLiteral("model/preprocess.json"));
    if (!spec)
        return StageOutcome::failed(spec.error());
    auto parsed = PreprocessSpec::fromJson(spec.value());
    if (!parsed)
        return StageOutcome::failed(parsed.error());
    auto ensemble = readAsset(QStringLiteral("model/ensemble.json"));
    if (!ensemble)
        return StageOutcome::failed(ensemble.error());
    auto split = readAsset(QStringLiteral("data/split.json"));
    if (!split)
        return StageOutcome::failed(split.error());
    in.spec = std::move(spec).value();
    in.parsedSpec = std::move(parsed).value();
    in.ensemble = std::move(ensemble).value();
    in.split = std::move(split).value();
    in.refitted = stage::hasEvaluatedModel(context);
    if (auto profile = readAsset(QStringLiteral("profile/profile.json")))
        in.profile = std::move(profile).value();
    if (context.isCancelled())
        return stage::fail(ErrorKind::Cancelled, "review.cancelled", QStringLiteral("Cancelled"));

    json report = buildReport(in);
    narrateReport(AgentRunner::forStage(context), report); // the narrator agent, checked against the run
    const std::vector<Chart> charts = chartsIn(in.assetsDir);
    const QString jsonRel = QStringLiteral("report/report.json");
    const QString mdRel = QStringLiteral("report/report.md");
    const QString htmlRel = QStringLiteral("report/report.html");
    const QString notebookRel = QStringLiteral("report/notebook.ipynb");
    // A report that breaks its own published schema is a Baton bug: fail visibly, write nothing.
    if (const QStringList violations = reportSchemaViolations(report); !violations.isEmpty())
        return stage::fail(ErrorKind::Internal, "review.report_schema",
                           QStringLiteral("report.json does not match its schema: %1")
                               .arg(violations.mid(0, 5).join(QStringLiteral("; "))));
    if (Status s = writeJsonFile(stage::assetPath(context, jsonRel), report); !s)
        return StageOutcome::failed(s.error());
    if (Status s = writeTextFile(stage::assetPath(context, mdRel), markdownReport(report, charts).toUtf8()); !s)
        return StageOutcome::failed(s.error());
    if (Status s = writeTextFile(stage::assetPath(context, htmlRel),
                                 htmlReport(report, charts, in.assetsDir).toUtf8());
        !s)
        return StageOutcome::failed(s.error());
    if (Status s = writeJsonFile(stage::assetPath(context, notebookRel), buildNotebook(in, report), 1); !s)
        return StageOutcome::failed(s.error());

    const QString jsonUrl = stage::announceArtifact(context, QStringLiteral("report_json"), QStringLiteral("report"),
                                                    QStringLiteral("Report (JSON)"), jsonRel,
                                                    {{"format", "baton.report"}, {"version", kReportVersion}});
    const QString mdUrl = stage::announceArtifact(context, QStringLiteral("report_md"), QStringLiteral("report"),
                                                  QStringLiteral("Report (Markdown)"), mdRel);
    const QString htmlUrl = stage::announceArtifact(context, QStringLiteral("report_html"), QStringLiteral("report"),
                                                    QStringLiteral("Report"), htmlRel, {{"charts", charts.size()}});
    const QString notebookUrl = stage::announceArtifact(context, QStringLiteral("notebook"), QStringLiteral("notebook"),
                                                        QStringLiteral("Notebook"), notebookRel, {{"nbformat", 4}});
    context.emitEvent(events::NotebookReady, {{"asset_url", toStd(notebookUrl)}});
    context.emitEvent(events::ReportReady, {{"asset_url", toStd(jsonUrl)},
                                            {"html_url", toStd(htmlUrl)},
                                            {"md_url", toStd(mdUrl)},
                                            {"metrics", report["metrics"]["test"]}});

    const json &primary = report["metrics"]["primary"];
    const QString summary = QStringLiteral("Report ready: test %1 %2 (%3 of “%4”, %5 test rows). The notebook "
                                           "recomputes it in Python.")
                                .arg(field(primary, "name"), field(primary, "value"),
                                     in.parsedSpec.classification ? QStringLiteral("classification") : QStringLiteral("regression"),
                                     in.parsedSpec.target, field(report["preprocessing"]["split"], "test_rows"));
    return StageOutcome::waiting(summary, {QStringLiteral("Confirm to export model")},
                                 {{"report", {{"json", toStd(jsonRel)}, {"html", toStd(htmlRel)},
                                              {"md", toStd(mdRel)}, {"notebook", toStd(notebookRel)}}}});
}

} // namespace baton
