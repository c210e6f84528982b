import Foundation

/// The Python environment products must work in: jwst 3.0.0 with stdatamodels, specutils and jdaviz, made once by
/// `scripts/interop-setup` in `Tests/.venv` (`./scripts/test` runs it), with CRDS kept offline for every run.
///
/// Interop tests call the scripts in `Tests/Interop/` with it. Where the environment is missing (a bare
/// `swift test`), they skip; under CI (`CI` set) a missing environment is a failure, since `.ci/run` makes it.
public enum InteropPython {
    /// The repository's root folder.
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardized.path

    /// The interpreter: `WEBBFLOW_INTEROP_PYTHON` when set, else `Tests/.venv/bin/python`; nil when neither exists.
    public static var interpreter: String? {
        let candidate = ProcessInfo.processInfo.environment["WEBBFLOW_INTEROP_PYTHON"] ?? "\(repository)/Tests/.venv/bin/python"
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    /// Why interop tests cannot run here, or nil when they can; `required` is true when that is a failure (CI).
    public static var unavailable: (reason: String, required: Bool)? {
        guard interpreter == nil else { return nil }
        return ("no interop Python environment: run scripts/interop-setup", ProcessInfo.processInfo.environment["CI"] != nil)
    }

    /// The path of a script in `Tests/Interop/`.
    public static func script(_ name: String) -> String { "\(repository)/Tests/Interop/\(name)" }

    /// Runs `Tests/Interop/<script>` with `arguments` under the interop interpreter, CRDS offline (a fresh cache
    /// folder holding only the offline server stub, so no step waits on a network). Nil when the environment is missing.
    public static func run(_ script: String, _ arguments: [String]) throws -> ToolRun? {
        guard let interpreter else { return nil }
        let cache = try TemporaryDirectory("crds-offline")
        try FileManager.default.removeItem(atPath: cache.path)
        try FileManager.default.copyItem(atPath: "\(repository)/Tests/Interop/crds-offline", toPath: cache.path)
        return ExternalTool.run(
            interpreter, [Self.script(script)] + arguments,
            environment: [
                "CRDS_PATH": cache.path, "CRDS_SERVER_URL": "https://crds-offline.invalid", "CRDS_OBSERVATORY": "jwst",
                "STPIPE_DISABLE_CRDS_STEPPARS": "True", "MPLBACKEND": "Agg", "PYTHONWARNINGS": "default",
            ])
    }
}
