import Foundation
import OutboxPage

extension StateStore {
    /// Records the quick-look pictures drawn beside a job's products (`product path → picture path`).
    public func recordPictures(_ pictures: [(product: String, picture: String)], job id: Int64) throws {
        guard !pictures.isEmpty else { return }
        try database.withLock { db in
            try db.transaction {
                for (product, picture) in pictures {
                    try db.query(
                        "INSERT OR REPLACE INTO pictures (product, path, job_id, written_at) VALUES (?, ?, ?, ?)",
                        [.text(product), .text(picture), .integer(id), .real(Self.now)])
                }
            }
        }
    }

    /// What the outbox page shows: each product's latest writing with its job, picture, first input's target and
    /// its inputs' exposure types as its mode, the jobs failed for good, and the latest version of every file not
    /// processed. Paths are made relative to `outbox`; the products' presence is checked on disk.
    public func outboxListing(outbox: String) throws -> OutboxListing {
        let prefix = outbox.hasSuffix("/") ? outbox : outbox + "/"
        func relative(_ path: String) -> String { path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path }
        func names(_ inputs: String?) -> [String] { decodePaths(inputs).map { ($0 as NSString).lastPathComponent } }
        return try database.withLock { db in
            var listing = OutboxListing()
            var exposureTypes: [String: String] = [:]
            for row in try db.query("SELECT path, exp_type FROM files WHERE exp_type IS NOT NULL ORDER BY id") {
                if let path = row[0].string, let type = row[1].string { exposureTypes[path] = type }
            }
            // SQLite takes the bare columns of an aggregate query from the row holding the MAX.
            let products = try db.query(
                """
                SELECT p.path, MAX(p.written_at), j.step, j.inputs, j.exp_type, pic.path,
                       (SELECT json_extract(f.kind, '$.targetName') FROM files f
                        WHERE f.path = json_extract(j.inputs, '$[0]') AND f.kind IS NOT NULL ORDER BY f.id DESC LIMIT 1)
                FROM products p JOIN jobs j ON j.id = p.job_id LEFT JOIN pictures pic ON pic.product = p.path
                GROUP BY p.path
                """)
            for row in products {
                guard let path = row[0].string else { continue }
                let relativePath = relative(path)
                let program = relativePath.split(separator: "/").dropLast().last.map(String.init) ?? "unknown"
                let picture = row[5].string.flatMap { FileManager.default.fileExists(atPath: $0) ? relative($0) : nil }
                let inputs = decodePaths(row[3].string).map { input in
                    (name: (input as NSString).lastPathComponent, exposureType: exposureTypes[input] ?? "")
                }
                let mode = OutboxListing.mode(of: (path as NSString).lastPathComponent, inputs: inputs) ?? row[4].string
                listing.programs[program, default: []].append(
                    OutboxListing.Product(
                        path: relativePath, picture: picture, step: row[2].string ?? "", target: row[6].string, exposureType: mode,
                        inputs: inputs.map(\.name), writtenAt: Date(timeIntervalSince1970: row[1].double ?? 0),
                        present: FileManager.default.fileExists(atPath: path)))
            }
            listing.failures = try db.query(
                """
                SELECT step, inputs, error, attempts, finished_at FROM jobs WHERE state = 'failed' ORDER BY id DESC
                """
            ).map { row in
                OutboxListing.Failure(
                    step: row[0].string ?? "", inputs: names(row[1].string), reason: row[2].string ?? "unknown error",
                    attempts: row[3].int ?? 0, failedAt: row[4].double.map(Date.init(timeIntervalSince1970:)))
            }
            listing.skipped = try db.query(
                """
                SELECT path, state, skip_reason, reason FROM files f WHERE state IN ('skipped', 'duplicate', 'incomplete')
                AND id = (SELECT MAX(id) FROM files l WHERE l.path = f.path) ORDER BY id
                """
            ).map { row in
                OutboxListing.SkippedFile(
                    name: ((row[0].string ?? "") as NSString).lastPathComponent, state: row[1].string ?? "",
                    code: row[2].string, reason: row[3].string ?? "")
            }
            return listing
        }
    }
}
