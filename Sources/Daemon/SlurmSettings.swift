/// How the daemon hands jobs to a Slurm cluster (`executor = "slurm"` and the `[slurm]` table): where job descriptions
/// and outcomes are exchanged with the compute nodes, what `sbatch` is told, and how often jobs are looked at.
public struct SlurmSettings: Sendable, Equatable {
    /// A folder the daemon and every compute node see at the same path: job descriptions, batch scripts, Slurm's
    /// output files and the jobs' outcomes. The state database never goes there.
    public var spool: String = ""
    /// `--partition`; empty leaves Slurm's default.
    public var partition: String = ""
    /// `--account`; empty leaves Slurm's default.
    public var account: String = ""
    /// `--time` (Slurm's formats: "30", "2:00:00", "1-00:00:00"); empty leaves the partition's limit.
    public var timeLimit: String = ""
    /// `--cpus-per-task` of every job.
    public var cpusPerTask: Int = 1
    /// More `sbatch` arguments, given before the batch script (`--qos=long`, `--constraint=avx2`…).
    public var sbatchArguments: [String] = []
    /// The `webbflow` the compute nodes run (`webbflow job FILE`); empty means this daemon's own executable.
    public var command: String = ""
    /// Jobs submitted and not yet ended at once.
    public var maxJobs: Int = 100
    /// Seconds between two looks at a submitted job.
    public var pollSeconds: Double = 10
    /// Multiplies the job's memory estimate for `--mem`; each time Slurm kills a job for its memory, the next
    /// attempt asks for twice as much. Twice by default: the estimate is what a step allocates beside the daemon's
    /// running process, while Slurm counts the whole job's resident pages (the runtime, mapped input files); on the
    /// simulated program every step's job exceeded its estimate and fitted in twice it.
    public var memoryScale: Double = 2
    /// Days Slurm's output of a failed attempt stays in the spool (`job<id>.<attempt>.out`), for whoever looks into
    /// the failure; older ones go at the next lull. The failure report in the failed folder keeps its last lines.
    public var failedOutputDays: Double = 7
    /// At most this many outputs of failed attempts stay in the spool, the newest: a storm of failures does not fill it.
    public var failedOutputFiles: Int = 1000

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case spool, partition, account
        case timeLimit = "time_limit"
        case cpusPerTask = "cpus_per_task"
        case sbatchArguments = "sbatch_arguments"
        case command
        case maxJobs = "max_jobs"
        case pollSeconds = "poll_seconds"
        case memoryScale = "memory_scale"
        case failedOutputDays = "failed_output_days"
        case failedOutputFiles = "failed_output_files"
    }

    /// Refuses settings the executor cannot work with.
    func validate() throws(ConfigurationError) {
        if spool.isEmpty { throw ConfigurationError("executor = \"slurm\" needs a spool folder: `spool = \"...\"` in [slurm]") }
        if cpusPerTask < 1 || maxJobs < 1 { throw ConfigurationError("slurm.cpus_per_task and slurm.max_jobs must be at least 1") }
        if pollSeconds <= 0 || memoryScale <= 0 { throw ConfigurationError("slurm.poll_seconds and slurm.memory_scale must be positive") }
        if failedOutputDays < 0 || failedOutputFiles < 0 {
            throw ConfigurationError("slurm.failed_output_days and slurm.failed_output_files must not be negative")
        }
    }
}

/// The `[slurm]` table; unknown keys and wrong types are refused with the key named.
extension SlurmSettings: Decodable {
    public init(from decoder: any Decoder) throws {
        self.init()
        let table = try KeyedDecodingContainer<CodingKeys>.section(decoder)
        try table.update(&spool, .spool)
        try table.update(&partition, .partition)
        try table.update(&account, .account)
        try table.update(&timeLimit, .timeLimit)
        try table.update(&cpusPerTask, .cpusPerTask)
        try table.update(&sbatchArguments, .sbatchArguments)
        try table.update(&command, .command)
        try table.update(&maxJobs, .maxJobs)
        try table.update(&pollSeconds, .pollSeconds)
        try table.update(&memoryScale, .memoryScale)
        try table.update(&failedOutputDays, .failedOutputDays)
        try table.update(&failedOutputFiles, .failedOutputFiles)
    }
}
