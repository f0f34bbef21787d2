#pragma once

namespace baton {

// The command line's exit codes (documented in the README and `baton --help`).
enum class ExitCode : int {
    Success = 0,
    Failure = 1,     // an unexpected internal error
    Usage = 2,       // bad flags or arguments
    BadInput = 3,    // the input data cannot be used
    StageFailed = 4, // a stage failed (its message says why)
    Cancelled = 130, // SIGINT/SIGTERM or a user cancel
};

inline int toInt(ExitCode code) { return static_cast<int>(code); }

} // namespace baton
