import Daemon
import Foundation

/// The files named on a command line, with folders (a MAST download, an inbox) replaced by the JWST files inside
/// them, at any depth: the names the daemon takes (`Watcher.isCandidate`: jw….fits, jw….fits.gz), in name order.
/// Files named directly are taken whatever their names. Links to folders inside a folder are not followed, as the
/// daemon does not follow them (a link to a parent would never end).
enum InputPaths {
    static func expand(_ arguments: [String]) -> [String] {
        arguments.flatMap { argument -> [String] in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder), isFolder.boolValue else { return [argument] }
            var found = Found()
            collect(under: argument, into: &found)
            if found.files.isEmpty {
                Console.note("\(argument): no JWST files (jw….fits, jw….fits.gz) in this folder")
            } else if found.leftOut > 0 {
                Console.note(
                    "\(argument): \(found.files.count) JWST file(s) taken, \(found.leftOut) other file(s) left out (names not jw….fits or jw….fits.gz)"
                )
            }
            return found.files
        }
    }

    private struct Found {
        var files: [String] = []
        var leftOut = 0
    }

    private static func collect(under folder: String, into found: inout Found) {
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() {
            let path = folder.hasSuffix("/") ? folder + name : "\(folder)/\(name)"
            guard let type = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType else { continue }
            switch type {
            case .typeDirectory:
                collect(under: path, into: &found)
            case .typeRegular, .typeSymbolicLink:
                if Watcher.isCandidate(name: name) {
                    found.files.append(path)
                } else if !name.hasPrefix(".") {
                    found.leftOut += 1
                }
            default:
                break
            }
        }
    }
}
