import Foundation
import TestSupport
import XCTest

/// Debian's `chromium` run headless on a local page, as a user's browser would open it from the filesystem:
/// its DOM after parsing, or a screenshot. `scripts/bootstrap` installs it; without it the tests skip, except under
/// CI (`CI` set), where its absence is a failure.
struct HeadlessChromium {
    let profile: String

    /// A browser with a fresh profile folder in `scratch` (nothing read from or written to the user's own).
    init(scratch: TemporaryDirectory) throws {
        guard ExternalTool.run("chromium", ["--version"])?.succeeded == true else {
            if ProcessInfo.processInfo.environment["CI"] != nil { throw ChromiumFailure(description: "chromium is not installed") }
            throw XCTSkip("chromium is not installed (scripts/bootstrap installs it)")
        }
        profile = scratch.file("chromium-profile")
    }

    /// The page's DOM serialised after loading.
    func dom(of page: String) throws -> String {
        try run(["--dump-dom", URL(fileURLWithPath: page).absoluteString])
    }

    /// Saves a screenshot of the page, `width` × `height` pixels, as PNG at `path`.
    func screenshot(of page: String, to path: String, width: Int = 1400, height: Int = 1000) throws {
        try run([
            "--screenshot=\(path)", "--window-size=\(width),\(height)", "--hide-scrollbars", URL(fileURLWithPath: page).absoluteString,
        ])
    }

    /// Runs chromium and returns what it printed (the DOM, among D-Bus complaints in a container).
    @discardableResult
    private func run(_ arguments: [String]) throws -> String {
        // No sandbox: the tests may run as root, where chromium refuses its sandbox.
        let fixed = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)"]
        guard let run = ExternalTool.run("chromium", fixed + arguments), run.succeeded else {
            throw ChromiumFailure(description: "chromium \(arguments.joined(separator: " ")) failed")
        }
        return run.output
    }
}

/// Chromium missing where it must be, or failing on a page.
struct ChromiumFailure: Error, CustomStringConvertible {
    let description: String
}
