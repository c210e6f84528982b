/// A state kept in a `state` column: its SQL literal, for the queries that select or set it.
protocol StoredState: RawRepresentable where RawValue == String {}

extension StoredState {
    /// `'queued'`: the value quoted as SQL text. States are fixed identifiers, so quoting needs no escaping.
    var sql: String { "'\(rawValue)'" }
}

extension StateStore {
    /// Where a job stands.
    public enum JobState: String, Sendable, Codable, CaseIterable, StoredState {
        /// Waiting for a worker (and for its `not_before` time after a failure).
        case queued
        /// Claimed by a worker.
        case running
        /// Finished; its products are recorded.
        case done
        /// Failed for good (invalid input, unsupported, or out of attempts).
        case failed
        /// Replaced before it ran by a job on a newer version of its input or a fuller group.
        case superseded
    }

    /// Where a multi-file group stands.
    public enum GroupState: String, Sendable, Codable, CaseIterable, StoredState {
        /// Gathering members; it fires when complete, or when quiet for the group settle time and runnable.
        case open
        /// Quiet but not runnable with its members; a new member reopens it.
        case waiting
        /// Its job is queued (or ran); a new member reopens it and its job supersedes the earlier one.
        case fired
    }
}

extension StateStore.FileState: StoredState {}
