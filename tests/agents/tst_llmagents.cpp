// The LLM client and the agent frame against a fake OpenAI-compatible server on loopback: each
// way a model can answer ends in the right result with the right "produced by" marker.

#include "FakeLlmServer.h"

#include "core/agents/AgentRunner.h"
#include "core/agents/IntentAgent.h"

#include <QFile>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <optional>

using namespace baton;

Q_DECLARE_METATYPE(std::vector<baton::test::ScriptedResponse>)

using test::FakeLlmServer;
using test::ScriptedResponse;
using test::onWorker;

namespace {

const QString kKey = QStringLiteral("sk-or-test-0123456789abcdef");

std::vector<ColumnHint> houseColumns()
{
    using K = ColumnHint::Kind;
    return {{QStringLiteral("Lot_Area"), K::Integer, 1960, 2930},
            {QStringLiteral("Neighborhood"), K::Categorical, 28, 2930},
            {QStringLiteral("Year_Built"), K::Integer, 118, 2930},
            {QStringLiteral("Gr_Liv_Area"), K::Integer, 1292, 2930},
            {QStringLiteral("Sale_Price"), K::Integer, 1032, 2930}};
}

LlmConfig configFor(const FakeLlmServer &server)
{
    LlmConfig config;
    config.baseUrl = QUrl(server.baseUrl());
    config.model = QStringLiteral("test/model");
    config.apiKey = kKey;
    config.timeoutMs = 3000;
    config.backoffMs = 20;
    return config;
}

AgentResult<ParsedIntent> askIntent(const AgentRunner &runner, const QString &prompt = QStringLiteral("predict house prices"))
{
    return onWorker([&] { return parseIntent(runner, prompt, houseColumns()); });
}

const json kValidIntent = {{"task_type", "regression"},
                           {"target", "sale_price"},
                           {"dataset_hint", "ames houses"},
                           {"constraints", {{"metric", "MAE"}, {"time_budget_s", 300}, {"excluded_columns", {"neighborhood"}}}}};

} // namespace

class TestLlmAgents : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void validReply();
    void malformedJson();
    void schemaViolation_data();
    void schemaViolation();
    void timeout();
    void rateLimitedThenSuccess();
    void serverErrorExhaustsRetries();
    void badRequestAskedAgainWithoutResponseFormat_data();
    void badRequestAskedAgainWithoutResponseFormat();
    void keyNeverReachesTheTranscript();
    void transcriptRecordsPromptsAndReplies();
    void withoutConfigurationNothingIsAsked();
    void cancellationEndsTheWait();
    void refusesTheGuiThread();
    void codeFencesAreTolerated();
    void baseUrlForms();
};

void TestLlmAgents::validReply()
{
    FakeLlmServer server;
    server.script({ScriptedResponse::object(kValidIntent)});
    const auto result = askIntent(AgentRunner(configFor(server)));

    QCOMPARE(result.provenance.producedBy, ProducedBy::Llm);
    QCOMPARE(result.provenance.model, QStringLiteral("test/model"));
    QCOMPARE(result.value.task, TaskKind::Regression);
    QCOMPARE(result.value.target, QStringLiteral("Sale_Price")); // the column's real spelling
    QCOMPARE(result.value.metric, QStringLiteral("mae"));
    QCOMPARE(result.value.timeBudgetS.value_or(0), 300);
    QCOMPARE(result.value.excludedColumns, QStringList{QStringLiteral("Neighborhood")});

    QCOMPARE(server.requests().size(), size_t(1));
    const auto &request = server.requests().front();
    QCOMPARE(request.method, QByteArray("POST"));
    QCOMPARE(request.path, QByteArray("/v1/chat/completions"));
    QCOMPARE(request.header("authorization"), "Bearer " + kKey.toLatin1());
    const json body = json::parse(request.body.toStdString());
    QCOMPARE(body.at("model").get<std::string>(), std::string("test/model"));
    QCOMPARE(body.at("response_format").at("type").get<std::string>(), std::string("json_object"));
    QCOMPARE(body.at("messages").at(0).at("role").get<std::string>(), std::string("system"));
    QVERIFY(body.at("messages").back().at("content").get<std::string>().find("Sale_Price") != std::string::npos);

    json payload = json::object();
    result.provenance.addTo(payload);
    QCOMPARE(payload.at("produced_by").get<std::string>(), std::string("llm"));
    QVERIFY(!payload.contains("fallback_reason"));
}

void TestLlmAgents::malformedJson()
{
    FakeLlmServer server;
    server.script({ScriptedResponse::completion("Sure! {task_type: regression, target: Sale_Price")});
    const auto result = askIntent(AgentRunner(configFor(server)));
    QCOMPARE(result.provenance.producedBy, ProducedBy::Fallback);
    QVERIFY2(result.provenance.reason.contains(QLatin1String("not valid JSON")), qPrintable(result.provenance.reason));
    // The rules answered: the same result as without any model.
    QCOMPARE(result.value.target, QStringLiteral("Sale_Price"));
    QCOMPARE(result.value.task, TaskKind::Regression);
    QCOMPARE(server.requests().size(), size_t(1)); // a bad answer is not retried
}

void TestLlmAgents::schemaViolation_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<QString>("reason");
    QTest::newRow("unknown column") << QByteArray(R"({"task_type":"regression","target":"Price_of_House"})")
                                    << "not one of the columns";
    QTest::newRow("unknown task") << QByteArray(R"({"task_type":"banana","target":"Sale_Price"})") << "not a known task";
    QTest::newRow("task missing") << QByteArray(R"({"target":"Sale_Price"})") << "“task_type” is missing";
    QTest::newRow("target not a string") << QByteArray(R"({"task_type":"regression","target":7})") << "must be a string";
    QTest::newRow("unknown metric") << QByteArray(R"({"task_type":"regression","target":"Sale_Price","constraints":{"metric":"vibes"}})")
                                    << "not a metric";
    QTest::newRow("negative budget") << QByteArray(R"({"task_type":"regression","target":"Sale_Price","constraints":{"time_budget_s":-5}})")
                                     << "time_budget_s";
    QTest::newRow("excluded target") << QByteArray(R"({"task_type":"regression","target":"Sale_Price","constraints":{"excluded_columns":["Sale_Price"]}})")
                                     << "cannot also be excluded";
    QTest::newRow("image task on a table") << QByteArray(R"({"task_type":"vision","target":"Sale_Price"})") << "data is a table";
    QTest::newRow("array, not object") << QByteArray(R"(["regression"])") << "not an object";
}

void TestLlmAgents::schemaViolation()
{
    QFETCH(QByteArray, reply);
    QFETCH(QString, reason);
    FakeLlmServer server;
    server.script({ScriptedResponse::completion(reply)});
    const auto result = askIntent(AgentRunner(configFor(server)));
    QCOMPARE(result.provenance.producedBy, ProducedBy::Fallback);
    QVERIFY2(result.provenance.reason.contains(reason), qPrintable(result.provenance.reason));
    QCOMPARE(result.value.target, QStringLiteral("Sale_Price"));
}

void TestLlmAgents::timeout()
{
    FakeLlmServer server;
    ScriptedResponse silent;
    silent.neverAnswer = true;
    server.script({silent});
    LlmConfig config = configFor(server);
    config.timeoutMs = 300;
    const auto result = askIntent(AgentRunner(config));
    QCOMPARE(result.provenance.producedBy, ProducedBy::Fallback);
    QVERIFY2(result.provenance.reason.contains(QLatin1String("did not answer within 0.3 s")),
             qPrintable(result.provenance.reason));
    QCOMPARE(result.value.target, QStringLiteral("Sale_Price"));
    QCOMPARE(server.requests().size(), size_t(1)); // a slow model stays slow: no retry
}

void TestLlmAgents::rateLimitedThenSuccess()
{
    FakeLlmServer server;
    ScriptedResponse limited = ScriptedResponse::error(429);
    limited.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("0")));
    server.script({limited, ScriptedResponse::object(kValidIntent)});
    const auto result = askIntent(AgentRunner(configFor(server)));
    QCOMPARE(result.provenance.producedBy, ProducedBy::Llm);
    QCOMPARE(result.value.metric, QStringLiteral("mae"));
    QCOMPARE(server.requests().size(), size_t(2));
}

void TestLlmAgents::serverErrorExhaustsRetries()
{
    FakeLlmServer server;
    server.script({ScriptedResponse::error(500), ScriptedResponse::error(502), ScriptedResponse::error(503),
                   ScriptedResponse::object(kValidIntent)});
    const auto result = askIntent(AgentRunner(configFor(server)));
    QCOMPARE(result.provenance.producedBy, ProducedBy::Fallback);
    QVERIFY2(result.provenance.reason.contains(QLatin1String("HTTP 503")), qPrintable(result.provenance.reason));
    QCOMPARE(server.requests().size(), size_t(3)); // the first attempt and two retries
    QCOMPARE(result.value.target, QStringLiteral("Sale_Price"));
}

void TestLlmAgents::badRequestAskedAgainWithoutResponseFormat_data()
{
    const ScriptedResponse rejected = ScriptedResponse::error(
        400, "{\"error\":{\"message\":\"'response_format' is not supported by this server\"}}");
    QTest::addColumn<std::vector<ScriptedResponse>>("script");
    QTest::addColumn<bool>("fromModel");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<int>("requests");
    QTest::newRow("then a valid reply") << std::vector<ScriptedResponse>{rejected, ScriptedResponse::object(kValidIntent)}
                                        << true << QString() << 2;
    // Without response_format the reply is still checked against the agent's schema.
    QTest::newRow("then a reply breaking the schema")
        << std::vector<ScriptedResponse>{rejected, ScriptedResponse::completion(R"({"task_type":"banana","target":"Sale_Price"})")}
        << false << "not a known task" << 2;
    QTest::newRow("then 400 again") << std::vector<ScriptedResponse>{rejected, rejected, ScriptedResponse::object(kValidIntent)}
                                    << false << "HTTP 400" << 2;
    QTest::newRow("then 429, then valid")
        << std::vector<ScriptedResponse>{rejected, ScriptedResponse::error(429), ScriptedResponse::object(kValidIntent)}
        << true << QString() << 3;
}

// Many local servers (llama.cpp, older Ollama) answer 400 to response_format: ask once more
// without it.
void TestLlmAgents::badRequestAskedAgainWithoutResponseFormat()
{
    QFETCH(std::vector<ScriptedResponse>, script);
    QFETCH(bool, fromModel);
    QFETCH(QString, reason);
    QFETCH(int, requests);
    FakeLlmServer server;
    for (const ScriptedResponse &response : script)
        server.script({response});
    const auto result = askIntent(AgentRunner(configFor(server)));
    QCOMPARE(result.provenance.producedBy, fromModel ? ProducedBy::Llm : ProducedBy::Fallback);
    QVERIFY2(result.provenance.reason.contains(reason), qPrintable(result.provenance.reason));
    QCOMPARE(result.value.target, QStringLiteral("Sale_Price"));
    QCOMPARE(server.requests().size(), size_t(requests));
    const json first = json::parse(server.requests().at(0).body.toStdString());
    QVERIFY(first.contains("response_format"));
    for (size_t i = 1; i < server.requests().size(); ++i) {
        const json retried = json::parse(server.requests().at(i).body.toStdString());
        QVERIFY(!retried.contains("response_format"));
        QCOMPARE(retried.at("messages"), first.at("messages"));
    }
}

void TestLlmAgents::keyNeverReachesTheTranscript()
{
    QTemporaryDir dir;
    FakeLlmServer server;
    server.echoAuthorization = true;
    const QString path = dir.filePath(QStringLiteral("assets/agents/transcript.jsonl"));
    LlmConfig config = configFor(server);
    auto transcript = std::make_shared<const Transcript>(path, QStringList{config.apiKey});
    const auto result = askIntent(AgentRunner(config, {}, transcript));
    QCOMPARE(result.provenance.producedBy, ProducedBy::Fallback);
    QVERIFY2(result.provenance.reason.contains(QLatin1String("HTTP 401")), qPrintable(result.provenance.reason));
    QVERIFY(!result.provenance.reason.contains(kKey)); // the reason goes into events

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY2(text.contains("bad key: Bearer [redacted]"), text.constData()); // the echo was recorded...
    QVERIFY(!text.contains(kKey.toLatin1()));                                // ...without the key
    QVERIFY(!text.contains(kKey.left(12).toLatin1() + "0123"));
}

void TestLlmAgents::transcriptRecordsPromptsAndReplies()
{
    QTemporaryDir dir;
    FakeLlmServer server;
    ScriptedResponse limited = ScriptedResponse::error(429);
    limited.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("0")));
    server.script({limited, ScriptedResponse::object(kValidIntent)});
    const QString path = dir.filePath(QStringLiteral("transcript.jsonl"));
    int announced = 0;
    std::vector<std::string> logged;
    auto transcript = std::make_shared<const Transcript>(path, QStringList{kKey}, [&announced] { ++announced; });
    const AgentRunner runner(configFor(server), {}, transcript, [&logged](const char *name, json payload) {
        logged.push_back(std::string(name) + ":" + payload.value("text", ""));
    });
    askIntent(runner);
    askIntent(runner, QStringLiteral("forecast the price of houses"));

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    std::vector<json> lines;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.isEmpty())
            continue;
        auto parsed = parseJson(line);
        QVERIFY2(parsed.ok(), line.constData());
        lines.push_back(parsed.value());
    }
    // run 1: request, 429, 200, outcome; run 2: request, 500 (unscripted) x3, outcome
    QCOMPARE(lines.size(), size_t(9));
    QCOMPARE(lines[0].at("kind").get<std::string>(), std::string("request"));
    QCOMPARE(lines[0].at("agent").get<std::string>(), std::string("intent"));
    QVERIFY(lines[0].at("request").at("messages").dump().find("predict house prices") != std::string::npos);
    QCOMPARE(lines[1].at("http_status").get<int>(), 429);
    QCOMPARE(lines[2].at("http_status").get<int>(), 200);
    QVERIFY(lines[2].at("body").get<std::string>().find("sale_price") != std::string::npos);
    QCOMPARE(lines[3].at("produced_by").get<std::string>(), std::string("llm"));
    QCOMPARE(lines[8].at("produced_by").get<std::string>(), std::string("fallback"));
    for (const json &line : lines)
        QVERIFY(line.contains("ts"));
    QCOMPARE(announced, 1); // ARTIFACT_ADDED once, when the file was created
    QCOMPARE(logged.size(), size_t(2));
    QVERIFY2(logged[0].find("LOG_LINE:intent agent: answered by test/model") == 0, logged[0].c_str());
    QVERIFY2(logged[1].find("deterministic fallback") != std::string::npos, logged[1].c_str());
}

void TestLlmAgents::withoutConfigurationNothingIsAsked()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("transcript.jsonl"));
    LlmConfig config; // OpenRouter without a key
    QVERIFY(!config.isUsable());
    const AgentRunner runner(config, {}, std::make_shared<const Transcript>(path, QStringList{}));
    const auto result = askIntent(runner);
    QCOMPARE(result.provenance.producedBy, ProducedBy::Fallback);
    QVERIFY2(result.provenance.reason.contains(QLatin1String("no language model")), qPrintable(result.provenance.reason));
    QCOMPARE(result.value.target, QStringLiteral("Sale_Price"));
    QVERIFY(!QFile::exists(path)); // offline runs leave no transcript behind

    LlmConfig local;
    local.baseUrl = QUrl(QStringLiteral("http://localhost:11434/v1")); // Ollama needs no key
    QVERIFY(local.isUsable());
}

void TestLlmAgents::cancellationEndsTheWait()
{
    FakeLlmServer server;
    ScriptedResponse silent;
    silent.neverAnswer = true;
    server.script({silent});
    LlmConfig config = configFor(server);
    config.timeoutMs = 20000;
    std::atomic<bool> cancelled{false};
    QTimer::singleShot(200, this, [&cancelled] { cancelled = true; });
    QElapsedTimer clock;
    clock.start();
    const auto result = askIntent(AgentRunner(config, [&cancelled] { return cancelled.load(); }));
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(result.provenance.producedBy, ProducedBy::Fallback);
    QCOMPARE(result.provenance.reason, QStringLiteral("Cancelled"));
}

void TestLlmAgents::refusesTheGuiThread()
{
    FakeLlmServer server;
    const LlmClient client(configFor(server));
    const auto result = client.completeJson({{QStringLiteral("user"), QStringLiteral("hi")}}, 0);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QStringLiteral("llm.gui_thread"));
    QVERIFY(server.requests().empty());
}

void TestLlmAgents::codeFencesAreTolerated()
{
    const json body = {{"choices", {{{"message", {{"content", "```json\n{\"a\": 1}\n```"}}}}}}};
    const auto parsed = parseCompletionContent(QByteArray::fromStdString(body.dump()));
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->at("a").get<int>(), 1);
    const auto providerError = parseCompletionContent(R"({"error":{"message":"model overloaded"}})");
    QVERIFY(!providerError.ok());
    QVERIFY(providerError.error().message.contains(QLatin1String("model overloaded")));
}

void TestLlmAgents::baseUrlForms()
{
    LlmConfig config;
    QCOMPARE(config.completionsUrl().toString(), QStringLiteral("https://openrouter.ai/api/v1/chat/completions"));
    config.baseUrl = QUrl(QStringLiteral("http://localhost:11434/v1/"));
    QCOMPARE(config.completionsUrl().toString(), QStringLiteral("http://localhost:11434/v1/chat/completions"));
    config.baseUrl = QUrl(QStringLiteral("https://example.org/api/v1/chat/completions"));
    QCOMPARE(config.completionsUrl().toString(), QStringLiteral("https://example.org/api/v1/chat/completions"));
}

QTEST_GUILESS_MAIN(TestLlmAgents)
#include "tst_llmagents.moc"
