import XCTest

extension InteropPython {
    /// Runs a check script of `Tests/Interop/` and asserts it succeeded and printed `expected`; skips (fails under
    /// CI) when the environment is missing. Returns what the script printed.
    @discardableResult
    public static func check(
        _ script: String, _ arguments: [String], printing expected: String,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> String {
        if let unavailable {
            if unavailable.required { XCTFail(unavailable.reason, file: file, line: line) }
            throw XCTSkip(unavailable.reason)
        }
        let run = try XCTUnwrap(try run(script, arguments), file: file, line: line)
        XCTAssertTrue(run.succeeded, run.description, file: file, line: line)
        XCTAssertTrue(run.output.contains(expected), run.output, file: file, line: line)
        return run.output
    }
}
