import Foundation
import TestSupport
import XCTest

/// The sd_notify protocol as systemd would see it: a datagram socket as NOTIFY_SOCKET, the real binary as the service.
final class NotifyTests: XCTestCase {
    func testReadyStatusWatchdogReloadingAndStoppingReachTheNotifySocket() async throws {
        let scratch = try TemporaryDirectory("webbflow-notify")
        let root = scratch.path
        try FileManager.default.createDirectory(atPath: "\(root)/inbox", withIntermediateDirectories: true)
        let socketPath = "\(root)/notify.sock"
        let socket = try DatagramSocket(path: socketPath)
        let config = "\(root)/webbflow.toml"
        try "inboxes = [\"\(root)/inbox\"]\noutbox = \"\(root)/outbox\"\nstate_directory = \"\(root)/state\"\nsettle_seconds = 0.2\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try WebbflowBinary.start(
            ["run", "--config", config, "--log-target", "stderr"],
            environment: ["NOTIFY_SOCKET": socketPath, "WATCHDOG_USEC": "400000"],
            log: "\(root)/daemon.log")
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }

        var received: [String] = []
        func collect(until marker: String, timeout: Double) {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline, !received.contains(where: { $0.contains(marker) }) {
                if let message = socket.receive(timeoutMilliseconds: 100) { received.append(message) }
            }
        }
        collect(until: "READY=1", timeout: 20)
        collect(until: "WATCHDOG=1", timeout: 5)
        kill(daemon.processIdentifier, SIGHUP)
        collect(until: "RELOADING=1", timeout: 5)
        let afterReload = received.count
        collect(until: "configuration reloaded", timeout: 5)
        kill(daemon.processIdentifier, SIGTERM)
        collect(until: "STOPPING=1", timeout: 10)
        let exited = try await WebbflowBinary.wait(daemon, timeout: 20)

        let log = (try? String(contentsOfFile: "\(root)/daemon.log", encoding: .utf8)) ?? ""
        XCTAssertTrue(received.contains { $0.contains("READY=1") && $0.contains("STATUS=") }, "\(received)\n\(log)")
        XCTAssertTrue(received.contains { $0.hasPrefix("STATUS=") || $0.contains("\nSTATUS=") }, "\(received)")
        XCTAssertTrue(received.contains("WATCHDOG=1"), "\(received)")
        let reloading = received.first { $0.contains("RELOADING=1") }
        XCTAssertNotNil(reloading?.range(of: #"MONOTONIC_USEC=\d+"#, options: .regularExpression), "\(received)")
        XCTAssertTrue(received[afterReload...].contains { $0.contains("READY=1") }, "READY=1 again after the reload: \(received)")
        XCTAssertTrue(received.contains { $0.contains("STOPPING=1") }, "\(received)")
        XCTAssertTrue(exited, "the daemon stopped after SIGTERM")
        XCTAssertEqual(daemon.terminationStatus, 0, log)
    }
}

/// A bound AF_UNIX datagram socket standing in for systemd's notify socket.
final class DatagramSocket {
    private let descriptor: Int32

    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard descriptor >= 0, bound == 0 else { throw POSIXError(.EADDRNOTAVAIL) }
    }

    deinit { close(descriptor) }

    func receive(timeoutMilliseconds: Int32) -> String? {
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&request, 1, timeoutMilliseconds) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
    }
}
