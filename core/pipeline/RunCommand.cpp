#include "RunCommand.h"

#include "HeadlessRun.h"
#include "ProjectSession.h"

#include "core/data/KaggleDataset.h"
#include "core/pipeline/ContextKeys.h"

#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QTextStream>

namespace baton {

RunCommand::RunCommand(RunRequest request, QTextStream &out, QTextStream &err, QObject *parent)
    : QObject(parent)
    , m_request(std::move(request))
    , m_out(out)
    , m_err(err)
{}

json RunCommand::decisionsFor(const RunRequest &request)
{
    json decisions = {
        {"task", toStd(request.task)},
        {"time_budget_s", request.timeBudgetS},
        {"output_dir", toStd(QFileInfo(request.out).absoluteFilePath())},
    };
    // A Kaggle dataset is a choice DATA_SOURCE downloads; until then there is no file to read.
    if (isKaggleReference(request.data))
        decisions["dataset_id"] = toStd(request.data);
    else
        decisions["data_path"] = toStd(QFileInfo(request.data).absoluteFilePath());
    if (!request.target.isEmpty())
        decisions["target"] = toStd(request.target);
    if (request.seed)
        decisions["seed"] = *request.seed;
    if (request.maxModels > 0)
        decisions["max_models"] = request.maxModels;
    if (!request.metric.isEmpty())
        decisions["metric"] = toStd(request.metric);
    if (!request.refitAllRows)
        decisions[ctx::RefitAllRows] = false;
    return decisions;
}

void RunCommand::cancel()
{
    if (m_run)
        m_run->cancel();
    else
        m_cancelledEarly = true;
}

ExitCode RunCommand::exec()
{
    const QFileInfo data(m_request.data);
    if (isKaggleReference(m_request.data)) {
        // Downloaded by DATA_SOURCE; only the form is checked here.
        if (auto ref = parseKaggleReference(m_request.data); !ref) {
            m_err << "baton run: --data: " << ref.error().message << '\n';
            m_err.flush();
            return ExitCode::BadInput;
        }
    } else if (!data.exists()) {
        m_err << "baton run: --data '" << m_request.data << "': no such file or folder\n";
        m_err.flush();
        return ExitCode::BadInput;
    } else if (!data.isReadable()) {
        m_err << "baton run: --data '" << m_request.data << "': not readable\n";
        m_err.flush();
        return ExitCode::BadInput;
    }
    if (!QDir().mkpath(m_request.out)) {
        m_err << "baton run: --out '" << m_request.out << "': cannot create the folder\n";
        m_err.flush();
        return ExitCode::BadInput;
    }

    Workspace workspace(m_request.workspace.isEmpty() ? Workspace::defaultRoot()
                                                            : m_request.workspace);
    auto projectId = workspace.createProject(m_request.prompt);
    if (!projectId) {
        m_err << "baton run: " << projectId.error().toString() << '\n';
        m_err.flush();
        return ExitCode::Failure;
    }
    auto session = ProjectSession::open(workspace, projectId.value());
    if (!session) {
        m_err << "baton run: " << session.error().toString() << '\n';
        m_err.flush();
        return ExitCode::Failure;
    }
    Conductor &conductor = session.value()->conductor();

    if (m_request.printEvents) {
        connect(&conductor, &Conductor::eventPublished, this, [this](const Event &event) {
            m_err << QString::fromStdString(event.toWire()) << '\n';
            m_err.flush();
        });
    }

    HeadlessRun run(&conductor);
    m_run = &run;
    QEventLoop loop;
    connect(&run, &HeadlessRun::finished, &loop, &QEventLoop::quit);
    run.start(m_request.prompt, decisionsFor(m_request));
    if (m_cancelledEarly)
        run.cancel();
    if (!run.isFinished())
        loop.exec();
    m_run = nullptr;

    // Every event the run produced is stored and printed before the summary.
    conductor.flushEvents();
    m_out << QString::fromStdString(toStrictJson(run.summary())) << '\n';
    m_out.flush();
    return run.exitCode();
}

} // namespace baton
