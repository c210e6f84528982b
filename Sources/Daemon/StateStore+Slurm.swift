import Foundation
import Pipeline
import SQLite

/// One attempt of a job handed to Slurm, as the state database holds it.
public struct SlurmSubmission: Sendable, Equatable {
    /// The state database's job and the attempt handed over.
    public var job: Int64
    public var attempt: Int
    /// The `--job-name`, unique to the job and attempt: how a submission whose id was never recorded is found again.
    public var name: String
    /// Slurm's job id; nil while `sbatch` has not answered (or the daemon died before recording its answer).
    public var slurmID: Int?
    /// The `--mem` asked for, in MB.
    public var memoryMB: Int
    /// Slurm's final state of the job (COMPLETED, OUT_OF_MEMORY, CANCELLED…); nil while it is not over.
    public var endState: String?
}

extension StateStore {
    static let slurmSchema = """
        CREATE TABLE IF NOT EXISTS slurm_jobs (
            job_id INTEGER NOT NULL REFERENCES jobs (id), attempt INTEGER NOT NULL,
            name TEXT NOT NULL, slurm_id INTEGER, memory_mb INTEGER NOT NULL, submitted_at REAL NOT NULL, end_state TEXT,
            PRIMARY KEY (job_id, attempt)
        );
        """

    /// SQL condition on a `jobs` row: its current attempt was handed to Slurm and has not been seen to end. (`webbflow
    /// retry` starts the attempts of a job afresh, so an attempt number can have an ended submission from before.)
    static let submittedToSlurm = """
        EXISTS (SELECT 1 FROM slurm_jobs s WHERE s.job_id = jobs.id AND s.attempt = jobs.attempts AND s.end_state IS NULL)
        """

    /// Records, durably and before `sbatch` runs, that this attempt is being submitted.
    public func recordSlurmSubmission(job id: Int64, attempt: Int, name: String, memoryMB: Int) throws {
        try database.withLock { db in
            try db.query(
                """
                INSERT OR REPLACE INTO slurm_jobs (job_id, attempt, name, memory_mb, submitted_at) VALUES (?, ?, ?, ?, ?)
                """, [.integer(id), .int(attempt), .text(name), .int(memoryMB), .real(Self.now)])
        }
    }

    /// Records the id `sbatch` gave the attempt.
    public func recordSlurmID(_ slurmID: Int, job id: Int64, attempt: Int) throws {
        try database.withLock { db in
            try db.query(
                "UPDATE slurm_jobs SET slurm_id = ? WHERE job_id = ? AND attempt = ?", [.int(slurmID), .integer(id), .int(attempt)])
        }
    }

    /// Records how Slurm saw the attempt end.
    public func recordSlurmEnd(_ state: String, job id: Int64, attempt: Int) throws {
        try database.withLock { db in
            try db.query(
                "UPDATE slurm_jobs SET end_state = ? WHERE job_id = ? AND attempt = ?", [.text(state), .integer(id), .int(attempt)])
        }
    }

    /// The submission of this attempt, if it was handed to Slurm.
    public func slurmSubmission(job id: Int64, attempt: Int) throws -> SlurmSubmission? {
        try slurmSubmissions(job: id).first { $0.attempt == attempt }
    }

    /// The submissions of one job, or of every job when `id` is nil, by job and attempt.
    public func slurmSubmissions(job id: Int64? = nil) throws -> [SlurmSubmission] {
        try database.withLock { db in
            try db.query(
                """
                SELECT job_id, attempt, name, slurm_id, memory_mb, end_state FROM slurm_jobs WHERE ? IS NULL OR job_id = ?
                ORDER BY job_id, attempt
                """, [id.map(SQLiteValue.integer) ?? .null, id.map(SQLiteValue.integer) ?? .null]
            ).map { row in
                SlurmSubmission(
                    job: Int64(row[0].int ?? 0), attempt: row[1].int ?? 0, name: row[2].string ?? "", slurmID: row[3].int,
                    memoryMB: row[4].int ?? 0, endState: row[5].string)
            }
        }
    }

    /// The attempts whose files in the spool may still be needed: the current attempt of every running job, and every
    /// submission whose end Slurm has not been seen to reach.
    func unsettledSlurmAttempts() throws -> Set<SlurmAttempt> {
        try database.withLock { db in
            try db.query(
                """
                SELECT id, attempts FROM jobs WHERE state = \(JobState.running.sql)
                UNION SELECT job_id, attempt FROM slurm_jobs WHERE end_state IS NULL
                """
            ).reduce(into: Set<SlurmAttempt>()) { attempts, row in
                if case .integer(let job) = row[0], let attempt = row[1].int { attempts.insert(SlurmAttempt(job: job, attempt: attempt)) }
            }
        }
    }

    /// Jobs left running whose current attempt was handed to Slurm: followed again, not submitted again.
    public func jobsSubmittedToSlurm() throws -> [JobRecord] {
        try database.withLock { db in
            try db.query(
                "SELECT \(Self.jobRecordColumns) FROM jobs WHERE state = \(JobState.running.sql) AND \(Self.submittedToSlurm) ORDER BY id"
            )
            .compactMap(jobRecord)
        }
    }
}
