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
            let found = files(under: argument)
            if found.isEmpty { Console.note("\(argument): no JWST files (jw….fits, jw….fits.gz) in this folder") }
            return found
        }
    }

    private static func files(under folder: String) -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        return names.flatMap { name -> [String] in
            let path = folder.hasSuffix("/") ? folder + name : "\(folder)/\(name)"
            guard let type = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType else { return [] }
            switch type {
            case .typeDirectory: return files(under: path)
            case .typeRegular, .typeSymbolicLink: return Watcher.isCandidate(name: name) ? [path] : []
            default: return []
            }
        }
    }
}
