import Foundation
import TestSupport
import XCTest

/// The shipped `etc/webbflow.toml` against the real daemon and its built-in steps: every example it comments out
/// starts the daemon once uncommented, and a misspelt key anywhere in it stops the start with the valid names.
final class SampleConfigurationTests: XCTestCase {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("etc/webbflow.toml").path

    private var folder: TemporaryDirectory?

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: CommandLineTests.executable) else {
            throw XCTSkip("webbflow is not built beside the tests; run `swift build` first")
        }
        folder = try TemporaryDirectory("webbflow-sample-config")
    }

    override func tearDown() { folder = nil }

    /// Starts the daemon on `text` with scratch folders in place of the sample's, until it is idle.
    private func run(_ text: String) throws -> ToolRun {
        let scratch = try XCTUnwrap(folder)
        let config = scratch.file("webbflow.toml")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        for name in ["in", "out", "failed", "state"] {
            try FileManager.default.createDirectory(atPath: scratch.file(name), withIntermediateDirectories: true)
        }
        return try XCTUnwrap(
            ExternalTool.run(
                CommandLineTests.executable,
                [
                    "run", "--config", config, "--inbox", scratch.file("in"), "--outbox", scratch.file("out"), "--failed",
                    scratch.file("failed"),
                    "--state-dir", scratch.file("state"), "--log-target", "stderr", "--exit-when-idle",
                ]))
    }

    /// The sample with one commented-out example line uncommented, and with the table header it belongs to.
    private func variants(of lines: [String]) -> [(line: String, text: String)] {
        var result: [(String, String)] = []
        var header: Int?
        for (index, line) in lines.enumerated() {
            guard line.wholeMatch(of: /# (\[[a-z_.]+\]|[a-z_]+ = .+)/) != nil else { continue }
            var edited = lines
            if line.hasPrefix("# [") { header = index } else if let header { edited[header] = String(lines[header].dropFirst(2)) }
            edited[index] = String(line.dropFirst(2))
            result.append((line, edited.joined(separator: "\n")))
        }
        return result
    }

    func testEveryCommentedExampleStartsTheDaemon() throws {
        let lines = try String(contentsOfFile: Self.sample, encoding: .utf8).components(separatedBy: "\n")
        let variants = variants(of: lines)
        XCTAssertGreaterThan(variants.count, 8, "the sample comments out its step examples")
        for (line, text) in variants {
            let result = try run(text)
            XCTAssertEqual(result.status, 0, "\(line): \(result.output)")
        }
    }

    func testAMisspeltKeyIsRefusedWithTheValidNames() throws {
        let lines = try String(contentsOfFile: Self.sample, encoding: .utf8).components(separatedBy: "\n")
        var uncommented = lines
        for (index, line) in lines.enumerated() where line.wholeMatch(of: /# (\[[a-z_.]+\]|[a-z_]+ = .+)/) != nil {
            uncommented[index] = String(line.dropFirst(2))
        }
        XCTAssertEqual(try run(uncommented.joined(separator: "\n")).status, 0, "the whole sample, every example uncommented")
        var checked = 0
        for (index, line) in uncommented.enumerated() {
            let misspelt: String, expected: [String]
            if let match = line.wholeMatch(of: /\[steps\.([a-z_]+)\]/) {
                misspelt = "[steps.\(match.1)x]"
                expected = ["unknown step '\(match.1)x'", "valid steps: asset, atm, nsclean, syfu"]
            } else if let match = line.wholeMatch(of: /([a-z_]+) = .+/) {
                misspelt = "\(match.1)x = " + line.drop { $0 != "=" }.dropFirst(2)
                expected = ["'\(match.1)x'", "valid", " \(match.1),"]
            } else {
                continue
            }
            var edited = uncommented
            edited[index] = misspelt
            let result = try run(edited.joined(separator: "\n"))
            XCTAssertNotEqual(result.status, 0, "\(misspelt) was accepted")
            for phrase in expected { XCTAssertTrue(result.output.contains(phrase), "\(misspelt): \(result.output)") }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 25)
    }
}
