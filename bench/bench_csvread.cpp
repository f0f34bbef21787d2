// How fast does the CSV reader turn a file into a Table, per core? Reads the file N times with
// readCsv() and reports, per run, wall time, the process's CPU time (user + sys) and MB/s per
// CPU second, plus a fingerprint of the whole table (types, names, every value, mask, dictionary
// and date format) so that two builds of the reader can be checked to give identical tables.
//
// Usage: bench_csvread FILE [runs=3] [threads=0]   (threads 0: every core)

#include "core/data/CsvReader.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>

#include <sys/resource.h>

#include <cstdio>
#include <cstring>

using namespace baton;

namespace {

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval &t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// FNV-1a over bytes: order-sensitive, enough to tell two tables apart.
struct Fingerprint
{
    uint64_t value = 1469598103934665603ULL;

    void add(const void *data, size_t size)
    {
        const auto *p = static_cast<const unsigned char *>(data);
        for (size_t i = 0; i < size; ++i)
            value = (value ^ p[i]) * 1099511628211ULL;
    }
    template<typename T>
    void addVector(const std::vector<T> &v)
    {
        const size_t n = v.size();
        add(&n, sizeof n);
        add(v.data(), n * sizeof(T));
    }
    void addString(QStringView s) // a null view (a missing cell) counts apart from an empty one
    {
        const qsizetype n = s.isNull() ? -1 : s.size();
        add(&n, sizeof n);
        add(s.constData(), size_t(s.size()) * sizeof(QChar));
    }
};

uint64_t fingerprintOf(const Table &table)
{
    Fingerprint f;
    const int encoding = int(table.encoding());
    f.add(&encoding, sizeof encoding);
    for (const Column &column : table.columns()) {
        f.addString(column.name());
        const int type = int(column.type());
        f.add(&type, sizeof type);
        f.addVector(column.float64Values());
        f.addVector(column.int64Values());
        f.addVector(column.boolValues());
        f.addVector(column.codes());
        f.addVector(column.missingMask());
        f.addString(column.dateTimeFormat());
        for (const QString &s : column.dictionary())
            f.addString(s);
        for (qsizetype r = 0; r < column.texts().size(); ++r)
            f.addString(column.isMissing(r) ? QStringView() : column.texts().view(r));
    }
    return f.value;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_csvread FILE [runs=3] [threads=0]\n");
        return 2;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
    CsvOptions options;
    options.threads = argc > 3 ? std::atoi(argv[3]) : 0;
    const double megabytes = double(QFileInfo(path).size()) / 1e6;

    for (int run = 0; run < runs; ++run) {
        QElapsedTimer wall;
        wall.start();
        const double cpuBefore = cpuSeconds();
        Result<Table> table = readCsv(path, options);
        const double cpu = cpuSeconds() - cpuBefore;
        const double wallSeconds = double(wall.nsecsElapsed()) / 1e9;
        if (!table) {
            std::fprintf(stderr, "%s\n", qPrintable(table.error().message));
            return 1;
        }
        std::printf("run %d: %.1f MB, %lld x %d: wall %.3f s, CPU %.3f s, %.0f MB/s per CPU s, "
                    "fingerprint %016llx\n",
                    run + 1, megabytes, static_cast<long long>(table->rowCount()),
                    table->columnCount(), wallSeconds, cpu, megabytes / cpu,
                    static_cast<unsigned long long>(fingerprintOf(*table)));
    }
    return 0;
}
