#include "IntentRules.h"

#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <functional>
#include <initializer_list>
#include <limits>

// How the offline parser reads a goal
// ===================================
// 1. Masking. Metric names ("rmse", "mean absolute error", "R²", "roc auc", ...), time budgets
//    ("in 5 minutes", "within 30 s", "budget 2 min", "a 10-minute budget") and exclusions ("ignore /
//    exclude / without / drop / don't use X, Y and Z") are extracted first and their words are masked,
//    so "mean absolute error" never matches the column "mean radius". "in N s|min" and "for N s|min"
//    are budgets; hours count only after an explicit budget word ("under 1 hour"), because "in 24 hours"
//    is usually a forecast horizon. "mse" maps to "rmse" (same ranking). "accuracy" named in a
//    regression/forecast goal is colloquial and dropped.
// 2. Words. Tokens are lower-cased, split on snake_case, camelCase, spaces and punctuation, and crudely
//    stemmed (prices->price, passengers->passenger, categories->category). Cues per task:
//    image     image(s), photo, picture, jpg/png, pixel, camera, mnist, handwritten; digit, face, scan
//              (weaker); recognise (+); two animals ("cats vs dogs", "tell cats from dogs"); or
//              `dataIsImageFolder`, which always wins: the data is images.
//    forecast  forecast, time series; future cues: tomorrow, next/coming <unit|number>, upcoming,
//              ahead, future, horizon, over time, from now, in N days; periodic words (hourly, daily,
//              monthly) with demand/sales/load/passengers/traffic-like quantities.
//    class.    classify/classifier (explicit); whether, is it, yes or no, which type/kind/species,
//              tell X from Y, X vs Y, a yes/no question ("Will this customer churn?") (decisive);
//              spam, fraud, churn, detect, diagnose, malignant/benign, survive (strong); species,
//              category, type, label, cancer (weak).
//    regr.     regression (explicit); how much/many/far/long, number of (decisive); price, cost, value,
//              estimate, sales, temperature, progression, score, ... (weak).
// 3. Focus. The phrase after a trigger ("predict", "forecast", "estimate", "classify", "what", "which",
//    "how much", "model of/for", ...) names the target; its last word is the head ("house prices" ->
//    price). "the number of X" continues after "of". Without a trigger, "X classifier / recognition /
//    prediction" is read backwards. After classify/identify the phrase names the things being sorted
//    ("classify wines"), not the label, so it weighs less. Words after from/using/given/based on/with
//    describe features and weigh little.
// 4. Columns (when a table is known). Each column is scored against the weighted prompt words:
//    exact stem 1.0, synonym 0.8 (price~cost~value~worth~sale; demand~load~consumption~mw~power;
//    weather~condition~type~rain/sun/fog; temperature~temp; max~maximum~high; passenger~people~traffic;
//    species/flower/type/class/label/diagnosis/cancer/tumour/cultivar/progression/outcome -> columns
//    named target/label/class/y/outcome), prefix 0.7; plus a little for covering the whole name and for
//    target-like names (price, sales, label). The score is scaled by how well the column's kind fits
//    the words (a continuous column for a "classify" goal, a categorical one for a "price" goal, and
//    time stamps, are unlikely targets). "how much/many" picks the best numeric column and "classify"
//    the best non-continuous one when such a column matches. The best column wins if it scores >= 1,
//    unless the focus phrase matched nothing ("the origin of this wine") and a column named
//    target/label/class/y/outcome exists, which then stands for it; with no match that column is used;
//    else, for a time + value table, the value column; else the parser asks. Clustering words
//    ("cluster the wines") without a focus give no target: Baton's tasks are supervised.
// 5. Task. Image as above (never for a table). With a table: forecast when a DateTime column exists, the
//    target is numeric and there is a forecast word or future cue (or the table is a single series:
//    time + one numeric column); else explicit classify/regression words; else decisive question words;
//    else the target's kind decides (categorical/boolean/text or an integer with <= 10 values or a
//    number with <= 2 values -> classification; other numbers -> regression). Without data the cue
//    scores decide; a future cue means forecast unless the goal is a yes/no or category question.
// 6. Without a table the target is a phrase: the "X vs Y" pair, the focus phrase (or the strong cue word
//    when the phrase only names the subject: "classify emails as spam" -> spam), the noun-form phrase
//    or a strong cue word ("will this customer churn?" -> churn). Image folders without a phrase get "label" (the folder name is the
//    label). The dataset hint is the remaining content words minus generic ones (price, value, type, ...).
// 7. needsClarification when the task or the target is unknown, with one question for each.

namespace baton {

namespace {

struct IntentText
{
    Q_DECLARE_TR_FUNCTIONS(IntentRules)
};

using ColumnKind = ColumnHint::Kind;

// ---------------------------------------------------------------------------------------------
// Words

QString stem(const QString &word)
{
    // Both the prompt and the column names go through this, so consistency matters more than
    // linguistic accuracy.
    static const QSet<QString> keep = {
        QStringLiteral("species"), QStringLiteral("series"),   QStringLiteral("news"),
        QStringLiteral("diagnosis"), QStringLiteral("analysis"), QStringLiteral("basis"),
        QStringLiteral("status"),  QStringLiteral("bonus"),    QStringLiteral("virus"),
        QStringLiteral("cancerous"), QStringLiteral("this"),   QStringLiteral("plus"),
        QStringLiteral("less"),    QStringLiteral("does"),     QStringLiteral("yes"),
        QStringLiteral("always"),  QStringLiteral("various"),  QStringLiteral("previous"),
        QStringLiteral("mass"),    QStringLiteral("iris"),     QStringLiteral("wales"),
        QStringLiteral("gas"),     QStringLiteral("bus"),      QStringLiteral("versus"),
    };
    if (word.size() <= 3 || !word.back().isLetter() || keep.contains(word))
        return word;
    if (word.endsWith(QLatin1String("ies")) && word.size() > 4)
        return word.chopped(3) + QLatin1Char('y');
    if (word.endsWith(QLatin1String("sses")) || word.endsWith(QLatin1String("xes"))
        || word.endsWith(QLatin1String("ches")) || word.endsWith(QLatin1String("shes")))
        return word.chopped(2);
    if (word.endsWith(QLatin1String("ss")) || word.endsWith(QLatin1String("us"))
        || word.endsWith(QLatin1String("is")))
        return word;
    if (word.endsWith(QLatin1Char('s')))
        return word.chopped(1);
    return word;
}

using WordSet = QSet<QString>;

WordSet stems(std::initializer_list<const char *> words)
{
    WordSet out;
    for (const char *w : words)
        out.insert(stem(QString::fromUtf8(w)));
    return out;
}

const WordSet &fillerWords()
{
    static const WordSet s = stems({
        "a", "an", "the", "this", "that", "these", "those", "my", "our", "your", "their", "its",
        "his", "her", "i", "we", "you", "me", "us", "it", "they", "them", "he", "she", "him", "to",
        "of", "for", "in", "on", "at", "by", "with", "from", "into", "onto", "over", "under", "and",
        "or", "but", "nor", "so", "as", "is", "are", "was", "were", "be", "been", "being", "am",
        "will", "would", "shall", "should", "could", "can", "may", "might", "must", "do", "does",
        "did", "done", "doing", "have", "has", "had", "having", "please", "want", "wanted", "wish",
        "need", "needed", "like", "some", "any", "all", "each", "every", "which", "what", "who",
        "whom", "whose", "how", "much", "many", "when", "where", "why", "whether", "if", "then",
        "than", "there", "here", "just", "also", "only", "very", "really", "quite", "about",
        "based", "using", "use", "used", "given", "let", "lets", "help", "build", "train", "make",
        "create", "fit", "run", "get", "got", "know", "see", "find", "out", "up", "model", "data",
        "dataset", "column", "feature", "variable", "field", "table", "csv", "file", "thing",
        "something", "other", "others", "another", "same", "way", "going", "gonna", "wanna",
        "able", "try", "show", "give", "work", "figure", "im", "dont", "not", "no", "yes", "vs",
        "versus", "v", "via", "per", "apart", "between", "among", "both", "either", "neither",
        "more", "most", "least", "good", "better", "best", "new", "own", "say", "tell", "sort",
        "group", "look", "looking", "possible", "accurately", "accurate", "well", "after", "before",
        "whom", "ok", "okay", "hi", "hello", "hey", "thanks", "thank", "optimise", "optimize",
        "maximise", "maximize", "minimise", "minimize", "report", "judge", "evaluate", "metric",
        "quick", "quickly", "fast", "also",
    });
    return s;
}

const WordSet &triggerWords()
{
    static const WordSet s = stems({
        "predict", "predicts", "predicting", "prediction", "forecast", "forecasts", "forecasting",
        "forecasted", "estimate", "estimating", "estimation", "classify", "classifying",
        "categorize", "categorise", "categorizing", "categorising", "detect", "detecting",
        "identify", "identifying", "recognise", "recognize", "recognising", "recognizing",
        "determine", "guess", "diagnose", "diagnosing", "model", "modeling", "modelling", "project",
        "projecting", "tell", "distinguish", "differentiate", "calculate", "compute", "anticipate",
        "foresee", "find", "figure", "know", "sort", "group",
    });
    return s;
}

const WordSet &entityTriggers()
{
    // The phrase after these names the things being sorted, not the label.
    static const WordSet s = stems({
        "classify", "classifying", "categorize", "categorise", "categorizing", "categorising",
        "identify", "identifying", "recognise", "recognize", "recognising", "recognizing",
        "distinguish", "differentiate", "sort", "group", "classifier", "classification",
        "recognition", "detection", "detector",
    });
    return s;
}

const WordSet &nounForms()
{
    static const WordSet s = stems({
        "classifier", "classification", "recognition", "detection", "detector", "prediction",
        "predictor", "forecast", "forecasting", "estimation", "estimator", "regression",
        "regressor", "model", "analysis",
    });
    return s;
}

const WordSet &howAdjectives()
{
    static const WordSet s = stems({
        "much", "many", "far", "long", "big", "large", "high", "old", "hot", "cold", "warm",
        "often", "fast", "tall", "heavy", "expensive",
    });
    return s;
}

const WordSet &featureWords()
{
    static const WordSet s = stems({"from", "using", "use", "given", "based", "with", "via"});
    return s;
}

const WordSet &relativeTimeWords()
{
    static const WordSet s = stems({
        "today", "tomorrow", "tonight", "yesterday", "next", "last", "previous", "coming",
        "upcoming", "future", "later", "now", "ahead",
    });
    return s;
}

const WordSet &timeUnits()
{
    static const WordSet s = stems({
        "second", "minute", "hour", "day", "week", "month", "year", "quarter", "season", "weekend",
        "decade", "night", "morning", "evening", "half", "period", "step", "sec", "min", "h", "hr",
    });
    return s;
}

const WordSet &numberWords()
{
    static const WordSet s = stems({
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "twenty", "thirty", "hundred", "thousand", "few", "couple", "several", "dozen",
    });
    return s;
}

const WordSet &periodicWords()
{
    static const WordSet s = stems({
        "hourly", "daily", "weekly", "monthly", "yearly", "annual", "annually", "quarterly",
        "seasonal",
    });
    return s;
}

const WordSet &temporalQuantities()
{
    static const WordSet s = stems({
        "demand", "sales", "load", "passengers", "traffic", "consumption", "visitors", "ridership",
        "arrivals", "usage", "footfall", "electricity", "energy",
    });
    return s;
}

// "the number of passengers": the head is after "of".
const WordSet &containerWords()
{
    static const WordSet s = stems({
        "number", "amount", "count", "level", "total", "quantity", "percentage", "proportion",
        "share", "probability", "chance", "likelihood", "image", "picture", "photo", "photograph",
        "pic", "img", "snapshot",
    });
    return s;
}

// "progression score": the word before a generic head carries the meaning.
const WordSet &genericHeads()
{
    static const WordSet s =
        stems({"number", "amount", "count", "level", "total", "score", "figure", "quantity"});
    return s;
}

const WordSet &imageNouns()
{
    static const WordSet s = stems({"image", "picture", "photo", "photograph", "pic", "img",
                                    "snapshot", "jpg", "jpeg", "png"});
    return s;
}

const WordSet &imageStrong()
{
    static const WordSet s = stems({
        "image", "picture", "photo", "photograph", "pic", "img", "jpg", "jpeg", "png", "pixel",
        "camera", "vision", "mnist", "cifar", "imagenet", "xray", "mri", "selfie", "webcam",
        "handwritten", "handwriting", "ocr", "snapshot",
    });
    return s;
}

const WordSet &imageMedium()
{
    static const WordSet s = stems({"digit", "scan", "face", "satellite"});
    return s;
}

const WordSet &animals()
{
    static const WordSet s = stems({
        "cat", "dog", "bird", "horse", "cow", "sheep", "fish", "lion", "tiger", "bear", "wolf",
        "fox", "rabbit", "mouse", "rat", "deer", "elephant", "giraffe", "zebra", "monkey", "panda",
        "duck", "chicken", "pig", "goat", "frog", "snake", "butterfly", "bee", "ant", "spider",
        "puppy", "kitten", "kitty",
    });
    return s;
}

const WordSet &clsExplicit()
{
    static const WordSet s = stems({
        "classify", "classifying", "classification", "classifier", "categorize", "categorise",
        "categorization", "categorisation", "categorizing", "categorising", "binary", "multiclass",
    });
    return s;
}

const WordSet &clsStrong()
{
    static const WordSet s = stems({
        "spam", "fraud", "fraudulent", "churn", "churned", "detect", "detecting", "detection",
        "detector", "diagnose", "diagnosis", "malignant", "benign", "survive", "survival",
        "survived", "default", "sentiment", "toxic", "defect", "defective", "anomaly",
        "anomalous", "cancerous",
    });
    return s;
}

const WordSet &clsWeak()
{
    static const WordSet s = stems({
        "species", "category", "categorical", "type", "kind", "class", "label", "identify",
        "recognise", "recognize", "outcome", "probability", "likelihood", "chance", "risk",
        "cultivar", "breed", "cancer", "tumor", "tumour", "classes", "likely", "unlikely",
    });
    return s;
}

// which/what + one of these asks for a category.
const WordSet &typeWords()
{
    static const WordSet s = stems({"type", "kind", "class", "category", "species", "breed",
                                    "cultivar", "variety", "sort", "genre", "label", "group"});
    return s;
}

const WordSet &regExplicit()
{
    static const WordSet s = stems({"regression", "regress", "regressor"});
    return s;
}

const WordSet &regNouns()
{
    static const WordSet s = stems({
        "price", "cost", "value", "worth", "amount", "estimate", "sales", "revenue", "income",
        "salary", "wage", "rent", "temperature", "progression", "score", "count", "quantity",
        "weight", "height", "length", "duration", "rate", "yield", "consumption", "demand",
        "load", "usage", "sell", "spend", "profit", "expense", "bill", "fare", "mileage",
        "precipitation", "rainfall", "mw", "power", "energy",
    });
    return s;
}

const WordSet &forecastExplicit()
{
    static const WordSet s =
        stems({"forecast", "forecasts", "forecasting", "forecasted", "timeseries"});
    return s;
}

// Removed from the dataset hint: they say what to predict, not which data.
const WordSet &genericTargetWords()
{
    static const WordSet s = stems({
        "price", "cost", "value", "amount", "number", "count", "score", "type", "kind", "class",
        "category", "label", "target", "outcome", "result", "sell", "worth", "probability",
        "chance", "likelihood", "level", "total", "quantity", "classes", "prices",
    });
    return s;
}

const WordSet &taskWords()
{
    static const WordSet s = stems({
        "classifier", "classification", "regression", "regressor", "recognition", "detection",
        "detector", "prediction", "predictor", "estimation", "estimator", "time", "series",
        "timeseries", "binary", "multiclass", "future", "horizon", "ahead", "vs", "versus",
    });
    return s;
}

// Synonym groups, as stems. A word may sit in several groups.
const QHash<QString, QList<int>> &synonymIndex()
{
    static const QHash<QString, QList<int>> index = [] {
        const std::vector<std::vector<const char *>> groups = {
            {"price", "cost", "value", "worth", "sale", "sell", "selling", "valuation", "pricing",
             "saleprice", "expensive", "cheap", "pricey", "affordable"},
            {"old", "age", "built", "construction", "aged"},
            {"demand", "load", "consumption", "mw", "usage", "power", "electricity", "energy",
             "megawatt", "kwh"},
            {"weather", "condition", "type", "outlook", "sunny", "rainy", "rain", "sun", "fog",
             "foggy", "drizzle", "snow", "snowy", "cloudy", "sky"},
            {"precipitation", "rain", "rainfall", "precip", "rainy", "wet"},
            {"temperature", "temp", "hot", "warm", "cold", "heat"},
            {"max", "maximum", "high", "highest", "peak", "daytime"},
            {"min", "minimum", "low", "lowest", "overnight"},
            {"wind", "windy", "windspeed", "gust", "breeze"},
            {"passenger", "traveler", "traveller", "flyer", "rider", "people", "traffic"},
            // Generic names for "the thing to predict": a column literally called target, label,
            // class, y or outcome stands for any of them.
            {"target", "label", "class", "y", "outcome", "species", "flower", "kind", "type",
             "diagnosis", "diagnose", "cancer", "cancerous", "tumor", "tumour", "malignant",
             "benign", "mass", "lump", "cultivar", "variety", "progression", "progress", "disease",
             "category", "result", "response"},
            {"neighborhood", "neighbourhood", "district", "location"},
            {"bldg", "building"},
            {"bp", "pressure"},
            {"year", "yr"},
        };
        QHash<QString, QList<int>> h;
        for (int g = 0; g < static_cast<int>(groups.size()); ++g) {
            for (const char *w : groups[static_cast<size_t>(g)])
                h[stem(QString::fromUtf8(w))].append(g);
        }
        return h;
    }();
    return index;
}

bool areSynonyms(const QString &a, const QString &b)
{
    const auto &index = synonymIndex();
    const auto ia = index.constFind(a);
    const auto ib = index.constFind(b);
    if (ia == index.constEnd() || ib == index.constEnd())
        return false;
    for (int g : *ia) {
        if (ib->contains(g))
            return true;
    }
    return false;
}

double wordMatch(const QString &p, const QString &c)
{
    if (p == c)
        return 1.0;
    if (areSynonyms(p, c))
        return 0.8;
    // Abbreviations in column names: temp/temperature, precip/precipitation, cond/condition.
    if (p.size() >= 4 && c.size() >= 4 && (p.startsWith(c) || c.startsWith(p)))
        return 0.7;
    return 0.0;
}

bool isNumberToken(const QString &s)
{
    return (!s.isEmpty() && s.front().isDigit()) || numberWords().contains(s);
}

// ---------------------------------------------------------------------------------------------
// Tokens

struct Token
{
    QString raw; // lower case, as typed
    QString stem;
    qsizetype begin = 0;
    qsizetype end = 0;
    bool punct = false;
    bool masked = false; // part of a metric, time budget or exclusion phrase
};

std::vector<Token> tokenize(const QString &text)
{
    std::vector<Token> out;
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = text.at(i);
        if (!c.isLetterOrNumber()) {
            if (QStringView(u",.;:?!()[]{}").contains(c)) {
                Token t;
                t.raw = t.stem = QString(c);
                t.begin = i;
                t.end = i + 1;
                t.punct = true;
                out.push_back(std::move(t));
            }
            ++i;
            continue;
        }
        const qsizetype begin = i;
        QString word;
        while (i < n) {
            const QChar d = text.at(i);
            if (d.isLetterOrNumber()) {
                if (!word.isEmpty() && d.isUpper() && text.at(i - 1).isLower())
                    break; // camelCase: SalePrice -> sale price
                word += d.toLower();
                ++i;
            } else if ((d == u'\'' || d == u'\u2019') && i + 1 < n && text.at(i + 1).isLetter()) {
                // Possessive "'s" is dropped (tomorrow's), contractions are joined (don't).
                const bool possessive = text.at(i + 1).toLower() == u's'
                                        && (i + 2 >= n || !text.at(i + 2).isLetterOrNumber());
                i += possessive ? 2 : 1;
                if (possessive)
                    break;
            } else if (d == u'.' && !word.isEmpty() && word.back().isDigit() && i + 1 < n
                       && text.at(i + 1).isDigit()) {
                word += d; // a decimal number, not the end of a sentence
                ++i;
            } else {
                break;
            }
        }
        Token t;
        t.raw = word;
        t.stem = stem(word);
        t.begin = begin;
        t.end = i;
        out.push_back(std::move(t));
        if ((word == u"vs" || word == u"v") && i < n && text.at(i) == u'.')
            ++i; // "vs." does not end a sentence
    }
    return out;
}

QStringList identifierStems(const QString &name)
{
    static const WordSet skip = stems({"of", "the", "and", "in", "per", "a", "an", "to", "for"});
    QStringList out;
    for (const Token &t : tokenize(name)) {
        if (!t.punct && !skip.contains(t.stem))
            out.append(t.stem);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Masked phrases: metric, budget, exclusions

struct Span
{
    qsizetype begin = 0;
    qsizetype end = 0;
};

struct MetricHit
{
    QString name;
    Span span;
};

QRegularExpression ci(const QString &pattern)
{
    return QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption);
}

std::vector<MetricHit> findMetrics(const QString &text)
{
    static const std::vector<std::pair<QString, QRegularExpression>> patterns = {
        {QStringLiteral("balanced_accuracy"), ci(QStringLiteral(R"(\bbalanced[\s_-]*acc(?:uracy)?\b)"))},
        {QStringLiteral("roc_auc"),
         ci(QStringLiteral(R"(\b(?:roc[\s_-]*auc|auc[\s_-]*roc|auroc|area under (?:the )?(?:roc )?curve|auc)\b)"))},
        {QStringLiteral("log_loss"),
         ci(QStringLiteral(R"(\b(?:log[\s_-]*loss|logloss|cross[\s_-]*entropy|logarithmic loss)\b)"))},
        {QStringLiteral("rmsle"),
         ci(QStringLiteral(R"(\b(?:rmsle|root[\s_-]+mean[\s_-]+squared?[\s_-]+log(?:arithmic)?[\s_-]+error)\b)"))},
        {QStringLiteral("rmse"),
         ci(QStringLiteral(R"(\b(?:rmse|mse|root[\s_-]+mean[\s_-]+squared?[\s_-]+error|mean[\s_-]+squared?[\s_-]+error)\b)"))},
        {QStringLiteral("mae"), ci(QStringLiteral(R"(\b(?:mae|mean[\s_-]+absolute[\s_-]+error)\b)"))},
        {QStringLiteral("r2"),
         ci(QStringLiteral(R"((?:\br(?:2|²|\^2|[\s-]?squared)(?![\w²])|\bcoefficient of determination\b))"))},
        {QStringLiteral("f1"),
         ci(QStringLiteral(R"(\b(?:f[\s_-]?1(?:[\s_-]*score)?|f[\s_-]?score|f[\s_-]?measure)\b)"))},
        {QStringLiteral("accuracy"), ci(QStringLiteral(R"(\baccuracy\b)"))},
    };
    std::vector<MetricHit> hits;
    for (const auto &[name, re] : patterns) {
        auto it = re.globalMatch(text);
        while (it.hasNext()) {
            const auto m = it.next();
            hits.push_back({name, {m.capturedStart(), m.capturedEnd()}});
        }
    }
    // Earliest first; at the same place the longer phrase ("balanced accuracy") wins.
    std::sort(hits.begin(), hits.end(), [](const MetricHit &a, const MetricHit &b) {
        if (a.span.begin != b.span.begin)
            return a.span.begin < b.span.begin;
        return (a.span.end - a.span.begin) > (b.span.end - b.span.begin);
    });
    // Drop hits nested in an earlier, longer one ("accuracy" inside "balanced accuracy").
    std::vector<MetricHit> kept;
    for (const auto &h : hits) {
        if (!kept.empty() && h.span.begin < kept.back().span.end)
            continue;
        kept.push_back(h);
    }
    return kept;
}

struct BudgetHit
{
    int seconds = 0;
    Span span;
};

std::optional<BudgetHit> findBudget(const QString &text)
{
    static const QString num = QStringLiteral(R"((\d+(?:[.,]\d+)?))");
    static const QString anyUnit =
        QStringLiteral(R"((seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h))");
    static const QString shortUnit = QStringLiteral(R"((seconds?|secs?|s|minutes?|mins?|m))");
    static const QString notHorizon = QStringLiteral(
        R"((?!\s*(?:ahead|later|from now|into the future|out|horizon|intervals?|steps?|resolution|granularity|windows?)\b))");
    // Explicit budget words allow any unit.
    static const QRegularExpression strong = ci(
        QStringLiteral(R"(\b(?:budget|limit|within|under|at most|no more than|less than|max(?:imum)?|spend(?:ing)?|take|taking|cap(?:ped)?(?: at)?|time[\s-]?box(?:ed)?)\b(?:\s+(?:of|is|at|to|about|around|roughly|only|just|the|a|budget|limit|time|training))*\s*[:=]?\s*)")
        + num + QStringLiteral(R"(\s*-?\s*)") + anyUnit + QStringLiteral(R"(\b)") + notHorizon);
    // "in 5 minutes", "for 90 seconds": hours are left out, "in 24 hours" is usually a horizon.
    static const QRegularExpression weak =
        ci(QStringLiteral(R"(\b(?:in|for)\s+(?:about\s+|around\s+|roughly\s+|only\s+|just\s+)?)")
           + num + QStringLiteral(R"(\s*-?\s*)") + shortUnit + QStringLiteral(R"(\b)")
           + notHorizon);
    // "a 10-minute budget", "2 min limit".
    static const QRegularExpression suffix =
        ci(num + QStringLiteral(R"(\s*-?\s*)") + anyUnit
           + QStringLiteral(
               R"(\s+(?:time\s+)?(?:budget|limit|cap|max(?:imum)?|time[\s-]?box|of training|training|run|search)\b)"));

    std::optional<BudgetHit> best;
    for (const QRegularExpression *re : {&strong, &weak, &suffix}) {
        const auto m = re->match(text);
        if (!m.hasMatch())
            continue;
        QString number = m.captured(1);
        number.replace(QLatin1Char(','), QLatin1Char('.'));
        bool ok = false;
        const double value = number.toDouble(&ok);
        const QString unit = m.captured(2).toLower();
        if (!ok || !std::isfinite(value) || value <= 0)
            continue;
        double factor = 1;
        if (unit.startsWith(QLatin1Char('m')))
            factor = 60;
        else if (unit.startsWith(QLatin1Char('h')))
            factor = 3600;
        const double seconds = std::min(value * factor, 7.0 * 24 * 3600);
        if (!best || m.capturedStart() < best->span.begin)
            best = BudgetHit{std::max(1, static_cast<int>(std::lround(seconds))),
                             {m.capturedStart(), m.capturedEnd()}};
    }
    return best;
}

struct ExclusionHit
{
    QStringList items; // as typed, cleaned
    Span span;
};

std::vector<ExclusionHit> findExclusions(const QString &text)
{
    static const QRegularExpression trigger = ci(QStringLiteral(
        R"(\b(?:ignore|ignoring|exclude|excluding|without(?:\s+using)?|drop(?!\s+(?:in|of|off|out)\b)|dropping|remove|removing|except|leave\s+out|leaving\s+out|skip|skipping|(?:do\s+not|don['’]?t|never|not)\s+use|not\s+using)\b)"));
    static const QRegularExpression stop = ci(QStringLiteral(
        R"([.;!?\n]|\b(?:then|but|so|to|because|since|as|predict\w*|forecast\w*|classif\w*|estimat\w*|detect\w*|optimi[sz]\w*|maximi[sz]\w*|minimi[sz]\w*|within|under|in\s+\d|for\s+\d|budget|using)\b)"));
    static const QRegularExpression separator =
        ci(QStringLiteral(R"(\s*(?:,|/|&|\band\b|\bor\b|\bnor\b|\bplus\b)\s*)"));
    static const QRegularExpression lead = ci(QStringLiteral(
        R"(^(?:(?:the|a|an|any|all|column|columns|feature|features|field|fields|variable|variables|using|use|of|named|called)\b\s*)+)"));
    static const QRegularExpression tail = ci(QStringLiteral(
        R"((?:\s*\b(?:column|columns|feature|features|field|fields|variable|variables|col|cols)\b)+$)"));

    std::vector<ExclusionHit> out;
    auto it = trigger.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        const qsizetype from = m.capturedEnd();
        const auto s = stop.match(text, from);
        const qsizetype to = s.hasMatch() ? s.capturedStart() : text.size();
        if (to <= from)
            continue;
        ExclusionHit hit;
        hit.span = {m.capturedStart(), to};
        const QStringList parts = text.mid(from, to - from).split(separator, Qt::SkipEmptyParts);
        for (QString part : parts) {
            part.remove(QRegularExpression(QStringLiteral(R"([`"'“”‘’])")));
            part = part.trimmed();
            part.remove(lead);
            part.remove(tail);
            part = part.trimmed();
            if (!part.isEmpty())
                hit.items.append(part);
        }
        if (!hit.items.isEmpty())
            out.push_back(std::move(hit));
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Columns

struct ColumnInfo
{
    const ColumnHint *hint = nullptr;
    QStringList tokens; // stems
    bool targetLike = false;
    bool excluded = false;
};

bool isClassLike(const ColumnHint &c)
{
    switch (c.kind) {
    case ColumnKind::Categorical:
    case ColumnKind::Boolean:
    case ColumnKind::Text:
        return true;
    case ColumnKind::Integer:
        return c.distinct > 0 && c.distinct <= 10;
    case ColumnKind::Numeric:
        return c.distinct > 0 && c.distinct <= 2;
    case ColumnKind::DateTime:
        return false;
    }
    return false;
}

bool isContinuous(const ColumnHint &c)
{
    return (c.kind == ColumnKind::Numeric || c.kind == ColumnKind::Integer) && !isClassLike(c);
}

// Matches an exclusion item to columns: exact name first, else the most specific columns whose
// words cover every word of the item (all of them when several tie: "ignore temperature").
QStringList matchExclusion(const QString &item, const std::vector<ColumnInfo> &columns)
{
    const QString lowered = item.toLower();
    for (const auto &c : columns) {
        if (c.hint->name.toLower() == lowered)
            return {c.hint->name};
    }
    const QStringList itemStems = identifierStems(item);
    if (itemStems.isEmpty())
        return {};
    for (const auto &c : columns) {
        if (c.tokens == itemStems)
            return {c.hint->name};
    }
    QStringList best;
    qsizetype bestExtra = std::numeric_limits<qsizetype>::max();
    double bestStrength = 0;
    for (const auto &c : columns) {
        if (c.tokens.isEmpty())
            continue;
        double strength = 0;
        bool all = true;
        for (const QString &w : itemStems) {
            double m = 0;
            for (const QString &t : c.tokens)
                m = std::max(m, wordMatch(w, t));
            if (m <= 0) {
                all = false;
                break;
            }
            strength += m;
        }
        if (!all)
            continue;
        const qsizetype extra = c.tokens.size() - itemStems.size();
        if (strength > bestStrength + 1e-9 || (std::abs(strength - bestStrength) < 1e-9 && extra < bestExtra)) {
            best = {c.hint->name};
            bestStrength = strength;
            bestExtra = extra;
        } else if (std::abs(strength - bestStrength) < 1e-9 && extra == bestExtra) {
            best.append(c.hint->name);
        }
    }
    return best;
}

// ---------------------------------------------------------------------------------------------
// The prompt, analysed

struct Focus
{
    std::vector<qsizetype> tokens; // indices into the token list
    qsizetype head = -1;
    qsizetype headAlt = -1; // the word before a generic head ("progression score")
    bool entity = false;
    // The phrase names the subject, not the label: "classify emails (as spam)",
    // "whether a loan (will default)".
    bool subjectOnly = false;
};

struct Pair
{
    std::vector<qsizetype> left;
    std::vector<qsizetype> right;
};

struct Cues
{
    double image = 0;
    bool explicitCls = false;
    bool explicitReg = false;
    bool explicitForecast = false;
    bool futureCue = false;
    bool periodic = false;
    bool temporalQuantity = false;
    bool clsQuestion = false;
    bool regQuestion = false;
    bool clustering = false; // unsupervised: there is no target to learn
    double clsStrong = 0;
    double clsWeak = 0;
    double regWeak = 0;
    QString strongWord; // first strong classification word, raw ("churn")

    double clsScore() const
    {
        return (explicitCls ? 3 : 0) + (clsQuestion ? 2 : 0) + std::min(clsStrong, 4.0)
               + std::min(clsWeak, 2.0);
    }
    double regScore() const
    {
        return (explicitReg ? 3 : 0) + (regQuestion ? 2 : 0) + std::min(regWeak, 2.0);
    }
};

class Analysis
{
public:
    explicit Analysis(std::vector<Token> tokens) : m_tokens(std::move(tokens))
    {
        m_zeroTime.assign(m_tokens.size(), false);
        markTimePhrases();
        m_pair = findPair();
        m_focus = findFocus();
        scanCues();
        computeWeights();
    }

    const std::vector<Token> &tokens() const { return m_tokens; }
    const Cues &cues() const { return m_cues; }
    const std::optional<Focus> &focus() const { return m_focus; }
    const std::optional<Pair> &pair() const { return m_pair; }
    double weight(size_t i) const { return m_weights[i]; }

    bool isContent(size_t i) const
    {
        const Token &t = m_tokens[i];
        return !t.punct && !t.masked && !fillerWords().contains(t.stem)
               && !triggerWords().contains(t.stem) && !isNumberToken(t.stem) && !m_zeroTime[i]
               && !relativeTimeWords().contains(t.stem);
    }

    QString joinRaw(const std::vector<qsizetype> &indices, bool dropImageNouns) const
    {
        QStringList words;
        for (qsizetype i : indices) {
            const Token &t = m_tokens[static_cast<size_t>(i)];
            if (dropImageNouns && imageNouns().contains(t.stem))
                continue;
            words.append(t.raw);
        }
        return words.join(QLatin1Char(' '));
    }

    QString pairPhrase() const
    {
        if (!m_pair)
            return {};
        const QString l = joinRaw(m_pair->left, true);
        const QString r = joinRaw(m_pair->right, true);
        if (l.isEmpty() || r.isEmpty())
            return {};
        return l + QStringLiteral(" vs ") + r;
    }

private:
    const QString &stemAt(qsizetype i) const { return m_tokens[static_cast<size_t>(i)].stem; }
    qsizetype count() const { return static_cast<qsizetype>(m_tokens.size()); }
    bool usable(qsizetype i) const
    {
        return i >= 0 && i < count() && !m_tokens[static_cast<size_t>(i)].punct
               && !m_tokens[static_cast<size_t>(i)].masked;
    }
    bool is(qsizetype i, const char *word) const
    {
        return usable(i) && stemAt(i) == QLatin1String(word);
    }

    // "next year", "24 hours", "one year after": a time span, not a column.
    void markTimePhrases()
    {
        for (qsizetype i = 0; i < count(); ++i) {
            if (!usable(i) || !timeUnits().contains(stemAt(i)))
                continue;
            for (qsizetype back = 1; back <= 2 && i - back >= 0; ++back) {
                const qsizetype j = i - back;
                if (!usable(j))
                    break;
                if (relativeTimeWords().contains(stemAt(j)) || isNumberToken(stemAt(j))
                    || stemAt(j) == QLatin1String("this") || stemAt(j) == QLatin1String("every")
                    || stemAt(j) == QLatin1String("per") || stemAt(j) == QLatin1String("each")) {
                    m_zeroTime[static_cast<size_t>(i)] = true;
                    break;
                }
            }
        }
    }

    bool pairContent(qsizetype i) const
    {
        return usable(i) && !fillerWords().contains(stemAt(i))
               && !triggerWords().contains(stemAt(i)) && !nounForms().contains(stemAt(i))
               && !isNumberToken(stemAt(i));
    }

    std::optional<Pair> findPair() const
    {
        static const WordSet vs = stems({"vs", "versus", "v"});
        static const WordSet tell = stems({"tell", "distinguish", "differentiate", "separate"});
        static const WordSet tellSkip = stems({"apart", "between", "me", "us", "the", "a", "an"});
        static const WordSet connectors = stems({"from", "and", "or", "vs", "versus"});
        for (qsizetype i = 0; i < count(); ++i) {
            if (!usable(i))
                continue;
            if (vs.contains(stemAt(i))) {
                Pair p;
                for (qsizetype j = i - 1; j >= 0 && p.left.size() < 2 && pairContent(j); --j)
                    p.left.insert(p.left.begin(), j);
                for (qsizetype j = i + 1; j < count() && p.right.size() < 2 && pairContent(j); ++j)
                    p.right.push_back(j);
                if (!p.left.empty() && !p.right.empty())
                    return p;
            }
            // "cats or dogs?"
            if ((stemAt(i) == QLatin1String("or") || stemAt(i) == QLatin1String("and"))
                && usable(i - 1) && usable(i + 1) && animals().contains(stemAt(i - 1))
                && animals().contains(stemAt(i + 1)))
                return Pair{{i - 1}, {i + 1}};
            if (tell.contains(stemAt(i))) {
                qsizetype j = i + 1;
                while (usable(j) && tellSkip.contains(stemAt(j)))
                    ++j;
                Pair p;
                while (p.left.size() < 2 && pairContent(j) && !connectors.contains(stemAt(j)))
                    p.left.push_back(j++);
                if (p.left.empty() || !usable(j) || !connectors.contains(stemAt(j)))
                    continue;
                ++j;
                while (usable(j) && tellSkip.contains(stemAt(j)))
                    ++j;
                while (p.right.size() < 2 && pairContent(j) && !connectors.contains(stemAt(j)))
                    p.right.push_back(j++);
                if (!p.right.empty())
                    return p;
            }
        }
        return std::nullopt;
    }

    bool leadingSkippable(qsizetype i) const
    {
        const QString &s = stemAt(i);
        if (featureWords().contains(s) || s == QLatin1String("and") || s == QLatin1String("or")
            || s == QLatin1String("but"))
            return false;
        return fillerWords().contains(s) || relativeTimeWords().contains(s)
               || m_zeroTime[static_cast<size_t>(i)];
    }

    bool endsPhrase(qsizetype i, bool phraseEmpty) const
    {
        if (!usable(i))
            return true;
        const QString &s = stemAt(i);
        if (fillerWords().contains(s) || triggerWords().contains(s) || nounForms().contains(s)
            || relativeTimeWords().contains(s) || isNumberToken(s) || m_zeroTime[static_cast<size_t>(i)])
            return true;
        // "which cultivar produced this wine": a participle after a noun is the verb.
        const QString &raw = m_tokens[static_cast<size_t>(i)].raw;
        return !phraseEmpty && raw.size() > 4 && raw.endsWith(QLatin1String("ed"));
    }

    // Collects a phrase forward from `j`; continues past "of" after container words.
    std::vector<qsizetype> collectForward(qsizetype j) const
    {
        std::vector<qsizetype> phrase;
        while (usable(j) && leadingSkippable(j))
            ++j;
        for (int round = 0; round < 2; ++round) {
            while (phrase.size() < 5 && !endsPhrase(j, phrase.empty()))
                phrase.push_back(j++);
            const bool allContainers =
                !phrase.empty() && std::all_of(phrase.begin(), phrase.end(), [this](qsizetype k) {
                    return containerWords().contains(stemAt(k));
                });
            if (!allContainers || !is(j, "of"))
                break;
            phrase.clear(); // "the number of passengers" -> passengers
            ++j;
            while (usable(j) && leadingSkippable(j))
                ++j;
        }
        return phrase;
    }

    std::optional<Focus> findFocus() const
    {
        static const WordSet modelNouns =
            stems({"model", "classifier", "predictor", "regressor", "estimator", "forecaster"});
        for (qsizetype i = 0; i < count(); ++i) {
            if (!usable(i))
                continue;
            const QString &s = stemAt(i);
            qsizetype start = -1;
            if (s == QLatin1String("how")) {
                if (usable(i + 1) && howAdjectives().contains(stemAt(i + 1)))
                    start = i + 2;
            } else if (s == QLatin1String("what") || s == QLatin1String("which")
                       || s == QLatin1String("whether") || triggerWords().contains(s)) {
                start = i + 1;
            } else if (modelNouns.contains(s) && (is(i + 1, "for") || is(i + 1, "of"))) {
                start = i + 2;
            }
            if (start < 0)
                continue;
            // "tell X from Y" is a pair, not a focus.
            if (m_pair && (s == QLatin1String("tell") || s == QLatin1String("distinguish")
                           || s == QLatin1String("differentiate")))
                continue;
            Focus f;
            f.tokens = collectForward(start);
            if (f.tokens.empty())
                continue;
            f.entity = entityTriggers().contains(s);
            f.subjectOnly = f.entity || s == QLatin1String("whether");
            for (qsizetype j = start; j < f.tokens.front(); ++j) {
                if (is(j, "whether") || is(j, "if"))
                    f.subjectOnly = true;
            }
            setHead(f);
            return f;
        }
        // "cat vs dog classifier", "house price prediction".
        for (qsizetype i = 0; i < count(); ++i) {
            if (!usable(i) || !nounForms().contains(stemAt(i)))
                continue;
            Focus f;
            for (qsizetype j = i - 1; j >= 0 && f.tokens.size() < 4; --j) {
                if (endsPhrase(j, true) && !is(j, "vs") && !is(j, "versus"))
                    break;
                f.tokens.insert(f.tokens.begin(), j);
            }
            if (f.tokens.empty())
                continue;
            f.entity = entityTriggers().contains(stemAt(i));
            setHead(f);
            return f;
        }
        return std::nullopt;
    }

    void setHead(Focus &f) const
    {
        f.head = f.tokens.back();
        if (genericHeads().contains(stemAt(f.head)) && f.tokens.size() >= 2)
            f.headAlt = f.tokens[f.tokens.size() - 2];
    }

    void scanCues()
    {
        static const WordSet firstWordQuestion =
            stems({"is", "are", "does", "do", "will", "can", "was", "has", "did", "could", "would",
                   "should", "am"});
        static const WordSet addressee = stems({"you", "we", "i", "baton", "u"});
        static const WordSet recognise =
            stems({"recognise", "recognize", "recognising", "recognizing", "recognition"});
        Cues &c = m_cues;
        QSet<QString> animalSeen;
        QSet<QString> regSeen;
        QSet<QString> clsSeen;
        // A yes/no question ("Will this customer churn?", "Is the mass cancerous?") asks for a class,
        // unless it is a request ("Can you predict...", "Is it possible to forecast...").
        bool firstWord = true;
        bool sentenceQuestion = false;
        bool sentenceTrigger = false;
        const auto endSentence = [&] {
            if (sentenceQuestion && !sentenceTrigger)
                c.clsQuestion = true;
            sentenceQuestion = sentenceTrigger = false;
            firstWord = true;
        };
        for (qsizetype i = 0; i < count(); ++i) {
            if (!usable(i)) {
                if (i < count() && m_tokens[static_cast<size_t>(i)].punct
                    && m_tokens[static_cast<size_t>(i)].raw != QLatin1String(","))
                    endSentence();
                continue;
            }
            const QString &s = stemAt(i);
            if (firstWord && firstWordQuestion.contains(s)
                && !(usable(i + 1) && addressee.contains(stemAt(i + 1))))
                sentenceQuestion = true;
            if ((s == QLatin1String("is") || s == QLatin1String("are"))
                && (is(i + 1, "it") || is(i + 1, "this") || is(i + 1, "there") || is(i + 1, "they")))
                sentenceQuestion = true;
            if (triggerWords().contains(s) || nounForms().contains(s))
                sentenceTrigger = true;
            firstWord = false;

            if (imageStrong().contains(s))
                c.image += 3;
            else if (imageMedium().contains(s))
                c.image += 1.5;
            if (recognise.contains(s))
                c.image += 1;
            if (animals().contains(s))
                animalSeen.insert(s);
            if ((s == QLatin1String("x") && is(i + 1, "ray")))
                c.image += 3;

            if (clsExplicit().contains(s))
                c.explicitCls = true;
            static const WordSet cluster =
                stems({"cluster", "clustering", "clusters", "segment", "segmentation", "unsupervised"});
            if (cluster.contains(s))
                c.clustering = true;
            if (regExplicit().contains(s))
                c.explicitReg = true;
            if (forecastExplicit().contains(s) || (s == QLatin1String("time") && is(i + 1, "series")))
                c.explicitForecast = true;
            if (s == QLatin1String("multi") && is(i + 1, "class"))
                c.explicitCls = true;

            if (clsStrong().contains(s) && !clsSeen.contains(s)) {
                clsSeen.insert(s);
                c.clsStrong += 2;
                static const WordSet verbs = stems({"detect", "detecting", "detection", "detector",
                                                    "diagnose"});
                if (c.strongWord.isEmpty() && !verbs.contains(s))
                    c.strongWord = m_tokens[static_cast<size_t>(i)].raw;
            } else if (clsWeak().contains(s) && !clsSeen.contains(s)) {
                clsSeen.insert(s);
                c.clsWeak += 1;
            }
            if (regNouns().contains(s) && !regSeen.contains(s)) {
                regSeen.insert(s);
                c.regWeak += 1;
            }

            if (s == QLatin1String("whether") || s == QLatin1String("distinguish")
                || s == QLatin1String("differentiate"))
                c.clsQuestion = true;
            if ((s == QLatin1String("yes") && (is(i + 1, "no") || (is(i + 1, "or") && is(i + 2, "no"))))
                || (s == QLatin1String("or") && is(i + 1, "not"))
                || (s == QLatin1String("true") && is(i + 1, "or") && is(i + 2, "false"))
                || (s == QLatin1String("pass") && is(i + 1, "or") && is(i + 2, "fail"))
                || (s == QLatin1String("positive") && is(i + 1, "or") && is(i + 2, "negative")))
                c.clsQuestion = true;
            if ((s == QLatin1String("which") || s == QLatin1String("what"))
                && usable(i + 1) && typeWords().contains(stemAt(i + 1)))
                c.clsQuestion = true;
            if (s == QLatin1String("how") && usable(i + 1) && howAdjectives().contains(stemAt(i + 1)))
                c.regQuestion = true;
            if ((s == QLatin1String("number") || s == QLatin1String("amount")) && is(i + 1, "of"))
                c.regQuestion = true;

            if (relativeTimeWords().contains(s)) {
                const bool needsUnit = s == QLatin1String("next") || s == QLatin1String("coming")
                                       || s == QLatin1String("last") || s == QLatin1String("previous")
                                       || s == QLatin1String("now") || s == QLatin1String("later")
                                       || s == QLatin1String("today") || s == QLatin1String("yesterday");
                if (!needsUnit)
                    c.futureCue = true; // tomorrow, tonight, upcoming, future, ahead
                if (s == QLatin1String("next") || s == QLatin1String("coming")) {
                    for (qsizetype j = i + 1; j <= i + 2; ++j) {
                        if (usable(j) && (timeUnits().contains(stemAt(j)) || isNumberToken(stemAt(j))))
                            c.futureCue = true;
                    }
                }
                if (s == QLatin1String("later") && usable(i - 1) && !fillerWords().contains(stemAt(i - 1)))
                    c.futureCue = true;
            }
            if (s == QLatin1String("horizon"))
                c.futureCue = true;
            if (s == QLatin1String("from") && is(i + 1, "now"))
                c.futureCue = true;
            if (s == QLatin1String("over") && is(i + 1, "time"))
                c.futureCue = true;
            if (s == QLatin1String("in") && usable(i + 1) && isNumberToken(stemAt(i + 1)) && usable(i + 2)) {
                static const WordSet longUnits = stems({"day", "week", "month", "year", "quarter"});
                if (longUnits.contains(stemAt(i + 2)))
                    c.futureCue = true; // "in 3 days"
            }
            if (periodicWords().contains(s))
                c.periodic = true;
            if (temporalQuantities().contains(s))
                c.temporalQuantity = true;
        }
        endSentence();
        if (animalSeen.size() >= 2)
            c.image += 3;
        else if (animalSeen.size() == 1)
            c.image += 1;
        if (m_pair)
            c.clsQuestion = true;
    }

    void computeWeights()
    {
        m_weights.assign(m_tokens.size(), 0.0);
        bool featureMode = false;
        QSet<qsizetype> pairTokens;
        if (m_pair) {
            for (qsizetype i : m_pair->left)
                pairTokens.insert(i);
            for (qsizetype i : m_pair->right)
                pairTokens.insert(i);
        }
        for (qsizetype i = 0; i < count(); ++i) {
            const Token &t = m_tokens[static_cast<size_t>(i)];
            if (t.punct) {
                featureMode = false;
                continue;
            }
            if (t.masked)
                continue;
            if (triggerWords().contains(t.stem)) {
                featureMode = false;
                continue;
            }
            if (featureWords().contains(t.stem)) {
                const bool pairConnector = m_pair && t.stem == QLatin1String("from")
                                           && pairTokens.contains(i - 1);
                if (!pairConnector)
                    featureMode = true;
                continue;
            }
            if (!isContent(static_cast<size_t>(i)))
                continue;
            m_weights[static_cast<size_t>(i)] = featureMode && !pairTokens.contains(i) ? 0.3 : 1.0;
        }
        if (m_focus) {
            const double modifier = m_focus->entity ? 1.0 : 1.5;
            const double head = m_focus->entity ? 1.5 : 3.0;
            for (qsizetype i : m_focus->tokens) {
                if (isContent(static_cast<size_t>(i)))
                    m_weights[static_cast<size_t>(i)] = modifier;
            }
            for (qsizetype i : {m_focus->head, m_focus->headAlt}) {
                if (i >= 0 && isContent(static_cast<size_t>(i)))
                    m_weights[static_cast<size_t>(i)] = head;
            }
        }
    }

    std::vector<Token> m_tokens;
    std::vector<bool> m_zeroTime;
    std::vector<double> m_weights;
    std::optional<Pair> m_pair;
    std::optional<Focus> m_focus;
    Cues m_cues;
};

// ---------------------------------------------------------------------------------------------
// Column scoring

enum class Lean { None, Classification, Regression, Forecast };

Lean wordLean(const Cues &c)
{
    const double cls = c.clsScore();
    if (c.explicitForecast || (c.futureCue && cls < 2))
        return Lean::Forecast;
    const double reg = c.regScore();
    if (cls > reg && cls >= 1)
        return Lean::Classification;
    if (reg > cls && reg >= 1)
        return Lean::Regression;
    return Lean::None;
}

double kindFit(const ColumnHint &c, Lean lean)
{
    double fit = 1.0;
    if (c.kind == ColumnKind::DateTime)
        return 0.1; // time stamps index the data; they are not what people predict
    if (c.kind == ColumnKind::Text)
        fit *= 0.5;
    if (c.rows > 20 && c.distinct == c.rows && c.kind != ColumnKind::Numeric)
        fit *= 0.3; // an identifier
    switch (lean) {
    case Lean::Classification:
        if (isContinuous(c))
            fit *= 0.4;
        break;
    case Lean::Regression:
        if (c.kind == ColumnKind::Categorical || c.kind == ColumnKind::Boolean)
            fit *= 0.5;
        else if (isClassLike(c))
            fit *= 0.8;
        break;
    case Lean::Forecast:
        if (!isContinuous(c))
            fit *= 0.4;
        break;
    case Lean::None:
        break;
    }
    return fit;
}

struct ColumnScore
{
    qsizetype column = -1;
    double best = 0;
    double second = 0;
    bool bestFromFocus = false; // the focus phrase, not just other words, matched the best column
};

ColumnScore scoreColumns(const Analysis &a, const std::vector<ColumnInfo> &columns, Lean lean,
                         const std::function<bool(const ColumnHint &)> &allowed = {})
{
    const auto &tokens = a.tokens();
    QSet<size_t> focusTokens;
    if (a.focus()) {
        for (qsizetype i : a.focus()->tokens)
            focusTokens.insert(static_cast<size_t>(i));
    }
    ColumnScore out;
    for (qsizetype ci = 0; ci < static_cast<qsizetype>(columns.size()); ++ci) {
        const ColumnInfo &col = columns[static_cast<size_t>(ci)];
        if (col.excluded || col.tokens.isEmpty() || (allowed && !allowed(*col.hint)))
            continue;
        double score = 0;
        bool fromFocus = false;
        QSet<qsizetype> covered;
        for (size_t i = 0; i < tokens.size(); ++i) {
            const double w = a.weight(i);
            if (w <= 0)
                continue;
            double best = 0;
            qsizetype bestTok = -1;
            for (qsizetype k = 0; k < col.tokens.size(); ++k) {
                const double m = wordMatch(tokens[i].stem, col.tokens[k]);
                if (m > best) {
                    best = m;
                    bestTok = k;
                }
            }
            if (best > 0) {
                score += w * best;
                covered.insert(bestTok);
                fromFocus = fromFocus || focusTokens.contains(i);
            }
        }
        if (score <= 0)
            continue;
        score += 0.5 * static_cast<double>(covered.size()) / static_cast<double>(col.tokens.size());
        // The whole name, word for word ("sale price", "temp max"): a little more.
        const qsizetype len = col.tokens.size();
        if (len >= 2) {
            for (size_t i = 0; i + static_cast<size_t>(len) <= tokens.size(); ++i) {
                double maxW = 0;
                bool all = true;
                for (qsizetype k = 0; k < len; ++k) {
                    const size_t t = i + static_cast<size_t>(k);
                    if (tokens[t].punct || tokens[t].stem != col.tokens[k]) {
                        all = false;
                        break;
                    }
                    maxW = std::max(maxW, a.weight(t));
                }
                if (all) {
                    score += 0.5 * maxW;
                    break;
                }
            }
        }
        // Between equals, a column named like a typical target ("Sale_Price") is the better guess.
        if (std::any_of(col.tokens.begin(), col.tokens.end(), [](const QString &t) {
                return regNouns().contains(t) || clsStrong().contains(t)
                       || t == QLatin1String("target") || t == QLatin1String("label");
            }))
            score += 0.2;
        score *= kindFit(*col.hint, lean);
        if (score > out.best) {
            out.second = out.best;
            out.best = score;
            out.column = ci;
            out.bestFromFocus = fromFocus;
        } else if (score > out.second) {
            out.second = score;
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Phrases

QString targetPhrase(const Analysis &a, bool image)
{
    QString phrase = a.pairPhrase();
    if (!phrase.isEmpty())
        return phrase;
    const QString &strong = a.cues().strongWord;
    if (!image && a.focus() && a.focus()->subjectOnly && !strong.isEmpty()) {
        // "classify emails as spam" -> spam, "whether a loan will default" -> default
        const bool inFocus = std::any_of(a.focus()->tokens.begin(), a.focus()->tokens.end(),
                                         [&](qsizetype i) {
                                             return a.tokens()[static_cast<size_t>(i)].raw == strong;
                                         });
        if (!inFocus)
            return strong;
    }
    if (a.focus()) {
        phrase = a.joinRaw(a.focus()->tokens, image);
        if (!phrase.isEmpty())
            return phrase;
    }
    return a.cues().strongWord;
}

QString datasetHint(const Analysis &a)
{
    QStringList words;
    QSet<QString> seen;
    const auto &tokens = a.tokens();
    for (size_t i = 0; i < tokens.size() && words.size() < 6; ++i) {
        if (!a.isContent(i))
            continue;
        const QString &s = tokens[i].stem;
        if (genericTargetWords().contains(s) || taskWords().contains(s) || clsExplicit().contains(s)
            || regExplicit().contains(s) || forecastExplicit().contains(s)
            || periodicWords().contains(s) || seen.contains(s))
            continue;
        seen.insert(s);
        words.append(tokens[i].raw);
    }
    return words.join(QLatin1Char(' '));
}

QString taskQuestion()
{
    return IntentText::tr("Is this about sorting things into categories (classification), "
                          "predicting a number (regression), forecasting values over time, or "
                          "recognising images?");
}

QString columnQuestion(const std::vector<ColumnInfo> &columns)
{
    QStringList names;
    for (const auto &c : columns) {
        if (c.hint->kind != ColumnKind::DateTime && !c.excluded && !c.hint->name.isEmpty())
            names.append(c.hint->name);
    }
    // The end of a table is where targets usually sit.
    if (names.size() > 6)
        names = names.mid(names.size() - 6);
    if (names.isEmpty())
        return IntentText::tr("Which column should Baton predict?");
    return IntentText::tr("Which column should Baton predict? For example: %1.")
        .arg(names.join(QStringLiteral(", ")));
}

} // namespace

// ---------------------------------------------------------------------------------------------

QString taskKindName(TaskKind kind)
{
    switch (kind) {
    case TaskKind::Classification:
        return QStringLiteral("classification");
    case TaskKind::Regression:
        return QStringLiteral("regression");
    case TaskKind::Forecast:
        return QStringLiteral("forecast");
    case TaskKind::Image:
        return QStringLiteral("image");
    case TaskKind::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

std::optional<TaskKind> taskKindFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("classification"))
        return TaskKind::Classification;
    if (n == QLatin1String("regression"))
        return TaskKind::Regression;
    if (n == QLatin1String("forecast") || n == QLatin1String("forecasting")
        || n == QLatin1String("timeseries") || n == QLatin1String("time_series")
        || n == QLatin1String("time-series"))
        return TaskKind::Forecast;
    if (n == QLatin1String("image") || n == QLatin1String("vision"))
        return TaskKind::Image;
    if (n == QLatin1String("unknown") || n == QLatin1String("other"))
        return TaskKind::Unknown;
    return std::nullopt; // includes "auto": no explicit choice
}

QString protocolTaskType(TaskKind kind)
{
    switch (kind) {
    case TaskKind::Classification:
        return QStringLiteral("classification");
    case TaskKind::Regression:
        return QStringLiteral("regression");
    case TaskKind::Forecast:
        return QStringLiteral("timeseries");
    case TaskKind::Image:
        return QStringLiteral("vision");
    case TaskKind::Unknown:
        break;
    }
    return QStringLiteral("other");
}

json ParsedIntent::toJson() const
{
    json constraints = json::object();
    if (!metric.isEmpty())
        constraints["metric"] = toStd(metric);
    if (timeBudgetS)
        constraints["time_budget_s"] = *timeBudgetS;
    json excluded = json::array();
    for (const QString &c : excludedColumns)
        excluded.push_back(toStd(c));
    constraints["excluded_columns"] = std::move(excluded);
    if (needsClarification)
        constraints["needs_clarification"] = true;
    if (!questions.isEmpty()) {
        json q = json::array();
        for (const QString &s : questions)
            q.push_back(toStd(s));
        constraints["questions"] = std::move(q);
    }
    return json{
        {"task_type", toStd(protocolTaskType(task))},
        {"task", toStd(taskKindName(task))},
        {"target", toStd(target)},
        {"dataset_hint", toStd(datasetHint)},
        {"constraints", std::move(constraints)},
        {"confidence", std::isfinite(confidence) ? std::clamp(confidence, 0.0, 1.0) : 0.0},
    };
}

ParsedIntent parseIntentRules(const QString &prompt, const std::vector<ColumnHint> &columns,
                              bool dataIsImageFolder)
{
    ParsedIntent out;
    if (prompt.trimmed().isEmpty()) {
        out.needsClarification = true;
        out.questions = {IntentText::tr("What do you want to predict?"),
                         IntentText::tr("Which data should Baton use?")};
        if (dataIsImageFolder)
            out.task = TaskKind::Image;
        return out;
    }

    // 1. Masked phrases.
    std::vector<ColumnInfo> infos;
    infos.reserve(columns.size());
    static const WordSet targetNames = stems({"target", "label", "class", "y", "outcome", "labels", "classes"});
    for (const ColumnHint &c : columns) {
        ColumnInfo info;
        info.hint = &c;
        info.tokens = identifierStems(c.name);
        info.targetLike = info.tokens.size() == 1 && targetNames.contains(info.tokens.front());
        infos.push_back(std::move(info));
    }
    const bool tabular = !columns.empty() && !dataIsImageFolder;

    std::vector<Span> masks;
    const auto metrics = findMetrics(prompt);
    if (!metrics.empty())
        out.metric = metrics.front().name;
    for (const auto &m : metrics)
        masks.push_back(m.span);
    if (const auto budget = findBudget(prompt)) {
        out.timeBudgetS = budget->seconds;
        masks.push_back(budget->span);
    }
    for (const auto &hit : findExclusions(prompt)) {
        bool matchedAny = false;
        for (const QString &item : hit.items) {
            if (!tabular) {
                if (!out.excludedColumns.contains(item))
                    out.excludedColumns.append(item);
                matchedAny = true;
                continue;
            }
            for (const QString &name : matchExclusion(item, infos)) {
                matchedAny = true;
                if (!out.excludedColumns.contains(name))
                    out.excludedColumns.append(name);
            }
        }
        // An unmatched "drop" may be ordinary words ("the drop in sales"): keep them readable.
        if (matchedAny)
            masks.push_back(hit.span);
    }
    for (auto &info : infos)
        info.excluded = out.excludedColumns.contains(info.hint->name);

    std::vector<Token> tokens = tokenize(prompt);
    for (Token &t : tokens) {
        for (const Span &s : masks) {
            if (t.begin < s.end && t.end > s.begin)
                t.masked = true;
        }
    }
    const Analysis a(std::move(tokens));
    const Cues &cues = a.cues();
    out.datasetHint = datasetHint(a);

    double taskConfidence = 0;
    double targetConfidence = 0;

    // 2. Image.
    if (dataIsImageFolder || (!tabular && cues.image >= 2.5)) {
        out.task = TaskKind::Image;
        out.target = targetPhrase(a, true);
        taskConfidence = dataIsImageFolder ? 0.55 : (cues.image >= 3 ? 0.5 : 0.4);
        targetConfidence = out.target.isEmpty() ? 0.2 : 0.3;
        if (out.target.isEmpty())
            out.target = QStringLiteral("label"); // ImageFolder: the folder name is the label
    } else if (tabular) {
        // 3. A table: find the column, then let the words and the column decide the task.
        const Lean lean = wordLean(cues);
        // Clustering has no target: matching words to columns would only invent one.
        const bool unsupervised = cues.clustering && !cues.explicitCls && !cues.explicitReg
                                  && !cues.explicitForecast && !a.focus();
        ColumnScore score = unsupervised ? ColumnScore{} : scoreColumns(a, infos, lean);
        const ColumnInfo *targetLike = nullptr;
        for (const auto &c : infos) {
            if (c.targetLike && !c.excluded) {
                targetLike = &c;
                break;
            }
        }
        const auto isNumber = [](const ColumnHint &c) {
            return c.kind == ColumnKind::Numeric || c.kind == ColumnKind::Integer;
        };
        // "how much ..." cannot be answered by a category, nor "classify ..." by a measurement:
        // take the best column that fits the words when there is one.
        if (score.column >= 0 && score.best >= 1.0) {
            const ColumnHint &best = *infos[static_cast<size_t>(score.column)].hint;
            std::function<bool(const ColumnHint &)> fits;
            if ((cues.explicitReg || cues.regQuestion) && !cues.explicitCls && !cues.clsQuestion
                && !isNumber(best))
                fits = isNumber;
            else if (cues.explicitCls && !cues.explicitReg && isContinuous(best))
                fits = [](const ColumnHint &c) { return !isContinuous(c); };
            if (fits) {
                const ColumnScore refit = scoreColumns(a, infos, lean, fits);
                if (refit.column >= 0 && refit.best >= 1.0)
                    score = refit;
            }
        }
        const ColumnInfo *target = nullptr;
        if (score.column >= 0 && score.best >= 1.0) {
            target = &infos[static_cast<size_t>(score.column)];
            const double margin = (score.best - score.second) / score.best;
            targetConfidence = 0.25 + 0.2 * std::clamp(margin, 0.0, 1.0);
            // The named target ("the origin of this wine") is no column, only other words matched:
            // a column literally called target/label/class stands for it.
            if (a.focus() && !score.bestFromFocus && targetLike && target != targetLike) {
                target = targetLike;
                targetConfidence = 0.25;
            }
        }
        const bool hasTime = std::any_of(infos.begin(), infos.end(), [](const ColumnInfo &c) {
            return c.hint->kind == ColumnKind::DateTime;
        });
        std::vector<const ColumnInfo *> values;
        for (const auto &c : infos) {
            if (c.hint->kind != ColumnKind::DateTime)
                values.push_back(&c);
        }
        const bool singleSeries = hasTime && values.size() == 1 && isContinuous(*values.front()->hint);
        if (!target && !unsupervised) {
            target = targetLike;
            if (!target && singleSeries && !values.front()->excluded)
                target = values.front(); // time + value: the value is what to forecast
            if (target)
                targetConfidence = 0.25;
        }

        const bool forecastWords = cues.explicitForecast || cues.futureCue
                                   || (cues.temporalQuantity && cues.periodic);
        if (target) {
            out.target = target->hint->name;
            const ColumnHint &t = *target->hint;
            const bool decisiveCls = cues.explicitCls || cues.clsQuestion;
            const bool decisiveReg = cues.explicitReg || cues.regQuestion;
            if (hasTime && isContinuous(t) && !cues.explicitCls && !cues.explicitReg
                && (forecastWords || singleSeries)) {
                out.task = TaskKind::Forecast;
                taskConfidence = forecastWords ? 0.5 : 0.45;
            } else if (cues.explicitCls != cues.explicitReg) {
                out.task = cues.explicitCls ? TaskKind::Classification : TaskKind::Regression;
                taskConfidence = 0.5;
            } else if (decisiveCls != decisiveReg
                       && (decisiveCls ? isClassLike(t)
                                             || (t.kind == ColumnKind::Integer && t.distinct > 0
                                                 && t.distinct <= 30)
                                       : t.kind == ColumnKind::Numeric
                                             || t.kind == ColumnKind::Integer)) {
                // Question words decide when the column can carry them.
                out.task = decisiveCls ? TaskKind::Classification : TaskKind::Regression;
                taskConfidence = 0.5;
            } else if (isClassLike(t)) {
                out.task = TaskKind::Classification;
                taskConfidence = 0.45;
            } else if (isContinuous(t)) {
                out.task = TaskKind::Regression;
                taskConfidence = 0.45;
            }
        } else {
            // No column fits: keep what the words say and ask.
            out.needsClarification = true;
            if (cues.explicitForecast || (forecastWords && hasTime))
                out.task = TaskKind::Forecast;
            else if (lean == Lean::Classification)
                out.task = TaskKind::Classification;
            else if (lean == Lean::Regression)
                out.task = TaskKind::Regression;
            taskConfidence = out.task == TaskKind::Unknown ? 0 : 0.3;
        }
        if (out.task == TaskKind::Unknown) {
            out.needsClarification = true;
            out.questions.append(taskQuestion());
        }
        if (!target)
            out.questions.append(columnQuestion(infos));
    } else {
        // 4. No data: the words alone.
        const double cls = cues.clsScore();
        const double reg = cues.regScore();
        if (cues.explicitForecast && !cues.explicitCls && !cues.explicitReg) {
            out.task = TaskKind::Forecast;
            taskConfidence = 0.5;
        } else if ((cues.futureCue || (cues.temporalQuantity && cues.periodic)) && cls < 2
                   && !cues.explicitReg) {
            out.task = TaskKind::Forecast;
            taskConfidence = 0.4;
        } else if (cls > reg && cls >= 1) {
            out.task = TaskKind::Classification;
            taskConfidence = (cues.explicitCls || cues.clsQuestion || cues.clsStrong > 0) ? 0.45 : 0.3;
        } else if (reg > cls && reg >= 1) {
            out.task = TaskKind::Regression;
            taskConfidence = (cues.explicitReg || cues.regQuestion) ? 0.45 : 0.35;
        } else if (cls > 0 && cls == reg) {
            // A tie between cues of equal weight: the explicit or question form wins, else ask.
            const bool clsDecisive = cues.explicitCls || cues.clsQuestion;
            const bool regDecisive = cues.explicitReg || cues.regQuestion;
            if (clsDecisive != regDecisive) {
                out.task = clsDecisive ? TaskKind::Classification : TaskKind::Regression;
                taskConfidence = 0.3;
            }
        }
        out.target = targetPhrase(a, false);
        if (!out.target.isEmpty())
            targetConfidence = 0.25;
        if (out.task == TaskKind::Unknown) {
            out.needsClarification = true;
            out.questions.append(taskQuestion());
        }
        if (out.target.isEmpty()) {
            out.needsClarification = true;
            out.questions.append(IntentText::tr("What exactly should the model predict/classify?"));
        }
    }

    // Colloquial "accuracy" in a numeric goal ("predict prices with high accuracy") is no metric.
    if (out.metric == QLatin1String("accuracy")
        && (out.task == TaskKind::Regression || out.task == TaskKind::Forecast))
        out.metric.clear();

    double confidence = 0.1 + taskConfidence + targetConfidence;
    if (!out.metric.isEmpty() || out.timeBudgetS)
        confidence += 0.05; // a precise goal is usually a well-understood one
    if (out.needsClarification)
        confidence = std::min(confidence, 0.4);
    out.confidence = std::clamp(confidence, 0.0, 1.0);
    return out;
}

} // namespace baton
