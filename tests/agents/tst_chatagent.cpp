#include "FakeLlmServer.h"

#include "core/agents/ChatAgent.h"
#include "core/pipeline/ProjectSession.h"

#include "../TestSupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace baton;

namespace {

ChatFacts trainedHousePrices()
{
    ChatFacts f;
    f.stage = QStringLiteral("TRAIN");
    f.stageStatus = QStringLiteral("WAITING_CONFIRMATION");
    f.stageMessage = QStringLiteral("Trained 12 candidates");
    f.goal = QStringLiteral("predict house prices");
    f.task = QStringLiteral("regression");
    f.target = QStringLiteral("Sale_Price");
    f.metric = QStringLiteral("rmse");
    f.timeBudgetS = 120;
    f.datasetName = QStringLiteral("Ames housing");
    f.rows = 2930;
    f.columns = {QStringLiteral("Lot_Area"), QStringLiteral("Neighborhood"), QStringLiteral("Year_Built"),
                 QStringLiteral("Sale_Price"), QStringLiteral("Gr_Liv_Area")};
    f.modelChoice = QStringLiteral("auto");
    f.finalModel = QStringLiteral("xgboost (70%), linear (30%)");
    f.primaryMetric = QStringLiteral("rmse");
    f.primaryValue = 23456.7;
    return f;
}

ChatFacts freshProject()
{
    ChatFacts f;
    f.stage = QStringLiteral("PARSE_INTENT");
    f.stageStatus = QStringLiteral("IN_PROGRESS");
    return f;
}

} // namespace

class TestChatAgent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        // Hermetic: a developer's own key must not send these questions to a real model.
        qunsetenv("OPENROUTER_API_KEY");
        qunsetenv("OPENROUTER_BASE_URL");
    }

    void rules_data();
    void rules();
    void questionsAnswerFromTheProjectState_data();
    void questionsAnswerFromTheProjectState();
    void untrainedProjectSaysSo();
    void excludeKeepsEarlierExclusions();

    void sessionRepliesAsLogLines();
    void sessionSuggestsWithASecondWarnLine();
    void sessionIgnoresEmptyText();
    void replyNeverWaitsForARunningStage();

    void modelRepliesMustFitTheProject_data();
    void modelRepliesMustFitTheProject();
    void sessionAsksTheModelWithTheConversation();
    void sessionFallsBackWhenTheModelFails();
};

void TestChatAgent::rules_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("intent");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("parameters"); // the patch as compact JSON, or "null"

    QTest::newRow("question mark") << "is it done?" << "question" << "none" << "null";
    QTest::newRow("what") << "what is the target" << "question" << "none" << "null";
    QTest::newRow("how") << "How good is the model" << "question" << "none" << "null";
    QTest::newRow("why") << "why this metric" << "question" << "none" << "null";
    QTest::newRow("explain") << "explain the results" << "question" << "none" << "null";
    QTest::newRow("retrain") << "retrain please" << "command" << "retrain" << "null";
    QTest::newRow("train again") << "train again" << "command" << "retrain" << "null";
    QTest::newRow("rerun") << "rerun it" << "command" << "retrain" << "null";
    QTest::newRow("export") << "export the model" << "command" << "export" << "null";
    QTest::newRow("download") << "I want to download it" << "command" << "export" << "null";
    QTest::newRow("save") << "save it" << "command" << "export" << "null";
    QTest::newRow("change metric") << "change the metric to MAE" << "suggestion" << "change_metric"
                                   << R"({"metric":"mae"})";
    QTest::newRow("metric in a question") << "can we use r2 instead?" << "suggestion" << "change_metric"
                                          << R"({"metric":"r2"})";
    QTest::newRow("budget") << "use a 5-minute budget" << "suggestion" << "change_budget"
                            << R"({"time_budget_s":300})";
    QTest::newRow("exclude") << "exclude Neighborhood" << "suggestion" << "exclude_columns"
                             << R"({"excluded_columns":[{"column":"Neighborhood","reason":"excluded in the chat"}]})";
    QTest::newRow("target") << "change the target to Lot_Area" << "suggestion" << "change_target"
                            << R"({"target":"Lot_Area"})";
    QTest::newRow("model") << "try a random forest" << "suggestion" << "change_model"
                           << R"({"model_id":"random_forest"})";
    QTest::newRow("change nothing known") << "switch it up" << "suggestion" << "none" << "null";
    QTest::newRow("acknowledgment") << "thanks" << "acknowledgment" << "none" << "null";
}

void TestChatAgent::rules()
{
    QFETCH(QString, text);
    QFETCH(QString, intent);
    QFETCH(QString, action);
    QFETCH(QString, parameters);
    const ChatReply reply = chatRules(text, trainedHousePrices());
    QCOMPARE(reply.intent, intent);
    QCOMPARE(reply.action, action);
    QVERIFY(chatActions().contains(reply.action));
    QCOMPARE(QString::fromStdString(reply.parameters.dump()), parameters);
    QVERIFY(!reply.message.isEmpty());
}

void TestChatAgent::questionsAnswerFromTheProjectState_data()
{
    QTest::addColumn<QString>("question");
    QTest::addColumn<QStringList>("mentions");

    QTest::newRow("score") << "how well does it perform?" << QStringList{"rmse", "23456.7", "TRAIN"};
    QTest::newRow("model") << "which model won?" << QStringList{"xgboost (70%), linear (30%)", "TRAIN"};
    QTest::newRow("target") << "what are we predicting?" << QStringList{"Sale_Price", "regression"};
    QTest::newRow("data") << "how many rows does the data have?" << QStringList{"Ames housing", "2930"};
    QTest::newRow("budget") << "what is the time budget?" << QStringList{"120 s"};
    QTest::newRow("general") << "what's going on?"
                             << QStringList{"predict house prices", "Sale_Price", "23456.7",
                                            "waiting for your confirmation"};
}

void TestChatAgent::questionsAnswerFromTheProjectState()
{
    QFETCH(QString, question);
    QFETCH(QStringList, mentions);
    const ChatReply reply = chatRules(question, trainedHousePrices());
    QCOMPARE(reply.intent, QStringLiteral("question"));
    for (const QString &m : mentions)
        QVERIFY2(reply.message.contains(m), qPrintable(reply.message + QStringLiteral(" lacks ") + m));
}

void TestChatAgent::untrainedProjectSaysSo()
{
    const ChatReply reply = chatRules(QStringLiteral("what is the accuracy?"), freshProject());
    QVERIFY2(reply.message.contains(QLatin1String("no test score yet")), qPrintable(reply.message));
    QVERIFY2(reply.message.contains(QLatin1String("PARSE_INTENT (running)")), qPrintable(reply.message));
    const ChatReply exportReply = chatRules(QStringLiteral("export"), freshProject());
    QVERIFY2(exportReply.message.contains(QLatin1String("no trained model")), qPrintable(exportReply.message));
}

void TestChatAgent::excludeKeepsEarlierExclusions()
{
    ChatFacts f = trainedHousePrices();
    f.excludedColumns = {QStringLiteral("Year_Built")};
    const ChatReply reply = chatRules(QStringLiteral("please ignore Gr_Liv_Area"), f);
    QCOMPARE(reply.action, QStringLiteral("exclude_columns"));
    const json &list = reply.parameters.at("excluded_columns");
    QCOMPARE(list.size(), size_t(2));
    QCOMPARE(list[0].at("column").get<std::string>(), std::string("Year_Built"));
    QCOMPARE(list[1].at("column").get<std::string>(), std::string("Gr_Liv_Area"));
}

namespace {

struct OpenSession
{
    QTemporaryDir dir;
    std::unique_ptr<ProjectSession> session;
    std::unique_ptr<test::EventRecorder> recorder;

    bool open()
    {
        auto opened = ProjectSession::open(Workspace(dir.path()), QStringLiteral("chat"));
        if (!opened)
            return false;
        session = std::move(opened).value();
        recorder = std::make_unique<test::EventRecorder>(&session->conductor());
        return true;
    }

    std::vector<Event> chatLines() const
    {
        std::vector<Event> out;
        for (const Event &e : recorder->named(events::LogLine)) {
            if (e.payload.value("run_id", "") == "chat")
                out.push_back(e);
        }
        return out;
    }
};

} // namespace

void TestChatAgent::sessionRepliesAsLogLines()
{
    OpenSession s;
    QVERIFY(s.open());
    s.session->conductor().updateContext({{"target", "Sale_Price"}, {"task", "regression"}});
    s.session->chat(QStringLiteral("  what is the target?  "));
    QTRY_COMPARE(s.chatLines().size(), size_t(1));
    const Event line = s.chatLines().front();
    QCOMPARE(line.payload.at("level").get<std::string>(), std::string("info"));
    QCOMPARE(line.payload.at("source").get<std::string>(), std::string("chat_agent"));
    const QString text = fromStd(line.payload.at("text").get<std::string>());
    QVERIFY2(text.startsWith(QStringLiteral("🤖 Assistant: ")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("Sale_Price")), qPrintable(text));
    // Envelope: the current stage with the status forced to IN_PROGRESS (protocol §1.6).
    QCOMPARE(line.stage, StageId::ParseIntent);
    QCOMPARE(line.stageStatus, StageStatus::InProgress);
}

void TestChatAgent::sessionSuggestsWithASecondWarnLine()
{
    OpenSession s;
    QVERIFY(s.open());
    s.session->chat(QStringLiteral("retrain it"));
    QTRY_COMPARE(s.chatLines().size(), size_t(2));
    const Event suggestion = s.chatLines().back();
    QCOMPARE(suggestion.payload.at("level").get<std::string>(), std::string("warn"));
    QCOMPARE(fromStd(suggestion.payload.at("text").get<std::string>()),
             QStringLiteral("💡 Suggested action: retrain"));
    QCOMPARE(suggestion.payload.at("action").get<std::string>(), std::string("retrain"));
}

void TestChatAgent::sessionIgnoresEmptyText()
{
    OpenSession s;
    QVERIFY(s.open());
    s.session->chat(QStringLiteral("   "));
    s.session->chat(QStringLiteral("thanks"));
    QTRY_COMPARE(s.chatLines().size(), size_t(1));
    QTest::qWait(50);
    QCOMPARE(s.chatLines().size(), size_t(1));
}

void TestChatAgent::replyNeverWaitsForARunningStage()
{
    OpenSession s;
    QVERIFY(s.open());
    Conductor &conductor = s.session->conductor();
    conductor.setHandler(StageId::ParseIntent, test::loopingHandler());
    conductor.startPipeline(QStringLiteral("predict something"));
    QTRY_VERIFY(!s.recorder->named(events::TrainProgress).empty());
    s.session->chat(QStringLiteral("what is happening?"));
    QTRY_COMPARE(s.chatLines().size(), size_t(1));
    QVERIFY(conductor.isBusy());
    conductor.cancel();
    QTRY_VERIFY(!conductor.isBusy());
}

void TestChatAgent::modelRepliesMustFitTheProject_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<QString>("problem"); // empty: valid
    QTest::newRow("answer") << QByteArray(R"({"message":"It predicts Sale_Price.","intent":"question","suggested_action":"none","parameters":null})") << "";
    QTest::newRow("action may be null") << QByteArray(R"({"message":"Hi!","intent":"acknowledgment","suggested_action":null})") << "";
    QTest::newRow("metric change") << QByteArray(R"({"message":"Use MAE.","intent":"suggestion","suggested_action":"change_metric","parameters":{"metric":"MAE"}})") << "";
    QTest::newRow("unknown metric") << QByteArray(R"({"message":"Use vibes.","intent":"suggestion","suggested_action":"change_metric","parameters":{"metric":"vibes"}})") << "not a metric";
    QTest::newRow("unknown column") << QByteArray(R"({"message":"Predict colour.","intent":"suggestion","suggested_action":"change_target","parameters":{"target":"Colour"}})") << "not a column";
    QTest::newRow("missing parameters") << QByteArray(R"({"message":"Budget!","intent":"suggestion","suggested_action":"change_budget"})") << "needs “parameters”";
    QTest::newRow("unknown action") << QByteArray(R"({"message":"Deploying.","intent":"command","suggested_action":"deploy"})") << "not one of";
    QTest::newRow("empty message") << QByteArray(R"({"message":"","intent":"question","suggested_action":"none"})") << "1 to 2000";
    QTest::newRow("excluding the target") << QByteArray(R"({"message":"x","intent":"suggestion","suggested_action":"exclude_columns","parameters":{"excluded_columns":["Sale_Price"]}})") << "target cannot";
}

void TestChatAgent::modelRepliesMustFitTheProject()
{
    QFETCH(QByteArray, reply);
    QFETCH(QString, problem);
    const auto checked = chatFromReply(json::parse(reply.toStdString()), trainedHousePrices());
    if (problem.isEmpty()) {
        QVERIFY2(checked.ok(), checked.ok() ? "" : qPrintable(checked.error().message));
        QVERIFY(chatActions().contains(checked->action));
    } else {
        QVERIFY(!checked.ok());
        QVERIFY2(checked.error().message.contains(problem), qPrintable(checked.error().message));
    }
}

namespace {

// Points the LLM settings at `server` for the life of the object.
struct LlmEnvironment
{
    explicit LlmEnvironment(const test::FakeLlmServer &server)
    {
        qputenv("OPENROUTER_BASE_URL", server.baseUrl().toUtf8());
        qputenv("OPENROUTER_API_KEY", "sk-chat-secret-key");
    }
    ~LlmEnvironment()
    {
        qunsetenv("OPENROUTER_BASE_URL");
        qunsetenv("OPENROUTER_API_KEY");
    }
};

} // namespace

void TestChatAgent::sessionAsksTheModelWithTheConversation()
{
    test::FakeLlmServer server;
    server.script({test::ScriptedResponse::object({{"message", "The model predicts Sale_Price."},
                                                 {"intent", "question"},
                                                 {"suggested_action", "none"},
                                                 {"parameters", nullptr}}),
                   test::ScriptedResponse::object({{"message", "MAE is less sensitive to outliers."},
                                                 {"intent", "suggestion"},
                                                 {"suggested_action", "change_metric"},
                                                 {"parameters", {{"metric", "mae"}}}})});
    LlmEnvironment environment(server);
    OpenSession s;
    QVERIFY(s.open());
    s.session->conductor().updateContext({{"target", "Sale_Price"}});
    s.session->chat(QStringLiteral("what do we predict?"));
    s.session->chat(QStringLiteral("would MAE be better?"));
    QTRY_COMPARE(s.chatLines().size(), size_t(3));

    const std::vector<Event> lines = s.chatLines();
    QCOMPARE(lines[0].payload.at("text").get<std::string>(), std::string("🤖 Assistant: The model predicts Sale_Price."));
    QCOMPARE(lines[0].payload.at("produced_by").get<std::string>(), std::string("llm"));
    QCOMPARE(lines[2].payload.at("action").get<std::string>(), std::string("change_metric"));
    QCOMPARE(lines[2].payload.at("parameters"), json({{"metric", "mae"}}));

    // The second question carries the first exchange.
    QCOMPARE(server.requests().size(), size_t(2));
    const json second = json::parse(server.requests()[1].body.toStdString()).at("messages");
    QCOMPARE(second.size(), size_t(4)); // system, user, assistant, user
    QCOMPARE(second[1].at("content").get<std::string>(), std::string("what do we predict?"));
    QVERIFY(second[2].at("content").get<std::string>().find("The model predicts Sale_Price.") != std::string::npos);
    QVERIFY(second[0].at("content").get<std::string>().find("\"target\":\"Sale_Price\"") != std::string::npos);

    // The transcript is in the project, announced once, and holds no key.
    QTRY_COMPARE(s.recorder->named(events::ArtifactAdded).size(), size_t(1));
    QFile transcript(s.dir.filePath(QStringLiteral("projects/chat/assets/agents/transcript.jsonl")));
    QVERIFY(transcript.open(QIODevice::ReadOnly));
    const QByteArray text = transcript.readAll();
    QVERIFY(text.contains("would MAE be better?"));
    QVERIFY(!text.contains("sk-chat-secret-key"));
}

void TestChatAgent::sessionFallsBackWhenTheModelFails()
{
    test::FakeLlmServer server;
    server.script({test::ScriptedResponse::completion("I think the target is probably the price")});
    LlmEnvironment environment(server);
    OpenSession s;
    QVERIFY(s.open());
    s.session->conductor().updateContext({{"target", "Sale_Price"}});
    s.session->chat(QStringLiteral("what is the target?"));
    QTRY_COMPARE(s.chatLines().size(), size_t(1));
    const json payload = s.chatLines().front().payload;
    QCOMPARE(payload.at("produced_by").get<std::string>(), std::string("fallback"));
    QVERIFY(payload.at("fallback_reason").get<std::string>().find("not valid JSON") != std::string::npos);
    QVERIFY(payload.at("text").get<std::string>().find("Sale_Price") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestChatAgent)
#include "tst_chatagent.moc"
