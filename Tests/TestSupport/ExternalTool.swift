import Foundation

/// What an external program did: its exit status and everything it printed, standard output and error together.
public struct ToolRun: Sendable, CustomStringConvertible {
    public let status: Int32
    public let output: String
    public var succeeded: Bool { status == 0 }
    public var description: String { "exit \(status): \(output)" }
}

/// A program that exited with a non-zero status where the test needed it to succeed.
public struct ToolFailure: Error, CustomStringConvertible {
    public let tool: String
    public let run: ToolRun?
    public var description: String { run.map { "\(tool): \($0)" } ?? "\(tool) is not installed" }
}

/// The programs tests check products with (fitsverify, astropy through python3) and the webbflow binary itself.
public enum ExternalTool {
    /// Runs `tool` with `arguments`: a path as it is, a bare name looked up on PATH as a shell would (so that
    /// `python3` is the interpreter scripts/bootstrap installed astropy into), with `environment` added to this
    /// process's. Nil when the tool is not installed.
    public static func run(_ tool: String, _ arguments: [String], environment: [String: String] = [:]) -> ToolRun? {
        let process = Process()
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        if tool.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: tool) else { return nil }
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [tool] + arguments
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // env's status when it finds no such program.
        if !tool.contains("/"), process.terminationStatus == 127 { return nil }
        return ToolRun(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// What `tool` printed; throws `ToolFailure` when it is missing or fails.
    @discardableResult
    public static func output(_ tool: String, _ arguments: [String]) throws(ToolFailure) -> String {
        guard let run = run(tool, arguments) else { throw ToolFailure(tool: tool, run: nil) }
        guard run.succeeded else { throw ToolFailure(tool: tool, run: run) }
        return run.output
    }

    /// True when python3 can import astropy (installed by scripts/bootstrap; absent on a bare machine).
    public static var hasAstropy: Bool { run("python3", ["-c", "import astropy"])?.succeeded == true }
}
