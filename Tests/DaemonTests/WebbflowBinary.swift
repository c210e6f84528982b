import Foundation
import XCTest

/// The real `webbflow` executable, for tests that must run the daemon as its own process (kill -9, signals,
/// journald in a private mount namespace). Found next to the test bundle (`.build/<config>/webbflow`).
enum WebbflowBinary {
    static func locate() throws -> String {
        let bundleFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [bundleFolder, bundleFolder.deletingLastPathComponent()].map { $0.appendingPathComponent("webbflow").path }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates += ["release", "debug"].map { packageRoot.appendingPathComponent(".build/\($0)/webbflow").path }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("the webbflow executable was not built (looked in \(candidates.joined(separator: ", ")))")
        }
        return found
    }

    /// Starts `webbflow` with `arguments`; stdout and stderr are appended to `log`. `launcher` is a command that runs it
    /// (`prlimit --as=N --`), none by default.
    static func start(_ arguments: [String], environment: [String: String] = [:], launcher: [String] = [], log: String) throws -> Process {
        let process = Process()
        let command = launcher + [try locate()] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        // Appended to, so that one log holds every run of a test (restarts after kill -9).
        if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try handle.seekToEnd()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Runs `webbflow` to completion and returns its standard output.
    static func output(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try locate())
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Waits for `process` to exit within `timeout` seconds; returns false (and kills it) otherwise.
    static func wait(_ process: Process, timeout: Double) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit(); return false }
        return true
    }
}
