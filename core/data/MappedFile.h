#pragma once

// A whole file seen through mmap, for the CSV reader. Reading a file into fresh memory costs a
// copy plus the kernel zeroing every new page, which was a third of the reader's CPU time;
// mapping shows the page cache itself.
//
// A mapped file that another program truncates would kill the process with SIGBUS on the first
// touch of a page past the new end. A process-wide SIGBUS handler guards every MappedFile: a
// fault inside one maps zero pages over the rest of that view, records where the file ended and
// lets the read carry on; the reader then checks truncatedAt() and reports the file as changed.
// Any other SIGBUS goes to whatever handler was there before (the guard stays installed).
// Unlike bytes read into memory, a mapping also shows another program's writes as they happen;
// the reader therefore checks the file's size and time after parsing, also when the parse failed,
// and a second pass that finds other records than the first reports the file as changed.
// Internal to core/data.

#include <QtGlobal>

namespace baton::csv {

class MappedFile
{
public:
    MappedFile() = default;
    ~MappedFile();
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    // Maps the first `size` bytes of the open descriptor `fd`. False, with nothing mapped, where
    // the system cannot (not a regular file, no mmap, every guard slot in use): read it instead.
    bool map(int fd, qint64 size);

    const char *data() const { return m_data; }
    qint64 size() const { return m_size; }

    // Maps the pages of [offset, offset + length) in one system call (reading them from disk if
    // they are not cached), rather than a fault per few pages as they are first read.
    void prefault(qint64 offset, qint64 length) const;

    // The offset of the first page found missing because the file shrank after map(), or -1.
    qint64 truncatedAt() const;

private:
    void unmap();

    const char *m_data = nullptr;
    qint64 m_size = 0;
    qint64 m_mappedBytes = 0;
    int m_guard = -1;
};

} // namespace baton::csv
