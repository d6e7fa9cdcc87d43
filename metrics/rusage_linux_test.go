package metrics

// rusageThread is RUSAGE_THREAD: the calling thread only.
const rusageThread = 1
