#include "core/conductor/Event.h"
#include "core/conductor/ProjectState.h"

#include <QtTest>

#include <limits>

using namespace baton;

class TestEvent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stageNamesRoundTrip_data();
    void stageNamesRoundTrip();
    void statusNamesRoundTrip();
    void unknownNamesAreRejected();
    void envelopeHasProtocolShape();
    void nonFiniteNumbersSerialiseAsNull();
    void wireEqualsDumpedEnvelope_data();
    void wireEqualsDumpedEnvelope();
    void invalidUtf8DoesNotThrow();
    void envelopeRoundTrips();
    void malformedEnvelopesAreRejected_data();
    void malformedEnvelopesAreRejected();
    void initialStateMatchesProtocol();
    void stateRoundTripsThroughJson();
    void parseJsonRejectsGarbage();
};

void TestEvent::stageNamesRoundTrip_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("name");
    const char *names[] = {"PARSE_INTENT", "DATA_SOURCE", "PROFILE_DATA", "PREPROCESS",
                           "MODEL_SELECT", "TRAIN",       "REVIEW_EDIT",  "EXPORT"};
    for (int i = 0; i < kStageCount; ++i)
        QTest::newRow(names[i]) << i << QString::fromLatin1(names[i]);
}

void TestEvent::stageNamesRoundTrip()
{
    QFETCH(int, index);
    QFETCH(QString, name);
    const auto stage = stageAt(index);
    QVERIFY(stage);
    QCOMPARE(stageName(*stage), name);
    QCOMPARE(stageFromName(name), stage);
    QCOMPARE(stageIndex(*stage), index);
}

void TestEvent::statusNamesRoundTrip()
{
    const QStringList names = {"PENDING", "IN_PROGRESS", "WAITING_CONFIRMATION",
                               "COMPLETED", "FAILED", "SKIPPED"};
    for (const QString &name : names) {
        const auto status = statusFromName(name);
        QVERIFY2(status, qPrintable(name));
        QCOMPARE(statusName(*status), name);
    }
}

void TestEvent::unknownNamesAreRejected()
{
    QVERIFY(!stageFromName(QStringLiteral("EVALUATE")));
    QVERIFY(!stageFromName(QStringLiteral("train")));
    QVERIFY(!statusFromName(QStringLiteral("running")));
    QVERIFY(!stageAt(8));
    QVERIFY(!stageAt(-1));
    QVERIFY(!nextStage(StageId::Export));
    QCOMPARE(nextStage(StageId::Train), StageId::ReviewEdit);
}

void TestEvent::envelopeHasProtocolShape()
{
    Event event;
    event.projectId = QStringLiteral("demo-project");
    event.seq = 42;
    event.tsMs = 1737100000123;
    event.stage = StageId::Train;
    event.stageStatus = StageStatus::InProgress;
    event.name = QStringLiteral("TRAIN_PROGRESS");
    event.payload = {{"run_id", "run_1a2b3c4d"}, {"epoch", 1}};

    const json j = json::parse(event.toWire());
    QCOMPARE(j["v"].get<int>(), 1);
    QCOMPARE(j["type"].get<std::string>(), "EVENT");
    QCOMPARE(j["project_id"].get<std::string>(), "demo-project");
    QCOMPARE(j["seq"].get<qint64>(), 42);
    QCOMPARE(j["ts"].get<qint64>(), 1737100000123);
    QCOMPARE(j["stage"]["id"].get<std::string>(), "TRAIN");
    QCOMPARE(j["stage"]["index"].get<int>(), 5);
    QCOMPARE(j["stage"]["status"].get<std::string>(), "IN_PROGRESS");
    QCOMPARE(j["event"]["name"].get<std::string>(), "TRAIN_PROGRESS");
    QCOMPARE(j["event"]["payload"]["run_id"].get<std::string>(), "run_1a2b3c4d");
}

void TestEvent::nonFiniteNumbersSerialiseAsNull()
{
    Event event;
    event.name = QStringLiteral("ROC_CURVE_READY");
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    event.payload = {{"auc", nan}, {"thresholds", {inf, 0.5, -inf}}, {"nested", {{"x", nan}}}};

    const std::string wire = event.toWire();
    QVERIFY2(wire.find("NaN") == std::string::npos, wire.c_str());
    QVERIFY2(wire.find("Infinity") == std::string::npos, wire.c_str());
    const json j = json::parse(wire); // strict parser: throws on NaN/Infinity
    const json &payload = j["event"]["payload"];
    QVERIFY(payload["auc"].is_null());
    QVERIFY(payload["thresholds"][0].is_null());
    QCOMPARE(payload["thresholds"][1].get<double>(), 0.5);
    QVERIFY(payload["thresholds"][2].is_null());
    QVERIFY(payload["nested"]["x"].is_null());

    QCOMPARE(toStrictJson(json(nan)), std::string("null"));
}

void TestEvent::wireEqualsDumpedEnvelope_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("projectId");
    QTest::newRow("plain") << QStringLiteral("METRIC_SCALAR") << QStringLiteral("demo");
    QTest::newRow("escapes") << QStringLiteral("quote\" back\\ tab\t nl\n cr\r bs\b ff\f")
                             << QStringLiteral("p");
    QTest::newRow("control") << QString::fromUtf8("bell\x07 nul\x01 us\x1f del\x7f") << QString();
    QTest::newRow("unicode") << QString::fromUtf8("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80")
                             << QString::fromUtf8("\xc3\xa9");
}

void TestEvent::wireEqualsDumpedEnvelope()
{
    // toWire() writes the envelope by hand for speed; it must stay byte-identical to dumping it.
    QFETCH(QString, text);
    QFETCH(QString, projectId);
    Event event;
    event.type = text;
    event.projectId = projectId;
    event.seq = 9007199254740993;
    event.tsMs = -1;
    event.stage = StageId::Export;
    event.stageStatus = StageStatus::WaitingConfirmation;
    event.name = text;
    event.payload = {{"text", toStd(text)}, {"nan", std::numeric_limits<double>::quiet_NaN()},
                     {"list", {1, 2.5, nullptr, true}}, {"nested", {{"b", 1}, {"a", json::object()}}}};
    QCOMPARE(QString::fromStdString(event.toWire()), QString::fromStdString(toStrictJson(event.toJson())));

    event.payload = nullptr;
    QCOMPARE(QString::fromStdString(event.toWire()), QString::fromStdString(toStrictJson(event.toJson())));
    event.payload = json::array();
    QCOMPARE(QString::fromStdString(event.toWire()), QString::fromStdString(toStrictJson(event.toJson())));
}

void TestEvent::invalidUtf8DoesNotThrow()
{
    json value = {{"text", std::string("caf\xe9")}}; // Latin-1 é: invalid UTF-8
    std::string out;
    try {
        out = toStrictJson(value);
    } catch (...) {
        QFAIL("toStrictJson threw on invalid UTF-8");
    }
    QVERIFY(json::accept(out));
}

void TestEvent::envelopeRoundTrips()
{
    Event event;
    event.projectId = QStringLiteral("p");
    event.seq = 7;
    event.tsMs = 99;
    event.stage = StageId::Export;
    event.stageStatus = StageStatus::WaitingConfirmation;
    event.name = QStringLiteral("WAITING_CONFIRMATION");
    event.payload = {{"stage_id", "EXPORT"}, {"summary", "ok"}, {"next_actions", json::array()}};

    const auto parsed = Event::fromJson(event.toJson());
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->toWire(), event.toWire());
}

void TestEvent::malformedEnvelopesAreRejected_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("no stage") << QByteArray(R"({"seq":1,"ts":1,"event":{"name":"X"}})");
    QTest::newRow("bad stage") << QByteArray(
        R"({"seq":1,"ts":1,"stage":{"id":"NOPE","status":"PENDING"},"event":{"name":"X"}})");
    QTest::newRow("seq string") << QByteArray(
        R"({"seq":"1","ts":1,"stage":{"id":"TRAIN","status":"PENDING"},"event":{"name":"X"}})");
    QTest::newRow("no name") << QByteArray(
        R"({"seq":1,"ts":1,"stage":{"id":"TRAIN","status":"PENDING"},"event":{}})");
}

void TestEvent::malformedEnvelopesAreRejected()
{
    QFETCH(QByteArray, text);
    const auto parsed = parseJson(text);
    QVERIFY(parsed.ok());
    const auto event = Event::fromJson(parsed.value());
    QVERIFY(!event.ok());
    QCOMPARE(event.error().kind, ErrorKind::BadInput);
    QVERIFY(event.error().message.contains(QLatin1String("Invalid event envelope")));
}

void TestEvent::initialStateMatchesProtocol()
{
    const json snapshot = ProjectState::initial(QStringLiteral("demo-project")).toSnapshot();
    QCOMPARE(snapshot["project_id"].get<std::string>(), "demo-project");
    QCOMPARE(snapshot["current_stage"]["id"].get<std::string>(), "PARSE_INTENT");
    QCOMPARE(snapshot["current_stage"]["status"].get<std::string>(), "IN_PROGRESS");
    QCOMPARE(snapshot["stages"].size(), size_t(8));
    for (size_t i = 1; i < 8; ++i) {
        QCOMPARE(snapshot["stages"][i]["status"].get<std::string>(), "PENDING");
        QCOMPARE(snapshot["stages"][i]["index"].get<size_t>(), i);
        QVERIFY(snapshot["stages"][i]["message"].is_null());
    }
    QVERIFY(snapshot["waiting_confirmation"].is_null());
}

void TestEvent::stateRoundTripsThroughJson()
{
    ProjectState state = ProjectState::initial(QStringLiteral("p1"));
    state.current = StageId::ProfileData;
    state.at(StageId::ParseIntent) = {StageStatus::Completed, QStringLiteral("Understood")};
    state.at(StageId::DataSource) = {StageStatus::Skipped, std::nullopt};
    state.at(StageId::ProfileData) = {StageStatus::WaitingConfirmation, QStringLiteral("3 warnings")};
    state.waiting = WaitingConfirmation{StageId::ProfileData, QStringLiteral("3 warnings"),
                                        {QStringLiteral("Confirm"), QStringLiteral("Edit")}};
    state.running = StageId::ProfileData;
    state.context = {{"target", "Sale_Price"}, {"budget", 60}};

    const auto back = ProjectState::fromJson(json::parse(toStrictJson(state.toJson())));
    QVERIFY(back.ok());
    QCOMPARE(toStrictJson(back->toJson()), toStrictJson(state.toJson()));
    QCOMPARE(back->waiting->nextActions.size(), 2);
    QCOMPARE(*back->running, StageId::ProfileData);
}

void TestEvent::parseJsonRejectsGarbage()
{
    const auto parsed = parseJson(QByteArray("{\"a\": NaN}"), QStringLiteral("frame"));
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().context, QStringLiteral("frame"));
    QVERIFY(!parseJson(QByteArray("{")).ok());
    QVERIFY(parseJson(QByteArray("{\"a\": null}")).ok());
}

QTEST_GUILESS_MAIN(TestEvent)
#include "tst_event.moc"
